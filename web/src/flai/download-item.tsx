import { useSubscription } from 'urql';
import { ErrorNote } from '../common/error-note';
import { allErrors } from '../common/errors';
import { bytes, timeAgo } from '../common/format';
import { ProgressBar } from '../common/progress-bar';
import { StatusBadge } from '../common/status-badge';
import { DownloadLiveDocument } from '../generated/graphql';
import type { RequestedDownload } from './flow-execution-item';

/** One dataset download, followed by `datasetDownloadUpdated` until its files are prepared. */
export function DownloadItem({ download, onForget }: { download: RequestedDownload; onForget(id: string): void }) {
  const [live] = useSubscription({ query: DownloadLiveDocument, variables: { id: download.id } });
  const d = live.data?.datasetDownloadUpdated;
  return (
    <li className="download" data-testid="download" data-download-id={download.id}>
      <div className="exec-head">
        <span className="job-title">
          <span className="job-name" title={download.datasetName}>
            {download.datasetName}
          </span>
          <span className="job-meta">{d ? `updated ${timeAgo(d.updatedAt)}` : 'waiting for its first state…'}</span>
        </span>
        {d && <StatusBadge state={d.state} label={d.upstreamStatus} />}
        {d && <ProgressBar value={d.progress} state={d.state} label={`Download of ${download.datasetName}`} />}
        <button type="button" className="icon" onClick={() => onForget(download.id)} aria-label={`Remove the download of ${download.datasetName}`}>
          ×
        </button>
      </div>
      {d?.ready && (
        <ul className="files">
          {d.files.map((f) => (
            <li key={f.id}>
              {f.url ? (
                <a href={f.url} rel="noreferrer">
                  {f.name}
                </a>
              ) : (
                f.name
              )}{' '}
              <span className="job-meta">{bytes(f.size)}</span>
            </li>
          ))}
        </ul>
      )}
      <ErrorNote errors={allErrors(live.error)} compact />
    </li>
  );
}
