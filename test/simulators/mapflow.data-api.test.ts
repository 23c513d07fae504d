import { createHash } from 'node:crypto';
import { describe, expect } from 'vitest';
import { geoTiff } from '../helpers/geotiff.helpers.js';
import { ALPHA, BETA, client, createBody, test, type Json, type Sim } from './mapflow.helpers.js';

type Mosaic = Json & { id: string; name: string; tags: string[]; footprint: string | null; sizeInBytes: number };
type Image = Json & { id: string; mosaic_id: string; file_size: number; footprint: string; checksum: string; meta_data: Json };
type Memory = { memoryLimit: number; memoryUsed: number; memoryFree: number; maxUploadFileSize: number; maxPixelCount: number };
type Scene = Json & { id: string; cloudCover: number; providerName: string; acquisitionDate: string; productType: string };
type DataError = { detail: { code: string; parameters: Json; message?: string } };

const DOC_MOSAIC = '0617c425-9bfa-45a3-b2ea-46020e48d775';
const DOC_IMAGE = '0c26a0d3-96d8-4ed5-aa62-3843d1d7905c';
const STORED = 's3://mapflow-user-storage/samples/moscow-rgb.tif';

/** Sends one multipart body (`file` part) with alpha's credential; `raw` sends the bytes as given. */
async function upload(sim: Sim, path: string, file: Buffer, opts: { filename?: string; raw?: { body: Buffer; boundary: string } } = {}) {
  const headers: Record<string, string> = { authorization: `Basic ${ALPHA}` };
  let body: FormData | Blob;
  if (opts.raw) {
    headers['content-type'] = `multipart/form-data; boundary=${opts.raw.boundary}`;
    body = new Blob([new Uint8Array(opts.raw.body)]);
  } else {
    body = new FormData();
    body.append('file', new Blob([new Uint8Array(file)], { type: 'image/tiff' }), opts.filename ?? 'tile.tif');
  }
  const res = await fetch(sim.url + path, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Json };
}

