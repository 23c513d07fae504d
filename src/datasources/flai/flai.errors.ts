import { UpstreamError } from '../../errors.js';
import type { VendorErrorInfo } from '../http/upstream-http.js';
import { isRecord } from '../shared/records.js';

/**
 * Reads a Flai error body (docs/vendors.md, "Flai: error bodies"): `{message}`, and for a 422 also
 * `errors: {field: [msg]}`. The message shown is the field messages when there are any (they say
 * what is wrong), else the vendor's `message`.
 */
export function flaiErrorInfo(status: number, body: unknown): VendorErrorInfo {
  if (!isRecord(body)) return {};
  const message = typeof body.message === 'string' ? body.message : undefined;
  const fieldErrors = readFieldErrors(body.errors);
  if (!fieldErrors) return message ? { message } : {};
  const details = Object.values(fieldErrors).flat();
  const first = details.length ? details.join(' ') : undefined;
  return { message: first ?? message, fieldErrors, ...(status === 422 ? { vendorCode: 'validation_failed' } : {}) };
}

function readFieldErrors(errors: unknown): Record<string, string[]> | undefined {
  if (!isRecord(errors)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(errors)) {
    const list = Array.isArray(messages) ? messages.filter((m): m is string => typeof m === 'string') : typeof messages === 'string' ? [messages] : [];
    if (list.length) out[field] = list;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * A copy of a vendor error with every occurrence of the given secrets replaced: Flai's validation
 * messages name fields, not values, but no vendor echo may carry a caller's secret out.
 */
export function redactSecrets(err: UpstreamError, secrets: (string | null | undefined)[]): UpstreamError {
  const list = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length > 0);
  if (!list.length) return err;
  const scrub = (text: string) => list.reduce((scrubbed, secret) => scrubbed.split(secret).join('[redacted]'), text);
  const fieldErrors = err.details.fieldErrors
    ? Object.fromEntries(Object.entries(err.details.fieldErrors).map(([field, messages]) => [scrub(field), messages.map(scrub)]))
    : undefined;
  return new UpstreamError(err.source, err.status, err.code, scrub(err.message), { ...err.details, fieldErrors });
}
