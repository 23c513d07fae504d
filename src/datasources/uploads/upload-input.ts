import { badInput } from '../../errors.js';
import { DatasetType } from '../../schema/flai/dataset-type.enum.js';
import { UploadTarget, type CreateUploadInput } from '../../schema/uploads/upload.type.js';

/** File extensions a POINTCLOUD upload takes: what Flai's importer reads (docs/vendors.md, "Flai: direct upload"). */
const POINTCLOUD_EXTENSIONS = ['las', 'laz', 'e57', 'ply', 'zip'];

/**
 * The checks of `createUpload` that need no vendor: a sane file name, a whole size within
 * UPLOAD_MAX_BYTES, and an extension and inputs that fit the target.
 */
export function checkUploadInput(input: CreateUploadInput, maxBytes: number): void {
  const name = input.fileName;
  if (!name || name.length > 255 || /[\\/]/.test(name) || [...name].some((ch) => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127)) {
    throw badInput('fileName must be a plain file name (at most 255 characters, no path, no control characters)', ['input', 'fileName']);
  }
  if (!Number.isSafeInteger(input.size) || input.size <= 0) throw badInput(`size must be a whole number of bytes above 0; got ${input.size}`, ['input', 'size']);
  if (input.size > maxBytes) throw badInput(`The file (${input.size} bytes) is larger than the gateway takes: at most ${maxBytes} bytes (UPLOAD_MAX_BYTES)`, ['input', 'size']);
  if (input.idempotencyKey != null && !/^[\w.:-]{1,128}$/.test(input.idempotencyKey)) {
    throw badInput('idempotencyKey must be 1 to 128 letters, digits, `_`, `-`, `.` or `:`', ['input', 'idempotencyKey']);
  }
  const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  if (input.target === UploadTarget.MAPFLOW_MOSAIC) {
    if (!['tif', 'tiff'].includes(extension)) throw badInput(`A Mapflow mosaic takes GeoTIFF images (.tif, .tiff); got "${name}"`, ['input', 'fileName']);
    if (input.dataset) throw badInput('`dataset` is for FLAI_DATASET; a MAPFLOW_MOSAIC upload takes `mosaicId` (or none: a new mosaic named after the file)', ['input', 'dataset']);
    return;
  }
  if (input.mosaicId != null) throw badInput('`mosaicId` is for MAPFLOW_MOSAIC', ['input', 'mosaicId']);
  if (!input.dataset) throw badInput('target FLAI_DATASET needs `dataset`: the dataset to make from the file', ['input', 'dataset']);
  if (!input.dataset.name.trim()) throw badInput('dataset.name must not be empty', ['input', 'dataset', 'name']);
  if (input.dataset.type === DatasetType.UNKNOWN) throw badInput('dataset.type must be POINTCLOUD, VECTOR, RASTER or IMAGE', ['input', 'dataset', 'type']);
  if (input.dataset.type === DatasetType.POINTCLOUD && !POINTCLOUD_EXTENSIONS.includes(extension)) {
    throw badInput(`A POINTCLOUD dataset is made from a ${POINTCLOUD_EXTENSIONS.map((e) => `.${e}`).join(', ')} file; got "${name}"`, ['input', 'fileName']);
  }
}
