import { badInput, UpstreamError } from '../../errors.js';
import type { DatasetImportInput, FtpImportInput, S3ImportInput } from '../../schema/flai/create-dataset.input.js';

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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `nodeOptions` must be `{ "<flow node key>": { ...options } }`: an object of objects. */
export function checkNodeOptions(v: unknown): Record<string, Record<string, unknown>> {
  const field = ['input', 'nodeOptions'];
  if (!isObject(v)) throw badInput('nodeOptions must be an object keyed by flow node key, e.g. {"point_cloud_reader_1": {"dataset_id": "..."}}', field);
  for (const [key, options] of Object.entries(v)) {
    if (!isObject(options)) throw badInput(`nodeOptions.${key} must be an object of options for flow node "${key}"`, [...field, key]);
  }
  return v as Record<string, Record<string, unknown>>;
}

/** A copy of a vendor error with every occurrence of the given secrets replaced. */
export function redactSecrets(err: UpstreamError, secrets: (string | null | undefined)[]): UpstreamError {
  const list = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
  if (!list.length) return err;
  const scrub = (text: string) => list.reduce((t, s) => t.split(s).join('[redacted]'), text);
  const fieldErrors = err.details.fieldErrors
    ? Object.fromEntries(Object.entries(err.details.fieldErrors).map(([k, msgs]) => [scrub(k), msgs.map(scrub)]))
    : undefined;
  return new UpstreamError(err.source, err.status, err.code, scrub(err.message), { ...err.details, fieldErrors });
}
