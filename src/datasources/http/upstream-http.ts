import type { Readable } from 'node:stream';
import { UpstreamError, type Source } from '../../errors.js';
import type { CredentialKey } from './rate-limit-gate.js';
import type { RetryBudget } from './resilience.js';
import { UpstreamCore, type CallScope, type UpstreamHttpOptions } from './upstream-core.js';
import { label } from './upstream-failures.js';
import type { UpstreamRequest } from './upstream-wire.js';

export { label, retryAfterSeconds } from './upstream-failures.js';
export type { VendorErrorInfo } from './upstream-failures.js';
export type { CallScope, UpstreamHttpOptions } from './upstream-core.js';
export type { Method, UpstreamRequest } from './upstream-wire.js';

/** The app-wide client's own scope: a fresh budget per call, no credential to gate. */
const NO_SCOPE: CallScope = { budget: null, credential: null };

/**
 * The single HTTP client every vendor datasource goes through (undici on a keep-alive pool), with a
 * timeout, retries of reads, a circuit breaker and a rate-limit gate per credential on every call. The app holds one per vendor; each request context works on a
 * view of it (`forRequest`) that adds that request's retry budget and its caller's credential, and
 * shares everything else.
 */
export class UpstreamHttp {
  readonly source: Source;
  /** Shared by every view: pool, breaker, gate, health. Also the key of per-client caches (flai.org.ts). */
  readonly core: UpstreamCore;

  constructor(opts: UpstreamHttpOptions, core?: UpstreamCore, private readonly scope: CallScope = NO_SCOPE) {
    this.core = core ?? new UpstreamCore(opts);
    this.source = this.core.source;
  }

  /**
   * A view for one request (or one subscription poll) with its own retry budget, and the key of
   * its caller's credential for the rate-limit gate (null: calls are not gated).
   */
  forRequest(budget: RetryBudget, credential: CredentialKey | null = null): UpstreamHttp {
    return new UpstreamHttp(this.core.opts, this.core, { budget, credential });
  }

  /** What /readyz shows: the outcome of recent calls (no probe is sent for it) and the breaker's state. */
  health() {
    return this.core.health();
  }

  /**
   * For a caller that resolves a failed write itself (a Mapflow create): waits out the backoff of
   * attempt `attempt` and returns true, or false when no further attempt is allowed.
   */
  backoff(err: UpstreamError, attempt: number, route: string): Promise<boolean> {
    return this.core.backoff(err, attempt, this.scope.budget ?? this.core.newBudget(), route);
  }

  /** JSON body of a 2xx answer. */
  async json(req: UpstreamRequest): Promise<unknown> {
    const text = (await this.core.send(req, this.scope, 'text')).text;
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      throw this.badResponse(req, 'body is not JSON');
    }
  }

  /** Text body of a 2xx answer (e.g. Mapflow's bare-number cost). */
  async text(req: UpstreamRequest): Promise<string> {
    return (await this.core.send(req, this.scope, 'text')).text;
  }

  /** The `Location` of a 3xx answer, not followed. */
  async redirect(req: UpstreamRequest): Promise<string> {
    const res = await this.core.send(req, this.scope, 'redirect');
    const location = res.headers.location;
    await res.body.dump();
    if (res.statusCode < 300 || res.statusCode >= 400 || typeof location !== 'string') {
      throw this.badResponse(req, `expected a redirect, got HTTP ${res.statusCode}`);
    }
    return new URL(location, this.core.opts.baseUrl).toString();
  }

  /** The body of a 2xx answer as a stream, for large payloads passed through; with its status and headers. */
  async stream(req: UpstreamRequest): Promise<{ body: Readable; contentType?: string; status: number; headers: Record<string, string | string[] | undefined> }> {
    const res = await this.core.send(req, this.scope, 'stream');
    const contentType = res.headers['content-type'];
    return { body: res.body, contentType: typeof contentType === 'string' ? contentType : undefined, status: res.statusCode, headers: res.headers };
  }

  private badResponse(req: UpstreamRequest, why: string): UpstreamError {
    return new UpstreamError(this.source, 200, 'UPSTREAM_BAD_RESPONSE', `${label(this.source)} sent an unexpected answer to ${req.route}: ${why}`);
  }
}
