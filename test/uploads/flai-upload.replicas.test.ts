/**
 * Uploads across replicas: the stack's gateway (A) and a second one (B) in front of the same
 * simulators, sharing one Redis (under a key prefix of this run) and RESULTS_URL_SECRET, as replicas
 * behind a load balancer would. The upload record, its events, its idempotency key and its
 * uploadUrl's credential are shared: any replica answers for any upload.
 */
import { describe, expect } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { UploadByIdDocument, UploadCancelDocument, UploadCreateDocument, UploadUpdatedDocument } from '../generated/graphql.js';
import { opAt } from '../helpers/stack.helpers.js';
import { startAnotherGateway } from '../gateway/gateway.helpers.js';
import { clientPool, dropRedisPrefix, Feed, FAST_STATUS_ENV, field, REDIS_URL, redisPrefix, test as statusTest, type Connect } from '../status/status.helpers.js';
import { CHUNK, createUpload, lasInput, openPut, putFile, syntheticLas } from './uploads.helpers.js';

const PREFIX = redisPrefix();
const SHARED = { REDIS_URL, STATUS_REDIS_PREFIX: PREFIX, RESULTS_URL_SECRET: 'upload-replicas-secret-0123456789' };

const test = statusTest
  .override('stackOptions', { env: SHARED })
  .extend('replicaB', { scope: 'file' }, async ({ stack }, { onCleanup }) => {
    const b = await startAnotherGateway(stack, { ...FAST_STATUS_ENV, ...SHARED });
    onCleanup(async () => {
      await b.close();
      await dropRedisPrefix(PREFIX);
    });
    return b;
  })
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  .extend('connectTo', async ({}, { onCleanup }): Promise<Connect> => clientPool(onCleanup));

const onB = (b: Gateway, url: string) => url.replace(/^http:\/\/[^/]+/, b.origin);

describe('an upload shared by two replicas through Redis', () => {
  test('made on A, its bytes PUT to B, followed on both; the same idempotencyKey on A and B is one upload', async ({ stack, replicaB, connectTo }) => {
    const size = CHUNK + 4_321;
    const upload = await createUpload(stack, lasInput(size, { idempotencyKey: 'replicas-1' }));
    const again = (await opAt(replicaB.url, UploadCreateDocument, { input: lasInput(size, { idempotencyKey: 'replicas-1' }) })).data?.createUpload;
    expect(again?.id).toBe(upload.id);
    expect((await opAt(replicaB.url, UploadByIdDocument, { id: upload.id })).data?.upload).toMatchObject({ id: upload.id, state: 'QUEUED' });

    const feedA = new Feed(connectTo({}, stack.gateway.url), UploadUpdatedDocument, { id: upload.id });
    const feedB = new Feed(connectTo({}, replicaB.url), UploadUpdatedDocument, { id: upload.id });
    await feedA.next();
    await feedB.next();
    expect(await putFile(onB(replicaB, upload.uploadUrl!), syntheticLas(size))).toMatchObject({ status: 200, body: { state: 'SUCCEEDED' } });
    for (const feed of [feedA, feedB]) {
      expect(field((await feed.rest()).at(-1) ?? { data: null }, 'uploadUpdated')).toMatchObject({ state: 'SUCCEEDED', receivedBytes: size, progress: 100 });
    }
    expect((await stack.op(UploadByIdDocument, { id: upload.id })).data?.upload).toMatchObject({ state: 'SUCCEEDED', dataset: { name: 'uploaded tile' } });
  });

  test('cancelUpload on B stops the bytes flowing through A before its next chunk', async ({ stack, replicaB, connectTo }) => {
    const size = 3 * CHUNK;
    const upload = await createUpload(stack, lasInput(size));
    const feed = new Feed(connectTo({}, replicaB.url), UploadUpdatedDocument, { id: upload.id });
    const put = openPut(upload.uploadUrl!);
    const file = syntheticLas(size);
    await put.write(file.subarray(0, CHUNK + 100));
    while (field(await feed.next(), 'uploadUpdated').receivedBytes < CHUNK);
    expect((await opAt(replicaB.url, UploadCancelDocument, { id: upload.id })).data?.cancelUpload).toMatchObject({ state: 'CANCELLED' });
    // A learns of the cancel from Redis when its next chunk is full.
    await put.write(file.subarray(CHUNK + 100, 2 * CHUNK + 100)).catch(() => {});
    expect(await put.answer).toMatchObject({ status: 409, body: { code: 'CANCELLED' } });
    expect((await stack.op(UploadByIdDocument, { id: upload.id })).data?.upload).toMatchObject({ state: 'CANCELLED', receivedBytes: CHUNK, dataset: null });
  });
});
