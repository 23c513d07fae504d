/**
 * tus 1.0 to uploadUrl, over real HTTP against the simulators: HEAD and PATCH answered by
 * @tus/server. To Flai each full 8 MB chunk goes on as it completes, the rest of a PATCH is staged
 * under UPLOAD_DIR, and an interrupted upload resumes from HEAD's offset in the same Flai session;
 * to Mapflow the file is staged whole and sent in one request when complete.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { DataApiCreateMosaicDocument, UploadByIdDocument, UploadToMosaicDocument } from '../generated/graphql.js';
import { geoTiff } from '../helpers/geotiff.helpers.js';
import { test } from '../status/status.helpers.js';
import { CHUNK, CREATE_DATASET_ROUTE, createUpload, lasInput, simSessions, syntheticLas, UPLOAD_ROUTE } from './uploads.helpers.js';
import { request } from 'node:http';

const UPLOAD_DIR = mkdtempSync(join(tmpdir(), 'gateway-tus-test-'));
test.override('stackOptions', { env: { UPLOAD_DIR } });

const TUS = { 'tus-resumable': '1.0.0' };

async function head(url: string): Promise<{ status: number; offset: number; length: number }> {
  const res = await fetch(url, { method: 'HEAD', headers: TUS });
  return { status: res.status, offset: Number(res.headers.get('upload-offset')), length: Number(res.headers.get('upload-length')) };
}

async function patch(url: string, offset: number, bytes: Buffer): Promise<{ status: number; offset: number; body: string }> {
  const res = await fetch(url, {
    method: 'PATCH',
    headers: { ...TUS, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
    body: new Blob([new Uint8Array(bytes)]),
  });
  return { status: res.status, offset: Number(res.headers.get('upload-offset')), body: await res.text() };
}

/** A PATCH whose connection drops after `bytes` have been written. */
async function droppedPatch(url: string, offset: number, bytes: Buffer): Promise<void> {
  const req = request(url, { method: 'PATCH', headers: { ...TUS, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', 'transfer-encoding': 'chunked' } });
  req.on('error', () => {});
  await new Promise<void>((resolve, reject) => req.write(bytes, (err) => (err ? reject(err) : resolve())));
  req.destroy();
}

describe('tus 1.0', () => {
  test('chunks go to Flai as they complete, a dropped PATCH resumes from HEAD in the same session, then the dataset', async ({ stack }) => {
    const size = 2 * CHUNK + 5_000;
    const file = syntheticLas(size);
    const upload = await createUpload(stack, lasInput(size));
    const url = upload.uploadUrl!;
    expect(await head(url)).toMatchObject({ status: 200, offset: 0, length: size });
    stack.resetCounts();

    const first = await patch(url, 0, file.subarray(0, CHUNK + 1_000));
    expect(first).toMatchObject({ status: 204, offset: CHUNK + 1_000 });
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(1);
    expect(readdirSync(UPLOAD_DIR)).toHaveLength(1); // the 1 000 bytes past the chunk
    expect((await stack.op(UploadByIdDocument, { id: upload.id })).data?.upload).toMatchObject({ state: 'RUNNING', receivedBytes: CHUNK });

    await droppedPatch(url, CHUNK + 1_000, file.subarray(CHUNK + 1_000, CHUNK + 4_000));
    // HEAD takes the upload's lock: it answers once the dropped PATCH has staged what it got.
    const resumed = await head(url);
    expect(resumed.status).toBe(200);
    expect(resumed.offset).toBeGreaterThanOrEqual(CHUNK + 1_000);
    expect(resumed.offset).toBeLessThanOrEqual(CHUNK + 4_000);

    const last = await patch(url, resumed.offset, file.subarray(resumed.offset));
    expect(last).toMatchObject({ status: 204, offset: size });
    expect(stack.callsTo('flai', UPLOAD_ROUTE)).toBe(3);
    expect(stack.callsTo('flai', CREATE_DATASET_ROUTE)).toBe(1);
    expect((await stack.op(UploadByIdDocument, { id: upload.id })).data?.upload).toMatchObject({ state: 'SUCCEEDED', receivedBytes: size, dataset: { name: 'uploaded tile' } });
    // One Flai session took every chunk in order and became the dataset; nothing is left staged.
    expect(await simSessions(stack)).toEqual([]);
    expect(readdirSync(UPLOAD_DIR)).toEqual([]);
  });

  test('to a Mapflow mosaic: staged whole under UPLOAD_DIR across a dropped PATCH, sent as one request when complete, then deleted', async ({ stack }) => {
    const mosaicId = (await stack.op(DataApiCreateMosaicDocument, { input: { name: 'tus' } })).data!.createMosaic.id;
    const file = Buffer.concat([geoTiff(), Buffer.alloc(3_000_000, 5)]);
    const upload = await createUpload(stack, { target: 'MAPFLOW_MOSAIC', fileName: 'tus.tif', size: file.length, mosaicId });
    const url = upload.uploadUrl!;
    stack.resetCounts();
    expect(await patch(url, 0, file.subarray(0, 1_000_000))).toMatchObject({ status: 204, offset: 1_000_000 });
    await droppedPatch(url, 1_000_000, file.subarray(1_000_000, 1_500_000));
    const resumed = await head(url);
    expect(resumed.offset).toBeGreaterThanOrEqual(1_000_000);
    expect(readdirSync(UPLOAD_DIR)).toHaveLength(1);
    expect(stack.calls('mapflow')).toBe(0);
    expect(await patch(url, resumed.offset, file.subarray(resumed.offset))).toMatchObject({ status: 204, offset: file.length });
    expect(stack.callsTo('mapflow', 'POST /rasters/mosaic/{id}/image')).toBe(1);
    const done = (await stack.op(UploadToMosaicDocument, { id: upload.id })).data?.upload;
    expect(done).toMatchObject({ state: 'SUCCEEDED', image: { mosaicId, fileSize: file.length } });
    expect(readdirSync(UPLOAD_DIR)).toEqual([]);
  });

  test('a PATCH at the wrong offset gets 409, a forged URL 403, and neither calls Flai', async ({ stack }) => {
    const upload = await createUpload(stack, lasInput(1_000));
    stack.resetCounts();
    expect((await patch(upload.uploadUrl!, 10, syntheticLas(990))).status).toBe(409);
    const forged = upload.uploadUrl!.replace(/sig=[\w-]{4}/, 'sig=AAAA');
    expect((await head(forged)).status).toBe(403);
    expect(stack.calls('flai')).toBe(0);
  });
});
