import { Redis } from 'ioredis';
import type { Logger } from '../../observability/logger.js';

/** The terminal phases every gateway job record shares (an upload's, a classification's). */
export const TERMINAL_PHASES = ['succeeded', 'failed', 'cancelled'] as const;
export type TerminalPhase = (typeof TERMINAL_PHASES)[number];

export const isTerminalPhase = (phase: string): boolean => (TERMINAL_PHASES as readonly string[]).includes(phase);

/** What a gateway job's record has at least; no secret is ever in one. */
export interface JobRecord {
  id: string;
  /** Who made it (credential hashes, credentials.ts): only they read, follow or cancel it. */
  owner: string;
  phase: string;
  createdAt: number;
  updatedAt: number;
}

/** Records are kept this long after their last change. */
const KEEP_MS = 7 * 24 * 3600 * 1000;

/**
 * The records of one kind of gateway job: in this process's memory, or in Redis shared by the
 * replicas. A record that reached a terminal phase never changes again, which makes a cancel on one
 * replica and a step on another race safely.
 */
export interface JobRecordStore<R extends JobRecord, P extends Partial<R>> {
  get(id: string): Promise<R | null>;
  /** Stores a new record; with `idempotencyKey`, the owner's earlier record with that key instead, when there is one. */
  create(record: R, idempotencyKey?: string | null): Promise<R>;
  /** Applies `patch` unless the record is already terminal; the record after it (unchanged when terminal), null when unknown. */
  update(id: string, patch: P): Promise<R | null>;
  close(): Promise<void>;
}

export class MemoryJobRecordStore<R extends JobRecord, P extends Partial<R>> implements JobRecordStore<R, P> {
  private readonly records = new Map<string, R>();
  private readonly keys = new Map<string, string>();

  async get(id: string): Promise<R | null> {
    const found = this.records.get(id);
    return found ? structuredClone(found) : null;
  }

  async create(record: R, idempotencyKey?: string | null): Promise<R> {
    if (idempotencyKey) {
      const key = `${record.owner}:${idempotencyKey}`;
      const earlier = this.keys.get(key);
      if (earlier && this.records.has(earlier)) return structuredClone(this.records.get(earlier)!);
      this.keys.set(key, record.id);
    }
    this.records.set(record.id, structuredClone(record));
    this.sweep(record.createdAt);
    return structuredClone(record);
  }

  async update(id: string, patch: P): Promise<R | null> {
    const current = this.records.get(id);
    if (!current) return null;
    if (isTerminalPhase(current.phase)) return structuredClone(current);
    const next = { ...current, ...structuredClone(patch), updatedAt: Date.now() };
    this.records.set(id, next);
    return structuredClone(next);
  }

  async close(): Promise<void> {}

  private sweep(nowMs: number): void {
    if (this.records.size < 1000) return;
    for (const [id, record] of this.records) if (record.updatedAt + KEEP_MS < nowMs) this.records.delete(id);
  }
}

/** Applies a patch unless the stored record is terminal, atomically: a cancel on one replica and a step on another never both win. */
const UPDATE_SCRIPT = `
local cur = redis.call('GET', KEYS[1])
if not cur then return false end
local rec = cjson.decode(cur)
if rec.phase == 'succeeded' or rec.phase == 'failed' or rec.phase == 'cancelled' then return cur end
for k, v in pairs(cjson.decode(ARGV[1])) do rec[k] = v end
rec.updatedAt = tonumber(ARGV[2])
local out = cjson.encode(rec)
redis.call('SET', KEYS[1], out, 'PX', ARGV[3])
return out
`;

/** The records in Redis, `<prefix><kind>:<id>`, and idempotency keys `<prefix><kind>:key:<owner>:<key>`. */
export class RedisJobRecordStore<R extends JobRecord, P extends Partial<R>> implements JobRecordStore<R, P> {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly kind: string,
    log: Logger,
  ) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: `gateway-${kind}s` });
    this.redis.on('error', (err: Error) => log.warn({ err: err.message }, `${kind} store: redis connection error`));
  }

  /** Connects; a Redis that cannot be reached fails the start. */
  async connect(): Promise<void> {
    await this.redis.connect();
  }

  async get(id: string): Promise<R | null> {
    const raw = await this.redis.get(this.keyOf(id));
    return raw === null ? null : (JSON.parse(raw) as R);
  }

  async create(record: R, idempotencyKey?: string | null): Promise<R> {
    if (idempotencyKey) {
      const key = `${this.prefix}${this.kind}:key:${record.owner}:${idempotencyKey}`;
      const won = await this.redis.set(key, record.id, 'PX', KEEP_MS, 'NX');
      if (!won) {
        const earlier = await this.redis.get(key);
        const found = earlier ? await this.get(earlier) : null;
        if (found) return found;
      }
    }
    await this.redis.set(this.keyOf(record.id), JSON.stringify(record), 'PX', KEEP_MS);
    return record;
  }

  async update(id: string, patch: P): Promise<R | null> {
    const out = (await this.redis.eval(UPDATE_SCRIPT, 1, this.keyOf(id), JSON.stringify(patch), String(Date.now()), String(KEEP_MS))) as string | null;
    return out ? (JSON.parse(out) as R) : null;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private keyOf(id: string): string {
    return `${this.prefix}${this.kind}:${id}`;
  }
}
