import type { SimResult } from '../core/index.js';

/**
 * Cupix error bodies: `ErrorResponse = {"result": ErrorCode{code,type,reason,message}, "session": null}`.
 * The envelope is documented for 400 only; the spec declares no body for 401/403/404 and has no 429.
 * [INFER] every error uses the same envelope, and the `code`/`type`/`reason` literals below (which no
 * public source shows) are snake_case identifiers: `type` is the HTTP category, `code` the specific case.
 */
export function cupixError(status: number, code: string, type: string, reason: string, message: string): SimResult {
  return { status, json: { result: { code, type, reason, message }, session: null } };
}

export const cupixErrors = {
  unauthorized: (): SimResult =>
    cupixError(401, 'unauthorized', 'unauthorized', 'invalid_api_token', 'Unauthorized request: a valid x-cupix-auth token is required'),
  notFound: (what: string): SimResult => cupixError(404, 'not_found', 'not_found', 'record_not_found', `Not found: ${what}`),
  badRequest: (message: string): SimResult => cupixError(400, 'bad_request', 'bad_request', 'invalid_parameter', message),
  missingParam: (name: string): SimResult =>
    cupixError(400, 'parameter_missing', 'bad_request', 'parameter_missing', `param is missing or the value is empty: ${name}`),
  invalidParam: (name: string, detail: string): SimResult =>
    cupixError(400, 'invalid_parameter', 'bad_request', 'invalid_parameter', `Invalid parameter ${name}: ${detail}`),
  pointcloudNotFound: (id: string): SimResult =>
    cupixError(404, 'not_found', 'not_found', 'record_not_found', `Couldn't find Pointcloud with 'id'=${id}`),
  server: (status: number): SimResult =>
    cupixError(status, 'server_error', 'server_error', 'internal_error', `The server answered ${status}; please retry later`),
  rateLimited: (retryAfterSeconds: number): SimResult => ({
    ...cupixError(429, 'too_many_requests', 'too_many_requests', 'rate_limited', 'Too many requests; retry later'),
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
};
