import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ConfirmButton } from '../common/confirm-button';
import { ErrorNote } from '../common/error-note';
import { allErrors } from '../common/errors';
import { bytes, timeAgo } from '../common/format';
import { MosaicDetailDocument, RemoveMosaicDocument, type StartProcessingMutation } from '../generated/graphql';
import { AoiMap } from './aoi-map';
import { ImageFacts } from './image-facts';
import { MosaicUpload } from './mosaic-upload';
import { ProcessMosaicForm } from './process-mosaic-form';

interface MosaicDetailProps {
  id: string;
  models: { id: string; name: string }[];
  storage: { memoryFree: number | null; maxUploadFileSize: number | null } | null;
  /** After a change to the mosaic's images or the mosaic itself: the panel reloads its list and storage. */
  onChanged(): void;
  onDeleted(id: string): void;
  onStarted(processing: StartProcessingMutation['createProcessing']): void;
}

/** A mosaic: its images with their footprints on the map, one image's facts, and processing it. */
export function MosaicDetail({ id, models, storage, onChanged, onDeleted, onStarted }: MosaicDetailProps) {
  const [{ data, error, fetching }, reload] = useQuery({ query: MosaicDetailDocument, variables: { id }, requestPolicy: 'network-only' });
  const [removal, remove] = useMutation(RemoveMosaicDocument);
  const [pickedImage, setPickedImage] = useState<string | null>(null);
  const mosaic = data?.mosaic;
  if (!mosaic) {
    if (fetching) return <p className="empty">Loading the mosaic…</p>;
    return error ? <ErrorNote errors={allErrors(error)} /> : <p className="empty">This mosaic no longer exists.</p>;
  }

  const images = mosaic.images;
  const image = images.find((i) => i.id === pickedImage) ?? images[0] ?? null;
  const changed = () => {
    reload({ requestPolicy: 'network-only' });
    onChanged();
  };
  async function deleteMosaic() {
    const r = await remove({ id });
    if (r.data?.deleteMosaic) onDeleted(id);
  }

  return (
    <div className="detail" data-testid="mosaic-detail" data-mosaic-id={mosaic.id}>
      <div className="detail-head">
        <h3>{mosaic.name}</h3>
        {mosaic.tags.map((t) => (
          <span key={t} className="tag">
            {t}
          </span>
        ))}
      </div>
      <dl className="facts">
        <dt>Images</dt>
        <dd>{images.length}</dd>
        <dt>Size</dt>
        <dd>{bytes(mosaic.sizeInBytes) || '—'}</dd>
        <dt>Created</dt>
        <dd>{timeAgo(mosaic.createdAt) || '—'}</dd>
      </dl>
      <ErrorNote errors={allErrors(error)} compact />
      <div className="mosaic-body">
        <AoiMap
          title={`Footprints of the images of ${mosaic.name}`}
          shapes={images.map((i) => ({ id: i.id, label: i.filename ?? i.id, state: 'SUCCEEDED', geometry: i.footprint }))}
        />
        <div className="mosaic-images">
          <MosaicUpload mosaicId={mosaic.id} memoryFree={storage?.memoryFree ?? null} maxUploadFileSize={storage?.maxUploadFileSize ?? null} onUploaded={changed} />
          {images.length ? (
            <ul className="job-list">
              {images.map((i) => (
                <li key={i.id}>
                  <button
                    type="button"
                    className={i.id === image?.id ? 'job-row selected' : 'job-row'}
                    onClick={() => setPickedImage(i.id)}
                    aria-pressed={i.id === image?.id}
                    data-testid="image-row"
                  >
                    <span className="job-title">
                      <span className="job-name">{i.filename ?? i.id}</span>
                      <span className="job-meta">
                        {bytes(i.fileSize)} · {i.crs ?? 'CRS unknown'}
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">No images in this mosaic yet.</p>
          )}
          {image && <ImageFacts key={image.id} image={image} onDeleted={changed} />}
        </div>
      </div>
      <ProcessMosaicForm mosaic={mosaic} models={models} onStarted={onStarted} />
      <ConfirmButton
        label="Delete mosaic"
        confirmLabel={`Delete ${mosaic.name} and its ${images.length} image${images.length === 1 ? '' : 's'}`}
        busy={removal.fetching}
        onConfirm={deleteMosaic}
      />
      <ErrorNote errors={allErrors(removal.error)} compact />
    </div>
  );
}
