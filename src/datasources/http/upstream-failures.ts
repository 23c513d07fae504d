import type { IncomingHttpHeaders } from 'node:http';
import { errors as undiciErrors } from 'undici';
import { codeForStatus, UpstreamError, type Source } from '../../errors.js';

/** What a vendor's own error body says, as its `<vendor>.errors.ts` reads it. */
export interface VendorErrorInfo {
  message?: string;
  vendorCode?: string;
  fieldErrors?: Record<string, string[]>;
}

/** Reads a vendor's error body (parsed JSON, null when there is none); must return only text safe to show. */
export type VendorErrorParser = (status: number, body: unknown) => VendorErrorInfo;

/**
 * Every way a call to one vendor fails, as the one `UpstreamError` with its code: the vendor's error
 * answer (read from its own error body), a timeout, a lost connection, and the calls the gateway did
 * not send (a held credential, an open circuit) or cannot vouch for (a write of unknown outcome).
 * One per vendor client, made once: building an error allocates nothing else.
 */
export class UpstreamFailures {
  private readonly vendor: string;

  constructor(
    private readonly source: Source,
    private readonly timeoutMs: number,
    private readonly parseError: VendorErrorParser,
  ) {
    this.vendor = label(source);
  }

  /** No answer within the attempt's deadline. */
  timeout(): UpstreamError {
    return new UpstreamError(this.source, 0, 'UPSTREAM_TIMEOUT', `${this.vendor} did not answer within ${this.timeoutMs} ms`, { transport: 'timeout' });
  }

  /** A non-2xx answer: the vendor's own error body where it parses, else the status. */
  fromAnswer(status: number, headers: IncomingHttpHeaders, text: string): UpstreamError {
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    const info = safeParseError(this.parseError, status, parsed);
    const retryAfter = retryAfterSeconds(headers['retry-after']);
    const fallback = status === 429 ? 'rate limit reached' : `HTTP ${status}`;
    return new UpstreamError(this.source, status, codeForStatus(status), `${this.vendor}: ${info.message || fallback}`, {
      retryAfterSeconds: retryAfter,
      vendorCode: info.vendorCode,
      fieldErrors: info.fieldErrors,
    });
  }

  /** What undici threw: one of its timeouts, a connection refused (nothing was sent) or reset (it may have been). */
  fromTransport(err: unknown): UpstreamError {
    if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) return this.timeout();
    const refused = err instanceof undiciErrors.ConnectTimeoutError || /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/.test(errorCode(err));
    return new UpstreamError(this.source, 0, 'UPSTREAM_UNAVAILABLE', `${this.vendor} is unreachable`, { transport: refused ? 'refused' : 'reset' });
  }

  /** A read refused unsent while its credential's Retry-After lasts; the client is told what is left of it. */
  credentialHeld(waitMs: number): UpstreamError {
    const waitSeconds = Math.ceil(waitMs / 1000);
    return new UpstreamError(this.source, 429, 'RATE_LIMITED', `${this.vendor} rate-limited this credential: try again in ${waitSeconds} s`, {
      transport: 'held',
      retryAfterSeconds: waitSeconds,
    });
  }

  /** A call refused unsent while the vendor's circuit is open. */
  circuitOpen(secondsToProbe: number): UpstreamError {
    return new UpstreamError(this.source, 0, 'UPSTREAM_UNAVAILABLE', `${this.vendor} is failing: calls to it are paused after repeated errors (next try in ${secondsToProbe} s)`, {
      transport: 'open',
      retryAfterSeconds: secondsToProbe,
    });
  }

  /** A write that may or may not have happened: the client must know before it tries again. */
  ambiguousWrite(route: string, err: UpstreamError): UpstreamError {
    const why = err.details.transport === 'timeout' ? `did not answer within ${this.timeoutMs} ms` : err.status === 504 ? 'answered 504 (gateway timeout)' : err.status === 502 ? 'answered 502 (bad gateway)' : 'dropped the connection';
    return new UpstreamError(
      this.source,
      err.status,
      'UPSTREAM_TIMEOUT',
      `${this.vendor} ${why} to ${route}: the change may or may not have been made. It was not retried; check before trying again.`,
      { ...err.details, ambiguous: true },
    );
  }
}

function safeParseError(parseError: VendorErrorParser, status: number, body: unknown): VendorErrorInfo {
  try {
    return parseError(status, body);
  } catch {
    return {};
  }
}

/** The system error code of what undici threw (`ECONNREFUSED`…), on the error or its cause; '' when none. */
function errorCode(err: unknown): string {
  const candidate = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = candidate?.cause?.code ?? candidate?.code;
  return typeof code === 'string' ? code : '';
}

/** A Retry-After header (seconds or an HTTP date) in whole seconds from now; undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The vendor's name as messages show it. */
export function label(source: Source): string {
  return source === 'MAPFLOW' ? 'Mapflow' : source === 'FLAI' ? 'Flai' : 'Cupix';
}
