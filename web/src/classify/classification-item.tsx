import { useMutation, useSubscription } from 'urql';
import { ErrorNote } from '../common/error-note';
import { allErrors } from '../common/errors';
import { bytes } from '../common/format';
import { ProgressBar } from '../common/progress-bar';
import { StatusBadge } from '../common/status-badge';
import { OutputDatasets } from '../flai/output-datasets';
import { CancelClassificationDocument, ClassificationLiveDocument, type ClassificationRowFragment, type ClassificationStage, type DownloadRowFragment } from '../generated/graphql';

/** A classification started from this page, as the page remembers it. */
export interface StartedClassification {
  id: string;
  pointcloudName: string;
  flowTitle: string;
  /** Its state when started (the subscription's first event replaces it). */
  first?: ClassificationRowFragment;
}

const STAGES: { stage: ClassificationStage; label: string }[] = [
  { stage: 'TRANSFERRING', label: 'Transferring' },
  { stage: 'IMPORTING', label: 'Importing' },
  { stage: 'CLASSIFYING', label: 'Classifying' },
  { stage: 'DONE', label: 'Done' },
];

/** Each stage as done, current, failed (the stage a FAILED or CANCELLED job ended in) or still to come. */
function stageStatus(job: ClassificationRowFragment, i: number): 'done' | 'current' | 'failed' | 'cancelled' | 'todo' {
  const at = STAGES.findIndex((s) => s.stage === job.stage);
  if (i < at || (i === at && job.state === 'SUCCEEDED')) return 'done';
  if (i > at) return 'todo';
  if (job.state === 'FAILED') return 'failed';
  if (job.state === 'CANCELLED') return 'cancelled';
  return 'current';
}

const stageWord = (stage: ClassificationStage) => STAGES.find((s) => s.stage === stage)?.label.toLowerCase() ?? stage;

interface ClassificationItemProps {
  started: StartedClassification;
  onDownload(download: DownloadRowFragment, datasetName: string): void;
  onForget(id: string): void;
}

/**
 * One classification, live over `pointcloudClassificationUpdated` (its state first, then each change
 * until it ends): the stages, the bytes Flai acknowledged, Cancel while it runs, why it failed and in
 * which stage, and at the end the classified datasets with their Download buttons.
 */
export function ClassificationItem({ started, onDownload, onForget }: ClassificationItemProps) {
  const [live] = useSubscription({ query: ClassificationLiveDocument, variables: { id: started.id } });
  const [cancelled, cancel] = useMutation(CancelClassificationDocument);
  const job = live.data?.pointcloudClassificationUpdated ?? cancelled.data?.cancelPointcloudClassification ?? started.first;
  return (
    <li className="exec classification" data-testid="classification" data-classification-id={started.id} data-stage={job?.stage} data-state={job?.state}>
      <div className="exec-head">
        <span className="job-title">
          <span className="job-name" title={started.pointcloudName}>
            {started.pointcloudName}
          </span>
          <span className="job-meta" title={started.flowTitle}>
            {started.flowTitle}
          </span>
        </span>
        {job && <StatusBadge state={job.state} label={job.upstreamStatus} />}
        {job && <ProgressBar value={job.progress} state={job.state} label={`Classification of ${started.pointcloudName}`} />}
        <button type="button" className="icon" onClick={() => onForget(started.id)} aria-label={`Remove the classification of ${started.pointcloudName}`}>
          ×
        </button>
      </div>
      {job && (
        <ol className="stages" aria-label="Stages">
          {STAGES.map((s, i) => (
            <li key={s.stage} className={`stage stage-${stageStatus(job, i)}`} data-stage={s.stage} data-status={stageStatus(job, i)}>
              {s.label}
            </li>
          ))}
        </ol>
      )}
      <p className="classification-fact" data-testid="classification-bytes">
        {job ? `${bytes(job.transferredBytes)} of ${job.totalBytes === null ? '…' : bytes(job.totalBytes)} sent to Flai` : 'Waiting for its first state…'}
      </p>
      {job?.dataset && (
        <p className="classification-fact">
          Dataset <span className="output-name">{job.dataset.name}</span>
          {job.flowExecution && <span className="job-meta"> · flow execution {job.flowExecution.id.slice(0, 8)} {job.flowExecution.status}</span>}
        </p>
      )}
      {job?.state === 'FAILED' && (
        <ErrorNote errors={[{ message: `Failed while ${stageWord(job.stage)}: ${job.error ?? 'no reason given'}`, code: 'FAILED', source: null }]} compact />
      )}
      {job?.state === 'CANCELLED' && (
        <p className="classification-fact" data-testid="classification-cancelled">
          Cancelled while {stageWord(job.stage)}.{job.error ? ` ${job.error}` : ''}
        </p>
      )}
      {job && !job.isTerminal && (
        <div className="upload-actions">
          <button type="button" onClick={() => void cancel({ id: started.id })} disabled={cancelled.fetching}>
            {cancelled.fetching ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
      )}
      {job && <OutputDatasets outputs={job.outputDatasets} onDownload={onDownload} />}
      <ErrorNote errors={[...allErrors(live.error), ...allErrors(cancelled.error)]} compact />
    </li>
  );
}
