import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';

/**
 * Request rate limits per client address and per gateway API key (rate-limiter-flexible), over
 * HTTP operations and graphql-ws connections and subscribes alike. In memory for one process; with
 * REDIS_URL, counted in Redis so that every replica shares them (in-memory insurance while Redis
 * is unreachable, so an outage degrades to per-replica limits instead of no service).
 *
 * Keys in Redis are `<STATUS_REDIS_PREFIX>ratelimit:{ip|key}:<address | sha256(key)>`: never a key itself.
 */
export interface RateLimitRefusal {
  retryAfterSeconds: number;
  scope: 'ip' | 'key';
}

export class RequestRateLimiter {
  private constructor(
    private readonly byIp: RateLimiterAbstract | null,
    private readonly byKey: RateLimiterAbstract | null,
    private readonly trustHops: number,
    private readonly redis: Redis | null,
  ) {}

  /** With Redis, resolves once it is connected (or after 2 s, counting in memory until it is). */
  static async create(config: Config, log: Logger): Promise<RequestRateLimiter> {
    const duration = config.RATE_LIMIT_WINDOW_SECONDS;
    const redis =
      config.REDIS_URL && (config.RATE_LIMIT_PER_IP || config.RATE_LIMIT_PER_KEY)
        ? new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
        : null;
    redis?.on('error', (err: Error) => log.warn({ err: err.message }, 'rate limit: Redis unavailable, counting in memory meanwhile'));
    const make = (scope: 'ip' | 'key', points: number): RateLimiterAbstract | null => {
      if (!points) return null;
      const keyPrefix = `${config.STATUS_REDIS_PREFIX}ratelimit:${scope}`;
      const memory = new RateLimiterMemory({ points, duration, keyPrefix });
      return redis ? new RateLimiterRedis({ storeClient: redis, points, duration, keyPrefix, insuranceLimiter: memory, rejectIfRedisNotReady: true }) : memory;
    };
    if (redis && redis.status !== 'ready') {
      await new Promise<void>((resolve) => {
        const done = setTimeout(resolve, 2_000);
        redis.once('ready', () => {
          clearTimeout(done);
          resolve();
        });
      });
    }
    return new RequestRateLimiter(make('ip', config.RATE_LIMIT_PER_IP), make('key', config.RATE_LIMIT_PER_KEY), config.TRUST_PROXY_HOPS, redis);
  }

  get enabled(): boolean {
    return this.byIp !== null || this.byKey !== null;
  }

  /** The client's address: the socket's, or the TRUST_PROXY_HOPS-th `X-Forwarded-For` entry from the right. */
  clientIp(req: IncomingMessage): string {
    const socket = req.socket.remoteAddress ?? 'unknown';
    if (!this.trustHops) return socket;
    const h = req.headers['x-forwarded-for'];
    const forwarded = Array.isArray(h) ? h.join(',') : h;
    if (!forwarded) return socket;
    const hops = forwarded.split(',').map((s) => s.trim()).filter(Boolean);
    return hops[hops.length - this.trustHops] ?? hops[0] ?? socket;
  }

  /**
   * Takes `points` requests from the address's allowance and, given a (valid) gateway key, from the
   * key's; null when allowed, else how long to wait. Only a hash of the key is used.
   */
  async consume(ip: string, apiKey: string | undefined, points = 1): Promise<RateLimitRefusal | null> {
    const ipWait = this.byIp ? await take(this.byIp, ip, points) : 0;
    if (ipWait) return { retryAfterSeconds: ipWait, scope: 'ip' };
    const keyWait = this.byKey && apiKey ? await take(this.byKey, keyId(apiKey), points) : 0;
    return keyWait ? { retryAfterSeconds: keyWait, scope: 'key' } : null;
  }

  async close(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

/** 0 when allowed, else the seconds until the window frees a point. */
async function take(limiter: RateLimiterAbstract, key: string, points: number): Promise<number> {
  try {
    await limiter.consume(key, points);
    return 0;
  } catch (err) {
    if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    throw err;
  }
}

function keyId(apiKey: string): string {
  return createHash('sha256').update(apiKey.trim()).digest('base64url').slice(0, 32);
}

export function rateLimitMessage(r: RateLimitRefusal): string {
  return `Too many requests from this ${r.scope === 'ip' ? 'address' : 'API key'}: try again in ${r.retryAfterSeconds} s`;
}
