/**
 * Flai's direct upload as its SDK sends it (`POST /tools/upload`, multipart, docs/vendors.md,
 * "Flai: direct upload"), for the simulator's tests.
 */
import { randomUUID } from 'node:crypto';
import { FIRST_CHUNK_INDEX, UPLOAD_CHUNK_BYTES, type UploadSessionView } from '../../src/simulators/flai/index.js';

export { FIRST_CHUNK_INDEX, UPLOAD_CHUNK_BYTES, type UploadSessionView };

/** What the simulator answers a chunk it took. */
export interface ChunkAnswer {
  session_key: string;
  file_name: string;
  chunk_index: number;
  received_bytes: number;
  total_file_size: number;
  next_chunk_index?: number;
  next_chunk_start_byte?: number;
  end_filename?: string;
}

/** Laravel's 422 (and the simulator's 413 / 400, which have only `message`). */
export interface ErrorAnswer {
  message: string;
  errors?: Record<string, string[]>;
}

export interface ChunkReply {
  status: number;
  body: ChunkAnswer & ErrorAnswer;
}

/** The form of one chunk; the byte fields default to what `bytes` and `start` imply. */
export interface ChunkSpec {
  sessionKey: string;
  fileName: string;
  totalSize: number;
  bytes: Buffer;
  start: number;
  index: number;
  end?: number;
  datasetType?: string;
  /** Overrides of (or extra) form fields, sent as given. */
  fields?: Record<string, string>;
}

/** A synthetic LAS file of `size` bytes: the `LASF` signature, then a byte pattern (never stored in the repo). */
export function syntheticLas(size: number): Buffer {
  const file = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset++) file[offset] = (offset * 31 + (offset >> 13)) & 0xff;
  file.write('LASF', 0, 'latin1');
  return file;
}

export const newSessionKey = (): string => randomUUID();

/** The form fields of a chunk, as the SDK sends them (before its file part). */
export function chunkFields(spec: ChunkSpec): Record<string, string> {
  return {
    file_name: spec.fileName,
    total_file_size: String(spec.totalSize),
    session_key: spec.sessionKey,
    dataset_type: spec.datasetType ?? 'pointcloud',
    chunk_start_byte: String(spec.start),
    chunk_end_byte: String(spec.end ?? spec.start + spec.bytes.length),
    chunk_index: String(spec.index),
    ...spec.fields,
  };
}

/** Sends one chunk with a Bearer token, as multipart/form-data with the file part `file_chunk`. */
export async function sendChunk(sim: { url: string }, token: string, spec: ChunkSpec): Promise<ChunkReply> {
  const form = new FormData();
  for (const [name, value] of Object.entries(chunkFields(spec))) form.append(name, value);
  form.append('file_chunk', new Blob([new Uint8Array(spec.bytes)], { type: 'application/octet-stream' }), spec.fileName);
  const res = await fetch(`${sim.url}/tools/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, body: form });
  return { status: res.status, body: (await res.json()) as ChunkAnswer & ErrorAnswer };
}

/** Uploads a whole file in the SDK's 8 MB chunks; every answer, the last one's `end_filename` among them. */
export async function uploadFile(sim: { url: string }, token: string, file: Buffer, opts: { sessionKey: string; fileName: string; datasetType?: string }): Promise<ChunkReply[]> {
  const replies: ChunkReply[] = [];
  for (let start = 0, index = FIRST_CHUNK_INDEX; start < file.length; start += UPLOAD_CHUNK_BYTES, index++) {
    const bytes = file.subarray(start, start + UPLOAD_CHUNK_BYTES);
    replies.push(await sendChunk(sim, token, { ...opts, totalSize: file.length, bytes, start, index }));
  }
  return replies;
}
