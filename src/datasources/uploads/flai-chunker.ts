/** Flai's chunk: the SDK's 8 000 000 bytes (docs/vendors.md, "Flai: direct upload"). */
export const FLAI_CHUNK_BYTES = 8_000_000;
/** The first chunk's `chunk_index`; one more each after it. */
const FIRST_CHUNK_INDEX = 10_000;

export interface FlaiChunkerOptions {
  /** The upload's declared size: no buffer is larger than it. */
  size: number;
  /** Bytes Flai already holds (a resumed upload): the next chunk starts there. */
  from: number;
  /** Before each chunk leaves: throws to stop (a cancel, an upload that has ended meanwhile). */
  beforeSend(): Promise<void>;
  send(chunk: { startByte: number; chunkIndex: number; bytes: Buffer }): Promise<{ endFilename: string | null }>;
  /** After Flai took a chunk: the bytes it holds now (in order; the next chunk does not wait for it). */
  onSent(sent: number): Promise<unknown>;
}

/**
 * Incoming bytes into Flai's chunks (docs/architecture.md, "Uploads through the gateway"): they fill
 * two chunk buffers in turn, and each full buffer is sent as the next chunk while the other fills,
 * so reading from the client and Flai taking a chunk overlap. At most one chunk is at Flai at a time
 * and `push` waits once both buffers are full (backpressure): memory stays at two chunks whatever
 * the file's size. Between Flai's answer and the next chunk leaving there is only the check
 * (`beforeSend`): the progress of the chunk taken is recorded while the next one is on its way
 * (docs/decisions.md, "Uploads to Flai: where the time goes"). Used by a plain PUT (upload-pipe.ts)
 * and by each tus PATCH (tus-store.ts).
 */
export class FlaiChunker {
  private readonly buffers: [Buffer, Buffer];
  private buffer: Buffer;
  private filled = 0;
  private queued: number;
  private inFlight: Promise<void> = Promise.resolve();
  /** The progress records of the chunks taken, one after the other. */
  private progress: Promise<unknown> = Promise.resolve();
  /** Bytes Flai has taken. */
  sent: number;
  /** What Flai's answer to the last chunk named the uploaded file. */
  endFilename: string | null = null;

  constructor(private readonly opts: FlaiChunkerOptions) {
    const length = Math.min(FLAI_CHUNK_BYTES, opts.size);
    this.buffers = [Buffer.allocUnsafe(length), Buffer.allocUnsafe(length)];
    this.buffer = this.buffers[0];
    this.sent = opts.from;
    this.queued = opts.from;
  }

  /** Bytes taken in so far: those at Flai or on their way, and those in the buffer filling now. */
  get received(): number {
    return this.queued + this.filled;
  }

  /** The bytes of the buffer filling now (what a tus PATCH stages when it ends short of a chunk). */
  get pending(): Buffer {
    return this.buffer.subarray(0, this.filled);
  }

  /** The length of one chunk buffer. */
  get chunkLength(): number {
    return this.buffer.length;
  }

  /** Fills the current buffer from `read` (bytes staged by an earlier tus PATCH); returns how many. */
  async preload(read: (buffer: Buffer) => Promise<number>): Promise<number> {
    this.filled = await read(this.buffer);
    return this.filled;
  }

  /** Copies `piece` in, sending each buffer that becomes full. */
  async push(piece: Buffer): Promise<void> {
    let offset = 0;
    while (offset < piece.length) {
      const take = Math.min(piece.length - offset, this.buffer.length - this.filled);
      piece.copy(this.buffer, this.filled, offset, offset + take);
      this.filled += take;
      offset += take;
      if (this.filled === this.buffer.length) await this.flush();
    }
  }

  /** Sends what the current buffer holds as the next chunk (after the one at Flai is taken). */
  async flush(): Promise<void> {
    await this.inFlight;
    await this.opts.beforeSend();
    const bytes = this.buffer.subarray(0, this.filled);
    const startByte = this.queued;
    this.queued += this.filled;
    this.filled = 0;
    this.buffer = this.buffer === this.buffers[0] ? this.buffers[1] : this.buffers[0];
    const answered = this.opts.send({ startByte, chunkIndex: FIRST_CHUNK_INDEX + Math.round(startByte / FLAI_CHUNK_BYTES), bytes });
    const recorded = this.progress;
    this.inFlight = (async () => {
      // Both settle before this does; a failed progress record stops the upload as a failed chunk does.
      const [answer, record] = await Promise.allSettled([answered, recorded]);
      if (answer.status === 'rejected') throw answer.reason;
      const sent = startByte + bytes.length;
      this.sent = sent;
      this.endFilename = answer.value.endFilename;
      if (record.status === 'rejected') throw record.reason;
      this.progress = this.opts.onSent(sent);
      this.progress.catch(() => undefined);
    })();
    this.inFlight.catch(() => undefined);
  }

  /** Waits for the chunk at Flai and the record of its progress; rejects with their failure. */
  async settled(): Promise<void> {
    await this.inFlight;
    await this.progress;
  }
}
