import { useState } from 'react';
import { FileDrop } from '../common/file-drop';
import { ErrorNote } from '../common/error-note';
import { bytes } from '../common/format';
import { UploadStatus } from '../common/upload-status';
import { useTusUpload } from '../common/use-tus-upload';

/** What an upload into a mosaic needs from the Imagery panel. */
export interface MosaicUploadProps {
  mosaicId: string;
  /** Free bytes in Mapflow storage, and the largest file one upload may be (null when unknown). */
  memoryFree: number | null;
  maxUploadFileSize: number | null;
  /** Called once an uploaded image has joined the mosaic, so the panel reloads it and its storage. */
  onUploaded(): void;
}

/** Why a file cannot go to Mapflow, known before asking the gateway (which checks again). */
function tooBig(file: File, { memoryFree, maxUploadFileSize }: Pick<MosaicUploadProps, 'memoryFree' | 'maxUploadFileSize'>): string | null {
  if (maxUploadFileSize !== null && file.size > maxUploadFileSize) return `${file.name} is ${bytes(file.size)}: Mapflow takes at most ${bytes(maxUploadFileSize)} per file.`;
  if (memoryFree !== null && file.size > memoryFree) return `${file.name} is ${bytes(file.size)}: only ${bytes(memoryFree)} of Mapflow storage is free.`;
  return null;
}

/**
 * Dropping a GeoTIFF into a mosaic: `createUpload` (target MAPFLOW_MOSAIC), the bytes to its
 * `uploadUrl` with tus (resumable), a progress bar and the job's state from `uploadUpdated`, then
 * `onUploaded` once Mapflow has made the image.
 */
export function MosaicUpload({ mosaicId, memoryFree, maxUploadFileSize, onUploaded }: MosaicUploadProps) {
  const upload = useTusUpload(onUploaded);
  const [refused, setRefused] = useState<string | null>(null);
  const busy = upload.transfer === 'creating' || (upload.job !== null && !upload.job.isTerminal && upload.transfer !== 'cancelled');

  function picked(file: File) {
    const why = tooBig(file, { memoryFree, maxUploadFileSize });
    setRefused(why);
    if (!why) void upload.start(file, { target: 'MAPFLOW_MOSAIC', mosaicId });
  }

  return (
    <div className="mosaic-upload" data-testid="mosaic-upload">
      <FileDrop label="Drop a GeoTIFF here to add it to this mosaic" accept=".tif,.tiff,image/tiff" disabled={busy} onFile={picked} />
      {refused && <ErrorNote errors={[{ message: refused, code: 'BAD_USER_INPUT', source: null }]} compact />}
      <UploadStatus upload={upload} what="Image" />
    </div>
  );
}
