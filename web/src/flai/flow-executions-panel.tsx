import type { CombinedError } from 'urql';
import { errorsAt } from '../common/errors';
import { Panel } from '../common/panel';
import type { DashboardQuery, DownloadRowFragment } from '../generated/graphql';
import { FlowExecutionItem } from './flow-execution-item';

interface FlowExecutionsPanelProps {
  data: DashboardQuery | undefined;
  error: CombinedError | undefined;
  onDownload(download: DownloadRowFragment, datasetName: string): void;
}

/** Flai: the organization's latest flow executions, the running ones live. */
export function FlowExecutionsPanel({ data, error, onDownload }: FlowExecutionsPanelProps) {
  const list = data?.flowExecutions;
  const running = list?.nodes.filter((x) => !x.isTerminal).length ?? 0;
  return (
    <Panel
      id="flow-executions"
      title="Flow executions"
      vendor="Flai"
      summary={list ? `${list.nodes.length} of ${list.totalCount} · ${running} in flight` : undefined}
      errors={errorsAt(error, ['flowExecutions'])}
    >
      {list && (
        <ul className="exec-list">
          {list.nodes.map((x) => (
            <FlowExecutionItem key={x.id} execution={x} onDownload={onDownload} />
          ))}
        </ul>
      )}
    </Panel>
  );
}
