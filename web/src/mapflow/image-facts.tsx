import { useMutation } from 'urql';
import { ConfirmButton } from '../common/confirm-button';
import { ErrorNote } from '../common/error-note';
import { allErrors } from '../common/errors';
import { bytes, timeAgo } from '../common/format';
import { RemoveImageDocument, type ImageFactsFragment } from '../generated/graphql';

/** One image of a mosaic as Mapflow read it: file, size, CRS, bands, pixels; and deleting it. */
export function ImageFacts({ image, onDeleted }: { image: ImageFactsFragment; onDeleted(): void }) {
  const [result, remove] = useMutation(RemoveImageDocument);
  const name = image.filename ?? image.id;
  async function deleteImage() {
    const r = await remove({ id: image.id });
    if (r.data?.deleteImage) onDeleted();
  }
  return (
    <div className="image-facts" data-testid="image-facts" data-image-id={image.id}>
      <h4>{name}</h4>
      <dl className="facts">
        <dt>Size</dt>
        <dd>{bytes(image.fileSize) || '—'}</dd>
        <dt>Pixels</dt>
        <dd>{image.width && image.height ? `${image.width} × ${image.height}` : '—'}</dd>
        <dt>Pixel size</dt>
        <dd>{image.pixelSize?.length ? image.pixelSize.join(' × ') : '—'}</dd>
        <dt>Bands</dt>
        <dd>{image.bandCount ?? '—'}</dd>
        <dt>CRS</dt>
        <dd>{image.crs ?? '—'}</dd>
        <dt>Uploaded</dt>
        <dd>{timeAgo(image.uploadedAt) || '—'}</dd>
        <dt>Id</dt>
        <dd>
          <code>{image.id}</code>
        </dd>
      </dl>
      <ConfirmButton label="Delete image" confirmLabel={`Delete ${name}`} busy={result.fetching} onConfirm={deleteImage} />
      <ErrorNote errors={allErrors(result.error)} compact />
    </div>
  );
}
