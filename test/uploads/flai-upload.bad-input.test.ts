/**
 * Bad input to an upload through the gateway (FLAI_DATASET), each over real HTTP against the Flai
 * simulator: refused before any byte, or FAILED / CANCELLED with nothing made at the vendor.
 */
import { createHmac } from 'node:crypto';
import { describe, expect } from 'vitest';
import { UploadByIdDocument, UploadCancelDocument, UploadCreateDocument, UploadUpdatedDocument } from '../generated/graphql.js';
import { Feed, field, test } from '../status/status.helpers.js';
import { BETA } from '../gateway/flai.helpers.js';
import type { Stack } from '../helpers/stack.helpers.js';
import { CHUNK, CREATE_DATASET_ROUTE, createUpload, lasInput, openPut, putFile, simSessions, syntheticLas, UPLOAD_ROUTE } from './uploads.helpers.js';

const SECRET = 'upload-tests-secret-0123456789';
test.override('stackOptions', { env: { UPLOAD_MAX_BYTES: String(64 * 1024 * 1024), RESULTS_URL_SECRET: SECRET } });

const stateOf = async (stack: Stack, id: string) => (await stack.op(UploadByIdDocument, { id })).data?.upload;

/** Waits for the event in which `CHUNK` bytes have been passed on to Flai. */
async function firstChunkForwarded(feed: Feed<{ uploadUpdated: { receivedBytes: number } }>): Promise<void> {
  while (field(await feed.next(), 'uploadUpdated').receivedBytes < CHUNK);
}

describe('refused before any byte', () => {
  test('a file type the target does not take, and a size over UPLOAD_MAX_BYTES: BAD_USER_INPUT', async ({ stack }) => {
    const wrongType = await stack.op(UploadCreateDocument, { input: lasInput(1000, { fileName: 'scene.tif' }) });
    expect(wrongType.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: ['input', 'fileName'] } });
    const tooBig = await stack.op(UploadCreateDocument, { input: lasInput(64 * 1024 * 1024 + 1) });
    expect(tooBig.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: ['input', 'size'] } });
    expect(tooBig.errors?.[0].message).toContain('UPLOAD_MAX_BYTES');
    const noDataset = await stack.op(UploadCreateDocument, { input: { target: 'FLAI_DATASET', fileName: 'tile.las', size: 10 } });
    expect(noDataset.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: ['input', 'dataset'] } });
  });

  test('a forged, expired, other upload’s or other caller’s uploadUrl: 401/403 and no vendor call', async ({ stack }) => {
    const upload = await createUpload(stack, lasInput(1000));
    const other = await createUpload(stack, lasInput(1000));
    const url = new URL(upload.uploadUrl!);
    stack.resetCounts();
    const file = syntheticLas(1000);

    const forged = new URL(url);
    forged.searchParams.set('sig', `${url.searchParams.get('sig')!.slice(0, -2)}AA`);
    expect(await putFile(forged.toString(), file)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });

    // Signed with the right secret, but expired.
    const exp = Math.floor(Date.now() / 1000) - 5;
    const ref = url.searchParams.get('c')!;
    const expired = new URL(url);
    expired.searchParams.set('exp', String(exp));
    expired.searchParams.set('sig', createHmac('sha256', SECRET).update(`upload\n${upload.id}\n${ref}\n${exp}`).digest('base64url'));
    expect(await putFile(expired.toString(), file)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });

    // This upload's signature on another upload's path.
    const elsewhere = new URL(url);
    elsewhere.pathname = `/uploads/${other.id}`;
    expect((await putFile(elsewhere.toString(), file)).status).toBe(403);

    // Sent with another caller's Flai credential.
    expect(await putFile(url.toString(), file, { 'x-flai-token': BETA.token })).toMatchObject({ status: 403, body: { error: 'This upload URL belongs to another caller.' } });

    expect(stack.calls('flai')).toBe(0);
    expect(await stateOf(stack, upload.id)).toMatchObject({ state: 'QUEUED', receivedBytes: 0 });
  });
});

