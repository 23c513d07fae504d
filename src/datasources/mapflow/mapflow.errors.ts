import type { VendorErrorInfo } from '../http/upstream-http.js';

/** Reads a Mapflow error body (`{code, message, params}` or FastAPI's `{detail}`) into text safe to show. */
export function mapflowErrorInfo(_status: number, body: unknown): VendorErrorInfo {
  if (typeof body !== 'object' || body === null) return {};
  const b = body as { message?: unknown; code?: unknown; detail?: unknown };
  const message = typeof b.message === 'string' ? b.message : typeof b.detail === 'string' ? b.detail : undefined;
  return { message, vendorCode: typeof b.code === 'string' ? b.code : undefined };
}
