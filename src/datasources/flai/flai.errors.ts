import type { VendorErrorInfo } from '../http/upstream-http.js';

/**
 * Flai is Laravel: errors are `{message}` and, for a 422, `{message: 'The given data was invalid.',
 * errors: {field: [msg]}}`. The message shown is the first field message when there is one (it says
 * what is wrong), else the vendor's `message`. Field messages never hold credentials: Laravel's
 * validator names the field, not its value.
 */
export function flaiErrorInfo(status: number, body: unknown): VendorErrorInfo {
  if (!body || typeof body !== 'object') return {};
  const b = body as { message?: unknown; errors?: unknown };
  const message = typeof b.message === 'string' ? b.message : undefined;
  const fieldErrors = readFieldErrors(b.errors);
  if (!fieldErrors) return message ? { message } : {};
  const details = Object.values(fieldErrors).flat();
  const first = details.length ? details.join(' ') : undefined;
  return { message: first ?? message, fieldErrors, ...(status === 422 ? { vendorCode: 'validation_failed' } : {}) };
}

function readFieldErrors(errors: unknown): Record<string, string[]> | undefined {
  if (!errors || typeof errors !== 'object' || Array.isArray(errors)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [field, msgs] of Object.entries(errors as Record<string, unknown>)) {
    const list = Array.isArray(msgs) ? msgs.filter((m): m is string => typeof m === 'string') : typeof msgs === 'string' ? [msgs] : [];
    if (list.length) out[field] = list;
  }
  return Object.keys(out).length ? out : undefined;
}
