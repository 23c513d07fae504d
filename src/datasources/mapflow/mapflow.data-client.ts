import type { Readable } from 'node:stream';
import { parseVendor } from '../shared/parse-vendor.js';
import type { MapflowCall } from './mapflow.client.js';
import {
  CatalogSceneListModel,
  type CatalogSceneModel,
  ImageListModel,
  ImageModel,
  LinkImageModel,
  MosaicListModel,
  MosaicModel,
  RasterLimitsModel,
} from './mapflow.data-models.js';

/** Mapflow's data catalogue, one function per endpoint (docs/vendors.md, "Mapflow: Data API"). */

const mosaicPath = (id: string) => `/rasters/mosaic/${encodeURIComponent(id)}`;

export async function getRasterLimits(call: MapflowCall) {
  const data = await call.http.json({ method: 'GET', path: '/rasters/memory', route: 'GET /rasters/memory', headers: call.headers });
  return parseVendor('MAPFLOW', RasterLimitsModel, data, 'storage');
}

export async function listMosaics(call: MapflowCall) {
  const data = await call.http.json({ method: 'GET', path: '/rasters/mosaic', route: 'GET /rasters/mosaic', headers: call.headers });
  return parseVendor('MAPFLOW', MosaicListModel, data, 'mosaic list');
}

export async function getMosaic(call: MapflowCall, id: string) {
  const data = await call.http.json({ method: 'GET', path: mosaicPath(id), route: 'GET /rasters/mosaic/{id}', headers: call.headers });
  return parseVendor('MAPFLOW', MosaicModel, data, 'mosaic');
}

/** The create answer is `{id, name, created_at, tags}` only. */
export async function createMosaic(call: MapflowCall, body: { name: string; tags: string[] }) {
  const data = await call.http.json({ method: 'POST', path: '/rasters/mosaic', route: 'POST /rasters/mosaic', body, headers: call.headers });
  return parseVendor('MAPFLOW', MosaicModel, data, 'created mosaic');
}

/** Tags replace the mosaic's tags. */
export async function updateMosaic(call: MapflowCall, id: string, body: { name?: string; tags?: string[] }) {
  const data = await call.http.json({ method: 'PUT', path: mosaicPath(id), route: 'PUT /rasters/mosaic/{id}', body, idempotent: true, headers: call.headers });
  return parseVendor('MAPFLOW', MosaicModel, data, 'mosaic');
}

export async function deleteMosaic(call: MapflowCall, id: string): Promise<void> {
  await call.http.text({ method: 'DELETE', path: mosaicPath(id), route: 'DELETE /rasters/mosaic/{id}', headers: call.headers });
}

export async function listMosaicImages(call: MapflowCall, mosaicId: string) {
  const data = await call.http.json({ method: 'GET', path: `${mosaicPath(mosaicId)}/image`, route: 'GET /rasters/mosaic/{id}/image', headers: call.headers });
  return parseVendor('MAPFLOW', ImageListModel, data, 'image list');
}

export async function linkImage(call: MapflowCall, mosaicId: string, url: string) {
  const data = await call.http.json({ method: 'POST', path: `${mosaicPath(mosaicId)}/link-image`, route: 'POST /rasters/mosaic/{id}/link-image', body: { url }, headers: call.headers });
  return parseVendor('MAPFLOW', LinkImageModel, data, 'linked image');
}

export async function getImage(call: MapflowCall, id: string) {
  const data = await call.http.json({ method: 'GET', path: `/rasters/image/${encodeURIComponent(id)}`, route: 'GET /rasters/image/{id}', headers: call.headers });
  return parseVendor('MAPFLOW', ImageModel, data, 'image');
}

export async function deleteImage(call: MapflowCall, id: string): Promise<void> {
  await call.http.text({ method: 'DELETE', path: `/rasters/image/${encodeURIComponent(id)}`, route: 'DELETE /rasters/image/{id}', headers: call.headers });
}

/** `POST /catalog/meta` body (vendor names). */
export interface CatalogSearchBody {
  aoi: unknown;
  acquisitionDateFrom?: string;
  acquisitionDateTo?: string;
  minResolution?: number;
  maxResolution?: number;
  maxCloudCover?: number;
  minOffNadirAngle?: number;
  maxOffNadirAngle?: number;
  minAoiIntersectionPercent?: number;
  dataProviders?: string[];
  productTypes?: string[];
  limit: number;
  offset: number;
}

/** A search reads nothing it changes: it is retried as a read. */
export async function searchCatalog(call: MapflowCall, body: CatalogSearchBody): Promise<CatalogSceneModel[]> {
  const data = await call.http.json({ method: 'POST', path: '/catalog/meta', route: 'POST /catalog/meta', body, idempotent: true, headers: call.headers });
  return parseVendor('MAPFLOW', CatalogSceneListModel, data, 'imagery search');
}

/**
 * `POST /rasters/mosaic/{id}/image`, or `POST /rasters/mosaic/image?name=` (a new mosaic with this
 * first image): one multipart request (part `file`) whose body streams as it is given. Never retried.
 */
export async function uploadImage(call: MapflowCall, to: { mosaicId: string } | { name: string }, body: { stream: Readable; length: number; contentType: string }) {
  const data = await call.http.json({
    method: 'POST',
    ...('mosaicId' in to
      ? { path: `${mosaicPath(to.mosaicId)}/image`, route: 'POST /rasters/mosaic/{id}/image' }
      : { path: '/rasters/mosaic/image', route: 'POST /rasters/mosaic/image', query: { name: to.name } }),
    rawBody: body,
    headers: call.headers,
  });
  return parseVendor('MAPFLOW', ImageModel, data, 'uploaded image');
}
