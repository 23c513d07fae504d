import { JobState, Source, type JobFields } from '../../schema/common/job.type.js';
import { PointcloudKind, PointcloudType } from '../../schema/cupix/pointcloud.enum.js';
import type { FieldMask } from './cupix.fields.js';
import type { PointcloudItemModel, RefStubModel } from './cupix.models.js';
import { isTerminalState, pointcloudJobState } from './cupix.status.js';

/** A reference to a cluster, record or level, from the vendor's relation stub. */
export interface CupixRef {
  id: string;
  name: string | null;
  type: string | null;
}

/** `meta.prop`, camelCased; `null` when the vendor has none. */
export interface PointcloudProp {
  tm: number[] | null;
  wtm: number[] | null;
  originalFileName: string | null;
  originalPointCount: number | null;
  originalSizeInMb: number | null;
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
  prop?: PointcloudProp | null;
  permission?: string | null;
  useGeoreference?: boolean | null;
  georeference?: Record<string, unknown> | null;
  thumbnailUrls?: Record<string, unknown> | null;
}

const KINDS = { group: PointcloudKind.GROUP, sub: PointcloudKind.SUB } as const;
const TYPES = { uploaded: PointcloudType.UPLOADED, '3d_reconstructed': PointcloudType.RECONSTRUCTED } as const;

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
  const prop = attrs.meta === undefined ? undefined : (attrs.meta?.prop ?? null);
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
    type: attrs.pointcloud_type && TYPES[attrs.pointcloud_type],
    editingState: attrs.editing_state,
    parentId: attrs.parent === undefined ? undefined : attrs.parent?.id == null ? null : String(attrs.parent.id),
    cluster: toRef(attrs.cluster),
    record: toRef(attrs.record),
    level: toRef(attrs.level),
    prop:
      prop &&
      ({
        tm: prop.tm ?? null,
        wtm: prop.wtm ?? null,
        originalFileName: prop.original_file_name ?? null,
        originalPointCount: prop.original_point_count ?? null,
        originalSizeInMb: prop.original_size_in_mb ?? null,
      } satisfies PointcloudProp),
    permission: attrs.permission,
    useGeoreference: attrs.use_georeference,
    georeference: attrs.georeference,
    thumbnailUrls: attrs.thumbnail_urls,
  };
}
