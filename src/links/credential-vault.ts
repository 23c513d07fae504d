import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';

/**
 * Where the server keeps the Mapflow credentials that `resultsUrl` links refer to, by reference
 * (`c=` of the link), until the last link made for them expires; also an `uploadUrl`'s credential and
 * the Flai and Cupix credentials a running classification goes on with (until it ends). In memory for one process; in
 * Redis when REDIS_URL is set, so that a link minted on one replica opens on any other.
 */
export interface CredentialVault {
  /** Keeps `token` under `ref` until at least `untilMs` (epoch ms). */
  put(ref: string, token: string, untilMs: number): Promise<void>;
  /** The token, or null when it was never kept here or has expired. Throws when the store is unreachable. */
  get(ref: string, nowMs?: number): Promise<string | null>;
  /** Forgets `ref` at once (a job that ended no longer needs its credentials). */
  delete(ref: string): Promise<void>;
  /** For /readyz: whether the store can answer. */
  health(): { store: 'memory' | 'redis'; connected: boolean };
  close(): Promise<void>;
}

export class MemoryVault implements CredentialVault {
  private readonly entries = new Map<string, { token: string; until: number }>();

  async put(ref: string, token: string, untilMs: number): Promise<void> {
    const prev = this.entries.get(ref);
    this.entries.set(ref, { token, until: Math.max(prev?.until ?? 0, untilMs) });
    this.sweep(Date.now());
  }

  async get(ref: string, nowMs = Date.now()): Promise<string | null> {
    const e = this.entries.get(ref);
    return e && e.until >= nowMs ? e.token : null;
  }

  async delete(ref: string): Promise<void> {
    this.entries.delete(ref);
  }

  health() {
    return { store: 'memory' as const, connected: true };
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private sweep(nowMs: number): void {
    if (this.entries.size < 1000) return;
    for (const [k, v] of this.entries) if (v.until < nowMs) this.entries.delete(k);
  }
}

/**
 * The vault in Redis: one key per reference, `<prefix>results:cred:<ref>`, that expires with the
 * last link made for it (`PXAT`). The value is the token encrypted with AES-256-GCM under a key
 * derived from RESULTS_URL_SECRET, bound to its reference, so Redis never holds a token in clear
 * and a value copied under another reference does not decrypt.
 */
export class RedisVault implements CredentialVault {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly key: Buffer,
    log: Logger,
  ) {
    // Fail fast while Redis is down: a link request gets an error at once rather than waiting in a queue.
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: 'gateway-results-links' });
    this.redis.on('error', (err: Error) => log.warn({ err: err.message }, 'results-link store: redis connection error'));
  }

  /** Connects; a Redis that cannot be reached fails the start. Later drops reconnect by themselves. */
  async connect(): Promise<void> {
    await this.redis.connect();
  }

  async put(ref: string, token: string, untilMs: number): Promise<void> {
    await this.redis.set(this.keyOf(ref), this.seal(ref, token), 'PXAT', untilMs);
  }

  async get(ref: string): Promise<string | null> {
    const sealed = await this.redis.get(this.keyOf(ref));
    return sealed === null ? null : this.open(ref, sealed);
  }

  async delete(ref: string): Promise<void> {
    await this.redis.del(this.keyOf(ref));
  }

  health() {
    return { store: 'redis' as const, connected: this.redis.status === 'ready' };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private keyOf(ref: string): string {
    return `${this.prefix}results:cred:${ref}`;
  }

  /** `v1.<base64url(iv | tag | ciphertext)>` */
  private seal(ref: string, token: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(ref));
    const ct = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}`;
  }

  /** null for anything that does not decrypt under this key and reference (another secret, a tampered value). */
  private open(ref: string, sealed: string): string | null {
    if (!sealed.startsWith('v1.')) return null;
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    if (raw.length < 28) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(ref));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
