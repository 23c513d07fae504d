import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { MemoryVault, RedisVault, type CredentialVault } from './credential-vault.js';

/**
 * Signed, expiring gateway URLs for Mapflow results (`resultsUrl`), openable by a browser with no
 * headers. The URL names a credential *reference*, an HMAC of the token keyed by the secret, never
 * the token: the token stays in the server's vault (memory, or Redis shared by the replicas) until
 * the last link made for it expires.
 */
export type ResultsTarget = { kind: 'processing' | 'project'; id: string };

export type OpenedLink = { token: string } | { error: string; status: number };

/** Sub-keys of RESULTS_URL_SECRET, one per purpose; the secret itself signs the links. */
export function subKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'geo-gateway results links', purpose, 32));
}

export class ResultsLinks {
  private readonly refKey: Buffer;
  /** ref → the latest `exp` stored (or being stored), so a request listing many results stores its credential once. */
  private readonly stored = new Map<string, { exp: number; done: Promise<void> }>();

  constructor(
    /** Read at link time: the port is known only once the server listens. */
    private readonly publicUrl: () => string,
    private readonly secret: string,
    private readonly ttlSeconds: number,
    readonly vault: CredentialVault = new MemoryVault(),
  ) {
    this.refKey = subKey(secret, 'credential reference');
  }

  /** A URL streaming the target's results with the given Mapflow credential. */
  async make(target: ResultsTarget, mapflowToken: string, nowMs = Date.now()): Promise<string> {
    const ref = createHmac('sha256', this.refKey).update(`mapflow:${mapflowToken}`).digest('base64url').slice(0, 22);
    const exp = Math.floor(nowMs / 1000) + this.ttlSeconds;
    const prev = this.stored.get(ref);
    if (prev && prev.exp >= exp) await prev.done;
    else {
      const entry = { exp, done: this.vault.put(ref, mapflowToken, exp * 1000) };
      if (this.stored.size >= 1000) this.stored.clear();
      this.stored.set(ref, entry);
      await entry.done.catch((err: unknown) => {
        if (this.stored.get(ref) === entry) this.stored.delete(ref);
        throw err;
      });
    }
    const sig = this.sign(target, ref, exp);
    return `${this.publicUrl()}/results/${target.kind}/${encodeURIComponent(target.id)}?c=${ref}&exp=${exp}&sig=${sig}`;
  }

  /** Checks a link; returns the credential it refers to, or why it cannot be used. */
  async open(target: ResultsTarget, query: URLSearchParams, nowMs = Date.now()): Promise<OpenedLink> {
    const ref = query.get('c') ?? '';
    const exp = Number(query.get('exp'));
    const sig = query.get('sig') ?? '';
    if (!ref || !Number.isInteger(exp) || !sig) return { status: 400, error: 'This results link is incomplete.' };
    const want = Buffer.from(this.sign(target, ref, exp));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return { status: 403, error: 'This results link is not valid.' };
    if (exp * 1000 < nowMs) return { status: 410, error: 'This results link has expired; query resultsUrl again for a new one.' };
    let token: string | null;
    try {
      token = await this.vault.get(ref, nowMs);
    } catch {
      return { status: 503, error: 'The results-link store is unavailable; try again shortly.' };
    }
    if (!token) return { status: 410, error: 'This results link is no longer usable on this server; query resultsUrl again for a new one.' };
    return { token };
  }

  close(): Promise<void> {
    return this.vault.close();
  }

  private sign(target: ResultsTarget, ref: string, exp: number): string {
    return createHmac('sha256', this.secret).update(`${target.kind}\n${target.id}\n${ref}\n${exp}`).digest('base64url');
  }
}

/**
 * The app's links: credentials in Redis (under STATUS_REDIS_PREFIX, encrypted) when REDIS_URL is
 * set, else in this process's memory. A Redis that cannot be reached fails the start.
 */
export async function createResultsLinks(config: Config, publicUrl: () => string, log: Logger): Promise<ResultsLinks> {
  let vault: CredentialVault = new MemoryVault();
  if (config.REDIS_URL) {
    const redis = new RedisVault(config.REDIS_URL, config.STATUS_REDIS_PREFIX, subKey(config.resultsUrlSecret, 'credential encryption'), log);
    await redis.connect();
    vault = redis;
  }
  return new ResultsLinks(publicUrl, config.resultsUrlSecret, config.RESULTS_URL_TTL_SECONDS, vault);
}
