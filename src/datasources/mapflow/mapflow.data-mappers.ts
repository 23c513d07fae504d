import type { ImagerySearchResult } from '../../schema/mapflow/imagery-search.type.js';
import type { MapflowImage, MapflowStorage, Mosaic } from '../../schema/mapflow/mosaic.type.js';
import type { CatalogSceneModel, ImageModel, MosaicModel, RasterLimitsModel } from './mapflow.data-models.js';
import { toDate } from './mapflow.mappers.js';
import { wktToGeoJson } from './mapflow.wkt.js';

/** Data catalogue payloads as domain objects: camelCase, `Date`s, numbers, GeoJSON footprints. */

const toNumber = (v: number | string | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));

export function toMosaic(m: MosaicModel): Mosaic {
  return {
    id: m.id,
    name: m.name,
    tags: m.tags ?? [],
    createdAt: toDate(m.created_at),
    footprint: wktToGeoJson(m.footprint),
    sizeInBytes: toNumber(m.sizeInBytes),
    tileUrl: m.rasterLayer?.tileUrl ?? null,
  };
}

export function toImage(m: ImageModel): MapflowImage {
  const meta = m.meta_data;
  return {
    id: m.id,
    mosaicId: m.mosaic_id,
    filename: m.filename ?? null,
    fileSize: toNumber(m.file_size),
    uploadedAt: toDate(m.uploaded_at),
    footprint: wktToGeoJson(m.footprint),
    imageUrl: m.image_url ?? null,
    previewUrl: m.preview_url_l ?? m.preview_url_s ?? null,
    crs: meta?.crs ?? null,
    bandCount: toNumber(meta?.count),
    width: toNumber(meta?.width),
    height: toNumber(meta?.height),
    pixelSize: meta?.pixel_size ?? null,
    checksum: m.checksum ?? null,
  };
}

export function toStorage(m: RasterLimitsModel): MapflowStorage {
  return {
    memoryLimit: toNumber(m.memoryLimit),
    memoryUsed: toNumber(m.memoryUsed),
    memoryFree: toNumber(m.memoryFree),
    maxUploadFileSize: toNumber(m.maxUploadFileSize),
    maxPixelCount: toNumber(m.maxPixelCount),
  };
}

export function toScene(m: CatalogSceneModel): ImagerySearchResult {
  return {
    id: m.id,
    footprint: m.footprint && typeof m.footprint.type === 'string' ? m.footprint : null,
    pixelResolution: toNumber(m.pixelResolution),
    acquisitionDate: toDate(m.acquisitionDate),
    productType: m.productType ?? null,
    sensor: m.sensor ?? null,
    cloudCover: toNumber(m.cloudCover),
    offNadirAngle: toNumber(m.offNadirAngle),
    previewUrl: m.previewUrl ?? null,
    providerName: m.providerName ?? null,
  };
}
