import { z } from 'zod';

/**
 * Mapflow payloads as the vendor sends them (vendor names kept). Lenient on purpose: unknown fields
 * are accepted and dropped (nothing reads them; not copying them is most of the validation cost),
 * unknown status literals stay strings (the mapper turns them into UNKNOWN), numbers may come
 * as numeric strings (the stats report sends every figure as a string).
 */

const NUMBER_TEXT = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const numeric = z.union([z.number(), z.string().regex(NUMBER_TEXT)]);
const optionalNumeric = numeric.nullish();
const optionalString = z.string().nullish();
const jsonObject = z.record(z.string(), z.unknown());
/** ISO-8601 instants (µs precision, "Z"); a value without a zone is UTC. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const instant = z.string().regex(ISO_INSTANT, 'expected an ISO-8601 date-time').nullish();

export const WorkflowBlockModel = z.object({
  name: z.string(),
  /** The label: `displayName` in /user/status, `description` in the v2 processing reference. */
  displayName: optionalString,
  description: optionalString,
  /** `optional` is a boolean in /user/status, `0`/`1` in the 2026 doc example. */
  optional: z.union([z.boolean(), z.number()]).nullish(),
  price: optionalNumeric,
});

export const WorkflowDefModel = z.object({
  id: z.string(),
  name: z.string(),
  description: optionalString,
  created: instant,
  updated: instant,
  pricePerSqKm: optionalNumeric,
  blocks: z.array(WorkflowBlockModel).nullish(),
});
export type WorkflowDefModel = z.infer<typeof WorkflowDefModel>;

export const MessageModel = z.object({
  code: z.string(),
  parameters: jsonObject.nullish(),
});
export type MessageModel = z.infer<typeof MessageModel>;

const LayerModel = z.object({
  id: optionalString,
  name: optionalString,
  tileUrl: optionalString,
  tileJsonUrl: optionalString,
});
export type LayerModel = z.infer<typeof LayerModel>;

export const ProcessingModel = z.object({
  id: z.string(),
  name: optionalString,
  description: optionalString,
  projectId: optionalString,
  vectorLayer: LayerModel.nullish(),
  rasterLayer: LayerModel.nullish(),
  workflowDef: WorkflowDefModel.nullish(),
  aoiCount: optionalNumeric,
  area: optionalNumeric,
  cost: optionalNumeric,
  status: z.string(),
  /** Plugin shape `{reviewStatus, inReviewUntil}`; the MCP client types it `{status?, feedback?}`. */
  reviewStatus: z.object({ reviewStatus: optionalString, status: optionalString }).nullish(),
  /** `{rating, feedback}` or null: the v2 reference types `rating` as a string, the QGIS plugin as 1..5. */
  rating: z.object({ rating: z.union([z.string(), z.number()]).nullish(), feedback: optionalString }).nullish(),
  percentCompleted: optionalNumeric,
  params: z.unknown().optional(),
  /** `{name, enabled}` (Documented); the QGIS plugin also reads an optional label. */
  blocks: z.array(z.object({ name: z.string(), enabled: z.boolean(), displayName: optionalString, description: optionalString })).nullish(),
  meta: z.unknown().optional(),
  messages: z.array(MessageModel).nullish(),
  created: instant,
  updated: instant,
});
export type ProcessingModel = z.infer<typeof ProcessingModel>;

export const ProcessingListModel = z.array(ProcessingModel);

export const PageModel = <T extends z.ZodType>(item: T) =>
  z.object({ results: z.array(item), total: numeric, count: optionalNumeric });

export const ProcessingPageModel = PageModel(ProcessingModel);
export type ProcessingPageModel = z.infer<typeof ProcessingPageModel>;

export const AoiModel = z.object({
  id: z.string(),
  status: z.string(),
  percentCompleted: optionalNumeric,
  geometry: jsonObject,
  area: optionalNumeric,
  messages: z.array(MessageModel).nullish(),
});
export type AoiModel = z.infer<typeof AoiModel>;
export const AoiListModel = z.array(AoiModel);

const ProgressModel = z.object({
  status: z.string(),
  percentCompleted: optionalNumeric,
  details: z
    .array(z.object({ status: z.string(), count: numeric, area: optionalNumeric, statusUpdateDate: instant }))
    .nullish(),
  completionDate: instant,
});

export const ProjectModel = z.object({
  id: z.string(),
  name: z.string(),
  description: optionalString,
  isDefault: z.boolean().nullish(),
  aoiCount: optionalNumeric,
  area: optionalNumeric,
  progress: ProgressModel.nullish(),
  user: z
    .object({
      id: z.string(),
      email: z.string(),
      login: optionalString,
      role: optionalString,
      areaLimit: optionalNumeric,
      aoiAreaLimit: optionalNumeric,
      processedArea: optionalNumeric,
      isPremium: z.boolean().nullish(),
    })
    .nullish(),
  workflowDefs: z.array(WorkflowDefModel).nullish(),
  created: instant,
  updated: instant,
});
export type ProjectModel = z.infer<typeof ProjectModel>;

export const ProjectPageModel = PageModel(ProjectModel);
export type ProjectPageModel = z.infer<typeof ProjectPageModel>;

export const UserStatusModel = z.object({
  email: z.string(),
  processedArea: optionalNumeric,
  remainingArea: optionalNumeric,
  remainingCredits: optionalNumeric,
  areaLimit: optionalNumeric,
  memoryLimit: optionalNumeric,
  models: z.array(WorkflowDefModel).nullish(),
  teams: z
    .array(z.object({ teamId: z.string(), name: z.string(), role: z.string(), activeUntil: instant, creditsLimit: optionalNumeric }))
    .nullish(),
  dataProviders: z
    .array(
      z.object({
        id: optionalString,
        name: z.string(),
        displayName: optionalString,
        previewUrl: optionalString,
        price: z.array(z.object({ zoom: optionalNumeric, priceSqKm: optionalNumeric })).nullish(),
      }),
    )
    .nullish(),
});
export type UserStatusModel = z.infer<typeof UserStatusModel>;

export const StatsRowModel = z.object({
  projectName: optionalString,
  name: optionalString,
  email: optionalString,
  area: optionalNumeric,
  cost: optionalNumeric,
  status: optionalString,
  percentCompleted: optionalNumeric,
  created: instant,
  completionDate: instant,
  scenario: optionalString,
  linkToMap: optionalString,
  /** Documented as the string "false" (or "true"); any other value is read as unknown, never refused. */
  archived: z.unknown().optional(),
  dataProvider: optionalString,
});
export type StatsRowModel = z.infer<typeof StatsRowModel>;

export const StatsModel = z.object({
  results: z.array(StatsRowModel),
  total: numeric,
  totalCost: optionalNumeric,
  totalArea: optionalNumeric,
});
export type StatsModel = z.infer<typeof StatsModel>;

/** `POST /processing/cost/v2` answers with a bare number as text. */
export const CostModel = z.string().trim().regex(NUMBER_TEXT, 'expected a bare number');

/** The minimum a results body must be to be served inline. */
export const FeatureCollectionModel = z.looseObject({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) });
