/**
 * Flai's direct upload on the simulator, over real HTTP (docs/vendors.md, "Flai: direct upload"):
 * `POST /tools/upload` in chunks, then a dataset from `upload_storage_tmp`.
 */
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { describe, expect } from 'vitest';
import { FLAI_TIMINGS, UPLOAD_CHUNK_MAX_BYTES, UPLOAD_SESSION_TTL_MS } from '../../src/simulators/flai/index.js';
import { ALPHA, BETA, ORG_A, advance, api, startFrozen, test, type Json, type Sim } from './flai.helpers.js';
import {
  chunkFields,
  FIRST_CHUNK_INDEX,
  newSessionKey,
  sendChunk,
  syntheticLas,
  UPLOAD_CHUNK_BYTES,
  uploadFile,
  type ChunkSpec,
  type ErrorAnswer,
  type UploadSessionView,
} from './flai.upload.helpers.js';
import { adminCall, adminJson } from './sim-admin.helpers.js';

const UPLOAD_ROUTE = 'POST /tools/upload';

async function sessions(sim: Sim): Promise<UploadSessionView[]> {
  return (await adminJson<{ sessions: UploadSessionView[] }>(sim, '/__sim/uploads')).sessions;
}

async function session(sim: Sim, key: string): Promise<UploadSessionView | undefined> {
  return (await sessions(sim)).find((s) => s.session_key === key);
}

/** `POST …/datasets` from an upload, as the SDK's `upload_and_post_datasets` sends it. */
function datasetFromUpload(sim: Sim, path: string, opts: { token?: string; address?: string } = {}) {
  return api<Json & ErrorAnswer>(sim, `${ORG_A}/datasets`, {
    token: opts.token,
    body: {
      dataset_name: 'Uploaded survey',
      dataset_type_key: 'pointcloud',
      srid: 3794,
      unit: 'm',
      import_datasource: { credentials: {}, datasource_type: 'upload_storage_tmp', datasource_address: opts.address ?? '/', path },
    },
  });
}

const small = (spec: Partial<ChunkSpec> & { sessionKey: string }): ChunkSpec => {
  const bytes = spec.bytes ?? syntheticLas(1000);
  return { fileName: 'tile.las', totalSize: 3000, start: 0, index: FIRST_CHUNK_INDEX, ...spec, bytes };
};

