import type { SimResult } from '../core/index.js';

/**
 * Mapflow's HTTP error body, as the QGIS plugin parses it: `{code, message, params}` with string
 * params, e.g. `{"code":"TOO_LARGE_PROCESSING","message":"...","params":{"area":"48669864","aoiAreaLimit":"2500000"}}`.
 * [INFER] The HTTP status of each code is undocumented: 400 for validation and limits, 401 for
 * credentials, 404 for unknown or foreign ids.
 */
export function mapflowError(
  status: number,
  code: string,
  message: string,
  params: Record<string, string> | null = null,
  headers?: Record<string, string>,
): SimResult {
  return { status, json: { code, message, params }, ...(headers ? { headers } : {}) };
}

export const badRequest = (message: string, params: Record<string, string> | null = null): SimResult =>
  mapflowError(400, 'BAD_REQUEST', message, params);

export const notFound = (what: string, id?: string): SimResult =>
  mapflowError(404, 'NOT_FOUND', id ? `${what} with id ${id} not found` : `${what} not found`, id ? { id } : null);

export function tooLarge(area: number, limit: number): SimResult {
  return mapflowError(
    400,
    'TOO_LARGE_PROCESSING',
    `Processings larger than ${limit} sq.m. are prohibited. Area: ${area} sq.m.`,
    { area: String(area), aoiAreaLimit: String(limit) },
  );
}

const NGINX_TITLES: Record<number, string> = { 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

export const mapflowErrors = {
  // [INFER] Spring Security's wording; the body shape is Mapflow's.
  unauthorized: (): SimResult =>
    mapflowError(401, 'UNAUTHORIZED', 'Full authentication is required to access this resource', null, {
      'www-authenticate': 'Basic realm="mapflow"',
    }),
  notFound: (what: string): SimResult => mapflowError(404, 'NOT_FOUND', `No resource at ${what}`),
  badRequest: (message: string): SimResult => badRequest(message),
  /**
   * [INFER] A 500 comes from the application (JSON body); 502/503/504 come from the reverse proxy
   * in front of it, which answers with nginx's HTML page, as proxies do.
   */
  server: (status: number): SimResult => {
    const title = NGINX_TITLES[status];
    if (!title) return mapflowError(status, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    const html = `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
    return { status, text: html, contentType: 'text/html' };
  },
  // [INFER] Mapflow documents no rate limit; when one is injected it looks like the others.
  rateLimited: (retryAfterSeconds: number): SimResult =>
    mapflowError(429, 'TOO_MANY_REQUESTS', 'Too many requests, retry later', { retryAfter: String(retryAfterSeconds) }, {
      'retry-after': String(retryAfterSeconds),
    }),
};

/** Tells an error result from a record (records never have a numeric `status`). */
export function isResult(x: unknown): x is SimResult {
  return typeof x === 'object' && x !== null && typeof (x as { status?: unknown }).status === 'number';
}
