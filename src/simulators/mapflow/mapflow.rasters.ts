import { createHash, randomUUID } from 'node:crypto';
import type { SimResult } from '../core/index.js';
import { mapflowError } from './mapflow.errors.js';
import { sourceOf } from './mapflow.sources.js';
import { boxesWkt, boxWkt, type TiffInfo } from './mapflow.tiff.js';
import type { JsonObject, MapflowTenant, Mosaic, RasterImage, RasterStore, TenantData } from './mapflow.types.js';

export type { Mosaic, RasterImage } from './mapflow.types.js';

/**
 * Mapflow's data catalogue (`/rasters/...`): mosaics, their images, the account's storage. Records
 * are kept in Mapflow's own (snake_case) names and served as the QGIS plugin's schemas read them
 * (docs/vendors.md, "Mapflow: Data API").
 */

/** The documented mosaic and image of the processing examples (`params-my-imagery-*`). */
export const DOC_MOSAIC_ID = '0617c425-9bfa-45a3-b2ea-46020e48d775';
export const DOC_IMAGE_ID = '0c26a0d3-96d8-4ed5-aa62-3843d1d7905c';
/** [INFER] A GeoTIFF in storage that `link-image` can attach (the docs name none). */
export const STORED_OBJECT_URL = 's3://mapflow-user-storage/samples/moscow-rgb.tif';

const MOSCOW_INFO: TiffInfo = { width: 4000, height: 3000, count: 3, dtype: 'uint8', crs: 'EPSG:3857', nodata: null, pixelSize: [0.5, 0.5], bounds: [37.6, 55.74, 37.618, 55.7491] };

export function emptyRasters(): RasterStore {
  const rasters: RasterStore = { mosaics: new Map(), images: new Map(), objects: new Map(), maxUploadFileSize: 2 * 1024 ** 3, maxPixelCount: 30_000 * 30_000 };
  rasters.objects.set(STORED_OBJECT_URL, { info: MOSCOW_INFO, size: 36_000_000, checksum: createHash('sha1').update(STORED_OBJECT_URL).digest('hex') });
  rasters.mosaics.set(DOC_MOSAIC_ID, { id: DOC_MOSAIC_ID, name: 'Moscow 2023', tags: ['aerial'], createdAt: '2023-01-26T13:58:30.601237' });
  const info: TiffInfo = { width: 8192, height: 8192, count: 3, dtype: 'uint8', crs: 'EPSG:3857', nodata: 0, pixelSize: [0.3, 0.3], bounds: [37.5902, 55.7314, 37.6123, 55.7439] };
  rasters.images.set(DOC_IMAGE_ID, {
    id: DOC_IMAGE_ID,
    mosaicId: DOC_MOSAIC_ID,
    filename: 'moscow_2023.tif',
    fileSize: 201_326_592,
    uploadedAt: '2023-01-26T13:58:32.122099',
    checksum: '5c1d6b57f7e3b5c1fbe8b5b0c4f5fb1a3ec2d6a1',
    info,
    imageUrl: `s3://mapflow-rasters/${DOC_MOSAIC_ID}/${DOC_IMAGE_ID}.tif`,
  });
  return rasters;
}

/** The data catalogue's error body: FastAPI's `{"detail": {code, parameters}}` with a documented code. */
export function dataError(status: number, code: string, parameters: Record<string, string | number>, message?: string): SimResult {
  return { status, json: { detail: { code, parameters, ...(message ? { message } : {}) } } };
}

export const itemNotFound = (instanceType: 'mosaic' | 'image', uid: string): SimResult => dataError(404, 'ItemNotFound', { instance_type: instanceType, uid });

export function memoryUsed(t: TenantData): number {
  let used = 0;
  for (const image of t.rasters.images.values()) used += image.fileSize;
  return used;
}

export function memoryLimit(t: TenantData): number {
  const limit = Number(t.userStatus.memoryLimit);
  return Number.isFinite(limit) && limit > 0 ? limit : 1_000_000_000;
}

/** `GET /rasters/memory` (bytes and pixels, as the plugin's `UserLimitSchema` reads them). */
export function memoryJson(t: TenantData): JsonObject {
  const used = memoryUsed(t);
  const limit = memoryLimit(t);
  return { memoryLimit: limit, memoryUsed: used, memoryFree: Math.max(0, limit - used), maxUploadFileSize: t.rasters.maxUploadFileSize, maxPixelCount: t.rasters.maxPixelCount };
}

export function imagesOf(t: TenantData, mosaicId: string): RasterImage[] {
  return [...t.rasters.images.values()].filter((image) => image.mosaicId === mosaicId).sort((a, b) => (a.uploadedAt < b.uploadedAt ? -1 : 1));
}

