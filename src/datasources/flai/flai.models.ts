import { z } from 'zod';

/**
 * Zod models of Flai payloads, vendor names kept
 * (docs/decisions.md, "Vendor payloads: zod models, lenient where vendors grow").
 * What each endpoint answers is in (docs/vendors.md, "Flai: endpoints we call").
 */

/**
 * `YYYY-MM-DD HH:MM:SS`, UTC with no zone (docs/vendors.md, "Flai: timestamps and numbers"); an ISO
 * string with a zone is accepted too.
 */
export const FlaiTimeModel = z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/, 'not a Flai timestamp');

/** Decimals sent as strings (`"dataset_data_size_in_gb": "0"`); a JSON number is accepted too. */
export const NumericModel = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, 'not a number')]);

const id = z.union([z.string().min(1), z.number()]).transform(String);

export const OauthMeModel = z.object({ active_organization_id: id });

export const DatasetModel = z.object({
  id,
  dataset_name: z.string(),
  description: z.string().nullish(),
  /** `pointcloud`, `vector`, `raster`, `image`; any other value reads as UNKNOWN and never fails a page. */
  dataset_type_key: z.string(),
  dataset_status: z.string().nullish(),
  srid: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).nullish(),
  unit: z.string().nullish(),
  is_public: z.boolean().nullish(),
  is_annotated: z.boolean().nullish(),
  read_write_mode: z.string().nullish(),
  dataset_data_size_in_gb: NumericModel.nullish(),
  created_at: FlaiTimeModel.nullish(),
  /** Only whether it is set is read: its `credentials` (if a vendor ever echoed them) are dropped here. */
  import_datasource: z.object({ datasource_type: z.string().nullish() }).nullish(),
});
export type DatasetModel = z.infer<typeof DatasetModel>;

export const OutputDatasetModel = z.object({
  dataset_id: id,
  flow_execution_id: id.nullish(),
  dataset_name: z.string(),
  dataset_status: z.string(),
  dataset_data_size_in_gb: NumericModel.nullish(),
  created_at: FlaiTimeModel.nullish(),
});

export const FlowExecutionModel = z.object({
  id,
  flow_id: id,
  status: z.string(),
  created_by: id.nullish(),
  created_at: FlaiTimeModel.nullish(),
  started_at: FlaiTimeModel.nullish(),
  finished_at: FlaiTimeModel.nullish(),
  stopped_at: FlaiTimeModel.nullish(),
  updated_at: FlaiTimeModel.nullish(),
  total_execution_time: NumericModel.nullish(),
  output_datasets: z.array(OutputDatasetModel).nullish(),
});
export type FlowExecutionModel = z.infer<typeof FlowExecutionModel>;

/**
 * `{items, pagination:{total_items,total_pages,current_page,per_page}}`, or a bare array of the whole
 * list (docs/vendors.md, "Flai: list pagination").
 */
export function pageModel<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    pagination: z.object({
      total_items: z.number().int().min(0),
      total_pages: z.number().int().min(0).optional(),
      current_page: z.number().int().optional(),
      per_page: z.number().int().optional(),
    }),
  });
}
export const DatasetPageModel = pageModel(DatasetModel);
export const DatasetArrayModel = z.array(DatasetModel);
export const FlowExecutionPageModel = pageModel(FlowExecutionModel);
export const FlowExecutionArrayModel = z.array(FlowExecutionModel);

/**
 * One answer of an organization list, either shape: `whole` when Flai sent a bare array, which holds
 * the whole list whatever page was asked (then `totalPages` is 1).
 */
export interface FlaiList<T> {
  items: T[];
  total: number;
  totalPages?: number;
  whole: boolean;
}

/** `flow-templates` is a bare array, not a page. */
export const FlowTemplateListModel = z.array(z.object({ id, title: z.string() }));

export const FlowNodeModel = z.object({
  flow_node_key: z.string(),
  type: z.string().nullish(),
  flow_node_definition_id: id.nullish(),
  options: z.record(z.string(), z.unknown()).nullish(),
});

export const FlowModel = z.object({
  id,
  title: z.string().nullish(),
  flow_nodes: z.array(FlowNodeModel).nullish(),
});
export type FlowModel = z.infer<typeof FlowModel>;

export const DownloadFileModel = z.object({ id, name: z.string(), size: NumericModel.nullish() });

export const DownloadModel = z.object({
  id,
  status: z.string(),
  items: z.array(z.object({ model_name: z.string(), model_id: id })).min(1),
  updated_at: FlaiTimeModel.nullish(),
  created_at: FlaiTimeModel.nullish(),
  /** Present only with `?decorators=files`. */
  files: z.array(DownloadFileModel).nullish(),
});
export type DownloadModel = z.infer<typeof DownloadModel>;

/** `POST downloads`: only `id` is known of the answer. The answers of `POST datasets` and `POST flow-template-execution` may be only this too. */
export const DownloadCreatedModel = z.object({ id });
export const CreatedIdModel = DownloadCreatedModel;

/** `GET file-downloads/{id}/download` → `{url}`. */
export const FileUrlModel = z.object({ url: z.string().min(1) });
