import type { VendorErrorInfo } from '../http/upstream-http.js';
import { isRecord } from '../shared/records.js';

/**
 * Reads a Cupix error body: `{"result": {"code", "type", "reason", "message"}, "session": null}`,
 * documented for 400 only; any other shape (or none) gives no message and the HTTP layer falls back
 * to `HTTP <status>` (docs/vendors.md, "Cupix: error bodies"). Only the vendor's `message` is shown: it
 * never carries the token.
 */
export function cupixErrorInfo(_status: number, body: unknown): VendorErrorInfo {
  const result = isRecord(body) ? body.result : undefined;
  if (!isRecord(result)) return {};
  const message = typeof result.message === 'string' && result.message ? result.message : undefined;
  const vendorCode = typeof result.code === 'string' && result.code ? result.code : undefined;
  return { ...(message ? { message } : {}), ...(vendorCode ? { vendorCode } : {}) };
}
