import { z } from 'zod';

/**
 * Mapflow's data catalogue payloads (`/rasters/...`, `/catalog/meta`), vendor names kept (snake_case
 * for mosaics and images). Lenient as `mapflow.models.ts` is: unknown fields are dropped, figures
 * may be numeric strings (docs/vendors.md, "Mapflow: Data API").
 */

const NUMBER_TEXT = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const optionalNumeric = z.union([z.number(), z.string().regex(NUMBER_TEXT)]).nullish();
const optionalString = z.string().nullish();

export const RasterLayerModel = z.object({ tileUrl: optionalString, tileJsonUrl: optionalString });

/** `GET /rasters/mosaic/{id}`; the create answer has only id, name, created_at and tags. */
export const MosaicModel = z.object({
  id: z.string(),
  name: z.string(),
  created_at: optionalString,
  tags: z.array(z.string()).nullish(),
  /** WKT (a GeoJSON object is accepted too: the plugin types it loosely). */
  footprint: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
  sizeInBytes: optionalNumeric,
  rasterLayer: RasterLayerModel.nullish(),
});
export type MosaicModel = z.infer<typeof MosaicModel>;
export const MosaicListModel = z.array(MosaicModel);

export const ImageModel = z.object({
  id: z.string(),
  mosaic_id: z.string(),
  image_url: optionalString,
  preview_url_l: optionalString,
  preview_url_s: optionalString,
  uploaded_at: optionalString,
  file_size: optionalNumeric,
  footprint: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
  filename: optionalString,
  checksum: optionalString,
  meta_data: z
    .object({
      crs: optionalString,
      count: optionalNumeric,
      width: optionalNumeric,
      height: optionalNumeric,
      pixel_size: z.array(z.number()).nullish(),
    })
    .nullish(),
});
export type ImageModel = z.infer<typeof ImageModel>;
export const ImageListModel = z.array(ImageModel);

export const LinkImageModel = z.object({ message: optionalString, mosaic_id: optionalString });

export const RasterLimitsModel = z.object({
  memoryLimit: optionalNumeric,
  memoryUsed: optionalNumeric,
  memoryFree: optionalNumeric,
  maxUploadFileSize: optionalNumeric,
  maxPixelCount: optionalNumeric,
});
export type RasterLimitsModel = z.infer<typeof RasterLimitsModel>;

export const CatalogSceneModel = z.object({
  id: z.string(),
  footprint: z.record(z.string(), z.unknown()).nullish(),
  pixelResolution: optionalNumeric,
  acquisitionDate: optionalString,
  productType: optionalString,
  sensor: optionalString,
  cloudCover: optionalNumeric,
  offNadirAngle: optionalNumeric,
  previewUrl: optionalString,
  providerName: optionalString,
});
export type CatalogSceneModel = z.infer<typeof CatalogSceneModel>;
export const CatalogSceneListModel = z.array(CatalogSceneModel);
