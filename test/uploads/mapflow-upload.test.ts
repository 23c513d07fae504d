/**
 * Uploads through the gateway to a Mapflow mosaic (MAPFLOW_MOSAIC), over real HTTP against the
 * Mapflow simulator: a plain PUT streamed as one multipart request to `POST /rasters/mosaic/{id}/image`,
 * or `POST /rasters/mosaic/image?name=` for a new mosaic; Mapflow's limits checked before any byte.
 */
import { describe, expect } from 'vitest';
import { DataApiCreateMosaicDocument, DataApiMosaicDocument, DataApiStorageDocument, UploadCancelDocument, UploadCreateDocument, UploadToMosaicDocument, UploadUpdatedDocument } from '../generated/graphql.js';
import { geoTiff } from '../helpers/geotiff.helpers.js';
import type { Stack } from '../helpers/stack.helpers.js';
import { Feed, field, test } from '../status/status.helpers.js';
import { createUpload, openPut, putFile } from './uploads.helpers.js';

const tiffInput = (size: number, mosaicId?: string) => ({ target: 'MAPFLOW_MOSAIC' as const, fileName: 'scene-7.tif', size, ...(mosaicId ? { mosaicId } : {}) });

async function newMosaic(stack: Stack, name: string): Promise<string> {
  const made = await stack.op(DataApiCreateMosaicDocument, { input: { name } });
  return made.data!.createMosaic.id;
}

const imagesOf = async (stack: Stack, mosaicId: string) => (await stack.op(DataApiMosaicDocument, { id: mosaicId })).data?.mosaic?.images ?? [];

