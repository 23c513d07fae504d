import { Panel } from '../common/panel';
import { DownloadItem } from './download-item';
import type { RequestedDownload } from './flow-execution-item';

/**
 * Flai: downloads asked for from this page (Flai has no list of downloads, so the page remembers
 * their ids in this browser), each live until its files are ready.
 */
export function DownloadsPanel({ downloads, onForget }: { downloads: RequestedDownload[]; onForget(id: string): void }) {
  return (
    <Panel id="downloads" title="Downloads" vendor="Flai" summary={downloads.length ? `${downloads.length}` : undefined}>
      {downloads.length ? (
        <ul className="exec-list">
          {downloads.map((d) => (
            <DownloadItem key={d.id} download={d} onForget={onForget} />
          ))}
        </ul>
      ) : (
        <p className="empty">Press “Download” on a ready output dataset: its package appears here and follows Flai live until its files are ready.</p>
      )}
    </Panel>
  );
}
