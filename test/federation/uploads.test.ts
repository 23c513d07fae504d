/**
 * Uploads through the federated deployment: the `jobs` subgraph serves them, its `uploadUrl` points
 * at the federation gateway, and the gateway passes `/uploads/...` on to it. A client here knows only
 * the gateway's URL: every operation, subscription and byte goes there, over real HTTP and
 * graphql-ws, to the real simulators.
 */
import { request } from 'node:http';
import { describe, expect } from 'vitest';
import { DataApiCreateMosaicDocument, UploadByIdDocument, UploadCancelDocument, UploadCreateDocument, UploadJobsUpdatedDocument, UploadToMosaicDocument, UploadUpdatedDocument, type CreateUploadInput } from '../generated/graphql.js';
import { test, type FederatedStack } from '../helpers/federation.helpers.js';
import { geoTiff } from '../helpers/geotiff.helpers.js';
import { opAt } from '../helpers/stack.helpers.js';
import { Feed, field } from '../status/status.helpers.js';
import { adminJson } from '../simulators/sim-admin.helpers.js';
import { CHUNK, CREATE_DATASET_ROUTE, lasInput, openPut, putFile, syntheticLas, UPLOAD_ROUTE } from '../uploads/uploads.helpers.js';

test.override('stackOptions', { env: { UPLOAD_MAX_BYTES: String(64 * 1024 * 1024) } });

const TUS = { 'tus-resumable': '1.0.0' };

async function createUpload(stack: FederatedStack, input: CreateUploadInput) {
  const res = await opAt(stack.federation.url, UploadCreateDocument, { input });
  if (!res.data?.createUpload) throw new Error(`createUpload failed: ${JSON.stringify(res.errors)}`);
  return res.data.createUpload;
}

const uploadOf = async (stack: FederatedStack, id: string) => (await opAt(stack.federation.url, UploadByIdDocument, { id })).data?.upload;

/** Waits for the event in which `CHUNK` bytes have been passed on to Flai. */
async function firstChunkForwarded(feed: Feed<{ uploadUpdated: { receivedBytes: number } }>): Promise<void> {
  while (field(await feed.next(), 'uploadUpdated').receivedBytes < CHUNK);
}

