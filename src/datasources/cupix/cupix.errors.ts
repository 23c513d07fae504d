import type { VendorErrorInfo } from '../http/upstream-http.js';

/**
 * Reads a Cupix error body: `ErrorResponse = {"result": {"code", "type", "reason", "message"}, "session": null}`.
 * The envelope is documented for 400 only; 401/403/404 have no documented body, so any other shape
 * (or none) gives no message and the HTTP layer falls back to `HTTP <status>`. Only the vendor's
 * `message` is shown: it never carries the token.
 */
export function cupixErrorInfo(_status: number, body: unknown): VendorErrorInfo {
  const result = isObject(body) ? body.result : undefined;
  if (!isObject(result)) return {};
  const message = typeof result.message === 'string' && result.message ? result.message : undefined;
  const vendorCode = typeof result.code === 'string' && result.code ? result.code : undefined;
  return { ...(message ? { message } : {}), ...(vendorCode ? { vendorCode } : {}) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
