import { describe, expect } from 'vitest';
import type { Mosaic as SimMosaic, RasterImage } from '../../src/simulators/mapflow/mapflow.rasters.js';
import {
  DataApiCreateMosaicDocument,
  DataApiCreateProcessingDocument,
  DataApiDeleteImageDocument,
  DataApiDeleteMosaicDocument,
  DataApiImageDocument,
  DataApiLinkImageDocument,
  DataApiMosaicDocument,
  DataApiMosaicsDocument,
  DataApiProcessingDocument,
  DataApiSearchImageryDocument,
  DataApiStorageDocument,
  DataApiTwiceDocument,
  DataApiUpdateMosaicDocument,
  type SourceParamsInput,
} from '../generated/graphql.js';
import { geoTiff } from '../helpers/geotiff.helpers.js';
import { test, type GqlResponse, type Stack } from '../helpers/stack.helpers.js';
import { ALPHA_TOKEN, square, tenantData, vendor } from './mapflow.helpers.js';

/** Mapflow's Data API through the gateway over real HTTP, checked against what the simulator holds. Time is frozen. */

test.beforeEach(({ stack }) => stack.resetCounts());

const BUILDINGS = '30ddfd15-04aa-47f6-9ceb-68ce709fd710';
const DOC_MOSAIC = '0617c425-9bfa-45a3-b2ea-46020e48d775';
const DOC_IMAGE = '0c26a0d3-96d8-4ed5-aa62-3843d1d7905c';
const STORED = 's3://mapflow-user-storage/samples/moscow-rgb.tif';
const UNKNOWN = '00000000-0000-4000-8000-00000000beef';
const AOI = { type: 'Polygon', coordinates: [[[37.42, 55.69], [37.44, 55.69], [37.44, 55.71], [37.42, 55.71], [37.42, 55.69]]] };

const rasters = (stack: Stack) => tenantData(stack, 'alpha').rasters;

function ok<T>(res: GqlResponse<T>): T {
  expect(res.errors).toBeUndefined();
  return res.data as T;
}

/** The one error of an answer: its message and extensions. */
function errorOf(res: GqlResponse<unknown>) {
  expect(res.errors).toHaveLength(1);
  const [error] = res.errors!;
  return { message: error.message, ...(error.extensions as Record<string, unknown>) };
}

async function newMosaic(stack: Stack, name: string): Promise<string> {
  return ok(await stack.op(DataApiCreateMosaicDocument, { input: { name } })).createMosaic.id;
}

/** Uploads a GeoTIFF straight to the simulator (the gateway takes no file bytes in this part). */
async function uploadToSim(stack: Stack, mosaicId: string, file: Buffer, filename: string): Promise<RasterImage['id']> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file)], { type: 'image/tiff' }), filename);
  const res = await fetch(`${stack.sims.mapflow.url}/rasters/mosaic/${mosaicId}/image`, { method: 'POST', headers: { authorization: `Basic ${ALPHA_TOKEN}` }, body: form });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

