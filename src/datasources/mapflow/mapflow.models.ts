import { z } from 'zod';

/**
 * Mapflow payloads as the vendor sends them (vendor names kept). Lenient on purpose: unknown fields
 * are accepted and dropped (nothing reads them; not copying them is most of the validation cost),
 * unknown status literals stay strings (the mapper turns them into UNKNOWN), numbers may come
 * as numeric strings (the stats report sends every figure as a string).
 */

const num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/)]);
const optNum = num.nullish();
const optStr = z.string().nullish();
const obj = z.record(z.string(), z.unknown());
/** ISO-8601 instants (µs precision, "Z"); a value without a zone is UTC. */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const ts = z.string().regex(ISO, 'expected an ISO-8601 date-time').nullish();

export const WorkflowBlockModel = z.object({
  name: z.string(),
  displayName: optStr,
  /** `optional` is a boolean in /user/status, `0`/`1` in the 2026 doc example. */
  optional: z.union([z.boolean(), z.number()]).nullish(),
  price: optNum,
});

export const WorkflowDefModel = z.object({
  id: z.string(),
  name: z.string(),
  description: optStr,
  created: ts,
  updated: ts,
  pricePerSqKm: optNum,
  blocks: z.array(WorkflowBlockModel).nullish(),
});
export type WorkflowDefModel = z.infer<typeof WorkflowDefModel>;

export const MessageModel = z.object({
  code: z.string(),
  parameters: obj.nullish(),
});
export type MessageModel = z.infer<typeof MessageModel>;

const LayerModel = z.object({
  id: optStr,
  name: optStr,
  tileUrl: optStr,
  tileJsonUrl: optStr,
});
export type LayerModel = z.infer<typeof LayerModel>;

export const ProcessingModel = z.object({
  id: z.string(),
  name: optStr,
  description: optStr,
  projectId: optStr,
  vectorLayer: LayerModel.nullish(),
  rasterLayer: LayerModel.nullish(),
  workflowDef: WorkflowDefModel.nullish(),
  aoiCount: optNum,
  area: optNum,
  cost: optNum,
  status: z.string(),
  /** Plugin shape `{reviewStatus, inReviewUntil}`; the MCP client types it `{status?, feedback?}`. */
  reviewStatus: z.object({ reviewStatus: optStr, status: optStr }).nullish(),
  percentCompleted: optNum,
  params: z.unknown().optional(),
  blocks: z.array(z.object({ name: z.string(), enabled: z.boolean() })).nullish(),
  meta: z.unknown().optional(),
  messages: z.array(MessageModel).nullish(),
  created: ts,
  updated: ts,
});
export type ProcessingModel = z.infer<typeof ProcessingModel>;

export const ProcessingListModel = z.array(ProcessingModel);

export const PageModel = <T extends z.ZodType>(item: T) =>
  z.object({ results: z.array(item), total: num, count: optNum });

export const ProcessingPageModel = PageModel(ProcessingModel);
export type ProcessingPageModel = z.infer<typeof ProcessingPageModel>;

export const AoiModel = z.object({
  id: z.string(),
  status: z.string(),
  percentCompleted: optNum,
  geometry: obj,
  area: optNum,
  messages: z.array(MessageModel).nullish(),
});
export type AoiModel = z.infer<typeof AoiModel>;
export const AoiListModel = z.array(AoiModel);

const ProgressModel = z.object({
  status: z.string(),
  percentCompleted: optNum,
  details: z
    .array(z.object({ status: z.string(), count: num, area: optNum, statusUpdateDate: ts }))
    .nullish(),
  completionDate: ts,
});

export const ProjectModel = z.object({
  id: z.string(),
  name: z.string(),
  description: optStr,
  isDefault: z.boolean().nullish(),
  aoiCount: optNum,
  area: optNum,
  progress: ProgressModel.nullish(),
  user: z.object({ id: z.string(), email: z.string(), login: optStr, role: optStr }).nullish(),
  workflowDefs: z.array(WorkflowDefModel).nullish(),
  created: ts,
  updated: ts,
});
export type ProjectModel = z.infer<typeof ProjectModel>;

export const ProjectPageModel = PageModel(ProjectModel);
export type ProjectPageModel = z.infer<typeof ProjectPageModel>;

export const UserStatusModel = z.object({
  email: z.string(),
  processedArea: optNum,
  remainingArea: optNum,
  remainingCredits: optNum,
  areaLimit: optNum,
  memoryLimit: optNum,
  models: z.array(WorkflowDefModel).nullish(),
  teams: z
    .array(z.object({ teamId: z.string(), name: z.string(), role: z.string(), activeUntil: ts, creditsLimit: optNum }))
    .nullish(),
  dataProviders: z
    .array(
      z.object({
        id: optStr,
        name: z.string(),
        displayName: optStr,
        previewUrl: optStr,
        price: z.array(z.object({ zoom: optNum, priceSqKm: optNum })).nullish(),
      }),
    )
    .nullish(),
});
export type UserStatusModel = z.infer<typeof UserStatusModel>;

export const StatsRowModel = z.object({
  projectName: optStr,
  name: optStr,
  email: optStr,
  area: optNum,
  cost: optNum,
  status: optStr,
  percentCompleted: optNum,
  created: ts,
  completionDate: ts,
  scenario: optStr,
  linkToMap: optStr,
});
export type StatsRowModel = z.infer<typeof StatsRowModel>;

export const StatsModel = z.object({
  results: z.array(StatsRowModel),
  total: num,
  totalCost: optNum,
  totalArea: optNum,
});
export type StatsModel = z.infer<typeof StatsModel>;

/** `POST /processing/cost/v2` answers with a bare number as text. */
export const CostModel = z.string().trim().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, 'expected a bare number');

/** The minimum a results body must be to be served inline. */
export const FeatureCollectionModel = z.looseObject({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) });
