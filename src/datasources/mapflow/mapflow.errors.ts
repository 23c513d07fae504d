import type { VendorErrorInfo } from '../http/upstream-http.js';
import { isRecord } from '../shared/records.js';

/**
 * Reads a Mapflow error body into text safe to show: `{code, message, params}`, or FastAPI's
 * `{detail}` (docs/vendors.md, "Mapflow: error bodies").
 */
export function mapflowErrorInfo(_status: number, body: unknown): VendorErrorInfo {
  if (!isRecord(body)) return {};
  const message = typeof body.message === 'string' ? body.message : typeof body.detail === 'string' ? body.detail : undefined;
  return { message, vendorCode: typeof body.code === 'string' ? body.code : undefined };
}
