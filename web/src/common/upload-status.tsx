import { allErrors } from './errors';
import { ErrorNote } from './error-note';
import { bytes } from './format';
import { ProgressBar } from './progress-bar';
import { StatusBadge } from './status-badge';
import type { TusUploadState } from './use-tus-upload';

/** What the browser is doing with the bytes, in words. */
const TRANSFER_TEXT = {
  idle: '',
  creating: 'Checking the file…',
  sending: 'Sending…',
  offline: 'Connection lost: the upload resumes where it stopped when the browser is back online.',
  stopped: 'The upload stopped.',
  sent: 'Sent; the vendor is taking it in…',
  cancelled: 'Cancelled.',
} as const;

/**
 * One upload as it goes: its bar (the bytes the gateway acknowledged, or its own figure), its job's
 * state, what the browser is doing, Cancel while it can, Resume after the bytes stopped.
 */
export function UploadStatus({ upload, what }: { upload: TusUploadState; what: string }) {
  const { job, transfer, sentBytes, transferError } = upload;
  const errors = allErrors(upload.createError);
  if (!job) return <ErrorNote errors={errors} compact />;
  const fromBrowser = job.size ? (100 * sentBytes) / job.size : 0;
  const value = job.state === 'SUCCEEDED' ? 100 : Math.max(fromBrowser, job.progress ?? 0);
  const text = job.isTerminal ? (job.state === 'SUCCEEDED' ? `${what} made.` : (job.error ?? '')) : TRANSFER_TEXT[transfer];
  return (
    <div className="upload-status" data-testid="upload" data-upload-id={job.id} data-transfer={transfer}>
      <span className="job-title">
        <span className="job-name">{job.fileName}</span>
        <span className="job-meta">
          {bytes(Math.min(sentBytes, job.size))} of {bytes(job.size)}
        </span>
      </span>
      <StatusBadge state={job.state} label={job.upstreamStatus} />
      <ProgressBar value={value} state={job.state} label={`Upload of ${job.fileName}`} />
      <p className="upload-note" data-testid="upload-note">
        {text}
      </p>
      {transferError && <ErrorNote errors={[{ message: transferError, code: null, source: null }]} compact />}
      <div className="upload-actions">
        {(transfer === 'stopped' || transfer === 'offline') && !job.isTerminal && (
          <button type="button" onClick={upload.resume}>
            Resume
          </button>
        )}
        {!job.isTerminal && transfer !== 'cancelled' && (
          <button type="button" onClick={() => void upload.cancel()}>
            Cancel upload
          </button>
        )}
      </div>
    </div>
  );
}
