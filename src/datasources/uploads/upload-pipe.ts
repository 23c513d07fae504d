import { UpstreamError } from '../../errors.js';
import { isTerminalPhase, type UploadPatch, type UploadRecord } from './upload-store.js';

/** Flai's chunk: the SDK's 8 000 000 bytes (docs/vendors.md, "Flai: direct upload"). */
export const FLAI_CHUNK_BYTES = 8_000_000;
/** The first chunk's `chunk_index`; one more each after it. */
const FIRST_CHUNK_INDEX = 10_000;

/** What the PUT gets back: its status and a small JSON body (never a secret). */
export type ReceiveAnswer =
  | { status: number; error: string; code?: string }
  | { status: 200; id: string; state: string; datasetId: string | null; imageId?: string; mosaicId?: string };

export interface FlaiPipe {
  record: UploadRecord & { sessionKey: string };
  body: AsyncIterable<Buffer>;
  declaredLength: number | null;
  /** Aborted by a cancel on this replica. */
  signal: AbortSignal;
  change(patch: UploadPatch): Promise<UploadRecord | null>;
  /** The record as stored now (a cancel on another replica shows here). */
  current(): Promise<UploadRecord | null>;
  sendChunk(chunk: { startByte: number; chunkIndex: number; bytes: Buffer }): Promise<{ endFilename: string | null }>;
  createDataset(endFilename: string): Promise<string>;
}

class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * A plain PUT into a Flai direct upload: the incoming bytes fill two 8 MB buffers in turn; each full
 * buffer is sent as the next chunk while the other fills, so reading from the client and Flai taking
 * a chunk overlap (the store-and-forward of one buffer left Flai idle while the gateway read the
 * next 8 MB: bench/uploads.ts). At most one chunk is at Flai at a time, and the socket waits once
 * both buffers are full (backpressure), so memory stays at two chunks whatever the file's size.
 * After the last chunk the dataset is made from the session. Any failure, a disconnect or a cancel stops it before the
 * dataset: Flai documents no way to discard a session, so nothing is ever made from a partial one.
 */
export async function receiveIntoFlai(pipe: FlaiPipe): Promise<ReceiveAnswer> {
  const { record } = pipe;
  const size = record.size;
  let sent = 0;
  try {
    if (pipe.declaredLength !== null && pipe.declaredLength > size) {
      throw new Refused(413, `The file is larger than declared: ${pipe.declaredLength} bytes sent for a declared size of ${size}.`, 'BAD_USER_INPUT');
    }
    if (pipe.declaredLength !== null && pipe.declaredLength < size) {
      throw new Refused(400, `The file is smaller than declared: ${pipe.declaredLength} bytes sent for a declared size of ${size}.`, 'BAD_USER_INPUT');
    }
    await pipe.change({ phase: 'receiving' });
    const buffers = [Buffer.allocUnsafe(Math.min(FLAI_CHUNK_BYTES, size)), Buffer.allocUnsafe(Math.min(FLAI_CHUNK_BYTES, size))];
    let buffer = buffers[0];
    let filled = 0;
    let queued = 0;
    let chunkIndex = FIRST_CHUNK_INDEX;
    let endFilename: string | null = null;
    let inFlight: Promise<void> = Promise.resolve();
    const flush = async () => {
      await inFlight;
      const now = await pipe.current();
      if (pipe.signal.aborted || !now || isTerminalPhase(now.phase)) throw new Refused(409, 'This upload was cancelled.', 'CANCELLED');
      const bytes = buffer.subarray(0, filled);
      const startByte = queued;
      queued += filled;
      filled = 0;
      buffer = buffer === buffers[0] ? buffers[1] : buffers[0];
      inFlight = pipe.sendChunk({ startByte, chunkIndex: chunkIndex++, bytes }).then(async (answer) => {
        sent = startByte + bytes.length;
        endFilename = answer.endFilename;
        await pipe.change({ receivedBytes: sent });
      });
      inFlight.catch(() => undefined);
    };
    try {
      for await (const piece of pipe.body) {
        if (pipe.signal.aborted) throw new Refused(409, 'This upload was cancelled.', 'CANCELLED');
        if (queued + filled + piece.length > size) throw new Refused(413, `The file is larger than declared: more than ${size} bytes.`, 'BAD_USER_INPUT');
        let offset = 0;
        while (offset < piece.length) {
          const take = Math.min(piece.length - offset, buffer.length - filled);
          piece.copy(buffer, filled, offset, offset + take);
          filled += take;
          offset += take;
          if (filled === buffer.length) await flush();
        }
      }
    } catch (err) {
      await inFlight.catch(() => undefined);
      if (err instanceof Refused || err instanceof UpstreamError) throw err;
      if (pipe.signal.aborted) throw new Refused(409, 'This upload was cancelled.', 'CANCELLED');
      throw new Refused(400, `The connection closed after ${queued + filled} of ${size} bytes.`, 'BAD_USER_INPUT');
    }
    if (filled > 0) await flush();
    await inFlight;
    if (sent < size) throw new Refused(400, `The file ended after ${sent} of ${size} declared bytes.`, 'BAD_USER_INPUT');
    if (!endFilename) throw new UpstreamError('FLAI', 200, 'UPSTREAM_BAD_RESPONSE', 'Flai took the last chunk without naming the uploaded file (end_filename)');
    await pipe.change({ phase: 'ingesting' });
    const datasetId = await pipe.createDataset(endFilename);
    const done = await pipe.change({ phase: 'succeeded', datasetId });
    if (done?.phase !== 'succeeded') return { status: 409, error: `This upload is ${done?.phase ?? 'gone'}.`, code: 'CANCELLED' };
    return { status: 200, id: record.id, state: 'SUCCEEDED', datasetId };
  } catch (err) {
    const refused = err instanceof Refused ? err : null;
    const upstream = err instanceof UpstreamError ? err : null;
    const message = refused?.message ?? (upstream ? `Flai failed during the upload (${upstream.code}): ${upstream.message}` : 'The upload failed inside the gateway.');
    const code = refused?.code ?? upstream?.code ?? 'INTERNAL_SERVER_ERROR';
    if (code !== 'CANCELLED') await pipe.change({ phase: 'failed', error: message, errorCode: code, receivedBytes: sent });
    const status = refused?.status ?? (upstream ? (upstream.code === 'BAD_USER_INPUT' ? 422 : 502) : 500);
    if (!refused && !upstream) throw err;
    return { status, error: message, code };
  }
}
