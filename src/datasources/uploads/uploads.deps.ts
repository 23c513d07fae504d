import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from '@tus/server';
import type { Config } from '../../config.js';
import type { ResultsLinks } from '../../links/results-links.js';
import { UploadLinks } from '../../links/upload-links.js';
import type { Logger } from '../../observability/logger.js';
import type { Upload } from '../../schema/uploads/upload.type.js';
import { MemoryUploadStore, RedisUploadStore, type UploadStore } from './upload-store.js';
import { UploadTusStore } from './tus-store.js';
import type { UploadsDeps } from './uploads.service.js';

/**
 * The app's uploads: records in Redis (under STATUS_REDIS_PREFIX) when REDIS_URL is set, so every
 * replica answers `upload(id)`, else in this process's memory; `uploadUrl`s signed like `resultsUrl`
 * and their credentials in the same vault. A Redis that cannot be reached fails the start.
 */
export async function createUploadsDeps(
  config: Config,
  results: ResultsLinks,
  publicUrl: () => string,
  log: Logger,
  publish: (owner: string, upload: Upload) => Promise<void>,
): Promise<UploadsDeps> {
  let store: UploadStore = new MemoryUploadStore();
  if (config.REDIS_URL) {
    const redis = new RedisUploadStore(config.REDIS_URL, config.STATUS_REDIS_PREFIX, log);
    await redis.connect();
    store = redis;
  }
  const links = new UploadLinks(publicUrl, config.resultsUrlSecret, config.UPLOAD_URL_TTL_SECONDS, results.vault);
  const dir = config.UPLOAD_DIR ?? join(tmpdir(), 'gateway-uploads');
  await mkdir(dir, { recursive: true });
  const tusStore = new UploadTusStore(store, dir, config.UPLOAD_DIR_MAX_BYTES);
  // The upload URL is the tus upload's URL: its last path segment is the upload id.
  const tus = new Server({
    path: '/uploads',
    datastore: tusStore,
    // The signed query (`?c&exp&sig`) is not part of the id.
    getFileIdFromRequest: (req) => decodeURIComponent(new URL(req.url).pathname.replace(/^\/uploads\//, '')),
  });
  return { store, links, maxBytes: config.UPLOAD_MAX_BYTES, publish, inFlight: new Map(), tus: { server: tus, store: tusStore } };
}