export function imageJson(image: RasterImage): JsonObject {
  const { info } = image;
  const preview = (size: 's' | 'l') => `https://api.mapflow.ai/rest/rasters/image/${image.id}/preview/${size}`;
  return {
    id: image.id,
    mosaic_id: image.mosaicId,
    image_url: image.imageUrl,
    preview_url_l: preview('l'),
    preview_url_s: preview('s'),
    uploaded_at: image.uploadedAt,
    file_size: image.fileSize,
    footprint: info.bounds ? boxWkt(info.bounds) : null,
    filename: image.filename,
    checksum: image.checksum,
    meta_data: { crs: info.crs, count: info.count, width: info.width, height: info.height, dtypes: Array.from({ length: info.count }, () => info.dtype), nodata: info.nodata, pixel_size: info.pixelSize },
    cog_link: image.imageUrl.replace(/\/([^/]+)$/, '/cog/$1'),
    available_for_download: true,
  };
}

export function mosaicJson(t: TenantData, mosaic: Mosaic): JsonObject {
  const images = imagesOf(t, mosaic.id);
  const uri = `s3://mapflow-rasters/${mosaic.id}`;
  return {
    id: mosaic.id,
    name: mosaic.name,
    created_at: mosaic.createdAt,
    tags: mosaic.tags,
    footprint: boxesWkt(images.flatMap((image) => (image.info.bounds ? [image.info.bounds] : []))),
    sizeInBytes: images.reduce((sum, image) => sum + image.fileSize, 0),
    rasterLayer: {
      tileUrl: `https://app.mapflow.ai/api/v0/cogs/tiles/{z}/{x}/{y}.png?uri=${uri}`,
      tileJsonUrl: `https://app.mapflow.ai/api/v0/cogs/tiles.json?uri=${uri}`,
    },
  };
}

/**
 * Whether an image may join a mosaic: every image of a mosaic shares CRS, band count and
 * resolution (documented); the first mismatch as the documented `FileValidationFailed`.
 */
export function mismatch(t: TenantData, mosaicId: string, filename: string, info: TiffInfo): SimResult | null {
  const first = imagesOf(t, mosaicId)[0];
  if (!first) return null;
  const checks: [string, unknown, unknown][] = [
    ['crs', info.crs, first.info.crs],
    ['count', info.count, first.info.count],
    ['pixel_size', info.pixelSize?.join(','), first.info.pixelSize?.join(',')],
  ];
  for (const [param, got, expected] of checks) {
    if (got !== expected) {
      return dataError(400, 'FileValidationFailed', { filename, mosaic_id: mosaicId, param_name: param, got_param: String(got), expected_param: String(expected) });
    }
  }
  return null;
}

/** Adds an image record to a mosaic (the checks are the caller's). */
export function addImage(t: TenantData, mosaicId: string, file: { filename: string; size: number; checksum: string; info: TiffInfo; at: string; imageUrl?: string }): RasterImage {
  const id = randomUUID();
  const image: RasterImage = {
    id,
    mosaicId,
    filename: file.filename,
    fileSize: file.size,
    uploadedAt: file.at,
    checksum: file.checksum,
    info: file.info,
    imageUrl: file.imageUrl ?? `s3://mapflow-rasters/${mosaicId}/${id}.tif`,
  };
  t.rasters.images.set(id, image);
  return image;
}

/**
 * A processing from `myImagery` names a mosaic and images of the account's storage; an unknown one
 * is refused before the run with the data catalogue's `ItemNotFound` code and parameters, in the
 * processing API's error body. [INFER] Status 400: the id is part of the request's parameters.
 */
export function checkMyImagery(t: TenantData, params: unknown): SimResult | null {
  const { kind, source } = sourceOf(params);
  if (kind !== 'myImagery') return null;
  const mosaicId = typeof source.mosaicId === 'string' ? source.mosaicId : null;
  if (mosaicId !== null && !t.rasters.mosaics.has(mosaicId)) {
    return mapflowError(400, 'ItemNotFound', `Mosaic ${mosaicId} not found`, { instance_type: 'mosaic', uid: mosaicId });
  }
  const imageIds = Array.isArray(source.imageIds) ? source.imageIds.map(String) : [];
  for (const id of imageIds) {
    const image = t.rasters.images.get(id);
    if (!image || (mosaicId !== null && image.mosaicId !== mosaicId)) return mapflowError(400, 'ItemNotFound', `Image ${id} not found`, { instance_type: 'image', uid: id });
  }
  return null;
}

/**
 * Admin: `POST /__sim/rasters/limits` `{tenant, maxUploadFileSize?, memoryLimit?}` sets an account's
 * upload limit and storage size (tests reach the limits without gigabytes).
 */
export function rastersAdmin(tenants: () => MapflowTenant[]) {
  return (method: string, path: string, body: unknown): SimResult | null => {
    if (method !== 'POST' || path !== '/__sim/rasters/limits') return null;
    const b = (body ?? {}) as { tenant?: unknown; maxUploadFileSize?: unknown; memoryLimit?: unknown };
    const tenant = tenants().find((candidate) => candidate.name === b.tenant);
    if (!tenant) return { status: 404, json: { error: 'unknown tenant' } };
    if (typeof b.maxUploadFileSize === 'number') tenant.data.rasters.maxUploadFileSize = b.maxUploadFileSize;
    if (typeof b.memoryLimit === 'number') tenant.data.userStatus.memoryLimit = b.memoryLimit;
    return { status: 200, json: memoryJson(tenant.data) };
  };
}