describe('mosaics', () => {
  test('create, list, read, rename with tags replaced, delete; each as the simulator then holds it', async ({ stack }) => {
    const created = ok(await stack.op(DataApiCreateMosaicDocument, { input: { name: '  Survey 2026 ', tags: ['drone', 'rgb'] } })).createMosaic;
    const held = rasters(stack).mosaics.get(created.id) as SimMosaic;
    expect(held).toMatchObject({ name: 'Survey 2026', tags: ['drone', 'rgb'] });
    expect(created).toEqual({ id: held.id, name: 'Survey 2026', tags: ['drone', 'rgb'], createdAt: new Date(`${held.createdAt}Z`).toISOString(), footprint: null, images: [] });

    const listed = ok(await stack.op(DataApiMosaicsDocument)).mosaics ?? [];
    expect(listed.map((m) => m.id).sort()).toEqual([...rasters(stack).mosaics.keys()].sort());
    expect(listed.find((m) => m.id === created.id)).toEqual({ id: created.id, name: 'Survey 2026', tags: ['drone', 'rgb'], sizeInBytes: 0 });

    const updated = ok(await stack.op(DataApiUpdateMosaicDocument, { id: created.id, input: { tags: ['final'] } })).updateMosaic;
    expect(updated).toEqual({ id: created.id, name: 'Survey 2026', tags: ['final'] });
    expect(rasters(stack).mosaics.get(created.id)?.tags).toEqual(['final']);

    expect(ok(await stack.op(DataApiDeleteMosaicDocument, { id: created.id })).deleteMosaic).toBe(created.id);
    expect(rasters(stack).mosaics.has(created.id)).toBe(false);
    expect(ok(await stack.op(DataApiMosaicDocument, { id: created.id })).mosaic).toBeNull();
  });

  test('a mosaic with its images: footprints arrive as WKT and leave as GeoJSON; images by id; deleting an image frees storage', async ({ stack }) => {
    const id = await newMosaic(stack, 'Footprints');
    const file = geoTiff({ width: 1000, height: 500, bands: 3, epsg: 4326, pixelSize: 0.0001, origin: [37.3, 55.7] });
    const imageId = await uploadToSim(stack, id, file, 'north.tif');
    const wkt = (await vendor<{ footprint: string }>(stack, 'GET', `/rasters/image/${imageId}`)).footprint;
    expect(wkt).toBe('POLYGON ((37.3 55.65, 37.4 55.65, 37.4 55.7, 37.3 55.7, 37.3 55.65))');
    const before = ok(await stack.op(DataApiStorageDocument)).account?.storage;

    const mosaic = ok(await stack.op(DataApiMosaicDocument, { id })).mosaic!;
    const polygon = { type: 'Polygon', coordinates: [[[37.3, 55.65], [37.4, 55.65], [37.4, 55.7], [37.3, 55.7], [37.3, 55.65]]] };
    expect(mosaic).toMatchObject({ id, footprint: polygon, sizeInBytes: file.length, tileUrl: expect.stringContaining(id) });
    const held = rasters(stack).images.get(imageId) as RasterImage;
    expect(mosaic.images).toEqual([
      {
        id: imageId,
        mosaicId: id,
        filename: 'north.tif',
        fileSize: file.length,
        uploadedAt: new Date(`${held.uploadedAt}Z`).toISOString(),
        footprint: polygon,
        imageUrl: held.imageUrl,
        previewUrl: `https://api.mapflow.ai/rest/rasters/image/${imageId}/preview/l`,
        crs: 'EPSG:4326',
        bandCount: 3,
        width: 1000,
        height: 500,
        pixelSize: [0.0001, 0.0001],
        checksum: held.checksum,
      },
    ]);
    expect(ok(await stack.op(DataApiImageDocument, { id: imageId })).mapflowImage).toEqual(mosaic.images[0]);

    expect(ok(await stack.op(DataApiDeleteImageDocument, { id: imageId })).deleteImage).toBe(imageId);
    expect(rasters(stack).images.has(imageId)).toBe(false);
    expect(ok(await stack.op(DataApiImageDocument, { id: imageId })).mapflowImage).toBeNull();
    const after = ok(await stack.op(DataApiStorageDocument)).account?.storage;
    expect(after?.memoryUsed).toBe((before?.memoryUsed as number) - file.length);
  });

  test('a mosaic of two images has a MultiPolygon footprint (WKT MULTIPOLYGON converted)', async ({ stack }) => {
    const id = await newMosaic(stack, 'Two tiles');
    await uploadToSim(stack, id, geoTiff({ width: 100, height: 100, pixelSize: 0.001, origin: [10, 50] }), 'west.tif');
    await uploadToSim(stack, id, geoTiff({ width: 100, height: 100, pixelSize: 0.001, origin: [10.2, 50] }), 'east.tif');
    expect((await vendor<{ footprint: string }>(stack, 'GET', `/rasters/mosaic/${id}`)).footprint).toMatch(/^MULTIPOLYGON \(\(\(/);
    const box = (west: number, east: number) => [[[west, 49.9], [east, 49.9], [east, 50], [west, 50], [west, 49.9]]];
    expect(ok(await stack.op(DataApiMosaicDocument, { id })).mosaic?.footprint).toEqual({ type: 'MultiPolygon', coordinates: [box(10, 10.1), box(10.2, 10.3)] });
  });

  test('linkImage attaches an s3:// file already in storage and answers the mosaic with it', async ({ stack }) => {
    const id = await newMosaic(stack, 'Linked');
    const linked = ok(await stack.op(DataApiLinkImageDocument, { mosaicId: id, url: STORED })).linkImage;
    const [held] = [...rasters(stack).images.values()].filter((image) => image.mosaicId === id);
    expect(linked).toMatchObject({ id, sizeInBytes: held.fileSize, images: [{ id: held.id, imageUrl: STORED, filename: 'moscow-rgb.tif', crs: 'EPSG:3857', bandCount: 3 }] });
    expect(linked.footprint).toEqual({ type: 'Polygon', coordinates: [[[37.6, 55.74], [37.618, 55.74], [37.618, 55.7491], [37.6, 55.7491], [37.6, 55.74]]] });
  });

  test('one request reads a mosaic and an image once each, however often it names them (per-request DataLoaders)', async ({ stack }) => {
    const answer = ok(await stack.op(DataApiTwiceDocument, { mosaic: DOC_MOSAIC, image: DOC_IMAGE }));
    expect(answer).toEqual({
      first: { id: DOC_MOSAIC, name: 'Moscow 2023' },
      again: { id: DOC_MOSAIC, tags: ['aerial'] },
      image: { id: DOC_IMAGE },
      imageAgain: { filename: 'moscow_2023.tif' },
    });
    expect(stack.callsTo('mapflow', 'GET /rasters/mosaic/{id}')).toBe(1);
    expect(stack.callsTo('mapflow', 'GET /rasters/image/{id}')).toBe(1);
    expect(stack.calls('mapflow')).toBe(2);
  });

  test('account.storage is /rasters/memory', async ({ stack }) => {
    const memory = await vendor<Record<string, number>>(stack, 'GET', '/rasters/memory');
    stack.resetCounts();
    expect(ok(await stack.op(DataApiStorageDocument)).account?.storage).toEqual(memory);
    expect(stack.callsTo('mapflow', 'GET /rasters/memory')).toBe(1);
  });
});

describe('bad input and vendor refusals', () => {
  test('blank names, blank tags, an empty update and a link that is not s3:// are refused before any vendor call', async ({ stack }) => {
    const id = await newMosaic(stack, 'Checks');
    stack.resetCounts();
    const cases: [Promise<GqlResponse<unknown>>, string, string[]][] = [
      [stack.op(DataApiCreateMosaicDocument, { input: { name: '   ' } }), 'name must not be blank', ['input', 'name']],
      [stack.op(DataApiCreateMosaicDocument, { input: { name: 'x', tags: ['ok', ' '] } }), 'tag 1 must not be blank', ['input', 'tags']],
      [stack.op(DataApiUpdateMosaicDocument, { id, input: {} }), 'Give name or tags to change', ['input']],
      [stack.op(DataApiLinkImageDocument, { mosaicId: id, url: 'https://example.com/a.tif' }), 'url must be an s3:// link to a file, e.g. s3://bucket/path/image.tif', ['url']],
    ];
    for (const [res, message, field] of cases) expect(errorOf(await res)).toMatchObject({ message, code: 'BAD_USER_INPUT', field });
    expect(stack.calls('mapflow')).toBe(0);
  });

  test("the data catalogue's documented errors, in words, with the vendor's code", async ({ stack }) => {
    const id = await newMosaic(stack, 'Refusals');
    expect(errorOf(await stack.op(DataApiLinkImageDocument, { mosaicId: id, url: 's3://nowhere/a.tif' }))).toMatchObject({
      message: 'Mapflow: Failed to read file from s3://nowhere/a.tif.',
      code: 'BAD_USER_INPUT',
      vendorCode: 'FileOpenError',
    });
    expect(errorOf(await stack.op(DataApiUpdateMosaicDocument, { id: UNKNOWN, input: { name: 'x' } }))).toMatchObject({
      message: `Mapflow: The mosaic ${UNKNOWN} does not exist or is not yours`,
      code: 'NOT_FOUND',
      vendorCode: 'ItemNotFound',
    });
    // A mosaic keeps one CRS: a file in another one is refused (FileValidationFailed).
    await uploadToSim(stack, id, geoTiff({ epsg: 4326 }), 'first.tif');
    expect(errorOf(await stack.op(DataApiLinkImageDocument, { mosaicId: id, url: STORED }))).toMatchObject({
      message: `Mapflow: moscow-rgb.tif does not fit the mosaic ${id}: its crs is EPSG:3857, the mosaic's is EPSG:4326`,
      code: 'BAD_USER_INPUT',
      vendorCode: 'FileValidationFailed',
    });
  });
});

describe('searchImagery', () => {
  test("pages the catalogue with cursors over the vendor's limit and offset, with its filters", async ({ stack }) => {
    const all = await vendor<{ id: string; cloudCover: number; acquisitionDate: string }[]>(stack, 'POST', '/catalog/meta', { aoi: AOI });
    expect(all.length).toBe(6);
    stack.resetCounts();
    const first = ok(await stack.op(DataApiSearchImageryDocument, { input: { aoi: AOI, first: 4 } })).searchImagery!;
    expect(first.nodes.map((n) => n.id)).toEqual(all.slice(0, 4).map((s) => s.id));
    expect(first.edges.map((e) => e.node.id)).toEqual(first.nodes.map((n) => n.id));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.nodes[0]).toMatchObject({ acquisitionDate: new Date(all[0].acquisitionDate).toISOString(), footprint: { type: 'Polygon' } });
    const rest = ok(await stack.op(DataApiSearchImageryDocument, { input: { aoi: AOI, first: 4, after: first.pageInfo.endCursor } })).searchImagery!;
    expect(rest.nodes.map((n) => n.id)).toEqual(all.slice(4).map((s) => s.id));
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(stack.callsTo('mapflow', 'POST /catalog/meta')).toBe(2);

    const clear = ok(await stack.op(DataApiSearchImageryDocument, { input: { aoi: AOI, maxCloudCover: 0.3, dataProviders: ['orbview'] } })).searchImagery!;
    const expected = await vendor<{ id: string }[]>(stack, 'POST', '/catalog/meta', { aoi: AOI, maxCloudCover: 0.3, dataProviders: ['orbview'] });
    expect(clear.nodes.map((n) => n.id)).toEqual(expected.map((s) => s.id));
    expect(clear.nodes.every((n) => (n.cloudCover as number) <= 0.3 && n.providerName === 'orbview')).toBe(true);
  });

  test('a bad AOI or filter is refused before any vendor call', async ({ stack }) => {
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ aoi: { type: 'Point', coordinates: [37, 55] } }, 'geometry must be a GeoJSON Polygon or MultiPolygon, got a Point', ['input', 'aoi']],
      [{ aoi: AOI, maxCloudCover: 2 }, 'maxCloudCover must be within 0..1', ['input', 'maxCloudCover']],
      [{ aoi: AOI, first: 500 }, 'first must be between 0 and 100', ['first']],
    ];
    for (const [input, message, field] of cases) {
      expect(errorOf(await stack.op(DataApiSearchImageryDocument, { input: input as never }))).toMatchObject({ message, code: 'BAD_USER_INPUT', field });
    }
    expect(stack.calls('mapflow')).toBe(0);
  });
});

