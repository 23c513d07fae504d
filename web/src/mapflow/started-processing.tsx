import { useSubscription } from 'urql';
import { ErrorNote } from '../common/error-note';
import { allErrors } from '../common/errors';
import { ProgressBar } from '../common/progress-bar';
import { StatusBadge } from '../common/status-badge';
import { ProcessingDetailDocument, type ProcessingRowFragment } from '../generated/graphql';

/**
 * A processing started from a mosaic, followed where it was started: the same `processingUpdated`
 * operation as the Processing panel (urql runs one subscription for both), shown as one line.
 */
export function StartedProcessing({ started }: { started: ProcessingRowFragment }) {
  const [live] = useSubscription({ query: ProcessingDetailDocument, variables: { id: started.id } });
  const p = live.data?.processingUpdated ?? started;
  const name = p.name || 'Unnamed processing';
  return (
    <div className="started-processing" data-testid="mosaic-processing" data-processing-id={p.id}>
      <span className="job-title">
        <span className="job-name">{name}</span>
        <span className="job-meta">{p.workflowDef?.name ?? 'model unknown'} · also in Processing</span>
      </span>
      <StatusBadge state={p.state} label={p.status} />
      <ProgressBar value={p.percentCompleted} state={p.state} label={`Progress of ${name} (mosaic)`} />
      <ErrorNote errors={allErrors(live.error)} compact />
    </div>
  );
}