describe('flai direct upload (/tools/upload)', () => {
  test('a 20 MB LAS file in 8 MB chunks: the last answer has end_filename, and a dataset made from it becomes ready with its size', async ({ sim }) => {
    const file = syntheticLas(20_000_000);
    const sessionKey = newSessionKey();
    const replies = await uploadFile(sim, ALPHA.token, file, { sessionKey, fileName: 'survey.las' });
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(replies[0].body).toMatchObject({ chunk_index: FIRST_CHUNK_INDEX, received_bytes: UPLOAD_CHUNK_BYTES, next_chunk_index: FIRST_CHUNK_INDEX + 1, next_chunk_start_byte: UPLOAD_CHUNK_BYTES });
    expect(replies[0].body.end_filename).toBeUndefined();
    expect(replies[1].body.end_filename).toBeUndefined();
    const endFilename = replies[2].body.end_filename as string;
    expect(endFilename).toBe(`${sessionKey}/survey.las`);
    expect(replies[2].body).toMatchObject({ received_bytes: 20_000_000, total_file_size: 20_000_000 });

    const staged = await session(sim, sessionKey);
    expect(staged?.tenant).toBe(ALPHA.name);
    expect(staged?.files).toEqual([expect.objectContaining({ file_name: 'survey.las', complete: true, received_bytes: 20_000_000, staged_bytes: 20_000_000 })]);
    expect(existsSync(staged?.directory as string)).toBe(true);

    const created = await datasetFromUpload(sim, endFilename);
    expect(created.status).toBe(200);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ dataset_status: 'created', import_datasource: { datasource_type: 'upload_storage_tmp', datasource_address: '/', path: endFilename } });
    // The staged file is the dataset's now: the session and its directory are gone.
    expect(await session(sim, sessionKey)).toBeUndefined();
    expect(existsSync(staged?.directory as string)).toBe(false);

    await advance(sim, FLAI_TIMINGS.datasetCreatedMs + FLAI_TIMINGS.datasetImportMs);
    const ready = await api(sim, `${ORG_A}/datasets/${id}`);
    expect(ready.body).toMatchObject({ dataset_status: 'ready', dataset_data_size_in_gb: '0.02' });

    // The same end_filename cannot make a second dataset.
    const again = await datasetFromUpload(sim, endFilename);
    expect(again.status).toBe(422);
    expect(again.body.errors?.['import_datasource.path']).toEqual(['The selected import datasource.path is invalid.']);
  });

  test('refuses a chunk out of order, a repeated one, a gap, a wrong size, and bytes beyond the declared total', async ({ sim }) => {
    const sessionKey = newSessionKey();
    const later = await sendChunk(sim, ALPHA.token, small({ sessionKey, index: FIRST_CHUNK_INDEX + 1 }));
    expect(later.status).toBe(422);
    expect(later.body).toEqual({ message: 'The given data was invalid.', errors: { chunk_index: [`The chunk index must be ${FIRST_CHUNK_INDEX}: the next chunk of this file.`] } });
    expect(await session(sim, sessionKey)).toBeUndefined();

    expect((await sendChunk(sim, ALPHA.token, small({ sessionKey }))).status).toBe(200);
    const repeated = await sendChunk(sim, ALPHA.token, small({ sessionKey }));
    expect(repeated.status).toBe(422);
    expect(Object.keys(repeated.body.errors ?? {}).sort()).toEqual(['chunk_index', 'chunk_start_byte']);

    const gap = await sendChunk(sim, ALPHA.token, small({ sessionKey, index: FIRST_CHUNK_INDEX + 1, start: 1500 }));
    expect(gap.status).toBe(422);
    expect(gap.body.errors).toEqual({ chunk_start_byte: ['The chunk start byte must be 1000: chunks follow each other without a gap.'] });

    const short = await sendChunk(sim, ALPHA.token, small({ sessionKey, index: FIRST_CHUNK_INDEX + 1, start: 1000, end: 2000, bytes: Buffer.alloc(900) }));
    expect(short.status).toBe(422);
    expect(short.body.errors).toEqual({ file_chunk: ['The file chunk must be 1000 bytes (chunk end byte - chunk start byte); it has 900.'] });

    const beyond = await sendChunk(sim, ALPHA.token, small({ sessionKey, index: FIRST_CHUNK_INDEX + 1, start: 1000, bytes: Buffer.alloc(2500) }));
    expect(beyond.status).toBe(422);
    expect(beyond.body.errors).toEqual({ chunk_end_byte: ['The chunk end byte must not be greater than the total file size.'] });

    const resized = await sendChunk(sim, ALPHA.token, small({ sessionKey, index: FIRST_CHUNK_INDEX + 1, start: 1000, totalSize: 4000 }));
    expect(resized.status).toBe(422);
    expect(resized.body.errors).toEqual({ total_file_size: ['The total file size must stay 3000 for the whole upload of this file.'] });

    // None of the refused chunks moved the upload: the next one still fits.
    expect((await session(sim, sessionKey))?.files[0]).toMatchObject({ received_bytes: 1000, next_chunk_index: FIRST_CHUNK_INDEX + 1, staged_bytes: 1000 });
    const next = await sendChunk(sim, ALPHA.token, small({ sessionKey, index: FIRST_CHUNK_INDEX + 1, start: 1000 }));
    expect(next.body).toMatchObject({ received_bytes: 2000, next_chunk_index: FIRST_CHUNK_INDEX + 2, next_chunk_start_byte: 2000 });
  });

  test('refuses a session key that is not a UUID v4, missing fields, a path for a file name, and what is clearly not a point cloud', async ({ sim }) => {
    const notV4 = await sendChunk(sim, ALPHA.token, small({ sessionKey: '6ba7b810-9dad-11d1-80b4-00c04fd430c8' }));
    expect(notV4.status).toBe(422);
    expect(notV4.body.errors).toEqual({ session_key: ['The session key must be a valid UUID (version 4).'] });

    const res = await fetch(`${sim.url}/tools/upload`, { method: 'POST', headers: { authorization: `Bearer ${ALPHA.token}` }, body: new FormData() });
    const empty = (await res.json()) as ErrorAnswer;
    expect(res.status).toBe(422);
    expect(Object.keys(empty.errors ?? {}).sort()).toEqual(['chunk_end_byte', 'chunk_index', 'chunk_start_byte', 'dataset_type', 'file_chunk', 'file_name', 'session_key', 'total_file_size']);

    const traversal = await sendChunk(sim, ALPHA.token, small({ sessionKey: newSessionKey(), fileName: '../escape.las' }));
    expect(traversal.body.errors).toEqual({ file_name: ['The file name must be a file name, not a path.'] });
    const control = await sendChunk(sim, ALPHA.token, small({ sessionKey: newSessionKey(), fileName: 'tile\u0000.las' }));
    expect(control.body.errors).toEqual({ file_name: ['The file name must not contain control characters.'] });
    const lowIndex = await sendChunk(sim, ALPHA.token, small({ sessionKey: newSessionKey(), index: 1 }));
    expect(lowIndex.body.errors).toEqual({ chunk_index: [`The chunk index must be at least ${FIRST_CHUNK_INDEX}.`] });

    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(994)]);
    const notPointCloud = await sendChunk(sim, ALPHA.token, small({ sessionKey: newSessionKey(), fileName: 'photo.las', bytes: gif }));
    expect(notPointCloud.status).toBe(422);
    expect(notPointCloud.body.errors).toEqual({ file_chunk: ['The file is not a point cloud (LAS, LAZ, E57, PLY, or a zip of them).'] });
    for (const head of ['ASTM-E57', 'ply\nformat ascii 1.0\n', 'PK\x03\x04']) {
      const bytes = Buffer.concat([Buffer.from(head, 'latin1'), Buffer.alloc(100)]);
      const taken = await sendChunk(sim, ALPHA.token, small({ sessionKey: newSessionKey(), bytes, totalSize: bytes.length }));
      expect(taken.status, head).toBe(200);
    }
    // A raster upload is not checked for a point cloud signature (Flai documents no format list).
    const raster = await sendChunk(sim, ALPHA.token, small({ sessionKey: newSessionKey(), datasetType: 'raster', bytes: gif, totalSize: gif.length }));
    expect(raster.body.end_filename).toMatch(/\/tile\.las$/);
  });

  test('answers 413 to a chunk over 8 MiB, and takes nothing of it', async ({ sim }) => {
    const sessionKey = newSessionKey();
    const bytes = syntheticLas(UPLOAD_CHUNK_MAX_BYTES + 1);
    const tooBig = await sendChunk(sim, ALPHA.token, small({ sessionKey, bytes, totalSize: bytes.length }));
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.message).toBe(`The file chunk may not be greater than ${UPLOAD_CHUNK_MAX_BYTES} bytes.`);
    // Without a Content-Length (chunked), the part is cut off where it passes the limit.
    const form = new FormData();
    for (const [name, value] of Object.entries(chunkFields(small({ sessionKey, bytes, totalSize: bytes.length })))) form.append(name, value);
    form.append('file_chunk', new Blob([new Uint8Array(bytes)]), 'tile.las');
    const encoded = new Response(form);
    const chunked = await fetch(`${sim.url}/tools/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ALPHA.token}`, 'content-type': encoded.headers.get('content-type') as string },
      body: encoded.body,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await session(sim, sessionKey)).toBeUndefined();
  });

  test('a connection dropped mid-chunk leaves the upload where it was; the same chunk sent again continues it', async ({ sim }) => {
    const file = syntheticLas(UPLOAD_CHUNK_BYTES + 500_000);
    const sessionKey = newSessionKey();
    const first = await sendChunk(sim, ALPHA.token, { sessionKey, fileName: 'cut.las', totalSize: file.length, bytes: file.subarray(0, UPLOAD_CHUNK_BYTES), start: 0, index: FIRST_CHUNK_INDEX });
    expect(first.body.next_chunk_index).toBe(FIRST_CHUNK_INDEX + 1);

    const calls = sim.stats.count(UPLOAD_ROUTE);
    const rest = file.subarray(UPLOAD_CHUNK_BYTES);
    const spec: ChunkSpec = { sessionKey, fileName: 'cut.las', totalSize: file.length, bytes: rest, start: UPLOAD_CHUNK_BYTES, index: FIRST_CHUNK_INDEX + 1 };
    await sendHalfAndDrop(sim, spec);
    await sim.stats.until(() => sim.stats.count(UPLOAD_ROUTE) > calls);
    expect((await session(sim, sessionKey))?.files[0]).toMatchObject({ received_bytes: UPLOAD_CHUNK_BYTES, next_chunk_index: FIRST_CHUNK_INDEX + 1, staged_bytes: UPLOAD_CHUNK_BYTES, complete: false });
    // An incomplete file makes no dataset.
    const early = await datasetFromUpload(sim, `${sessionKey}/cut.las`);
    expect(early.status).toBe(422);
    expect(early.body.errors?.['import_datasource.path']).toEqual([`The import datasource.path is not completely uploaded: ${UPLOAD_CHUNK_BYTES} of ${file.length} bytes received.`]);

    const resumed = await sendChunk(sim, ALPHA.token, spec);
    expect(resumed.status).toBe(200);
    expect(resumed.body.end_filename).toBe(`${sessionKey}/cut.las`);
    expect((await session(sim, sessionKey))?.files[0]).toMatchObject({ complete: true, staged_bytes: file.length });
  });

  test('a session is discarded by the admin route, or when idle for a day; another tenant sees neither its key nor its files', async ({ sim }) => {
    const sessionKey = newSessionKey();
    expect((await sendChunk(sim, ALPHA.token, small({ sessionKey, totalSize: 1000 }))).body.end_filename).toBe(`${sessionKey}/tile.las`);
    const taken = await sendChunk(sim, BETA.token, small({ sessionKey }));
    expect(taken.body.errors).toEqual({ session_key: ['The session key has already been taken.'] });
    const foreign = await api<ErrorAnswer>(sim, `/organization/${BETA.orgId}/datasets`, {
      token: BETA.token,
      body: { dataset_name: 'Not mine', dataset_type_key: 'pointcloud', import_datasource: { datasource_type: 'upload_storage_tmp', datasource_address: '/', path: `${sessionKey}/tile.las` } },
    });
    expect(foreign.body.errors?.['import_datasource.path']).toEqual(['The selected import datasource.path is invalid.']);
    const badAddress = await datasetFromUpload(sim, `${sessionKey}/tile.las`, { address: 'ftp.example.com' });
    expect(badAddress.body.errors).toEqual({ 'import_datasource.datasource_address': ['The import datasource.datasource address must be "/" for upload_storage_tmp.'] });

    const directory = (await session(sim, sessionKey))?.directory as string;
    expect((await adminCall(sim, `/__sim/uploads/${sessionKey}`, 'DELETE')).status).toBe(200);
    expect(await session(sim, sessionKey)).toBeUndefined();
    expect(existsSync(directory)).toBe(false);
    expect((await adminCall(sim, `/__sim/uploads/${sessionKey}`, 'DELETE')).status).toBe(404);
    expect((await datasetFromUpload(sim, `${sessionKey}/tile.las`)).status).toBe(422);

    const idle = newSessionKey();
    await sendChunk(sim, ALPHA.token, small({ sessionKey: idle }));
    await advance(sim, UPLOAD_SESSION_TTL_MS - 1);
    expect(await session(sim, idle)).toBeDefined();
    await advance(sim, 1);
    expect(await session(sim, idle)).toBeUndefined();
  });

  test('a whole session (several files) makes one dataset from its key', async ({ sim }) => {
    const sessionKey = newSessionKey();
    for (const fileName of ['north.las', 'south.las']) {
      expect((await sendChunk(sim, ALPHA.token, small({ sessionKey, fileName, totalSize: 1000 }))).status).toBe(200);
    }
    const created = await datasetFromUpload(sim, sessionKey);
    expect(created.status).toBe(200);
    expect(await session(sim, sessionKey)).toBeUndefined();
  });

  test('closing the simulator removes every staged byte', async () => {
    const own = await startFrozen();
    const sessionKey = newSessionKey();
    await sendChunk(own, ALPHA.token, small({ sessionKey }));
    const directory = (await session(own, sessionKey))?.directory as string;
    expect(existsSync(directory)).toBe(true);
    await own.close();
    expect(existsSync(directory)).toBe(false);
  });
});

/** Sends a chunk's fields and half its bytes on a raw connection, then cuts it. */
function sendHalfAndDrop(sim: Sim, spec: ChunkSpec): Promise<void> {
  const boundary = `----flai-sim-test-${spec.index}`;
  const head = Object.entries(chunkFields(spec))
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join('');
  const fileHead = `--${boundary}\r\nContent-Disposition: form-data; name="file_chunk"; filename="${spec.fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const length = Buffer.byteLength(head) + Buffer.byteLength(fileHead) + spec.bytes.length + Buffer.byteLength(tail);
  return new Promise((resolve) => {
    const req = request(`${sim.url}/tools/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ALPHA.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length },
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(head + fileHead);
    req.write(spec.bytes.subarray(0, spec.bytes.length / 2), () => req.destroy());
  });
}