describe('uploads through the federation gateway', () => {
  test('createUpload, then a PUT of the file to its uploadUrl at the gateway: the jobs subgraph sends it to Flai, uploadUpdated and jobsUpdated follow it to SUCCEEDED, the flai subgraph completes its dataset', async ({ stack, client }) => {
    const size = 2 * CHUNK + 12_345;
    const created = await createUpload(stack, lasInput(size));
    expect(created).toMatchObject({ source: 'GATEWAY', state: 'QUEUED', target: 'FLAI_DATASET', size, dataset: null });
    // The gateway's URL, not the jobs subgraph's.
    expect(created.uploadUrl).toMatch(new RegExp(`^${stack.federation.origin}/uploads/${created.id}\\?c=[\\w-]+&exp=\\d+&sig=[\\w-]+$`));
    expect(new URL(stack.subgraphs.jobs.url).origin).not.toBe(stack.federation.origin);

    const feed = new Feed(client, UploadUpdatedDocument, { id: created.id });
    const jobs = new Feed(client, UploadJobsUpdatedDocument, { refs: [{ source: 'GATEWAY', type: 'Upload', id: created.id }] });
    expect(field(await feed.next(), 'uploadUpdated')).toMatchObject({ state: 'QUEUED', receivedBytes: 0 });
    expect(field(await jobs.next(), 'jobsUpdated')).toMatchObject({ state: 'QUEUED', job: { __typename: 'Upload', id: created.id, source: 'GATEWAY' } });
    stack.resetCounts();

    expect(await putFile(created.uploadUrl!, syntheticLas(size))).toMatchObject({ status: 200, body: { id: created.id, state: 'SUCCEEDED' } });
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(3);
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(1);

    const events = (await feed.rest()).map((r) => field(r, 'uploadUpdated'));
    expect(events.at(-1)).toMatchObject({ state: 'SUCCEEDED', receivedBytes: size, progress: 100 });
    expect(events.some((e) => e.state === 'RUNNING')).toBe(true);
    expect(field((await jobs.rest()).at(-1) ?? { data: null }, 'jobsUpdated')).toMatchObject({ state: 'SUCCEEDED', job: { __typename: 'Upload', id: created.id } });

    // `dataset` is an entity reference from the jobs subgraph that the flai subgraph completes.
    expect(await uploadOf(stack, created.id)).toMatchObject({ state: 'SUCCEEDED', isTerminal: true, uploadUrl: null, receivedBytes: size, dataset: { name: 'uploaded tile', type: 'POINTCLOUD' } });
    // The Flai session became the dataset: nothing is left staged there.
    expect((await adminJson<{ sessions: unknown[] }>(stack.sims.flai, '/__sim/uploads')).sessions).toEqual([]);
  });

  test('tus through the gateway: HEAD and PATCH to the same uploadUrl, a PATCH dropped mid-body resumes from HEAD, then the dataset', async ({ stack, client }) => {
    const size = 2 * CHUNK + 5_000;
    const file = syntheticLas(size);
    const created = await createUpload(stack, lasInput(size));
    const url = created.uploadUrl!;
    const head = async () => {
      const res = await fetch(url, { method: 'HEAD', headers: TUS });
      return { status: res.status, offset: Number(res.headers.get('upload-offset')), length: Number(res.headers.get('upload-length')), tus: res.headers.get('tus-resumable') };
    };
    const patch = async (offset: number, bytes: Buffer) => {
      const res = await fetch(url, { method: 'PATCH', headers: { ...TUS, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }, body: new Blob([new Uint8Array(bytes)]) });
      return { status: res.status, offset: Number(res.headers.get('upload-offset')) };
    };
    expect(await head()).toEqual({ status: 200, offset: 0, length: size, tus: '1.0.0' });
    const feed = new Feed(client, UploadUpdatedDocument, { id: created.id });
    stack.resetCounts();

    // Less than a chunk: staged by the subgraph, nothing sent to Flai yet.
    expect(await patch(0, file.subarray(0, 1_000))).toEqual({ status: 204, offset: 1_000 });
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(0);

    // A PATCH whose connection drops once its first chunk has reached Flai (so the subgraph is inside
    // it, holding the upload's lock): the gateway drops its request to the subgraph too, which stages
    // what came past the chunk; HEAD waits for the lock, so it answers after that.
    const dropped = request(url, { method: 'PATCH', headers: { ...TUS, 'upload-offset': '1000', 'content-type': 'application/offset+octet-stream', 'transfer-encoding': 'chunked' } });
    dropped.on('error', () => {});
    await new Promise<void>((resolve, reject) => dropped.write(file.subarray(1_000, CHUNK + 4_000), (err) => (err ? reject(err) : resolve())));
    while (field(await feed.next(), 'uploadUpdated').receivedBytes < CHUNK);
    dropped.destroy();
    const resumed = await head();
    expect(resumed.status).toBe(200);
    expect(resumed.offset).toBeGreaterThanOrEqual(CHUNK);
    expect(resumed.offset).toBeLessThanOrEqual(CHUNK + 4_000);

    expect(await patch(resumed.offset, file.subarray(resumed.offset))).toEqual({ status: 204, offset: size });
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(3);
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(1);
    expect(await uploadOf(stack, created.id)).toMatchObject({ state: 'SUCCEEDED', receivedBytes: size, dataset: { name: 'uploaded tile' } });
  }, 60_000);

  test('to a Mapflow mosaic: the image is made, and the mapflow subgraph completes the upload’s mosaic and image', async ({ stack }) => {
    const mosaic = await opAt(stack.federation.url, DataApiCreateMosaicDocument, { input: { name: 'federated' } });
    const mosaicId = mosaic.data!.createMosaic.id;
    const file = geoTiff();
    const created = await createUpload(stack, { target: 'MAPFLOW_MOSAIC', fileName: 'scene.tif', size: file.length, mosaicId });
    expect(created.uploadUrl!.startsWith(`${stack.federation.origin}/uploads/`)).toBe(true);
    expect(await putFile(created.uploadUrl!, file)).toMatchObject({ status: 200, body: { state: 'SUCCEEDED' } });

    const done = (await opAt(stack.federation.url, UploadToMosaicDocument, { id: created.id })).data?.upload;
    expect(done).toMatchObject({ state: 'SUCCEEDED', target: 'MAPFLOW_MOSAIC', receivedBytes: file.length, mosaic: { id: mosaicId, name: 'federated' }, image: { mosaicId, filename: 'scene.tif', fileSize: file.length } });
    expect(done!.mosaic!.images.map((i) => i.id)).toEqual([done!.image!.id]);
  });

  test('a forged or incomplete uploadUrl: refused by the jobs subgraph through the gateway, no vendor call, the upload untouched', async ({ stack }) => {
    const upload = await createUpload(stack, lasInput(1000));
    const url = new URL(upload.uploadUrl!);
    stack.resetCounts();
    const file = syntheticLas(1000);

    const forged = new URL(url);
    forged.searchParams.set('sig', `${url.searchParams.get('sig')!.slice(0, -2)}AA`);
    expect(await putFile(forged.toString(), file)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const forgedTus = await fetch(forged, { method: 'PATCH', headers: { ...TUS, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: new Uint8Array(file) });
    expect(forgedTus.status).toBe(403);
    const incomplete = new URL(url);
    incomplete.searchParams.delete('sig');
    expect(await putFile(incomplete.toString(), file)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });

    expect(stack.calls()).toBe(0);
    expect(await uploadOf(stack, upload.id)).toMatchObject({ state: 'QUEUED', receivedBytes: 0 });
  });

  test('more bytes declared than createUpload said: 413 through the gateway, FAILED', async ({ stack }) => {
    const upload = await createUpload(stack, lasInput(1000));
    stack.resetCounts();
    expect(await putFile(upload.uploadUrl!, syntheticLas(1001))).toMatchObject({ status: 413, body: { code: 'BAD_USER_INPUT' } });
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(0);
    expect(await uploadOf(stack, upload.id)).toMatchObject({ state: 'FAILED', error: expect.stringContaining('larger than declared') });
  });

  test('the client disconnecting mid-PUT at the gateway: the subgraph sees it too, FAILED, no dataset', async ({ stack, client }) => {
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
  });

  test('cancelUpload through the gateway while bytes flow: CANCELLED, the PUT answered 409 before its body ends', async ({ stack, client }) => {
    const size = 3 * CHUNK;
    const upload = await createUpload(stack, lasInput(size));
    const feed = new Feed(client, UploadUpdatedDocument, { id: upload.id });
    stack.resetCounts();
    const put = openPut(upload.uploadUrl!);
    const file = syntheticLas(size);
    await put.write(file.subarray(0, CHUNK + 100));
    await firstChunkForwarded(feed);
    const cancelled = await opAt(stack.federation.url, UploadCancelDocument, { id: upload.id });
    expect(cancelled.data?.cancelUpload).toMatchObject({ state: 'CANCELLED', isTerminal: true });
    // The subgraph answers while the body still comes: the gateway passes that answer on at once.
    await put.write(file.subarray(CHUNK + 100, CHUNK + 200)).catch(() => {});
    expect(await put.answer).toMatchObject({ status: 409, body: { code: 'CANCELLED' } });
    expect(field((await feed.rest()).at(-1) ?? { data: null }, 'uploadUpdated')).toMatchObject({ state: 'CANCELLED' });
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(0);
  });
});
