import type { Tenant } from '../core/index.js';

export type PointcloudKind = 'group' | 'sub';
export type PointcloudType = 'uploaded' | '3d_reconstructed';
/**
 * A `pointcloud_type` the docs do not list (a documented variant, cupix.seed-variants.ts): the docs
 * list `uploaded` and `3d_reconstructed` for items, and the API has grown such enums before.
 */
export type UndocumentedPointcloudType = 'photogrammetry';
/** `state` literals: only `done` is documented; `processing` and `error` are [INFER]. */
export type PointcloudState = 'processing' | 'done' | 'error';
/** A subset of the documented `PointcloudPotreeState` enum. */
export type PotreeState = 'created' | 'processing' | 'uploaded' | 'error';

export interface Georeference {
  epsg_code: string;
  x: string;
  y: string;
  z: string | null;
  lat: number;
  lon: number;
  alt: number | null;
  bearing: number;
}

export interface GroupMeta {
  prop: { tm: number[]; wtm: number[]; scale: number[]; wscale: number[] };
  processor_version: string;
}

export interface SubMeta {
  prop: {
    tm: number[];
    /** `[]` where the vendor has none (documented for a group's matrices; a variant on a sub). */
    wtm: number[];
    original_file_name: string;
    original_point_count: number;
    original_size_in_mb: number;
  };
  /** Potree 1.7 `cloud.js` contents once the octree is uploaded, `{}` before. */
  potree: Record<string, unknown>;
}

/** One pointcloud as the simulator keeps it; serialized on demand with the requested `fields`. */
export interface Pointcloud {
  id: number;
  uuid: string;
  name: string;
  kind: PointcloudKind;
  pointcloudType: PointcloudType | UndocumentedPointcloudType;
  state: PointcloudState;
  potreeState: PotreeState;
  editingState: string;
  errorCode: string | null;
  parentId: number | null;
  /** A group's record and level drive the filters, but are served as `{}` stubs, as documented for 5309. */
  recordId: number | null;
  levelId: number | null;
  captureId: number;
  cluster: { id: number; name: string } | null;
  /** Served as `{id, name, type: "Facility"}`; `null` is served `{}`, as in every doc example. */
  facility: { id: number; name: string } | null;
  meta: GroupMeta | SubMeta;
  pointsCount: number;
  filesize: number;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  permission: string;
  useGeoreference: boolean;
  georeference: Georeference | null;
}

export interface CupixTenant extends Tenant {
  name: string;
  token: string;
}

/** A pending transition planned by a seed: where the pointcloud ends up, and when. */
export interface LifecyclePlan {
  id: number;
  /** Virtual ms after the tenant is created at which `state` leaves `processing`. */
  settleAfterMs: number;
  outcome: 'done' | 'error';
}
