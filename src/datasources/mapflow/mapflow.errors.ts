import type { VendorErrorInfo } from '../http/upstream-http.js';
import { isRecord } from '../shared/records.js';

type Params = Record<string, unknown>;

/** The data catalogue's codes in words (docs/vendors.md, "Mapflow: Data API"); others show code and parameters. */
const DATA_MESSAGES: Record<string, (p: Params) => string> = {
  ItemNotFound: (p) => `The ${String(p.instance_type ?? 'item')} ${String(p.uid ?? '')} does not exist or is not yours`,
  AccessDenied: (p) => `No access to the ${String(p.instance_type ?? 'item')} ${String(p.uid ?? '')}`,
  FileTooBig: (p) => `The file is too big: ${String(p.actual_file_size)} bytes, at most ${String(p.max_file_size)}`,
  MemoryLimitExceeded: (p) => `Not enough storage: ${String(p.memory_requested)} bytes needed, ${String(p.available_memory)} free`,
  FileValidationFailed: (p) =>
    `${String(p.filename)} does not fit the mosaic ${String(p.mosaic_id)}: its ${String(p.param_name)} is ${String(p.got_param)}, the mosaic's is ${String(p.expected_param)}`,
};

function dataMessage(code: string, parameters: unknown): string {
  const params = isRecord(parameters) ? parameters : {};
  const words = DATA_MESSAGES[code];
  if (words) return words(params);
  const listed = Object.entries(params).map(([key, value]) => `${key}=${String(value)}`);
  return listed.length ? `${code} (${listed.join(', ')})` : code;
}

/**
 * Reads a Mapflow error body into text safe to show: `{code, message, params}`, or FastAPI's
 * `{detail}`, a string or the data catalogue's `{code, parameters}` (docs/vendors.md, "Mapflow:
 * error bodies").
 */
export function mapflowErrorInfo(_status: number, body: unknown): VendorErrorInfo {
  if (!isRecord(body)) return {};
  const detail = body.detail;
  if (isRecord(detail) && typeof detail.code === 'string') {
    const message = typeof detail.message === 'string' ? detail.message : dataMessage(detail.code, detail.parameters);
    return { message, vendorCode: detail.code };
  }
  const message = typeof body.message === 'string' ? body.message : typeof detail === 'string' ? detail : undefined;
  return { message, vendorCode: typeof body.code === 'string' ? body.code : undefined };
}
