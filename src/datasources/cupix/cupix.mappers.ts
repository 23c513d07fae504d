import { JobState, Source, type JobFields } from '../../schema/common/job.type.js';
import { PointcloudKind, PointcloudType } from '../../schema/cupix/pointcloud.enum.js';
import type { FieldMask } from './cupix.fields.js';
import type { PointcloudItemModel, PointcloudMetaModel, RefStubModel } from './cupix.models.js';
import { isTerminalState, pointcloudJobState } from './cupix.status.js';

/** A reference to a cluster, record or level, from the vendor's relation stub. */
export interface CupixRef {
  id: string;
  name: string | null;
  type: string | null;
}

/** `meta`, camelCased: the values of `meta.prop` and `meta.processor_version`, each `null` when the vendor has none. */
export interface PointcloudMeta {
  tm: number[] | null;
  wtm: number[] | null;
  /** A group's `scale` and `wscale`. */
  scale: number[] | null;
  wscale: number[] | null;
  originalFileName: string | null;
  originalPointCount: number | null;
  originalSizeInMb: number | null;
  /** A group's `meta.processor_version`, verbatim (tab-separated build, commit and date in the docs; `""` for some). */
  processorVersion: string | null;
}

/**
 * The domain pointcloud. Only the attributes in `fields` (a `FieldMask`) were asked of the
 * vendor: the others are `undefined` here and must not be read (the loaders see to that).
 */
export interface Pointcloud extends JobFields {
  __typename: 'Pointcloud';
  id: string;
  source: Source;
  fields: FieldMask;
  state: JobState;
  upstreamStatus: string;
  progress: null;
  isTerminal: boolean;
  updatedAt?: Date | null;
  createdAt?: Date | null;
  publishedAt?: Date | null;
  name?: string;
  kind?: PointcloudKind;
  type?: PointcloudType;
  editingState?: string | null;
  parentId?: string | null;
  cluster?: CupixRef | null;
  record?: CupixRef | null;
  level?: CupixRef | null;
  facility?: CupixRef | null;
  meta?: PointcloudMeta | null;
  permission?: string | null;
  useGeoreference?: boolean | null;
  georeference?: Record<string, unknown> | null;
  thumbnailUrls?: Record<string, unknown> | null;
}

const KINDS = { group: PointcloudKind.GROUP, sub: PointcloudKind.SUB } as const;
const TYPES: Record<string, PointcloudType> = { uploaded: PointcloudType.UPLOADED, '3d_reconstructed': PointcloudType.RECONSTRUCTED };

/** A `pointcloud_type` the docs do not list is UNKNOWN: one such item never fails a page (docs/vendors.md, "Cupix: groups and subs"). */
const toType = (literal: string): PointcloudType => (Object.hasOwn(TYPES, literal) ? TYPES[literal] : PointcloudType.UNKNOWN);

/** `meta` (of an item, or the answer of `GET /pointclouds/{id}/meta`) → the domain's; `null` stays `null`. */
export function toPointcloudMeta(meta: PointcloudMetaModel | null): PointcloudMeta | null {
  if (!meta) return null;
  const prop = meta.prop;
  return {
    tm: prop?.tm ?? null,
    wtm: prop?.wtm ?? null,
    scale: prop?.scale ?? null,
    wscale: prop?.wscale ?? null,
    originalFileName: prop?.original_file_name ?? null,
    originalPointCount: prop?.original_point_count ?? null,
    originalSizeInMb: prop?.original_size_in_mb ?? null,
    processorVersion: meta.processor_version ?? null,
  };
}

const date = (s: string | null | undefined): Date | null | undefined => (s == null ? s : new Date(s));

/** `{}` and `{"id": null, ...}` (an unaligned pano's cluster, a group's record) mean "none". */
function toRef(stub: RefStubModel | null | undefined): CupixRef | null | undefined {
  if (stub === undefined) return undefined;
  if (stub === null || stub.id == null) return null;
  return { id: String(stub.id), name: stub.name ?? null, type: stub.type ?? null };
}

/** One vendor item → the domain object; `fields` is the mask it was asked with. */
export function toPointcloud(item: PointcloudItemModel, fields: FieldMask): Pointcloud {
  const attrs = item.attributes;
  // The job state is read from `state`, else from `potree_state` (docs/vendors.md, "Cupix: pointcloud state literals").
  const literal = attrs.state ?? attrs.potree_state ?? '';
  const state = literal ? pointcloudJobState(literal) : JobState.UNKNOWN;
  return {
    __typename: 'Pointcloud',
    id: String(item.id),
    source: Source.CUPIX,
    fields,
    state,
    upstreamStatus: literal,
    progress: null,
    isTerminal: isTerminalState(state),
    updatedAt: date(attrs.updated_at),
    createdAt: date(attrs.created_at),
    publishedAt: date(attrs.published_at),
    name: attrs.name,
    kind: attrs.kind && KINDS[attrs.kind],
    type: attrs.pointcloud_type === undefined ? undefined : toType(attrs.pointcloud_type),
    editingState: attrs.editing_state,
    parentId: attrs.parent === undefined ? undefined : attrs.parent?.id == null ? null : String(attrs.parent.id),
    cluster: toRef(attrs.cluster),
    record: toRef(attrs.record),
    level: toRef(attrs.level),
    facility: toRef(attrs.facility),
    meta: attrs.meta === undefined ? undefined : toPointcloudMeta(attrs.meta),
    permission: attrs.permission,
    useGeoreference: attrs.use_georeference,
    georeference: attrs.georeference,
    thumbnailUrls: attrs.thumbnail_urls,
  };
}
