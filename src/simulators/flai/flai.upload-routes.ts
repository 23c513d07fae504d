import { rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { readStagedForm, type Router, type SimResult } from '../core/index.js';
import { flaiErrors } from './flai.errors.js';
import type { FlaiTenant } from './flai.types.js';
import {
  FIRST_CHUNK_INDEX,
  SIGNATURE_BYTES,
  UPLOAD_CHUNK_MAX_BYTES,
  UPLOAD_FORM_OVERHEAD_BYTES,
  type ChunkFields,
  type FlaiUploads,
  type IncomingChunk,
} from './flai.uploads.js';
import { DATASET_TYPES, Validator } from './flai.validate.js';

const FIELDS = ['file_name', 'total_file_size', 'session_key', 'dataset_type', 'chunk_start_byte', 'chunk_end_byte', 'chunk_index'] as const;
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** What reading one chunk's multipart body gave. */
type ChunkForm =
  | { kind: 'form'; fields: Record<string, string>; chunk: IncomingChunk | null }
  | { kind: 'tooLarge' }
  | { kind: 'malformed' }
  | { kind: 'interrupted' };

/** `POST /tools/upload` (docs/vendors.md, "Flai: direct upload"). */
export function addUploadRoutes(r: Router<FlaiTenant>, uploads: FlaiUploads): void {
  r.add({
    method: 'POST',
    template: '/tools/upload',
    summary: `One chunk of a direct upload (multipart: ${FIELDS.join(', ')}, file part file_chunk); the last chunk's answer has end_filename`,
    streamBody: true,
    openapi: {
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: [...FIELDS, 'file_chunk'],
              properties: {
                file_name: { type: 'string' },
                total_file_size: { type: 'integer' },
                session_key: { type: 'string', format: 'uuid', description: 'A UUID v4 the client makes; one session may hold several files' },
                dataset_type: { type: 'string', enum: [...DATASET_TYPES] },
                chunk_start_byte: { type: 'integer', description: 'First byte of the chunk (0-based)' },
                chunk_end_byte: { type: 'integer', description: 'One past its last byte' },
                chunk_index: { type: 'integer', minimum: FIRST_CHUNK_INDEX, description: `${FIRST_CHUNK_INDEX} for the first chunk, then one more each` },
                file_chunk: { type: 'string', format: 'binary', description: `At most ${UPLOAD_CHUNK_MAX_BYTES} bytes (the SDK sends 8 000 000)` },
              },
            },
          },
        },
      },
    },
    handler: async (req) => {
      if (!req.stream) return flaiErrors.badRequest('No request body');
      const declared = Number(req.headers['content-length']);
      if (declared > UPLOAD_CHUNK_MAX_BYTES + UPLOAD_FORM_OVERHEAD_BYTES) return tooLarge();
      const incoming = uploads.incomingPath();
      try {
        const form = await readChunkForm(req.stream, incoming);
        if (form.kind === 'tooLarge') return tooLarge();
        if (form.kind === 'malformed') return flaiErrors.badRequest('Malformed multipart/form-data body');
        if (form.kind === 'interrupted') return flaiErrors.badRequest('The request body ended early');
        const checked = validateChunk(form.fields, form.chunk);
        if ('errors' in checked) return flaiErrors.validation(checked.errors);
        return await uploads.accept(req.tenant.name, checked.fields, checked.chunk);
      } finally {
        rmSync(incoming, { force: true });
      }
    },
  });
}

function tooLarge(): SimResult {
  return { status: 413, json: { message: `The file chunk may not be greater than ${UPLOAD_CHUNK_MAX_BYTES} bytes.` } };
}

/** Laravel's checks of one chunk's fields. */
function validateChunk(form: Record<string, string>, chunk: IncomingChunk | null): { fields: ChunkFields; chunk: IncomingChunk } | { errors: Record<string, string[]> } {
  const v = new Validator(form);
  if (v.required('file_name')) {
    v.string('file_name');
    const name = form.file_name;
    if (/[/\\]/.test(name) || name === '.' || name === '..') v.add('file_name', 'The file name must be a file name, not a path.');
    // eslint-disable-next-line no-control-regex -- control characters are what this refuses
    else if (/[\u0000-\u001f\u007f]/.test(name)) v.add('file_name', 'The file name must not contain control characters.');
  }
  if (v.required('session_key') && !UUID4.test(form.session_key)) v.add('session_key', 'The session key must be a valid UUID (version 4).');
  if (v.required('dataset_type')) v.in('dataset_type', DATASET_TYPES);
  for (const field of ['total_file_size', 'chunk_start_byte', 'chunk_end_byte', 'chunk_index'] as const) {
    if (!v.required(field)) continue;
    if (!/^\d+$/.test(form[field])) v.add(field, `The ${field.replace(/_/g, ' ')} must be a non-negative integer.`);
  }
  if (/^\d+$/.test(form.chunk_index ?? '') && Number(form.chunk_index) < FIRST_CHUNK_INDEX) v.add('chunk_index', `The chunk index must be at least ${FIRST_CHUNK_INDEX}.`);
  if (/^\d+$/.test(form.total_file_size ?? '') && Number(form.total_file_size) < 1) v.add('total_file_size', 'The total file size must be at least 1.');
  if (!chunk) v.add('file_chunk', 'The file chunk field is required.');
  if (!v.ok || !chunk) return { errors: v.errors };
  const fields = Object.fromEntries(FIELDS.map((k) => [k, form[k]])) as Record<(typeof FIELDS)[number], string>;
  return {
    chunk,
    fields: {
      ...fields,
      dataset_type: fields.dataset_type as ChunkFields['dataset_type'],
      total_file_size: Number(fields.total_file_size),
      chunk_start_byte: Number(fields.chunk_start_byte),
      chunk_end_byte: Number(fields.chunk_end_byte),
      chunk_index: Number(fields.chunk_index),
    },
  };
}

/**
 * Reads a chunk's multipart body as it arrives: its fields, and its `file_chunk` part written to
 * `stagePath` (at most UPLOAD_CHUNK_MAX_BYTES; more is `tooLarge` at once, the rest of the body discarded).
 */
async function readChunkForm(req: IncomingMessage, stagePath: string): Promise<ChunkForm> {
  let head = Buffer.alloc(0);
  const onData = (data: Buffer) => {
    if (head.length < SIGNATURE_BYTES) head = Buffer.concat([head, data.subarray(0, SIGNATURE_BYTES - head.length)]);
  };
  const form = await readStagedForm(req, { partName: 'file_chunk', stagePath, maxBytes: UPLOAD_CHUNK_MAX_BYTES, overLimit: 'abort', onData });
  // Not multipart at all: the form is empty, and validation says what is missing.
  if (form.kind === 'notMultipart') return { kind: 'form', fields: {}, chunk: null };
  if (form.kind !== 'form') return form;
  return { kind: 'form', fields: form.fields, chunk: form.part && { path: form.part.path, bytes: form.part.bytes, head } };
}
