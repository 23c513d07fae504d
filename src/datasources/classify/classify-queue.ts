import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../../observability/logger.js';

/**
 * Where classifications run: with REDIS_URL on BullMQ (any replica's worker takes a job, one at a
 * time; a replica that dies stops renewing the job's lock, BullMQ's stalled-job check puts the job
 * back and another replica's worker continues it from its record); without, in this process (a
 * restart loses running jobs). Both call the same runner.
 */
export interface ClassifyQueue {
  /** Runs job `id` (once: adding an id already queued or running does nothing). */
  enqueue(id: string): Promise<void>;
  close(): Promise<void>;
}

export class InProcessQueue implements ClassifyQueue {
  private readonly active = new Map<string, Promise<void>>();

  constructor(
    private readonly run: (id: string) => Promise<void>,
    private readonly log: Logger,
    /** The runs' abort controllers (the runner's `running`): a closing process stops them. */
    private readonly running: Map<string, AbortController>,
  ) {}

  async enqueue(id: string): Promise<void> {
    if (this.active.has(id)) return;
    const done = this.run(id)
      .catch((err: unknown) => this.log.error({ err, classification: id }, 'classification run failed'))
      .finally(() => this.active.delete(id));
    this.active.set(id, done);
  }

  /** Stops the runs here: without Redis nothing could continue them anyway (their records go with the process). */
  async close(): Promise<void> {
    for (const abort of this.running.values()) abort.abort();
    await Promise.allSettled(this.active.values());
  }
}

export interface BullOptions {
  url: string;
  prefix: string;
  /** BullMQ's lockDuration and stalledInterval: how soon a dead replica's job is continued. */
  lockMs: number;
  concurrency: number;
}

const QUEUE_NAME = 'classifications';

export class BullQueue implements ClassifyQueue {
  private readonly queue: Queue;
  private readonly worker: Worker;
  private readonly connections: Redis[] = [];

  constructor(run: (id: string) => Promise<void>, opts: BullOptions, log: Logger) {
    // BullMQ's own connections: a worker blocks on one, and both must wait out a Redis restart
    // (maxRetriesPerRequest: null) rather than fail.
    const connect = (name: string) => {
      const redis = new Redis(opts.url, { maxRetriesPerRequest: null, connectionName: `gateway-${name}` });
      redis.on('error', (err: Error) => log.warn({ err: err.message }, `${name}: redis connection error`));
      this.connections.push(redis);
      return redis;
    };
    const prefix = `${opts.prefix}bull`;
    this.queue = new Queue(QUEUE_NAME, { connection: connect('classify-queue'), prefix });
    this.worker = new Worker<{ id: string }>(QUEUE_NAME, async (job) => run(job.data.id), {
      connection: connect('classify-worker'),
      prefix,
      concurrency: opts.concurrency,
      lockDuration: opts.lockMs,
      stalledInterval: opts.lockMs,
      // A job is continued however many replicas die under it; its own stall bound ends it.
      maxStalledCount: 1000,
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    });
    this.worker.on('stalled', (id) => log.info({ classification: id }, 'classification stalled on a replica that stopped: continued here or on another'));
    this.worker.on('failed', (job, err) => log.error({ err, classification: job?.data.id }, 'classification run failed'));
    this.worker.on('error', (err) => log.warn({ err: err.message }, 'classification worker error'));
  }

  async enqueue(id: string): Promise<void> {
    // The job id is the classification's: adding it again while it exists does nothing.
    await this.queue.add('classify', { id }, { jobId: id });
  }

  async close(): Promise<void> {
    // Not waiting for running jobs: their locks lapse and another replica continues them.
    await this.worker.close(true).catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    for (const c of this.connections) c.disconnect();
  }
}
