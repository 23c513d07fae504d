import { createHash, randomUUID } from 'node:crypto';
import { closeSync, createWriteStream, mkdtempSync, openSync, readdirSync, rmSync, type WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Busboy } from '@fastify/busboy';
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
export function readImageForm(req: IncomingMessage, stagePath: string, maxBytes: number): Promise<ImageForm> {
  return new Promise((resolve) => {
    let file: StagedImage | null = null;
    let written: Promise<void> = Promise.resolve();
    let out: WriteStream | null = null;
    let part: NodeJS.ReadableStream | null = null;
    let settled = false;
    const done = (form: ImageForm) => {
      if (settled) return;
      settled = true;
      if (form.kind !== 'form') {
        part?.unpipe();
        part?.resume();
        out?.destroy();
        req.unpipe(parser);
        req.resume();
      }
      // Once the staged file is closed: a file still opening when the body broke off is then removed too.
      if (!out || out.closed) resolve(form);
      else out.once('close', () => resolve(form));
    };
    let parser: InstanceType<typeof Busboy>;
    try {
      parser = new Busboy({ headers: { ...req.headers, 'content-type': req.headers['content-type'] ?? '' }, limits: { files: 1, fields: 32, fieldSize: 4096 } });
    } catch {
      req.resume();
      resolve({ kind: 'malformed', reason: 'Content-Type must be multipart/form-data with a boundary' });
      return;
    }
    parser.on('file', (name, stream, filename) => {
      if (name !== 'file' || file) {
        stream.resume();
        return;
      }
      const staged: StagedImage = { filename: filename || null, size: 0, checksum: null, path: stagePath };
      file = staged;
      const hash = createHash('sha1');
      const sink = createWriteStream(stagePath);
      out = sink;
      part = stream;
      written = new Promise((ok, fail) => {
        sink.on('finish', ok);
        sink.on('error', fail);
        stream.on('error', fail);
      });
      // Handled where the form ends; a part cut short is not waited for.
      written.catch(() => undefined);
      stream.on('data', (data: Buffer) => {
        staged.size += data.length;
        if (staged.size > maxBytes) return; // only counted from here: the upload is refused as FileTooBig
        hash.update(data);
        if (!sink.write(data)) {
          stream.pause();
          sink.once('drain', () => stream.resume());
        }
      });
      stream.on('end', () => {
        if (staged.size <= maxBytes) staged.checksum = hash.digest('hex');
        sink.end();
      });
    });
    parser.on('error', () => done({ kind: 'malformed', reason: 'The multipart body is truncated' }));
    parser.on('finish', () => {
      written.then(
        () => done({ kind: 'form', file }),
        () => done({ kind: 'interrupted' }),
      );
    });
    req.on('error', () => done({ kind: 'interrupted' }));
    req.on('close', () => {
      if (!req.complete) done({ kind: 'interrupted' });
    });
    req.pipe(parser);
  });
}
