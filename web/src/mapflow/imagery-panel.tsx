import { useState } from 'react';
import { useQuery } from 'urql';
import { errorsAt, errorsWhere } from '../common/errors';
import { bytes } from '../common/format';
import { Panel } from '../common/panel';
import { ImageryPanelDocument, type MosaicRowFragment, type StartProcessingMutation } from '../generated/graphql';
import { MosaicDetail } from './mosaic-detail';
import { NewMosaicForm } from './new-mosaic-form';

interface ImageryPanelProps {
  /** The account's models (from the dashboard's query), for processing a mosaic. */
  models: { id: string; name: string }[];
  onStarted(processing: StartProcessingMutation['createProcessing']): void;
}

/**
 * Mapflow's Data API: the account's storage, the mosaics of the user's own imagery (create,
 * delete), the selected one's images with their footprints, and "Process this mosaic". No
 * subscription: the panel reloads what a change of its own touches.
 */
export function ImageryPanel({ models, onStarted }: ImageryPanelProps) {
  const [{ data, error }, reload] = useQuery({ query: ImageryPanelDocument, requestPolicy: 'network-only' });
  const [picked, setPicked] = useState<string | null>(null);
  const mosaics = data?.mosaics ?? [];
  const storage = data?.account?.storage ?? null;
  const selectedId = mosaics.find((m) => m.id === picked)?.id ?? mosaics[0]?.id ?? null;
  const refresh = () => reload({ requestPolicy: 'network-only' });
  const onCreated = (m: MosaicRowFragment) => {
    setPicked(m.id);
    refresh();
  };
  const onDeleted = (id: string) => {
    if (picked === id) setPicked(null);
    refresh();
  };

  return (
    <Panel
      id="imagery"
      title="Imagery"
      vendor="Mapflow"
      summary={data?.mosaics ? `${mosaics.length} mosaic${mosaics.length === 1 ? '' : 's'}` : undefined}
      errors={[...errorsWhere(error, (path) => path[0] === 'mosaics'), ...errorsAt(error, ['account'])]}
      className="panel-imagery"
    >
      {storage && <StorageMeter used={storage.memoryUsed} free={storage.memoryFree} limit={storage.memoryLimit} />}
      <NewMosaicForm onCreated={onCreated} />
      <div className="imagery-layout">
        <ul className="job-list mosaic-list">
          {mosaics.map((m) => (
            <li key={m.id}>
              <button
                type="button"
                className={m.id === selectedId ? 'job-row selected' : 'job-row'}
                onClick={() => setPicked(m.id)}
                aria-pressed={m.id === selectedId}
                data-testid="mosaic-row"
                data-mosaic-id={m.id}
              >
                <span className="job-title">
                  <span className="job-name">{m.name}</span>
                  <span className="job-meta">
                    {bytes(m.sizeInBytes) || '0 B'}
                    {m.tags.length ? ` · ${m.tags.join(', ')}` : ''}
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
        {selectedId ? (
          <MosaicDetail key={selectedId} id={selectedId} models={models} storage={storage} onChanged={refresh} onDeleted={onDeleted} onStarted={onStarted} />
        ) : (
          data?.mosaics && <p className="empty">No mosaics yet: create one.</p>
        )}
      </div>
    </Panel>
  );
}

/** Mapflow storage for uploaded imagery: used and free, of the limit. */
function StorageMeter({ used, free, limit }: { used: number | null; free: number | null; limit: number | null }) {
  const pct = used !== null && limit ? Math.min(100, (used / limit) * 100) : null;
  return (
    <div className="storage" data-testid="storage">
      <span>
        Storage: <strong>{bytes(used) || '—'}</strong> used, <strong>{bytes(free) || '—'}</strong> free
        {limit ? ` of ${bytes(limit)}` : ''}
      </span>
      {pct !== null && (
        <div className="progress" role="meter" aria-label="Storage used" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
          <div className="progress-fill" style={{ width: `${pct}%` }} />
        </div>
      )}
    </div>
  );
}
