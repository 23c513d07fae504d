/**
 * Uploads through the gateway to Flai (FLAI_DATASET), over real HTTP against the Flai simulator: a
 * plain PUT to the signed uploadUrl, forwarded in 8 MB chunks to `POST /tools/upload`, then the
 * dataset made from `upload_storage_tmp`; followed over `uploadUpdated` and `jobsUpdated`.
 */
import { describe, expect } from 'vitest';
import { UploadByIdDocument, UploadJobsUpdatedDocument, UploadUpdatedDocument } from '../generated/graphql.js';
import { Feed, field, test } from '../status/status.helpers.js';
import { CHUNK, CREATE_DATASET_ROUTE, createUpload, lasInput, putFile, simSessions, syntheticLas, UPLOAD_ROUTE } from './uploads.helpers.js';

test.override('stackOptions', { env: { UPLOAD_MAX_BYTES: String(64 * 1024 * 1024) } });

describe('createUpload and a plain PUT to Flai', () => {
  test('streams the file to Flai in 8 MB chunks, makes the dataset, and reports QUEUED → RUNNING → SUCCEEDED', async ({ stack, client }) => {
    const size = 2 * CHUNK + 12_345;
    const created = await createUpload(stack, lasInput(size));
    expect(created).toMatchObject({ source: 'GATEWAY', state: 'QUEUED', upstreamStatus: 'created', receivedBytes: 0, progress: 0, target: 'FLAI_DATASET', fileName: 'tile.las', size, dataset: null });
    expect(created.uploadUrl).toMatch(new RegExp(`/uploads/${created.id}\\?c=[\\w-]+&exp=\\d+&sig=[\\w-]+$`));
    expect(new Date(created.expiresAt as string).getTime()).toBeGreaterThan(Date.now());

    const feed = new Feed(client, UploadUpdatedDocument, { id: created.id });
    const jobs = new Feed(client, UploadJobsUpdatedDocument, { refs: [{ source: 'GATEWAY', type: 'Upload', id: created.id }] });
    expect(field(await feed.next(), 'uploadUpdated')).toMatchObject({ state: 'QUEUED', receivedBytes: 0 });
    expect(field(await jobs.next(), 'jobsUpdated')).toMatchObject({ state: 'QUEUED', job: { __typename: 'Upload', id: created.id, source: 'GATEWAY' } });
    stack.resetCounts();

    const put = await putFile(created.uploadUrl!, syntheticLas(size));
    expect(put).toMatchObject({ status: 200, body: { id: created.id, state: 'SUCCEEDED' } });
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(3);
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(1);

    const events = [...(await feed.rest())].map((r) => field(r, 'uploadUpdated'));
    expect(events.at(-1)).toMatchObject({ state: 'SUCCEEDED', receivedBytes: size, progress: 100 });
    expect(events.some((e) => e.state === 'RUNNING')).toBe(true);
    // Progress follows the bytes passed on: never backwards.
    const received = events.map((e) => e.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    const jobEvents = (await jobs.rest()).map((r) => field(r, 'jobsUpdated'));
    expect(jobEvents.at(-1)).toMatchObject({ state: 'SUCCEEDED', job: { __typename: 'Upload', source: 'GATEWAY' } });

    const done = (await stack.op(UploadByIdDocument, { id: created.id })).data?.upload;
    expect(done).toMatchObject({ state: 'SUCCEEDED', isTerminal: true, uploadUrl: null, receivedBytes: size, dataset: { name: 'uploaded tile', type: 'POINTCLOUD' } });
    // The session was consumed by the dataset: nothing staged is left behind.
    expect((await simSessions(stack)).length).toBe(0);
    // The URL works once: the upload is over.
    expect((await putFile(created.uploadUrl!, syntheticLas(size))).status).toBe(409);
  });

  test('an upload is its caller’s only: another Flai credential neither reads nor cancels it', async ({ stack }) => {
    const created = await createUpload(stack, lasInput(1000));
    const beta = { 'x-flai-token': '42|bEtAFlaiDemo0Token5hJ8kL2mN6pQ9rS3tV7wX1' };
    expect((await stack.op(UploadByIdDocument, { id: created.id }, beta)).data?.upload).toBeNull();
    expect((await stack.op(UploadByIdDocument, { id: created.id })).data?.upload).toMatchObject({ id: created.id, state: 'QUEUED' });
  });

  test('the same idempotencyKey twice is one upload; another caller’s same key is another', async ({ stack }) => {
    const first = await createUpload(stack, lasInput(1000, { idempotencyKey: 'tile-7' }));
    const again = await createUpload(stack, lasInput(1000, { idempotencyKey: 'tile-7' }));
    expect(again.id).toBe(first.id);
    const beta = await createUpload(stack, lasInput(1000, { idempotencyKey: 'tile-7' }), { 'x-flai-token': '42|bEtAFlaiDemo0Token5hJ8kL2mN6pQ9rS3tV7wX1' });
    expect(beta.id).not.toBe(first.id);
    const other = await createUpload(stack, lasInput(1000, { idempotencyKey: 'tile-8' }));
    expect(other.id).not.toBe(first.id);
  });
});
