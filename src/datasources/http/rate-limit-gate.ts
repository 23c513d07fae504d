/**
 * A vendor's 429 is about the caller's quota, not the vendor's health: it holds back that one
 * credential, never the vendor for everyone (the circuit breaker ignores 429s). After a 429 the
 * credential's reads fail at once with RATE_LIMITED and the vendor's remaining wait, without a
 * call, until its Retry-After has passed.
 *
 * One gate per vendor client, keyed by `credentialHash` (src/status/targets.ts): never a token.
 * The hot path reads a local map only.
 */

/** The wait after a 429 without (a usable) Retry-After. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;
/** The longest hold: a Retry-After date far in the future (a vendor's clock or bug) must not lock a credential out for days. */
export const MAX_RATE_LIMIT_WAIT_MS = 3_600_000;

/** How the view of one request names its caller's credential for the gate; called only when needed (hashing costs a little). */
export type CredentialKey = () => string | null;

export class RateLimitGate {
  /** Credential key → end of its hold (ms, on `now`'s clock). */
  private readonly until = new Map<string, number>();
  /** Told of each hold this process decided; not of holds it was told of. */
  onHold: ((key: string, ms: number) => void) | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  /** True when no credential is held: the hot path's only cost. */
  get empty(): boolean {
    return this.until.size === 0;
  }

  /** Ms before a read with this credential may go to the vendor; 0 when it may now. */
  waitMs(key: string): number {
    const end = this.until.get(key);
    if (end === undefined) return 0;
    const left = end - this.now();
    if (left > 0) return left;
    this.until.delete(key);
    return 0;
  }

  /** After a 429 with this credential: holds it for `ms` (a later end already held stays) and tells the other replicas. */
  hold(key: string, ms: number): void {
    if (this.extend(key, ms)) this.onHold?.(key, ms);
  }

  /** A hold another replica decided (or Redis kept): applied here only. True when it ends later than what was held. */
  extend(key: string, ms: number): boolean {
    const wait = Math.min(ms, MAX_RATE_LIMIT_WAIT_MS);
    if (!(wait > 0)) return false;
    const now = this.now();
    const end = now + wait;
    if ((this.until.get(key) ?? 0) >= end) return false;
    if (this.until.size >= 1000) this.sweep(now);
    this.until.set(key, end);
    return true;
  }

  /** Credentials held right now (for /readyz). */
  held(): number {
    this.sweep(this.now());
    return this.until.size;
  }

  private sweep(now: number): void {
    for (const [k, end] of this.until) if (end <= now) this.until.delete(k);
  }
}
