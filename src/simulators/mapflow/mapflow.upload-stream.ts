import { createHash, randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStagedForm } from '../core/index.js';
import { readTiff, tiffFile, type TiffInfo } from './mapflow.tiff.js';

/** The `file` part of an image upload, staged on disk while the body arrived. */
export interface StagedImage {
  filename: string | null;
  /** Bytes of the part (counted to the end even past the limit, for `FileTooBig`). */
  size: number;
  /** SHA-1 of the part; null past the limit (the bytes were not kept). */
  checksum: string | null;
  path: string;
}

/** What reading an upload's multipart body gave. */
export type ImageForm = { kind: 'form'; file: StagedImage | null } | { kind: 'malformed'; reason: string } | { kind: 'interrupted' };

/**
 * Where the simulator stages image uploads: one file per request, removed when the image is recorded
 * (only its metadata and size are kept) or the request fails or is cut short.
 */
export class MapflowStaging {
  private readonly root = mkdtempSync(join(tmpdir(), 'mapflow-sim-uploads-'));

  newPath(): string {
    return join(this.root, `incoming-${randomUUID()}`);
  }

  /** The files staged now (`GET /__sim/rasters/staging`). */
  files(): string[] {
    return readdirSync(this.root);
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The TIFF tags of a staged file, read from disk. */
export function readStagedTiff(path: string, size: number): TiffInfo | null {
  const fd = openSync(path, 'r');
  try {
    return readTiff(tiffFile(fd, size));
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads an upload's multipart body as it arrives (as Flai's `/tools/upload` does): the first part
 * named `file` is written to `stagePath` up to `maxBytes`, the rest only counted. A body that stops
 * before its closing boundary is `malformed` or `interrupted`: a truncated upload never makes an image.
 */
export async function readImageForm(req: IncomingMessage, stagePath: string, maxBytes: number): Promise<ImageForm> {
  const hash = createHash('sha1');
  const form = await readStagedForm(req, { partName: 'file', stagePath, maxBytes, overLimit: 'count', onData: (data) => hash.update(data) });
  if (form.kind === 'notMultipart') return { kind: 'malformed', reason: 'Content-Type must be multipart/form-data with a boundary' };
  if (form.kind === 'malformed' || form.kind === 'tooLarge') return { kind: 'malformed', reason: 'The multipart body is truncated' };
  if (form.kind === 'interrupted') return form;
  const part = form.part;
  return { kind: 'form', file: part && { filename: part.filename, size: part.bytes, checksum: part.overLimit ? null : hash.digest('hex'), path: part.path } };
}
