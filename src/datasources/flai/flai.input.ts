import { badInput } from '../../errors.js';
import type { DatasetImportInput, FtpImportInput, S3ImportInput } from '../../schema/flai/create-dataset.input.js';
import { DatasetType } from '../../schema/flai/dataset-type.enum.js';
import type { CreatableType } from './flai.mappers.js';
import { isRecord } from '../shared/records.js';

/** Exactly one import source, checked before anything is sent. */
export function checkImportSource(from: DatasetImportInput): { ftp: FtpImportInput } | { s3: S3ImportInput } {
  const field = ['input', 'importFrom'];
  if (from.ftp && from.s3) throw badInput('importFrom takes exactly one source: ftp or s3, not both', field);
  if (from.ftp) {
    const port = from.ftp.port;
    if (port != null && (port < 1 || port > 65535)) throw badInput('importFrom.ftp.port must be between 1 and 65535', [...field, 'ftp', 'port']);
    return { ftp: from.ftp };
  }
  if (from.s3) return { s3: from.s3 };
  throw badInput('importFrom needs exactly one source: ftp or s3', field);
}

/** UNKNOWN names no kind Flai takes: a create must say which one it is. */
export function checkDatasetType(type: DatasetType): CreatableType {
  if (type === DatasetType.UNKNOWN) throw badInput('type UNKNOWN only reads datasets of a kind Flai does not document; create a POINTCLOUD, VECTOR, RASTER or IMAGE dataset', ['input', 'type']);
  return type;
}

/** `nodeOptions` must be `{ "<flow node key>": { ...options } }`: an object of objects. */
export function checkNodeOptions(value: unknown): Record<string, Record<string, unknown>> {
  const field = ['input', 'nodeOptions'];
  if (!isRecord(value)) throw badInput('nodeOptions must be an object keyed by flow node key, e.g. {"point_cloud_reader_1": {"dataset_id": "..."}}', field);
  for (const [key, options] of Object.entries(value)) {
    if (!isRecord(options)) throw badInput(`nodeOptions.${key} must be an object of options for flow node "${key}"`, [...field, key]);
  }
  return value as Record<string, Record<string, unknown>>;
}

/** A dataset to package for download must be named. */
export function checkDatasetId(datasetId: string): void {
  if (!datasetId) throw badInput('datasetId must not be empty', ['datasetId']);
}
