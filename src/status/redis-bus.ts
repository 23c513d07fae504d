import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';
import type { BusHandler, BusMessage, BusSubscription, HeartbeatResult, StatusBus } from './bus.js';
import { decodeMessage, encodeMessage } from './codec.js';

/** Renews a lease only if this holder still has it. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes a lease only if this holder still has it (an expired-and-retaken lease is someone else's). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
/**
 * Counts the distinct jobs a credential has watched over all replicas (members `<replica>|<watchKey>`,
 * scored by expiry) and adds this replica's member unless that would pass the cap.
 */
const CLAIM = `
local key, now, ttl, member, watch, cap = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
local seen, n = {}, 0
for _, m in ipairs(redis.call('ZRANGE', key, 0, -1)) do
  local k = string.sub(m, string.find(m, '|', 1, true) + 1)
  if not seen[k] then seen[k] = true; n = n + 1 end
end
if not seen[watch] and n >= cap then return 0 end
redis.call('ZADD', key, now + ttl, member)
redis.call('PEXPIRE', key, ttl)
return 1`;

interface Scripts {
  gwRenew(key: string, holder: string, ttlMs: number): Promise<number>;
  gwRelease(key: string, holder: string): Promise<number>;
  gwClaim(key: string, now: number, ttlMs: number, member: string, watchKey: string, cap: number): Promise<number>;
}

export interface RedisBusOptions {
  url: string;
  /** Prefix of every key and channel. */
  prefix: string;
  /** Lease (and claim) lifetime; renewed by the heartbeat. */
  leaseMs: number;
  log: Logger;
}

/**
 * The bus over Redis: one connection for commands, one for SUBSCRIBE (Redis requires it), one
 * channel per watched job, leases as `SET NX PX` keys holding the poller's id.
 */
export class RedisBus implements StatusBus {
  readonly distributed = true;
  private readonly replica = randomUUID();
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly scripts: Scripts;
  private readonly channels = new Map<string, Set<BusHandler>>();

  constructor(private readonly opts: RedisBusOptions) {
    const common = { maxRetriesPerRequest: 3, connectionName: `gateway-${this.replica}` };
    this.cmd = new Redis(opts.url, common);
    this.sub = new Redis(opts.url, common);
    for (const c of [this.cmd, this.sub]) c.on('error', (err: Error) => opts.log.warn({ err: err.message }, 'redis connection error'));
    this.cmd.defineCommand('gwRenew', { numberOfKeys: 1, lua: RENEW });
    this.cmd.defineCommand('gwRelease', { numberOfKeys: 1, lua: RELEASE });
    this.cmd.defineCommand('gwClaim', { numberOfKeys: 1, lua: CLAIM });
    this.scripts = this.cmd as unknown as Scripts;
    this.sub.on('message', (channel: string, text: string) => this.dispatch(channel, text));
  }

  /** Resolves once both connections are up, so a bad REDIS_URL fails the start, not the first subscriber. */
  async ready(): Promise<void> {
    await Promise.all([this.cmd.ping(), this.sub.ping()]);
  }

  async publish(channel: string, msg: BusMessage): Promise<void> {
    await this.cmd.publish(this.key('ch', channel), encodeMessage(msg));
  }

  async subscribe(channel: string, handler: BusHandler): Promise<BusSubscription> {
    const name = this.key('ch', channel);
    let set = this.channels.get(name);
    const first = !set;
    if (!set) this.channels.set(name, (set = new Set()));
    set.add(handler);
    // Commands on one connection run in order, so an UNSUBSCRIBE in flight for an emptied set
    // is always followed by this SUBSCRIBE: the channel ends up subscribed.
    if (first) await this.sub.subscribe(name);
    return {
      unsubscribe: async () => {
        set.delete(handler);
        if (set.size || this.channels.get(name) !== set) return;
        this.channels.delete(name);
        await this.sub.unsubscribe(name);
      },
    };
  }

  async claim(credHash: string, watchKey: string, cap: number): Promise<boolean> {
    const ok = await this.scripts.gwClaim(this.key('cred', credHash), Date.now(), this.opts.leaseMs, this.member(watchKey), watchKey, cap);
    return ok === 1;
  }

  async unclaim(credHash: string, watchKey: string): Promise<void> {
    await this.cmd.zrem(this.key('cred', credHash), this.member(watchKey));
  }

  async acquire(watchKey: string, holder: string): Promise<boolean> {
    return (await this.cmd.set(this.key('lease', watchKey), holder, 'PX', this.opts.leaseMs, 'NX')) === 'OK';
  }

  async release(watchKey: string, holder: string): Promise<void> {
    await this.scripts.gwRelease(this.key('lease', watchKey), holder);
  }

  async heartbeat(held: Map<string, string>, wanted: Map<string, string>, claims: [string, string][]): Promise<HeartbeatResult> {
    const p = this.cmd.pipeline();
    const pipe = p as unknown as Scripts;
    const heldKeys = [...held.keys()];
    const wantedKeys = [...wanted.keys()];
    for (const k of heldKeys) void pipe.gwRenew(this.key('lease', k), held.get(k) as string, this.opts.leaseMs);
    for (const k of wantedKeys) p.set(this.key('lease', k), wanted.get(k) as string, 'PX', this.opts.leaseMs, 'NX');
    const expiry = Date.now() + this.opts.leaseMs;
    for (const [cred, watch] of claims) {
      p.zadd(this.key('cred', cred), expiry, this.member(watch));
      p.pexpire(this.key('cred', cred), this.opts.leaseMs);
    }
    const results = (await p.exec()) ?? [];
    const ok = (i: number, want: unknown) => !results[i]?.[0] && results[i]?.[1] === want;
    return {
      lost: heldKeys.filter((_, i) => !ok(i, 1)),
      won: wantedKeys.filter((_, i) => ok(heldKeys.length + i, 'OK')),
    };
  }

  async close(graceful: boolean): Promise<void> {
    this.channels.clear();
    if (!graceful) {
      this.cmd.disconnect();
      this.sub.disconnect();
      return;
    }
    await Promise.allSettled([this.cmd.quit(), this.sub.quit()]);
  }

  private dispatch(channel: string, text: string): void {
    const handlers = this.channels.get(channel);
    if (!handlers?.size) return;
    let msg: BusMessage;
    try {
      msg = decodeMessage(text);
    } catch {
      this.opts.log.warn({ channel }, 'undecodable status message dropped');
      return;
    }
    for (const h of handlers) h(msg);
  }

  private key(kind: string, name: string): string {
    return `${this.opts.prefix}${kind}:${name}`;
  }

  private member(watchKey: string): string {
    return `${this.replica}|${watchKey}`;
  }
}
