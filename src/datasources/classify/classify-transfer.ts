import { randomUUID } from 'node:crypto';
import { UpstreamError } from '../../errors.js';
import { DatasetType } from '../../schema/flai/dataset-type.enum.js';
import type { CupixService } from '../cupix/cupix.service.js';
import type { FlaiService } from '../flai/flai.service.js';
import type { UpstreamHttp } from '../http/upstream-http.js';
import { FlaiChunker } from '../uploads/flai-chunker.js';
import type { ClassificationPatch, ClassificationRecord } from './classify-record.js';
import type { Persist } from './classify-stall.js';

export interface TransferStep {
  record(): ClassificationRecord;
  change(patch: ClassificationPatch): Promise<unknown>;
  /** A line in the job's log (and the gateway's), with `patch` applied in the same change. */
  note(line: string, patch?: ClassificationPatch): Promise<unknown>;
  /** Throws when the job must stop (cancelled here or on another replica). */
  live(): Promise<void>;
  signal: AbortSignal;
  cupix: CupixService;
  flai: FlaiService;
  /** Cupix's client: the storage download goes through its breaker and retries. */
  cupixHttp: UpstreamHttp;
  persist: Persist;
}

/** Bytes at and after `from` of the point cloud's file: the 302 followed (allowlist checked), then a Range read. */
async function openDownload(step: TransferStep, from: number): Promise<{ body: AsyncIterable<Buffer>; total: number; close(): void }> {
  const pc = await step.persist('CUPIX', () => step.cupix.getPointcloud(step.record().pointcloudId));
  if (!pc) throw new UpstreamError('CUPIX', 404, 'NOT_FOUND', 'Cupix no longer has this point cloud');
  const url = await step.persist('CUPIX', async () => step.cupix.downloadUrl(pc));
  if (!url) throw new UpstreamError('CUPIX', 404, 'NOT_FOUND', 'Cupix has no file for this point cloud');
  const target = new URL(url);
  const res = await step.persist('CUPIX', () =>
    step.cupixHttp.stream({
      method: 'GET',
      origin: target.origin,
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      route: 'GET {storage download}',
      headers: { accept: '*/*', ...(from > 0 ? { range: `bytes=${from}-` } : {}) },
    }),
  );
  const length = Number(res.headers['content-length']);
  const range = /\/(\d+)$/.exec(String(res.headers['content-range'] ?? ''));
  const total = res.status === 206 && range ? Number(range[1]) : length;
  if (!Number.isFinite(total) || total < 1) {
    res.body.destroy();
    throw new UpstreamError('CUPIX', res.status, 'UPSTREAM_BAD_RESPONSE', "Cupix's storage sent the file without a Content-Length");
  }
  // A storage that ignored the Range sends the whole file: the bytes Flai already holds are skipped.
  const close = () => res.body.destroy();
  if (res.status !== 206 && from > 0) return { body: skipped(res.body, from), total, close };
  return { body: res.body, total, close };
}

async function* skipped(body: AsyncIterable<Buffer>, count: number): AsyncGenerator<Buffer> {
  let left = count;
  for await (const piece of body) {
    if (left >= piece.length) left -= piece.length;
    else {
      yield left ? piece.subarray(left) : piece;
      left = 0;
    }
  }
}

/**
 * TRANSFERRING: the Cupix download streamed into Flai's chunked direct upload through the uploads'
 * FlaiChunker (two 8 MB buffers, one at Flai while the other fills; never the whole file in memory).
 * It starts from the bytes Flai acknowledged in the recorded session; a download that breaks off
 * reopens from where the chunker stands (a Range read). When Flai refuses a chunk after the first of
 * the session (it expired, or took a chunk whose acknowledgement was lost), the transfer starts again
 * from byte 0 in a new session, once, and the job's log says so. Resolves with Flai's name of the file.
 */
export async function transfer(step: TransferStep): Promise<string> {
  try {
    return await transferOnce(step);
  } catch (err) {
    if (!(err instanceof SessionRefused)) throw err;
    const from = err.at;
    await step.note(`Flai would not continue the upload session at byte ${from} (${err.refusal.message}); starting again from byte 0 in a new session.`, {
      sessionKey: randomUUID(),
      transferredBytes: 0,
    });
    return transferOnce(step);
  }
}

/** Flai refused to continue the session at byte `at` (a chunk after its first: the session expired, or took a chunk whose acknowledgement was lost). */
class SessionRefused extends Error {
  constructor(
    readonly refusal: UpstreamError,
    readonly at: number,
  ) {
    super(refusal.message);
  }
}

async function transferOnce(step: TransferStep): Promise<string> {
  const start = step.record();
  const from = start.transferredBytes;
  if (from > 0) await step.note(`Continuing the upload session from byte ${from} (the last chunk Flai acknowledged).`);
  let download = await openDownload(step, from);
  // A cancel on this replica stops the download at once.
  const stop = () => download.close();
  step.signal.addEventListener('abort', stop);
  try {
    return await pump(step, download, from, (next) => (download = next));
  } finally {
    step.signal.removeEventListener('abort', stop);
    download.close();
  }
}

type Download = Awaited<ReturnType<typeof openDownload>>;

async function pump(step: TransferStep, first: Download, from: number, reopened: (d: Download) => void): Promise<string> {
  const start = step.record();
  let download = first;
  const total = download.total;
  if (start.totalBytes !== total) await step.change({ totalBytes: total });
  let breaks = 0;
  let brokeAt = -1;
  const chunker = new FlaiChunker({
    size: total,
    from,
    beforeSend: () => step.live(),
    send: async (chunk) => {
      const { sessionKey, fileName } = step.record();
      try {
        return await step.persist('FLAI', () => step.flai.sendUploadChunk({ ...chunk, sessionKey, fileName, totalFileSize: total, type: DatasetType.POINTCLOUD }));
      } catch (err) {
        if (chunk.startByte > 0 && err instanceof UpstreamError && err.code === 'BAD_USER_INPUT') throw new SessionRefused(err, chunk.startByte);
        throw err;
      }
    },
    onSent: (sent) => step.change({ transferredBytes: sent }),
  });
  for (;;) {
    try {
      for await (const piece of download.body) {
        if (step.signal.aborted) break;
        await chunker.push(piece);
      }
      break;
    } catch (err) {
      await chunker.settled();
      if (step.signal.aborted || err instanceof UpstreamError || err instanceof SessionRefused) throw err;
      // The download broke off (Cupix's storage dropped the connection): read on from where we
      // stand; a storage that keeps breaking at the same byte fails the transfer.
      breaks = chunker.received === brokeAt ? breaks + 1 : 1;
      brokeAt = chunker.received;
      if (breaks >= 3) throw new UpstreamError('CUPIX', 0, 'UPSTREAM_UNAVAILABLE', `Cupix's storage broke off the download at byte ${brokeAt} three times`, { transport: 'reset' });
      await step.live();
      download = await openDownload(step, chunker.received);
      reopened(download);
    }
  }
  await step.live();
  if (chunker.pending.length > 0) await chunker.flush();
  await chunker.settled();
  if (chunker.sent < total) throw new UpstreamError('CUPIX', 200, 'UPSTREAM_BAD_RESPONSE', `Cupix's storage ended the file after ${chunker.sent} of ${total} bytes`);
  if (!chunker.endFilename) throw new UpstreamError('FLAI', 200, 'UPSTREAM_BAD_RESPONSE', 'Flai took the last chunk without naming the uploaded file (end_filename)');
  return chunker.endFilename;
}
