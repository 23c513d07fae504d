import { UpstreamError } from '../../errors.js';
import { FlaiChunker } from './flai-chunker.js';
import { isTerminalPhase, type UploadPatch, type UploadRecord } from './upload-store.js';

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

/** A PUT refused by the gateway itself: its HTTP status and the code the Upload records. */
export class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * A plain PUT into a Flai direct upload: the incoming bytes go to Flai in chunks as they arrive
 * (FlaiChunker: two buffers, one at Flai while the other fills; bench/uploads.ts measured the gain),
 * so memory stays at two chunks whatever the file's size. After the last chunk the dataset is made
 * from the session. Any failure, a disconnect or a cancel stops it before the dataset: Flai
 * documents no way to discard a session, so nothing is ever made from a partial one.
 */
export async function receiveIntoFlai(pipe: FlaiPipe): Promise<ReceiveAnswer> {
  const { record } = pipe;
  const size = record.size;
  const cancelled = () => new Refused(409, 'This upload was cancelled.', 'CANCELLED');
  const chunker = new FlaiChunker({
    size,
    from: 0,
    beforeSend: async () => {
      const now = await pipe.current();
      if (pipe.signal.aborted || !now || isTerminalPhase(now.phase)) throw cancelled();
    },
    send: (chunk) => pipe.sendChunk(chunk),
    onSent: (sent) => pipe.change({ receivedBytes: sent }),
  });
  try {
    if (pipe.declaredLength !== null && pipe.declaredLength > size) {
      throw new Refused(413, `The file is larger than declared: ${pipe.declaredLength} bytes sent for a declared size of ${size}.`, 'BAD_USER_INPUT');
    }
    if (pipe.declaredLength !== null && pipe.declaredLength < size) {
      throw new Refused(400, `The file is smaller than declared: ${pipe.declaredLength} bytes sent for a declared size of ${size}.`, 'BAD_USER_INPUT');
    }
    await pipe.change({ phase: 'receiving' });
    try {
      for await (const piece of pipe.body) {
        if (pipe.signal.aborted) throw cancelled();
        if (chunker.received + piece.length > size) throw new Refused(413, `The file is larger than declared: more than ${size} bytes.`, 'BAD_USER_INPUT');
        await chunker.push(piece);
      }
    } catch (err) {
      await chunker.settled().catch(() => undefined);
      if (err instanceof Refused || err instanceof UpstreamError) throw err;
      if (pipe.signal.aborted) throw cancelled();
      throw new Refused(400, `The connection closed after ${chunker.received} of ${size} bytes.`, 'BAD_USER_INPUT');
    }
    if (chunker.pending.length > 0) await chunker.flush();
    await chunker.settled();
    if (chunker.sent < size) throw new Refused(400, `The file ended after ${chunker.sent} of ${size} declared bytes.`, 'BAD_USER_INPUT');
    const endFilename = chunker.endFilename;
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
    if (code !== 'CANCELLED') await pipe.change({ phase: 'failed', error: message, errorCode: code, receivedBytes: chunker.sent });
    const status = refused?.status ?? (upstream ? (upstream.code === 'BAD_USER_INPUT' ? 422 : 502) : 500);
    if (!refused && !upstream) throw err;
    return { status, error: message, code };
  }
}
