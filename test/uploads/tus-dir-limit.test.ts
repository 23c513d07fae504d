/**
 * UPLOAD_DIR_MAX_BYTES bounds what tus uploads stage on this replica's disk: a PATCH that would need
 * more gets 507 before it is read, and the upload stays as it was (the client may try again later).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DataApiCreateMosaicDocument, UploadByIdDocument } from '../generated/graphql.js';
import { test } from '../helpers/stack.helpers.js';
import { createUpload } from './uploads.helpers.js';

const UPLOAD_DIR = mkdtempSync(join(tmpdir(), 'gateway-tus-limit-'));
test.override('stackOptions', { env: { UPLOAD_DIR, UPLOAD_DIR_MAX_BYTES: String(1_000_000) } });

test('a tus upload to Mapflow larger than UPLOAD_DIR_MAX_BYTES: 507, nothing staged, nothing sent', async ({ stack }) => {
  const mosaicId = (await stack.op(DataApiCreateMosaicDocument, { input: { name: 'limit' } })).data!.createMosaic.id;
  const upload = await createUpload(stack, { target: 'MAPFLOW_MOSAIC', fileName: 'big.tif', size: 2_000_000, mosaicId });
  stack.resetCounts();
  const res = await fetch(upload.uploadUrl!, {
    method: 'PATCH',
    headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    body: new Blob([new Uint8Array(2_000_000)]),
  });
  expect(res.status).toBe(507);
  expect(await res.text()).toContain('UPLOAD_DIR_MAX_BYTES');
  expect(readdirSync(UPLOAD_DIR)).toEqual([]);
  expect(stack.calls('mapflow')).toBe(0);
  expect((await stack.op(UploadByIdDocument, { id: upload.id })).data?.upload).toMatchObject({ state: 'QUEUED', receivedBytes: 0 });
});
