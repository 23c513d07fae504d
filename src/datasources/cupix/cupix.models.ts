import { z } from 'zod';

/**
 * Cupix payloads as the vendor sends them (JSON:API-like envelopes, snake_case, vendor names kept).
 * Every attribute is optional: `attributes` holds only the requested `fields`. Unknown attributes are
 * dropped; unknown status literals pass (they are strings); a wrong type is UPSTREAM_BAD_RESPONSE.
 */
const NumericModel = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/).transform(Number)]);
const IdModel = z.union([z.string(), z.number()]);
const TimestampModel = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp');
const MatrixModel = z.array(NumericModel);

/** A relation stub: `{"id": 602, "type": "Record"}`, `{"id": 3416, "name": "Cluster 1", "type": "Cluster"}`, `{}`, `{"id": null}`. */
export const RefStubModel = z.object({
  id: IdModel.nullish(),
  name: z.string().nullish(),
  type: z.string().nullish(),
});

/** `meta.prop`: sub `{tm, wtm, original_file_name, original_point_count, original_size_in_mb}`, group `{tm, wtm, scale, wscale}`. */
export const PointcloudPropModel = z.object({
  tm: MatrixModel.nullish(),
  wtm: MatrixModel.nullish(),
  /** A group's, e.g. `[1, 1, 1]` or `[]` (Documented); not always 1 (docs/vendors.md, "Documented variants"). */
  scale: z.array(NumericModel).nullish(),
  wscale: z.array(NumericModel).nullish(),
  original_file_name: z.string().nullish(),
  original_point_count: NumericModel.nullish(),
  original_size_in_mb: NumericModel.nullish(),
});

/** `meta`: `{prop, potree}` of a sub, `{prop, processor_version}` of a group; also the `result` of `GET /pointclouds/{id}/meta`. */
export const PointcloudMetaModel = z.object({ prop: PointcloudPropModel.nullish(), processor_version: z.string().nullish() });

export const PointcloudAttributesModel = z.object({
  name: z.string().optional(),
  state: z.string().nullish(),
  potree_state: z.string().nullish(),
  kind: z.enum(['group', 'sub']).optional(),
  // Any string: a type the docs do not list reads as UNKNOWN instead of failing the page (docs/vendors.md, "Cupix: groups and subs").
  pointcloud_type: z.string().optional(),
  editing_state: z.string().nullish(),
  parent: RefStubModel.nullish(),
  facility: RefStubModel.nullish(),
  cluster: RefStubModel.nullish(),
  record: RefStubModel.nullish(),
  level: RefStubModel.nullish(),
  meta: PointcloudMetaModel.nullish(),
  created_at: TimestampModel.nullish(),
  updated_at: TimestampModel.nullish(),
  published_at: TimestampModel.nullish(),
  permission: z.string().nullish(),
  use_georeference: z.boolean().nullish(),
  georeference: z.record(z.string(), z.unknown()).nullish(),
  thumbnail_urls: z.record(z.string(), z.unknown()).nullish(),
});

/** One `data` item; `id` is a string in every example although the spec types it int64. */
export const PointcloudItemModel = z.object({
  id: IdModel,
  attributes: PointcloudAttributesModel,
});

export const PaginationModel = z.object({
  total_entries: NumericModel,
  total_pages: NumericModel,
  per_page: NumericModel,
  current_page: NumericModel,
  previous_page: NumericModel.nullish(),
  next_page: NumericModel.nullish(),
});

export const PointcloudResponseModel = z.object({ result: z.object({ data: PointcloudItemModel }) });

/** `GET /pointclouds/{id}/meta`: `{"result": <meta>, "session": null, "message": null}` (Documented). */
export const MetaResponseModel = z.object({ result: PointcloudMetaModel });

export const PointcloudListResponseModel = z.object({
  result: z.object({ data: z.array(PointcloudItemModel), pagination: PaginationModel.nullish() }),
});

export type RefStubModel = z.infer<typeof RefStubModel>;
export type PointcloudItemModel = z.infer<typeof PointcloudItemModel>;
export type PointcloudMetaModel = z.infer<typeof PointcloudMetaModel>;
export type PaginationModel = z.infer<typeof PaginationModel>;
