import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DataStore, ERRORS, Upload as TusUpload } from '@tus/utils';
import { UpstreamError } from '../../errors.js';
import { FlaiChunker } from './flai-chunker.js';
import { isTerminalPhase, type UploadPatch, type UploadRecord, type UploadStore } from './upload-store.js';

/** What one tus request of a caller brings: its way to the vendor and to the record's followers. */
export interface TusSender {
  /** Flai: one chunk of the upload's session. */
  sendChunk(chunk: { startByte: number; chunkIndex: number; bytes: Buffer }): Promise<{ endFilename: string | null }>;
  createDataset(endFilename: string): Promise<string>;
  /** Mapflow: the whole file, staged and complete, in one request; the image and its mosaic. */
  sendFile(file: Readable): Promise<{ imageId: string; mosaicId: string }>;
  change(patch: UploadPatch): Promise<UploadRecord | null>;
}

/** A tus error answer, as @tus/server sends it. */
const tusError = (status: number, body: string) => Object.assign(new Error(body), { status_code: status, body: `${body}\n` });

/**
 * The tus 1.0 store of uploads (@tus/server's DataStore): the upload exists already (createUpload),
 * so the store implements no creation. To Mapflow (one multipart request per image) the file is
 * staged whole under UPLOAD_DIR and sent when complete, then deleted. To Flai, each PATCH's bytes fill two 8 MB buffers in turn,
 * each sent to Flai as the next chunk of the upload's own session as soon as it is full, while the other fills; what is left
 * when the PATCH ends (the end of a request, or a dropped connection) is staged on disk under
 * UPLOAD_DIR, at most one chunk per upload, and read back by the next PATCH, so a resumed upload
 * continues the same Flai session. The offset is what Flai took plus what is staged here.
 */
export class UploadTusStore extends DataStore {
  /** The senders of the requests in progress, by upload id (one at a time per upload: @tus/server locks it). */
  readonly senders = new Map<string, TusSender>();

  constructor(
    private readonly store: UploadStore,
    private readonly dir: string,
    private readonly maxDirBytes: number,
  ) {
    super();
    this.extensions = [];
  }

