import { createWriteStream, type WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Busboy } from '@fastify/busboy';

/** The file part of a multipart body, staged on disk while the body arrived. */
export interface StagedPart {
  /** The part's `filename`, or null when it has none. */
  filename: string | null;
  /** Bytes of the part, counted to its end even past `maxBytes`. */
  bytes: number;
  /** True when the part went past `maxBytes` (`overLimit: 'count'`): only its first `maxBytes` are on disk. */
  overLimit: boolean;
  path: string;
}

/** What reading a multipart body gave. */
export type StagedForm =
  | { kind: 'form'; fields: Record<string, string>; part: StagedPart | null }
  /** A `Content-Type` that is not multipart with a boundary. */
  | { kind: 'notMultipart' }
  /** The part went past `maxBytes` with `overLimit: 'abort'`: the rest of the body was discarded. */
  | { kind: 'tooLarge' }
  | { kind: 'malformed' }
  /** The body stopped before its closing boundary (the client went away, or sent less). */
  | { kind: 'interrupted' };

export interface StagedFormOptions {
  /** The name of the one file part kept; other file parts are read and dropped. */
  partName: string;
  stagePath: string;
  maxBytes: number;
  /** Past `maxBytes`: answer `tooLarge` at once (`abort`), or go on counting without writing (`count`). */
  overLimit: 'abort' | 'count';
  /** Sees every piece of the kept part up to `maxBytes` as it arrives (a signature, a checksum). */
  onData?: (data: Buffer) => void;
}

/**
 * Reads a multipart body as it arrives (the simulators' uploads: Flai's chunks, Mapflow's images):
 * its fields, and its file part `partName` written to `stagePath`, so that no file is ever held in
 * memory. Resolves once the staged file is closed, so a caller may remove it whatever the outcome.
 */
export function readStagedForm(req: IncomingMessage, opts: StagedFormOptions): Promise<StagedForm> {
  return new Promise((resolve) => {
    const fields: Record<string, string> = {};
    let staged: StagedPart | null = null;
    let written: Promise<void> = Promise.resolve();
    let out: WriteStream | null = null;
    let part: NodeJS.ReadableStream | null = null;
    let settled = false;
    const done = (form: StagedForm) => {
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
      resolve({ kind: 'notMultipart' });
      return;
    }
    parser.on('field', (name: string, value: string) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, filename) => {
      if (name !== opts.partName || staged) {
        stream.resume();
        return;
      }
      const kept: StagedPart = { filename: filename || null, bytes: 0, overLimit: false, path: opts.stagePath };
      staged = kept;
      const sink = createWriteStream(opts.stagePath);
      out = sink;
      part = stream;
      written = new Promise((ok, fail) => {
        sink.on('finish', ok);
        sink.on('error', fail);
        stream.on('error', fail);
      });
      // Handled where the form ends; a part cut short (tooLarge, interrupted) is not waited for.
      written.catch(() => undefined);
      stream.on('data', (data: Buffer) => {
        kept.bytes += data.length;
        if (kept.bytes > opts.maxBytes) {
          kept.overLimit = true;
          if (opts.overLimit === 'abort') done({ kind: 'tooLarge' });
          return; // `count`: only counted from here
        }
        opts.onData?.(data);
        if (!sink.write(data)) {
          stream.pause();
          sink.once('drain', () => stream.resume());
        }
      });
      stream.on('end', () => sink.end());
    });
    parser.on('error', () => done({ kind: 'malformed' }));
    parser.on('finish', () => {
      written.then(
        () => done({ kind: 'form', fields, part: staged }),
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