async function setLimits(sim: Sim, limits: { maxUploadFileSize?: number; memoryLimit?: number }): Promise<Memory> {
  const res = await fetch(`${sim.origin}/__sim/rasters/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'alpha', ...limits }) });
  expect(res.status).toBe(200);
  return (await res.json()) as Memory;
}

describe('Mapflow simulator: Data API', () => {
  test('mosaics: create, read, list, rename with tags replaced, delete (then ItemNotFound)', async ({ sim, api }) => {
    const created = await api.post<Mosaic>('/rasters/mosaic', { name: 'Survey 2026', tags: ['drone', 'rgb'] });
    expect(created.status).toBe(200);
    expect(Object.keys(created.body).sort()).toEqual(['created_at', 'id', 'name', 'tags']);
    const id = created.body.id;
    // Another account does not see alpha's mosaics.
    expect((await client(sim, BETA).get<DataError>(`/rasters/mosaic/${id}`)).body.detail.code).toBe('ItemNotFound');
    expect((await api.get<Mosaic>(`/rasters/mosaic/${id}`)).body).toMatchObject({ id, name: 'Survey 2026', tags: ['drone', 'rgb'], footprint: null, sizeInBytes: 0 });
    expect((await api.get<Mosaic[]>('/rasters/mosaic')).body.map((m) => m.id)).toEqual(expect.arrayContaining([id, DOC_MOSAIC]));
    expect((await api.put<Mosaic>(`/rasters/mosaic/${id}`, { name: 'Survey 2026 (final)', tags: ['final'] })).body).toMatchObject({ name: 'Survey 2026 (final)', tags: ['final'] });
    expect((await api.post('/rasters/mosaic', { tags: ['x'] })).status).toBe(400);
    expect((await api.del(`/rasters/mosaic/${id}`)).status).toBe(200);
    const gone = await api.get<DataError>(`/rasters/mosaic/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ detail: { code: 'ItemNotFound', parameters: { instance_type: 'mosaic', uid: id } } });
  });

  test('an uploaded GeoTIFF becomes an image with its metadata, footprint and checksum, and takes storage', async ({ sim, api }) => {
    const mosaic = (await api.post<Mosaic>('/rasters/mosaic', { name: 'Uploads' })).body.id;
    const before = (await api.get<Memory>('/rasters/memory')).body;
    const file = geoTiff({ width: 1000, height: 500, bands: 3, epsg: 4326, pixelSize: 0.0001, origin: [37.3, 55.7] });
    const res = await upload(sim, `/rasters/mosaic/${mosaic}/image`, file, { filename: 'north.tif' });
    expect(res.status).toBe(200);
    const image = res.body as Image;
    expect(image).toMatchObject({ mosaic_id: mosaic, filename: 'north.tif', file_size: file.length, checksum: createHash('sha1').update(file).digest('hex') });
    expect(image.meta_data).toMatchObject({ crs: 'EPSG:4326', count: 3, width: 1000, height: 500, dtypes: ['uint8', 'uint8', 'uint8'], pixel_size: [0.0001, 0.0001] });
    expect(image.footprint).toBe('POLYGON ((37.3 55.65, 37.4 55.65, 37.4 55.7, 37.3 55.7, 37.3 55.65))');
    expect((await api.get<Image>(`/rasters/image/${image.id}`)).body.id).toBe(image.id);
    expect((await api.get<Image[]>(`/rasters/mosaic/${mosaic}/image`)).body.map((i) => i.id)).toEqual([image.id]);
    const renamed = await api.call('PUT', `/rasters/image/${image.id}?name=north-2026.tif`);
    expect(renamed).toMatchObject({ status: 200, text: '' });
    expect((await api.get<Image>(`/rasters/image/${image.id}`)).body.filename).toBe('north-2026.tif');
    expect((await api.call('PUT', `/rasters/image/${image.id}`)).status).toBe(400);
    expect((await api.get<Mosaic>(`/rasters/mosaic/${mosaic}`)).body).toMatchObject({ footprint: image.footprint, sizeInBytes: file.length });
    const after = (await api.get<Memory>('/rasters/memory')).body;
    expect(after.memoryUsed - before.memoryUsed).toBe(file.length);
    expect(after.memoryFree).toBe(after.memoryLimit - after.memoryUsed);
    // Deleting the image frees its storage.
    expect((await api.del(`/rasters/image/${image.id}`)).status).toBe(200);
    expect((await api.get<Memory>('/rasters/memory')).body.memoryUsed).toBe(before.memoryUsed);
    expect((await api.get<DataError>(`/rasters/image/${image.id}`)).body.detail.code).toBe('ItemNotFound');
  });

  test('only readable GeoTIFFs become images, and a mosaic keeps one CRS, band count and resolution', async ({ sim, api }) => {
    const mosaic = (await api.post<Mosaic>('/rasters/mosaic', { name: 'Checks' })).body.id;
    const path = `/rasters/mosaic/${mosaic}/image`;
    const notTiff = await upload(sim, path, Buffer.from('PK\u0003\u0004 not an image'), { filename: 'photo.zip' });
    expect(notTiff).toEqual({ status: 400, body: { detail: { code: 'FileOpenError', parameters: { filename: 'photo.zip' }, message: 'We could not open and read the image you have uploaded' } } });
    expect((await upload(sim, path, geoTiff({ epsg: 0 }))).body).toMatchObject({ detail: { code: 'FileCheckFailed', parameters: { bad_parameters: 'crs' } } });
    expect((await upload(sim, path, geoTiff({ epsg: 3857, pixelSize: 0.5, origin: [4_160_000, 7_500_000] }))).status).toBe(200);
    const cases: [Parameters<typeof geoTiff>[0], string, string, string][] = [
      [{ epsg: 4326 }, 'crs', 'EPSG:4326', 'EPSG:3857'],
      [{ epsg: 3857, pixelSize: 0.5, bands: 4, origin: [4_160_000, 7_500_000] }, 'count', '4', '3'],
      [{ epsg: 3857, pixelSize: 0.3, origin: [4_160_000, 7_500_000] }, 'pixel_size', '0.3,0.3', '0.5,0.5'],
    ];
    for (const [spec, param, got, expected] of cases) {
      const res = await upload(sim, path, geoTiff(spec), { filename: 'other.tif' });
      expect(res, param).toEqual({ status: 400, body: { detail: { code: 'FileValidationFailed', parameters: { filename: 'other.tif', mosaic_id: mosaic, param_name: param, got_param: got, expected_param: expected } } } });
    }
    expect((await api.get<Image[]>(`/rasters/mosaic/${mosaic}/image`)).body).toHaveLength(1);
  });

  test('a truncated multipart body never makes an image', async ({ sim, api }) => {
    const mosaic = (await api.post<Mosaic>('/rasters/mosaic', { name: 'Truncated' })).body.id;
    const boundary = 'sim-boundary-1';
    const whole = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.tif"\r\nContent-Type: image/tiff\r\n\r\n`),
      geoTiff(),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    for (const cut of [whole.length - 4, whole.length - 20, 120]) {
      const res = await upload(sim, `/rasters/mosaic/${mosaic}/image`, Buffer.alloc(0), { raw: { body: whole.subarray(0, cut), boundary } });
      expect(res.status, String(cut)).toBe(400);
    }
    expect((await api.get<Image[]>(`/rasters/mosaic/${mosaic}/image`)).body).toEqual([]);
    expect((await upload(sim, `/rasters/mosaic/${mosaic}/image`, Buffer.alloc(0), { raw: { body: whole, boundary } })).status).toBe(200);
  });

  test('the upload limit and the free storage are checked before the file is kept', async ({ sim, api }) => {
    const mosaic = (await api.post<Mosaic>('/rasters/mosaic', { name: 'Limits' })).body.id;
    const original = (await api.get<Memory>('/rasters/memory')).body;
    const file = geoTiff();
    try {
      await setLimits(sim, { maxUploadFileSize: file.length - 1 });
      expect((await upload(sim, `/rasters/mosaic/${mosaic}/image`, file)).body).toEqual({ detail: { code: 'FileTooBig', parameters: { max_file_size: file.length - 1, actual_file_size: file.length } } });
      await setLimits(sim, { maxUploadFileSize: original.maxUploadFileSize, memoryLimit: original.memoryUsed + 10 });
      expect((await upload(sim, `/rasters/mosaic/${mosaic}/image`, file)).body).toEqual({ detail: { code: 'MemoryLimitExceeded', parameters: { memory_requested: file.length, available_memory: 10 } } });
      expect((await api.get<Memory>('/rasters/memory')).body).toMatchObject({ memoryUsed: original.memoryUsed, memoryFree: 10 });
    } finally {
      await setLimits(sim, { maxUploadFileSize: original.maxUploadFileSize, memoryLimit: original.memoryLimit });
    }
    expect((await api.get<Image[]>(`/rasters/mosaic/${mosaic}/image`)).body).toEqual([]);
  });

  test('an image of more pixels than maxPixelCount is refused (ImageExtentTooBig)', async ({ sim, api }) => {
    const mosaic = (await api.post<Mosaic>('/rasters/mosaic', { name: 'Huge' })).body.id;
    const { maxPixelCount } = (await api.get<Memory>('/rasters/memory')).body;
    const side = Math.ceil(Math.sqrt(maxPixelCount)) + 1;
    const res = await upload(sim, `/rasters/mosaic/${mosaic}/image`, geoTiff({ width: side, height: side }), { filename: 'huge.tif' });
    expect(res).toEqual({ status: 400, body: { detail: { code: 'ImageExtentTooBig', parameters: { filename: 'huge.tif', max_pixel_count: maxPixelCount } } } });
    expect((await api.get<Image[]>(`/rasters/mosaic/${mosaic}/image`)).body).toEqual([]);
  });

  test('POST /rasters/mosaic/image makes a mosaic with its first image; a refused file leaves no mosaic', async ({ sim, api }) => {
    const before = (await api.get<Mosaic[]>('/rasters/mosaic')).body.length;
    const made = await upload(sim, '/rasters/mosaic/image?name=Quick&tags=a%2C%20b', geoTiff(), { filename: 'quick.tif' });
    expect(made.status).toBe(200);
    const mosaic = (await api.get<Mosaic>(`/rasters/mosaic/${(made.body as Image).mosaic_id}`)).body;
    expect(mosaic).toMatchObject({ name: 'Quick', tags: ['a', 'b'] });
    expect((await upload(sim, '/rasters/mosaic/image?name=Refused', Buffer.from('not a tiff'))).status).toBe(400);
    expect((await api.get<Mosaic[]>('/rasters/mosaic')).body.length).toBe(before + 1);
  });

  test('link-image attaches a GeoTIFF already in storage; other links get the documented texts', async ({ api }) => {
    const mosaic = (await api.post<Mosaic>('/rasters/mosaic', { name: 'Linked' })).body.id;
    const linked = await api.post(`/rasters/mosaic/${mosaic}/link-image`, { url: STORED });
    expect(linked).toMatchObject({ status: 200, body: { message: 'File successfully linked to a mosaic', mosaic_id: mosaic } });
    expect((await api.get<Image[]>(`/rasters/mosaic/${mosaic}/image`)).body).toMatchObject([{ image_url: STORED, filename: 'moscow-rgb.tif', meta_data: { crs: 'EPSG:3857', count: 3 } }]);
    expect((await api.post<DataError>(`/rasters/mosaic/${mosaic}/link-image`, { url: 'https://example.com/a.tif' })).body.detail.message).toBe(
      'URL of the image at s3 storage must be a string starting with s3://, got https://example.com/a.tif',
    );
    expect((await api.post<DataError>(`/rasters/mosaic/${mosaic}/link-image`, { url: 's3://nowhere/a.tif' })).body.detail.message).toBe('Failed to read file from s3://nowhere/a.tif.');
    expect((await api.post(`/rasters/mosaic/00000000-0000-4000-8000-000000000000/link-image`, { url: STORED })).status).toBe(404);
  });

  test('the catalogue search filters, sorts and pages', async ({ api }) => {
    const aoi = { type: 'Polygon', coordinates: [[[37.42, 55.69], [37.44, 55.69], [37.44, 55.71], [37.42, 55.71], [37.42, 55.69]]] };
    const all = (await api.post<Scene[]>('/catalog/meta', { aoi })).body;
    expect(all.length).toBe(6);
    expect(all.map((s) => s.acquisitionDate)).toEqual([...all.map((s) => s.acquisitionDate)].sort().reverse());
    const clear = (await api.post<Scene[]>('/catalog/meta', { aoi, maxCloudCover: 0.3 })).body;
    expect(clear.length).toBeLessThan(all.length);
    expect(clear.every((s) => s.cloudCover <= 0.3)).toBe(true);
    expect((await api.post<Scene[]>('/catalog/meta', { aoi, dataProviders: ['orbview'] })).body.every((s) => s.providerName === 'orbview')).toBe(true);
    expect((await api.post<Scene[]>('/catalog/meta', { aoi, productTypes: ['Mosaic'] })).body.map((s) => s.productType)).toEqual(['Mosaic']);
    const page = (await api.post<Scene[]>('/catalog/meta', { aoi, limit: 2, offset: 2 })).body;
    expect(page.map((s) => s.id)).toEqual(all.slice(2, 4).map((s) => s.id));
    const far = { type: 'Polygon', coordinates: [[[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01], [0, 0]]] };
    expect((await api.post('/catalog/meta', { aoi: far })).body).toEqual([]);
    expect((await api.post('/catalog/meta', { aoi, sortBy: 'COLOUR' })).status).toBe(400);
  });

  test('a processing from myImagery needs a known mosaic and images (ItemNotFound otherwise)', async ({ api }) => {
    const run = (myImagery: Json) => api.post('/processings/v2', createBody({ params: { sourceParams: { myImagery } } }));
    expect((await run({ mosaicId: DOC_MOSAIC })).status).toBe(200);
    expect((await run({ imageIds: [DOC_IMAGE] })).status).toBe(200);
    const unknown = '00000000-0000-4000-8000-00000000beef';
    expect(await run({ mosaicId: unknown })).toMatchObject({ status: 400, body: { code: 'ItemNotFound', params: { instance_type: 'mosaic', uid: unknown } } });
    expect(await run({ imageIds: [DOC_IMAGE, unknown] })).toMatchObject({ status: 400, body: { code: 'ItemNotFound', params: { instance_type: 'image', uid: unknown } } });
  });
});
