import type { Config } from '../../config.js';
import type { Credentials } from '../../credentials.js';
import type { CredentialVault } from '../../links/credential-vault.js';
import type { Logger } from '../../observability/logger.js';
import type { PointcloudClassification } from '../../schema/classify/pointcloud-classification.type.js';
import type { CupixService } from '../cupix/cupix.service.js';
import type { FlaiService } from '../flai/flai.service.js';
import type { RetryPolicy } from '../http/resilience.js';
import type { UpstreamHttp } from '../http/upstream-http.js';
import { MemoryJobRecordStore, RedisJobRecordStore } from '../shared/job-record-store.js';
import type { ClassificationPatch, ClassificationRecord, ClassificationStore } from './classify-record.js';
import { BullQueue, InProcessQueue, type ClassifyQueue } from './classify-queue.js';
import { runClassification, type RunnerDeps } from './classify-runner.js';
import type { ClassifyDeps } from './classify.service.js';

export interface ClassifyDepsOptions {
  config: Config;
  vault: CredentialVault;
  http: { cupix: UpstreamHttp };
  retry: RetryPolicy;
  log: Logger;
  publish(owner: string, job: PointcloudClassification): Promise<void>;
  /** Fresh vendor services for a job's credentials. */
  services(credentials: Credentials): { flai: FlaiService; cupix: CupixService };
}

/**
 * The app's classifications (docs/architecture.md, "Classifying a Cupix point cloud with a Flai
 * flow"): with REDIS_URL, records in Redis and the runs on BullMQ, so any replica answers, runs and
 * continues a job; without, both in this process. The credentials a job goes on with are in the
 * vault (encrypted in Redis) until it ends. A Redis that cannot be reached fails the start.
 */
export async function createClassifyDeps(opts: ClassifyDepsOptions): Promise<ClassifyDeps> {
  const { config, log } = opts;
  let store: ClassificationStore = new MemoryJobRecordStore<ClassificationRecord, ClassificationPatch>();
  if (config.REDIS_URL) {
    const redis = new RedisJobRecordStore<ClassificationRecord, ClassificationPatch>(config.REDIS_URL, config.STATUS_REDIS_PREFIX, 'classification', log);
    await redis.connect();
    store = redis;
  }
  const running = new Map<string, AbortController>();
  const runner: RunnerDeps = {
    store,
    vault: opts.vault,
    publish: opts.publish,
    services: opts.services,
    cupixHttp: opts.http.cupix,
    retry: opts.retry,
    maxStallMs: config.PIPELINE_MAX_STALL_SECONDS * 1000,
    pollMs: config.PIPELINE_POLL_MS,
    log,
    running,
  };
  const run = (id: string) => runClassification(runner, id);
  const queue: ClassifyQueue = config.REDIS_URL
    ? new BullQueue(run, { url: config.REDIS_URL, prefix: config.STATUS_REDIS_PREFIX, lockMs: config.PIPELINE_LOCK_MS, concurrency: config.PIPELINE_CONCURRENCY }, log)
    : new InProcessQueue(run, log, running);
  return {
    store,
    vault: opts.vault,
    queue,
    publish: opts.publish,
    running,
    async close() {
      await queue.close();
      await store.close();
    },
  };
}
