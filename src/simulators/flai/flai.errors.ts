import type { SimResult } from '../core/index.js';

/**
 * Flai's backend is Laravel (docs/vendors.md, "Flai: error bodies"): the 401's body is the one the
 * SDK shows; every other body here is Laravel's default for that status [INFER].
 */
export type ValidationErrors = Record<string, string[]>;

/** [INFER] Laravel's `throttle:api` default. Sent on 429s. */
export const RATE_LIMIT_PER_MINUTE = 60;

const SERVER_MESSAGES: Record<number, string> = {
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const MODEL_CLASS: Record<string, string> = {
  organization: 'Organization',
  dataset: 'Dataset',
  flow: 'Flow',
  flow_execution: 'FlowExecution',
  download: 'Download',
  file_download: 'FileDownload',
};

export const flaiErrors = {
  unauthorized(): SimResult {
    return { status: 401, json: { message: 'Unauthenticated.' } };
  },
  forbidden(): SimResult {
    return { status: 403, json: { message: 'This action is unauthorized.' } };
  },
  /** An unmatched route (Laravel's NotFoundHttpException text). */
  notFound(path: string): SimResult {
    return { status: 404, json: { message: `The route ${path.replace(/^\//, '')} could not be found.` } };
  },
  /** Route-model binding miss (Laravel's ModelNotFoundException text). */
  modelNotFound(model: keyof typeof MODEL_CLASS, id: string): SimResult {
    return { status: 404, json: { message: `No query results for model [App\\Models\\${MODEL_CLASS[model]}] ${id}` } };
  },
  badRequest(message: string): SimResult {
    return { status: 400, json: { message } };
  },
  validation(errors: ValidationErrors): SimResult {
    return { status: 422, json: { message: 'The given data was invalid.', errors } };
  },
  server(status: number): SimResult {
    return { status, json: { message: SERVER_MESSAGES[status] ?? 'Server Error' } };
  },
  rateLimited(retryAfterSeconds: number, limit = RATE_LIMIT_PER_MINUTE): SimResult {
    return {
      status: 429,
      json: { message: 'Too Many Attempts.' },
      headers: {
        'retry-after': String(retryAfterSeconds),
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': '0',
      },
    };
  },
};