  override async getUpload(id: string): Promise<TusUpload> {
    const record = await this.store.get(id);
    if (!record) throw ERRORS.FILE_NOT_FOUND;
    if (isTerminalPhase(record.phase) && record.phase !== 'succeeded') throw ERRORS.FILE_NO_LONGER_EXISTS;
    const staged = await this.stagedBytes(id);
    const offset = record.phase === 'succeeded' ? record.size : record.target === 'MAPFLOW_MOSAIC' ? staged : record.receivedBytes + staged;
    return new TusUpload({ id, size: record.size, offset, creation_date: new Date(record.createdAt).toISOString() });
  }

  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    const sender = this.senders.get(id);
    const record = await this.store.get(id);
    if (!sender || !record) throw ERRORS.FILE_NOT_FOUND;
    if (isTerminalPhase(record.phase)) throw ERRORS.FILE_NO_LONGER_EXISTS;
    if (record.target === 'MAPFLOW_MOSAIC') return this.writeWhole(stream, record, offset, sender);
    const size = record.size;
    // Two chunk buffers: one at Flai while the next fills (docs/architecture.md, "Uploads through the gateway").
    const chunker = new FlaiChunker({
      size,
      from: record.receivedBytes,
      beforeSend: async () => {
        const now = await this.store.get(id);
        if (!now || isTerminalPhase(now.phase)) throw ERRORS.FILE_NO_LONGER_EXISTS;
      },
      send: (chunk) => sender.sendChunk(chunk),
      onSent: (sent) => sender.change({ receivedBytes: sent }),
    });
    await chunker.preload((buffer) => this.readStaged(id, buffer));
    if (offset !== chunker.received) throw ERRORS.INVALID_OFFSET;
    if ((await this.dirBytes()) + chunker.chunkLength > this.maxDirBytes) throw tusError(507, 'The gateway has no room to stage more uploads now (UPLOAD_DIR_MAX_BYTES); try again later.');
    if (record.phase === 'created') await sender.change({ phase: 'receiving' });
    try {
      try {
        for await (const piece of stream as AsyncIterable<Buffer>) {
          if (chunker.received + piece.length > size) throw tusError(413, `The file is larger than declared: more than ${size} bytes.`);
          await chunker.push(piece);
        }
      } finally {
        await chunker.settled().catch(() => undefined);
      }
      await chunker.settled();
      if (chunker.received < size) {
        await this.stage(id, chunker.pending);
        return chunker.received;
      }
      if (chunker.pending.length > 0) await chunker.flush();
      await chunker.settled();
      await this.unstage(id);
      const endFilename = chunker.endFilename;
      if (!endFilename) throw new UpstreamError('FLAI', 200, 'UPSTREAM_BAD_RESPONSE', 'Flai took the last chunk without naming the uploaded file (end_filename)');
      await sender.change({ phase: 'ingesting' });
      const datasetId = await sender.createDataset(endFilename);
      await sender.change({ phase: 'succeeded', datasetId });
      return size;
    } catch (err) {
      await this.unstage(id);
      const upstream = err instanceof UpstreamError ? err : null;
      const known = err as { status_code?: number; body?: string };
      const message = upstream ? `Flai failed during the upload (${upstream.code}): ${upstream.message}` : (known.body?.trim() ?? 'The upload failed inside the gateway.');
      if (known.status_code !== ERRORS.FILE_NO_LONGER_EXISTS.status_code) {
        await sender.change({ phase: 'failed', error: message, errorCode: upstream?.code ?? 'BAD_USER_INPUT', receivedBytes: chunker.sent });
      }
      if (upstream) throw tusError(upstream.code === 'BAD_USER_INPUT' ? 422 : 502, message);
      throw err;
    }
  }

  /** Mapflow: appends to the staged file; once it is complete, sends it and deletes it. */
  private async writeWhole(stream: Readable, record: UploadRecord, offset: number, sender: TusSender): Promise<number> {
    const { id, size } = record;
    const staged = await this.stagedBytes(id);
    if (offset !== staged) throw ERRORS.INVALID_OFFSET;
    if ((await this.dirBytes()) + (size - staged) > this.maxDirBytes) throw tusError(507, 'The gateway has no room to stage more uploads now (UPLOAD_DIR_MAX_BYTES); try again later.');
    if (record.phase === 'created') await sender.change({ phase: 'receiving' });
    await mkdir(this.dir, { recursive: true });
    let written = staged;
    const file = await open(this.partOf(id), 'a');
    try {
      for await (const piece of stream as AsyncIterable<Buffer>) {
        if (written + piece.length > size) {
          await file.close().catch(() => {});
          await this.unstage(id);
          await sender.change({ phase: 'failed', error: `The file is larger than declared: more than ${size} bytes.`, errorCode: 'BAD_USER_INPUT' });
          throw tusError(413, `The file is larger than declared: more than ${size} bytes.`);
        }
        await file.write(piece);
        written += piece.length;
      }
    } finally {
      await file.close().catch(() => {});
    }
    await sender.change({ receivedBytes: written });
    if (written < size) return written;
    try {
      const now = await this.store.get(id);
      if (!now || isTerminalPhase(now.phase)) throw ERRORS.FILE_NO_LONGER_EXISTS;
      await sender.change({ phase: 'ingesting' });
      // Read back in 1 MiB pieces (not the default 64 KiB): fewer reads and writes on the way to Mapflow.
      const made = await sender.sendFile(createReadStream(this.partOf(id), { highWaterMark: 1024 * 1024 }));
      await sender.change({ phase: 'succeeded', imageId: made.imageId, mosaicId: made.mosaicId });
      return size;
    } catch (err) {
      const upstream = err instanceof UpstreamError ? err : null;
      const message = upstream ? `Mapflow failed during the upload (${upstream.code}): ${upstream.message}` : 'The upload failed inside the gateway.';
      if (err !== ERRORS.FILE_NO_LONGER_EXISTS) await sender.change({ phase: 'failed', error: message, errorCode: upstream?.code ?? 'INTERNAL_SERVER_ERROR' });
      if (upstream) throw tusError(upstream.code === 'BAD_USER_INPUT' ? 422 : 502, message);
      throw err;
    } finally {
      await this.unstage(id);
    }
  }

  private partOf(id: string): string {
    return join(this.dir, `${id.replace(/[^\w-]/g, '')}.part`);
  }

  private async stagedBytes(id: string): Promise<number> {
    return (await stat(this.partOf(id)).catch(() => null))?.size ?? 0;
  }

  /** Reads the staged rest of the last PATCH into `buffer`; its length. */
  private async readStaged(id: string, buffer: Buffer): Promise<number> {
    const file = await open(this.partOf(id), 'r').catch(() => null);
    if (!file) return 0;
    try {
      return (await file.read(buffer, 0, buffer.length, 0)).bytesRead;
    } finally {
      await file.close();
    }
  }

  private async stage(id: string, bytes: Buffer): Promise<void> {
    if (!bytes.length) return this.unstage(id);
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.partOf(id)}.${process.pid}.tmp`;
    const file = await open(tmp, 'w');
    try {
      await file.write(bytes);
    } finally {
      await file.close();
    }
    await rename(tmp, this.partOf(id));
  }

  private async unstage(id: string): Promise<void> {
    await rm(this.partOf(id), { force: true });
  }

  /** What this replica stages under UPLOAD_DIR now. */
  private async dirBytes(): Promise<number> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    let total = 0;
    for (const name of names) total += (await stat(join(this.dir, name)).catch(() => null))?.size ?? 0;
    return total;
  }
}