describe('processings from the user\'s own imagery', () => {
  const run = (stack: Stack, sourceParams: SourceParamsInput) =>
    stack.op(DataApiCreateProcessingDocument, { input: { name: 'Own imagery', workflowDefId: BUILDINGS, geometry: square(37.3, 55.64, 0.004), sourceParams } });

  test('myImagery (a mosaic, or images) and imagerySearch (a catalogue result) run to OK on the simulator', async ({ stack }) => {
    const id = await newMosaic(stack, 'To process');
    const imageId = await uploadToSim(stack, id, geoTiff(), 'tile.tif');
    const scene = ok(await stack.op(DataApiSearchImageryDocument, { input: { aoi: AOI, first: 1 } })).searchImagery!.nodes[0];
    const sources: SourceParamsInput[] = [
      { myImagery: { mosaicId: id } },
      { myImagery: { imageIds: [imageId] } },
      { myImagery: { mosaicId: DOC_MOSAIC, imageIds: [DOC_IMAGE] } },
      { imagerySearch: { dataProvider: scene.providerName as string, imageIds: [scene.id], zoom: 18 } },
    ];
    const created: string[] = [];
    for (const sourceParams of sources) {
      const processing = ok(await run(stack, sourceParams)).createProcessing;
      expect(processing.status).toBe('UNPROCESSED');
      expect(processing.params).toEqual({ sourceParams });
      expect(tenantData(stack, 'alpha').processings.get(processing.id)?.params).toEqual({ sourceParams });
      if (sourceParams.myImagery) expect(processing.rasterLayer?.tileUrl).toContain('s3://mapflow-rasters/');
      created.push(processing.id);
    }
    stack.sims.mapflow.clock.advance(120_000);
    for (const id of created) expect(ok(await stack.op(DataApiProcessingDocument, { id })).processing).toMatchObject({ id, status: 'OK', percentCompleted: 100 });
  });

  test("an unknown mosaic or image gets the vendor's ItemNotFound, as BAD_USER_INPUT, and nothing is created", async ({ stack }) => {
    const before = tenantData(stack, 'alpha').processings.size;
    expect(errorOf(await run(stack, { myImagery: { mosaicId: UNKNOWN } }))).toMatchObject({ message: `Mapflow: Mosaic ${UNKNOWN} not found`, code: 'BAD_USER_INPUT', vendorCode: 'ItemNotFound' });
    expect(errorOf(await run(stack, { myImagery: { imageIds: [DOC_IMAGE, UNKNOWN] } }))).toMatchObject({ message: `Mapflow: Image ${UNKNOWN} not found`, code: 'BAD_USER_INPUT', vendorCode: 'ItemNotFound' });
    expect(tenantData(stack, 'alpha').processings.size).toBe(before);
  });
});
