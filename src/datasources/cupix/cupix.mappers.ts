import { JobState, Source, type JobFields } from '../../schema/common/job.type.js';
import { PointcloudKind, PointcloudType } from '../../schema/cupix/pointcloud.enum.js';
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
 * The domain pointcloud. Only the attributes in `fields` (a mask of cupix.fields.ts) were asked of the
 * vendor: the others are `undefined` here and must not be read (the loaders see to that).
 */
export interface Pointcloud extends JobFields {
  __typename: 'Pointcloud';
  id: string;
  source: Source;
  fields: number;
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
export function toPointcloud(item: PointcloudItemModel, fields: number): Pointcloud {
  const a = item.attributes;
  // architecture.md: the job state is read from `state`, else from `potree_state`.
  const literal = a.state ?? a.potree_state ?? '';
  const state = literal ? pointcloudJobState(literal) : JobState.UNKNOWN;
  const prop = a.meta === undefined ? undefined : (a.meta?.prop ?? null);
  return {
    __typename: 'Pointcloud',
    id: String(item.id),
    source: Source.CUPIX,
    fields,
    state,
    upstreamStatus: literal,
    progress: null,
    isTerminal: isTerminalState(state),
    updatedAt: date(a.updated_at),
    createdAt: date(a.created_at),
    publishedAt: date(a.published_at),
    name: a.name,
    kind: a.kind && KINDS[a.kind],
    type: a.pointcloud_type && TYPES[a.pointcloud_type],
    editingState: a.editing_state,
    parentId: a.parent === undefined ? undefined : a.parent?.id == null ? null : String(a.parent.id),
    cluster: toRef(a.cluster),
    record: toRef(a.record),
    level: toRef(a.level),
    prop:
      prop &&
      ({
        tm: prop.tm ?? null,
        wtm: prop.wtm ?? null,
        originalFileName: prop.original_file_name ?? null,
        originalPointCount: prop.original_point_count ?? null,
        originalSizeInMb: prop.original_size_in_mb ?? null,
      } satisfies PointcloudProp),
    permission: a.permission,
    useGeoreference: a.use_georeference,
    georeference: a.georeference,
    thumbnailUrls: a.thumbnail_urls,
  };
}
