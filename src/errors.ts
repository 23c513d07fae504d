import { GraphQLError } from 'graphql';

/** The gateway's error codes (docs/architecture.md, "Errors"); every GraphQL error carries one in `extensions.code`. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_ERROR'
  | 'UPSTREAM_BAD_RESPONSE'
  | 'INTERNAL_SERVER_ERROR';

export type Source = 'MAPFLOW' | 'FLAI' | 'CUPIX';

/** A GraphQL error with a code; the only error type resolvers throw on purpose. */
export function gqlError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const badInput = (message: string, field?: string[]): GraphQLError =>
  gqlError('BAD_USER_INPUT', message, field ? { field } : {});

/**
 * How a call failed before any HTTP status arrived: it timed out, the connection broke (after the
 * request may have been sent), or it was refused (nothing was sent); or it was not attempted: the
 * circuit was open, or the credential is `held` after a 429 whose Retry-After has not passed.
 */
export type TransportFailure = 'timeout' | 'reset' | 'refused' | 'open' | 'held';

export interface UpstreamErrorDetails {
  retryAfterSeconds?: number;
  vendorCode?: string;
  fieldErrors?: Record<string, string[]>;
  transport?: TransportFailure;
  /** A change that may or may not have been made upstream (a create that timed out after sending). */
  ambiguous?: boolean;
}

/**
 * The one error type of the HTTP layer: which vendor, which HTTP status (0 when none arrived), and a
 * message already safe to show (the vendor's own message, never a token, header or URL with secrets).
 */
export class UpstreamError extends Error {
  constructor(
    readonly source: Source,
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: UpstreamErrorDetails = {},
  ) {
    super(message);
    this.name = 'UpstreamError';
  }

  toGraphQLError(): GraphQLError {
    return gqlError(this.code, this.message, {
      source: this.source,
      upstreamStatus: this.status,
      ...(this.details.vendorCode ? { vendorCode: this.details.vendorCode } : {}),
      ...(this.details.retryAfterSeconds !== undefined ? { retryAfter: this.details.retryAfterSeconds } : {}),
      ...(this.details.fieldErrors ? { fieldErrors: this.details.fieldErrors } : {}),
    });
  }
}

/** Maps an upstream HTTP status to our code: vendor validation is the user's input, 5xx the vendor's fault. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 409 || status === 413 || status === 422) return 'BAD_USER_INPUT';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 502 || status === 503 || status === 504) return 'UPSTREAM_UNAVAILABLE';
  return 'UPSTREAM_ERROR';
}

/** Converts anything a datasource threw into the GraphQL error the client sees. */
export function toGraphQLError(err: unknown): GraphQLError {
  if (err instanceof GraphQLError) return err;
  if (err instanceof UpstreamError) return err.toGraphQLError();
  return gqlError('INTERNAL_SERVER_ERROR', 'Internal server error');
}

export function isNotFound(err: unknown): boolean {
  return err instanceof UpstreamError && err.status === 404;
}
