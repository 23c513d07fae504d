import { useSubscription } from 'urql';
import { ErrorNote } from '../common/error-note';
import { allErrors } from '../common/errors';
import { timeAgo } from '../common/format';
import { ProgressBar } from '../common/progress-bar';
import { StatusBadge } from '../common/status-badge';
import { FlowExecutionLiveDocument, type DownloadRowFragment, type FlowExecutionRowFragment } from '../generated/graphql';
import { OutputDatasets } from './output-datasets';

export interface RequestedDownload {
  id: string;
  datasetName: string;
}

interface FlowExecutionItemProps {
  execution: FlowExecutionRowFragment;
  onDownload(download: DownloadRowFragment, datasetName: string): void;
}

/**
 * One flow execution. A running one follows `flowExecutionUpdated` until it ends; the datasets it
 * wrote can be packaged for download once they are ready.
 */
export function FlowExecutionItem({ execution, onDownload }: FlowExecutionItemProps) {
  const [live] = useSubscription({ query: FlowExecutionLiveDocument, variables: { id: execution.id }, pause: execution.isTerminal });
  const x = live.data?.flowExecutionUpdated ?? execution;
  const title = x.flow?.title ?? `Flow ${x.id.slice(0, 8)}`;

  return (
    <li className="exec" data-testid="flow-execution" data-execution-id={x.id}>
      <div className="exec-head">
        <span className="job-title">
          <span className="job-name">{title}</span>
          <span className="job-meta">
            {x.id.slice(0, 8)} · {x.finishedAt ? `finished ${timeAgo(x.finishedAt)}` : x.startedAt ? `started ${timeAgo(x.startedAt)}` : `queued ${timeAgo(x.createdAt)}`}
          </span>
        </span>
        <StatusBadge state={x.state} label={x.status} />
        <ProgressBar value={x.progress} state={x.state} label={`Progress of ${title}`} />
      </div>
      <OutputDatasets outputs={x.outputDatasets} onDownload={onDownload} />
      <ErrorNote errors={allErrors(live.error)} compact />
    </li>
  );
}
