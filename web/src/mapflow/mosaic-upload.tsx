/** What an upload into a mosaic needs from the Imagery panel. */
export interface MosaicUploadProps {
  mosaicId: string;
  /** Free bytes in Mapflow storage, and the largest file one upload may be (null when unknown). */
  memoryFree: number | null;
  maxUploadFileSize: number | null;
  /** Called once an uploaded image has joined the mosaic, so the panel reloads it and its storage. */
  onUploaded(): void;
}

/**
 * The seam for dropping a GeoTIFF into a mosaic: `createUpload`, the bytes to its `uploadUrl` with
 * tus, a progress bar from `uploadUpdated`, then `onUploaded`. The schema has no uploads yet, so
 * this renders nothing: the panel offers no upload control rather than one that does not work.
 */
export function MosaicUpload(props: MosaicUploadProps): null {
  void props;
  return null;
}
