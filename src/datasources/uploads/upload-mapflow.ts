import { Readable } from 'node:stream';
import { UpstreamError } from '../../errors.js';
import type { MapflowImage } from '../../schema/mapflow/mosaic.type.js';
import { Refused, type ReceiveAnswer } from './upload-pipe.js';
import type { UploadPatch, UploadRecord } from './upload-store.js';

export interface MapflowPipe {
  record: UploadRecord;
  body: AsyncIterable<Buffer>;
  declaredLength: number | null;
  signal: AbortSignal;
  change(patch: UploadPatch): Promise<UploadRecord | null>;
  /** Sends the multipart request; resolves with the image Mapflow made. */
  send(body: { stream: Readable; length: number; contentType: string }): Promise<MapflowImage>;
}

/** A multipart head and tail around the file part `file` (docs/vendors.md, "Mapflow: Data API"). */
export function multipartFrame(fileName: string, boundary: string): { head: Buffer; tail: Buffer } {
  const safe = fileName.replace(/["\\\r\n]/g, '_');
  return {
    head: Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${safe}"\r\ncontent-type: image/tiff\r\n\r\n`),
    tail: Buffer.from(`\r\n--${boundary}--\r\n`),
  };
}

/**
 * A plain PUT into a Mapflow mosaic: one multipart request to Mapflow whose file part is the
 * incoming body itself, streamed as it arrives (backpressure through the pipe: nothing is held but
 * what is in flight), with its exact Content-Length. More bytes than declared, a dropped client or a
 * cancel breaks the request off mid-body, so Mapflow gets a truncated multipart body and makes no image.
 */
export async function receiveIntoMapflow(pipe: MapflowPipe): Promise<ReceiveAnswer> {
  const { record } = pipe;
  const size = record.size;
  let received = 0;
  let failure: Refused | null = null;
  try {
    if (pipe.declaredLength !== null && pipe.declaredLength !== size) {
      const larger = pipe.declaredLength > size;
      throw new Refused(larger ? 413 : 400, `The file is ${larger ? 'larger' : 'smaller'} than declared: ${pipe.declaredLength} bytes sent for a declared size of ${size}.`, 'BAD_USER_INPUT');
    }
    await pipe.change({ phase: 'receiving' });
    const boundary = `----gateway-upload-${record.id}`;
    const { head, tail } = multipartFrame(record.fileName, boundary);
    let lastReported = 0;
    const source = async function* (): AsyncGenerator<Buffer> {
      yield head;
      try {
        for await (const piece of pipe.body) {
          if (pipe.signal.aborted) throw new Refused(409, 'This upload was cancelled.', 'CANCELLED');
          received += piece.length;
          if (received > size) throw new Refused(413, `The file is larger than declared: more than ${size} bytes.`, 'BAD_USER_INPUT');
          // Progress about every 8 MB, not per network packet.
          if (received - lastReported >= 8_000_000) {
            lastReported = received;
            await pipe.change({ receivedBytes: received });
          }
          yield piece;
        }
      } catch (err) {
        failure = err instanceof Refused ? err : pipe.signal.aborted ? new Refused(409, 'This upload was cancelled.', 'CANCELLED') : new Refused(400, `The connection closed after ${received} of ${size} bytes.`, 'BAD_USER_INPUT');
        throw failure;
      }
      if (received < size) {
        failure = new Refused(400, `The file ended after ${received} of ${size} declared bytes.`, 'BAD_USER_INPUT');
        throw failure;
      }
      yield tail;
    };
    const image = await pipe.send({ stream: Readable.from(source()), length: head.length + size + tail.length, contentType: `multipart/form-data; boundary=${boundary}` });
    await pipe.change({ receivedBytes: received, phase: 'ingesting' });
    const done = await pipe.change({ phase: 'succeeded', imageId: image.id, mosaicId: image.mosaicId });
    if (done?.phase !== 'succeeded') return { status: 409, error: `This upload is ${done?.phase ?? 'gone'}.`, code: 'CANCELLED' };
    return { status: 200, id: record.id, state: 'SUCCEEDED', datasetId: null, imageId: image.id, mosaicId: image.mosaicId };
  } catch (err) {
    // The request broke off because of the incoming side: that is the reason, not the transport error it caused.
    const refused = err instanceof Refused ? err : failure;
    const upstream = !refused && err instanceof UpstreamError ? err : null;
    const message = refused?.message ?? (upstream ? `Mapflow failed during the upload (${upstream.code}): ${upstream.message}` : 'The upload failed inside the gateway.');
    const code = refused?.code ?? upstream?.code ?? 'INTERNAL_SERVER_ERROR';
    if (code !== 'CANCELLED') await pipe.change({ phase: 'failed', error: message, errorCode: code, receivedBytes: Math.min(received, size) });
    if (!refused && !upstream) throw err;
    const status = refused?.status ?? (upstream?.code === 'BAD_USER_INPUT' ? 422 : 502);
    return { status, error: message, code };
  }
}
