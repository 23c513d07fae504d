import { badInput } from '../../errors.js';
import type { DatasetImportInput, FtpImportInput, S3ImportInput } from '../../schema/flai/create-dataset.input.js';
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
