import { UpstreamError } from '../../errors.js';
import { isAmbiguous, isTransient } from '../http/resilience.js';
import { label, type UpstreamHttp } from '../http/upstream-http.js';

/**
 * A create that survives an unclear outcome, the one mechanism of every vendor whose creates can be
 * looked up by a key (docs/decisions.md, "Mapflow creates: idempotency keys in meta", and
 * "Flai creates: idempotency keys in names"). After an unclear failure (no answer in time, a lost
 * connection, a proxy's 502 or 504) it backs off, then returns what the lookup finds, or sends again
 * when it finds nothing; after a refusal (503, 429, connection refused) it backs off and sends again.
 * Attempts and waits spend the request's retry budget.
 */
export interface UnclearCreate<T> {
  http: UpstreamHttp;
  /** The create's route, for the retry metrics. */
  route: string;
  send(): Promise<T>;
  /**
   * What an earlier attempt made, found by the create's key (undefined: nothing). Null when the create
   * has no key to look for: an unclear failure is then the vendor client's own "may or may not" error,
   * never sent again.
   */
  lookup: (() => Promise<T | undefined>) | null;
  /** The error when the outcome stays unclear (see `unresolvedCreate`). */
  unresolved(err: UpstreamError): UpstreamError;
}

export async function createOnce<T>(op: UnclearCreate<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op.send();
    } catch (err) {
      if (!(err instanceof UpstreamError) || !isTransient(err)) throw err;
      const unclear = isAmbiguous(err);
      if (unclear && !op.lookup) throw err;
      if (!(await op.http.backoff(err, attempt, op.route))) throw unclear ? op.unresolved(err) : err;
      if (!unclear || !op.lookup) continue;
      let made: T | undefined;
      try {
        made = await op.lookup();
      } catch {
        throw op.unresolved(err);
      }
      if (made) return made;
    }
  }
}

export interface UnresolvedWording {
  /** What may or may not have happened, e.g. `the processing may or may not have been created`. */
  outcome: string;
  /** What the caller can do, e.g. `retrying with the same idempotencyKey is safe`. */
  next: string;
  /** Why the create is unconfirmed, when not read from the error (e.g. an answer without an id). */
  why?: string;
  /** What the gateway did to find out (default: it looked and found nothing). */
  search?: string;
}

/** The `UPSTREAM_TIMEOUT` of a create whose outcome stayed unclear: what may have happened, and what to do. */
export function unresolvedCreate(err: UpstreamError, wording: UnresolvedWording): UpstreamError {
  const why = wording.why ?? (err.details.transport === 'timeout' ? 'no answer in time' : err.status ? `HTTP ${err.status}` : 'connection lost');
  const search = wording.search ?? 'the gateway could not find it afterwards';
  return new UpstreamError(
    err.source,
    err.status,
    'UPSTREAM_TIMEOUT',
    `${label(err.source)} did not confirm the create (${why}) and ${search}: ${wording.outcome}; ${wording.next}.`,
    { ...err.details, ambiguous: true },
  );
}
