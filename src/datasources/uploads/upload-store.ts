import { Redis } from 'ioredis';
import type { Logger } from '../../observability/logger.js';

/** Where an upload stands; the gateway's own literals, `Upload.upstreamStatus`. */
export type UploadPhase = 'created' | 'receiving' | 'ingesting' | 'succeeded' | 'failed' | 'cancelled';
export const TERMINAL_PHASES: readonly UploadPhase[] = ['succeeded', 'failed', 'cancelled'];

/** One upload as the gateway keeps it (memory, or Redis shared by the replicas). No secret in it. */
export interface UploadRecord {
  id: string;
  /** The credential hash (credentials.ts) of the caller who made it: only they read, follow or cancel it. */
  owner: string;
  target: 'FLAI_DATASET' | 'MAPFLOW_MOSAIC';
  fileName: string;
  size: number;
  receivedBytes: number;
  phase: UploadPhase;
  createdAt: number;
  updatedAt: number;
  uploadUrl: string;
  expiresAt: number;
  /** FLAI_DATASET: the dataset to make, and the vendor's session. */
  dataset?: { name: string; description?: string | null; type: string; srid?: number | null; unit?: string | null };
  sessionKey?: string;
  datasetId?: string;
  /** MAPFLOW_MOSAIC: the mosaic to add to (none: a new one named after the file), then the image made. */
  mosaicId?: string;
  imageId?: string;
  error?: string;
  errorCode?: string;
}

export type UploadPatch = Partial<Pick<UploadRecord, 'receivedBytes' | 'phase' | 'datasetId' | 'mosaicId' | 'imageId' | 'error' | 'errorCode'>>;

/** Records are kept this long after their last change. */
const KEEP_MS = 7 * 24 * 3600 * 1000;

export interface UploadStore {
  get(id: string): Promise<UploadRecord | null>;
  /** Stores a new record; with `idempotencyKey`, the caller's earlier record with that key instead, when there is one. */
  create(record: UploadRecord, idempotencyKey?: string | null): Promise<UploadRecord>;
  /** Applies `patch` unless the record is already terminal; the record after it (unchanged when terminal), null when unknown. */
  update(id: string, patch: UploadPatch): Promise<UploadRecord | null>;
  close(): Promise<void>;
}

export const isTerminalPhase = (phase: UploadPhase): boolean => TERMINAL_PHASES.includes(phase);

export class MemoryUploadStore implements UploadStore {
  private readonly records = new Map<string, UploadRecord>();
  private readonly keys = new Map<string, string>();

  async get(id: string): Promise<UploadRecord | null> {
    const found = this.records.get(id);
    return found ? { ...found } : null;
  }

  async create(record: UploadRecord, idempotencyKey?: string | null): Promise<UploadRecord> {
    if (idempotencyKey) {
      const key = `${record.owner}:${idempotencyKey}`;
      const earlier = this.keys.get(key);
      if (earlier && this.records.has(earlier)) return { ...this.records.get(earlier)! };
      this.keys.set(key, record.id);
    }
    this.records.set(record.id, { ...record });
    this.sweep(record.createdAt);
    return { ...record };
  }

  async update(id: string, patch: UploadPatch): Promise<UploadRecord | null> {
    const current = this.records.get(id);
    if (!current) return null;
    if (isTerminalPhase(current.phase)) return { ...current };
    const next = { ...current, ...patch, updatedAt: Date.now() };
    this.records.set(id, next);
    return { ...next };
  }

  async close(): Promise<void> {}

  private sweep(nowMs: number): void {
    if (this.records.size < 1000) return;
    for (const [id, record] of this.records) if (record.updatedAt + KEEP_MS < nowMs) this.records.delete(id);
  }
}

/** Applies a patch unless the stored record is terminal, atomically: a cancel on one replica and a chunk on another never both win. */
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

/** The records in Redis, `<prefix>upload:<id>`, and idempotency keys `<prefix>upload:key:<owner>:<key>`. */
export class RedisUploadStore implements UploadStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    log: Logger,
  ) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: 'gateway-uploads' });
    this.redis.on('error', (err: Error) => log.warn({ err: err.message }, 'upload store: redis connection error'));
  }

  async connect(): Promise<void> {
    await this.redis.connect();
  }

  async get(id: string): Promise<UploadRecord | null> {
    const raw = await this.redis.get(this.keyOf(id));
    return raw === null ? null : (JSON.parse(raw) as UploadRecord);
  }

  async create(record: UploadRecord, idempotencyKey?: string | null): Promise<UploadRecord> {
    if (idempotencyKey) {
      const key = `${this.prefix}upload:key:${record.owner}:${idempotencyKey}`;
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

  async update(id: string, patch: UploadPatch): Promise<UploadRecord | null> {
    const out = (await this.redis.eval(UPDATE_SCRIPT, 1, this.keyOf(id), JSON.stringify(patch), String(Date.now()), String(KEEP_MS))) as string | null;
    return out ? (JSON.parse(out) as UploadRecord) : null;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private keyOf(id: string): string {
    return `${this.prefix}upload:${id}`;
  }
}