describe('FAILED or CANCELLED, nothing made at the vendor', () => {
  test('a Content-Length above the declared size: 413 before any byte goes on', async ({ stack }) => {
    const upload = await createUpload(stack, lasInput(1000));
    stack.resetCounts();
    expect(await putFile(upload.uploadUrl!, syntheticLas(1001))).toMatchObject({ status: 413, body: { code: 'BAD_USER_INPUT' } });
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(0);
    expect(await stateOf(stack, upload.id)).toMatchObject({ state: 'FAILED', isTerminal: true, uploadUrl: null, error: expect.stringContaining('larger than declared') });
  });

  test('a streamed body that outgrows the declared size: 413, FAILED, no dataset', async ({ stack }) => {
    const size = CHUNK + 500;
    const upload = await createUpload(stack, lasInput(size));
    stack.resetCounts();
    const put = openPut(upload.uploadUrl!);
    await put.write(syntheticLas(size + 1));
    put.end();
    expect(await put.answer).toMatchObject({ status: 413, body: { code: 'BAD_USER_INPUT' } });
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(0);
    expect(await stateOf(stack, upload.id)).toMatchObject({ state: 'FAILED', error: expect.stringContaining('larger than declared') });
  });

  test('bytes that are not a point cloud: Flai refuses the first chunk, FAILED with its reason', async ({ stack }) => {
    const upload = await createUpload(stack, lasInput(1000));
    const put = await putFile(upload.uploadUrl!, Buffer.alloc(1000, 7));
    expect(put).toMatchObject({ status: 422, body: { code: 'BAD_USER_INPUT' } });
    expect(await stateOf(stack, upload.id)).toMatchObject({ state: 'FAILED', dataset: null, error: expect.stringContaining('Flai failed during the upload (BAD_USER_INPUT)') });
  });

  test('the client disconnecting mid-PUT: FAILED, and the Flai session never becomes a dataset', async ({ stack, client }) => {
    const size = 2 * CHUNK;
    const upload = await createUpload(stack, lasInput(size));
    const feed = new Feed(client, UploadUpdatedDocument, { id: upload.id });
    stack.resetCounts();
    const put = openPut(upload.uploadUrl!);
    await put.write(syntheticLas(CHUNK + 100));
    await firstChunkForwarded(feed);
    put.req.destroy();
    const last = field((await feed.rest()).at(-1) ?? { data: null }, 'uploadUpdated');
    expect(last).toMatchObject({ state: 'FAILED', receivedBytes: CHUNK, error: expect.stringContaining('connection closed') });
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(0);
    const staged = (await simSessions(stack)).flatMap((s) => s.files).filter((f) => f.file_name === 'tile.las' && f.total_file_size === size);
    expect(staged.every((f) => !f.complete)).toBe(true);
  });

  test('Flai failing mid-stream: FAILED with the UPSTREAM_* code', async ({ stack, client }) => {
    const size = 2 * CHUNK;
    const upload = await createUpload(stack, lasInput(size));
    const feed = new Feed(client, UploadUpdatedDocument, { id: upload.id });
    const put = openPut(upload.uploadUrl!);
    const file = syntheticLas(size);
    await put.write(file.subarray(0, CHUNK + 100));
    await firstChunkForwarded(feed);
    stack.sims.flai.faults.set({ errorRate: 1, errorStatuses: [503], route: UPLOAD_ROUTE });
    try {
      await put.write(file.subarray(CHUNK + 100));
      put.end();
      expect(await put.answer).toMatchObject({ status: 502, body: { code: 'UPSTREAM_UNAVAILABLE' } });
    } finally {
      stack.sims.flai.faults.set(null);
    }
    const last = field((await feed.rest()).at(-1) ?? { data: null }, 'uploadUpdated');
    expect(last).toMatchObject({ state: 'FAILED', receivedBytes: CHUNK, error: expect.stringContaining('UPSTREAM_UNAVAILABLE') });
    expect(last.error).not.toContain(stack.gateway.config.FLAI_TOKEN!);
  });

  test('cancelUpload while bytes flow: CANCELLED, the PUT stops with 409, no dataset', async ({ stack, client }) => {
    const size = 3 * CHUNK;
    const upload = await createUpload(stack, lasInput(size));
    const feed = new Feed(client, UploadUpdatedDocument, { id: upload.id });
    stack.resetCounts();
    const put = openPut(upload.uploadUrl!);
    const file = syntheticLas(size);
    await put.write(file.subarray(0, CHUNK + 100));
    await firstChunkForwarded(feed);
    const cancelled = await stack.op(UploadCancelDocument, { id: upload.id });
    expect(cancelled.data?.cancelUpload).toMatchObject({ state: 'CANCELLED', isTerminal: true, uploadUrl: null });
    await put.write(file.subarray(CHUNK + 100, CHUNK + 200)).catch(() => {});
    expect(await put.answer).toMatchObject({ status: 409, body: { code: 'CANCELLED' } });
    expect(field((await feed.rest()).at(-1) ?? { data: null }, 'uploadUpdated')).toMatchObject({ state: 'CANCELLED' });
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(1);
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(0);
    expect(await stateOf(stack, upload.id)).toMatchObject({ state: 'CANCELLED', receivedBytes: CHUNK, dataset: null });
  });
});
