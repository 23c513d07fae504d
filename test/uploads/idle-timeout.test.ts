/**
 * An upload's body has no whole-request deadline (Node's 300 s `requestTimeout` is off: a large file
 * on a slow link takes longer), and a client that goes silent mid-body is cut after
 * HTTP_IDLE_TIMEOUT_SECONDS: the upload FAILS, nothing is made at Flai.
 */
import { expect } from 'vitest';
import { UploadUpdatedDocument } from '../generated/graphql.js';
import { Feed, field, test } from '../status/status.helpers.js';
import { CHUNK, CREATE_DATASET_ROUTE, createUpload, lasInput, openPut, syntheticLas } from './uploads.helpers.js';

test.override('stackOptions', { env: { HTTP_IDLE_TIMEOUT_SECONDS: '1' } });

test('no deadline for a whole request; a PUT whose client goes silent mid-body is closed and the upload FAILS', async ({ stack, client }) => {
  expect(stack.gateway.server.requestTimeout).toBe(0);
  const size = 2 * CHUNK;
  const upload = await createUpload(stack, lasInput(size));
  const feed = new Feed(client, UploadUpdatedDocument, { id: upload.id });
  stack.resetCounts();
  const put = openPut(upload.uploadUrl!);
  put.answer.catch(() => undefined);
  await put.write(syntheticLas(CHUNK + 100));
  // Nothing more is sent and the request is left open: the gateway's idle limit ends it.
  const last = field((await feed.rest()).at(-1) ?? { data: null }, 'uploadUpdated');
  expect(last).toMatchObject({ state: 'FAILED', receivedBytes: CHUNK, error: expect.stringContaining('connection closed') });
  expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(0);
  put.req.destroy();
});
