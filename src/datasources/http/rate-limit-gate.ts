import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** The wait after a 429 without (a usable) Retry-After. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;
/** The longest hold: a Retry-After date far in the future (a vendor's clock or bug) must not lock a credential out for days. */
export const MAX_RATE_LIMIT_WAIT_MS = 3_600_000;

/** How the view of one request names its caller's credential for the gate; called only when needed (hashing costs a little). */
export type CredentialKey = () => string | null;

/**
 * After a vendor's 429, holds back that one credential's reads (they fail at once with RATE_LIMITED
 * and the wait left) until its Retry-After has passed (docs/decisions.md, "A 429 holds back one
 * credential, not the vendor"). One per vendor client, keyed by `credentialHash` (src/credentials.ts),
 * never a token; the hot path reads a local map only.
 */
export class RateLimitGate {
  /** Credential key → end of its hold (ms, on `now`'s clock). */
  private readonly until = new Map<string, number>();
  /** Told of each hold this process decided (RateLimitShare publishes it); not of holds it was told of. */
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
    for (const [key, end] of this.until) if (end <= now) this.until.delete(key);
  }
}

/**
 * Keeps a hold only if it ends later than the one Redis has, and tells the other replicas. The key
 * expires with the hold, so a replica that (re)connects loads what is still held from the TTLs
 * (Redis's clock only: replicas' clocks never meet).
 */
const HOLD = `
local left = redis.call('PTTL', KEYS[1])
if left >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;

export interface RateLimitShareOptions {
  url: string;
  /** STATUS_REDIS_PREFIX: keys are `<prefix>ratelimit-hold:<vendor>:<credential hash>`, the channel `<prefix>ratelimit-hold`. */
  prefix: string;
  /** The gate of each vendor this process serves. */
  gates: Record<string, RateLimitGate>;
  log: { warn(obj: object, msg: string): void };
  /** How long `start` waits for Redis before serving with local holds only (default 2 s). */
  startWaitMs?: number;
}

/**
 * The gates of every replica kept in step through Redis (pub/sub, plus keys with a TTL that a
 * replica loads when it (re)connects). Nothing on a vendor call's path waits for Redis: a hold is
 * applied locally first and published in the background; an outage leaves each replica its own holds.
 */
export class RateLimitShare {
  private readonly replica = randomUUID();
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private closed = false;

  private constructor(private readonly opts: RateLimitShareOptions) {
    this.channel = `${opts.prefix}ratelimit-hold`;
    // No offline queue: while Redis is away a publish fails at once rather than arriving late with a stale wait.
    this.cmd = new Redis(opts.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: 'gateway-ratelimit-hold' });
    this.cmd.defineCommand('gwHold', { numberOfKeys: 1, lua: HOLD });
    this.sub = new Redis(opts.url, { connectionName: 'gateway-ratelimit-hold-sub' });
    for (const client of [this.cmd, this.sub]) client.on('error', (err: Error) => opts.log.warn({ err: err.message }, 'rate-limit holds: Redis unavailable, holds stay per replica meanwhile'));
    this.sub.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.receive(text);
    });
    for (const [vendor, gate] of Object.entries(opts.gates)) gate.onHold = (key, ms) => this.publish(vendor, key, ms);
  }

  /** Connects, subscribes and loads the holds already in Redis; after `startWaitMs` goes on without them (they arrive once Redis does). */
  static async start(opts: RateLimitShareOptions): Promise<RateLimitShare> {
    const share = new RateLimitShare(opts);
    let timer: NodeJS.Timeout | undefined;
    const first = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, opts.startWaitMs ?? 2_000);
      const attempt = () => share.sync().then(resolve, () => {});
      // After every (re)connection: what was published while this replica was away is in the keys.
      share.cmd.on('ready', attempt);
      share.sub.on('ready', attempt);
      attempt();
    });
    await first;
    clearTimeout(timer);
    return share;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const gate of Object.values(this.opts.gates)) gate.onHold = null;
    // QUIT needs a connection; one still (re)connecting is dropped, or it would keep trying.
    const end = (client: Redis) => (client.status === 'ready' ? client.quit().catch(() => client.disconnect()) : client.disconnect());
    await Promise.allSettled([end(this.cmd), end(this.sub)]);
  }

  /** Subscribes, then loads the keys (in that order, so no hold falls between the two). */
  private async sync(): Promise<void> {
    if (this.closed || this.cmd.status !== 'ready' || this.sub.status !== 'ready') throw new Error('not connected');
    await this.sub.subscribe(this.channel);
    const prefix = `${this.opts.prefix}ratelimit-hold:`;
    for await (const keys of this.cmd.scanStream({ match: `${escapeGlob(prefix)}*`, count: 500 }) as AsyncIterable<string[]>) {
      if (!keys.length) continue;
      const pipe = this.cmd.pipeline();
      for (const redisKey of keys) pipe.pttl(redisKey);
      const ttls = (await pipe.exec()) ?? [];
      keys.forEach((redisKey, index) => {
        const [err, ttl] = ttls[index] ?? [];
        const [vendor, key] = splitOnce(redisKey.slice(prefix.length));
        if (!err && typeof ttl === 'number' && ttl > 0) this.opts.gates[vendor]?.extend(key, ttl);
      });
    }
  }

  private publish(vendor: string, key: string, ms: number): void {
    if (this.closed) return;
    const wait = Math.ceil(Math.min(ms, MAX_RATE_LIMIT_WAIT_MS));
    const hold = (this.cmd as unknown as { gwHold(key: string, ms: number, channel: string, message: string): Promise<number> }).gwHold;
    hold
      .call(this.cmd, `${this.opts.prefix}ratelimit-hold:${vendor}:${key}`, wait, this.channel, `${this.replica} ${vendor} ${key} ${wait}`)
      .catch((err: Error) => this.opts.log.warn({ err: err.message, vendor }, 'rate-limit holds: could not share a hold through Redis'));
  }

  /** `<replica> <vendor> <key> <ms>`; a replica's own holds are already applied. */
  private receive(text: string): void {
    const [replica, vendor, key, ms] = text.split(' ');
    if (replica === this.replica || !key) return;
    this.opts.gates[vendor]?.extend(key, Number(ms));
  }
}

function splitOnce(text: string): [string, string] {
  const colon = text.indexOf(':');
  return colon < 0 ? [text, ''] : [text.slice(0, colon), text.slice(colon + 1)];
}

/** A prefix as a literal in a SCAN pattern. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