describe('createUpload and a plain PUT to a Mapflow mosaic', () => {
  test('streams a GeoTIFF into a given mosaic as one request; the Upload names the image and the mosaic', async ({ stack }) => {
    const mosaicId = await newMosaic(stack, 'uploads');
    const file = geoTiff();
    const upload = await createUpload(stack, tiffInput(file.length, mosaicId));
    expect(upload).toMatchObject({ source: 'GATEWAY', state: 'QUEUED', target: 'MAPFLOW_MOSAIC' });
    stack.resetCounts();
    const put = await putFile(upload.uploadUrl!, file);
    expect(put).toMatchObject({ status: 200, body: { state: 'SUCCEEDED', mosaicId } });
    expect(stack.callsTo('mapflow', 'POST /rasters/mosaic/{id}/image')).toBe(1);
    const done = (await stack.op(UploadToMosaicDocument, { id: upload.id })).data?.upload;
    expect(done).toMatchObject({ state: 'SUCCEEDED', receivedBytes: file.length, image: { mosaicId, filename: 'scene-7.tif', fileSize: file.length }, mosaic: { id: mosaicId } });
    expect(done?.mosaic?.images.map((i) => i.id)).toEqual([done?.image?.id]);
  });

  test('without mosaicId, a new mosaic named after the file is made with the image', async ({ stack }) => {
    const file = geoTiff();
    const upload = await createUpload(stack, tiffInput(file.length));
    expect((await putFile(upload.uploadUrl!, file)).status).toBe(200);
    const done = (await stack.op(UploadToMosaicDocument, { id: upload.id })).data?.upload;
    expect(done).toMatchObject({ state: 'SUCCEEDED', mosaic: { name: 'scene-7' } });
    expect(done?.image?.mosaicId).toBe(done?.mosaic?.id);
  });

  test('refused before any byte: not a .tif, larger than Mapflow takes, an unknown mosaic', async ({ stack }) => {
    const storage = (await stack.op(DataApiStorageDocument)).data!.account!.storage!;
    stack.resetCounts();
    const wrong = await stack.op(UploadCreateDocument, { input: { ...tiffInput(1000), fileName: 'scene.jpg' } });
    expect(wrong.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: ['input', 'fileName'] } });
    const tooBig = await stack.op(UploadCreateDocument, { input: tiffInput(storage.maxUploadFileSize! + 1) });
    expect(tooBig.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: ['input', 'size'] } });
    expect(tooBig.errors?.[0].message).toContain('maxUploadFileSize');
    const unknown = await stack.op(UploadCreateDocument, { input: tiffInput(1000, '00000000-0000-4000-8000-000000000000') });
    expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: ['input', 'mosaicId'] } });
    expect(stack.callsTo('mapflow', 'POST /rasters/mosaic/{id}/image')).toBe(0);
  });

  test('bytes that are not a GeoTIFF: Mapflow’s ImageReadError, FAILED, no image', async ({ stack }) => {
    const mosaicId = await newMosaic(stack, 'not tiff');
    const upload = await createUpload(stack, tiffInput(4000, mosaicId));
    const put = await putFile(upload.uploadUrl!, Buffer.alloc(4000, 1));
    expect(put).toMatchObject({ status: 422, body: { code: 'BAD_USER_INPUT' } });
    expect((await stack.op(UploadToMosaicDocument, { id: upload.id })).data?.upload).toMatchObject({ state: 'FAILED', image: null, error: expect.stringContaining('Mapflow failed during the upload (BAD_USER_INPUT)') });
    expect(await imagesOf(stack, mosaicId)).toEqual([]);
  });

  test('the client disconnecting mid-PUT: FAILED, and Mapflow gets a truncated body that makes no image', async ({ stack, client }) => {
    const mosaicId = await newMosaic(stack, 'dropped');
    const file = Buffer.concat([geoTiff(), Buffer.alloc(9_000_000, 2)]);
    const upload = await createUpload(stack, tiffInput(file.length, mosaicId));
    const feed = new Feed(client, UploadUpdatedDocument, { id: upload.id });
    await feed.next();
    const put = openPut(upload.uploadUrl!);
    await put.write(file.subarray(0, 8_500_000));
    // Progress is reported once 8 MB have passed through the gateway: then the client drops.
    while (field(await feed.next(), 'uploadUpdated').receivedBytes < 8_000_000);
    put.req.destroy();
    expect(field((await feed.rest()).at(-1) ?? { data: null }, 'uploadUpdated')).toMatchObject({ state: 'FAILED', error: expect.stringContaining('connection closed') });
    expect(await imagesOf(stack, mosaicId)).toEqual([]);
  });

  test('Mapflow failing: FAILED with the UPSTREAM_* code, no image', async ({ stack }) => {
    const mosaicId = await newMosaic(stack, 'vendor fails');
    const file = geoTiff();
    const upload = await createUpload(stack, tiffInput(file.length, mosaicId));
    stack.sims.mapflow.faults.set({ errorRate: 1, errorStatuses: [503], route: 'POST /rasters/mosaic/{id}/image' });
    try {
      expect(await putFile(upload.uploadUrl!, file)).toMatchObject({ status: 502, body: { code: 'UPSTREAM_UNAVAILABLE' } });
    } finally {
      stack.sims.mapflow.faults.set(null);
    }
    expect((await stack.op(UploadToMosaicDocument, { id: upload.id })).data?.upload).toMatchObject({ state: 'FAILED', image: null, error: expect.stringContaining('UPSTREAM_UNAVAILABLE') });
    expect(await imagesOf(stack, mosaicId)).toEqual([]);
  });

  test('cancelUpload while bytes flow: CANCELLED, the request to Mapflow is broken off, no image', async ({ stack, client }) => {
    const mosaicId = await newMosaic(stack, 'cancelled');
    const file = Buffer.concat([geoTiff(), Buffer.alloc(9_000_000, 3)]);
    const upload = await createUpload(stack, tiffInput(file.length, mosaicId));
    const feed = new Feed(client, UploadUpdatedDocument, { id: upload.id });
    await feed.next();
    const put = openPut(upload.uploadUrl!);
    await put.write(file.subarray(0, 8_500_000));
    while (field(await feed.next(), 'uploadUpdated').receivedBytes < 8_000_000);
    expect((await stack.op(UploadCancelDocument, { id: upload.id })).data?.cancelUpload).toMatchObject({ state: 'CANCELLED' });
    await put.write(file.subarray(8_500_000)).catch(() => {});
    expect(await put.answer).toMatchObject({ status: 409, body: { code: 'CANCELLED' } });
    expect((await stack.op(UploadToMosaicDocument, { id: upload.id })).data?.upload).toMatchObject({ state: 'CANCELLED', image: null });
    expect(await imagesOf(stack, mosaicId)).toEqual([]);
  });
});
