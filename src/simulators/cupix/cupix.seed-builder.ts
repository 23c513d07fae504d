import { createHash } from 'node:crypto';
import { multiply, rigid, scaling, translation, worldTransform, type Vec3 } from './cupix.matrix.js';
import type { Georeference, LifecyclePlan, Pointcloud, PointcloudType, UndocumentedPointcloudType } from './cupix.types.js';

/** A rigid pose: yaw/pitch/roll in degrees, then a translation in metres. */
export interface Pose {
  yawDeg?: number;
  pitchDeg?: number;
  rollDeg?: number;
  t: Vec3;
}

/** Finished items carry a fixed timestamp; processing ones are created shortly before the tenant. */
export type When = string | { agoS: number };

export interface Pending {
  /** Virtual seconds after the tenant is created at which `state` leaves `processing`. */
  settleAfterS: number;
  outcome: 'done' | 'error';
}

export interface SubSpec {
  id: number;
  name: string;
  originalFileName: string;
  points: number;
  sizeMb: number;
  pose: Pose;
  /** Already failed at seed time. */
  failed?: boolean;
  pending?: Pending;
  /** Its `wtm` is served `[]` (a documented variant: the docs show `[]` for a group's matrices). */
  noWorldTransform?: boolean;
}

export interface GroupSpec {
  id: number;
  name: string;
  type: PointcloudType | UndocumentedPointcloudType;
  /** Only Cupix reconstructions belong to a cluster; uploaded laser scans are served `{"id":null,"name":null}`. */
  cluster: { id: number; name: string } | null;
  captureId: number;
  recordId: number;
  levelId: number;
  levelElevation: number;
  pose: Pose;
  createdAt: When;
  processorVersion: string;
  georeference?: Georeference;
  pending?: Pending;
  /**
   * The group's uniform `scale` (and `wscale`: a group has no parent), 1 unless a documented variant
   * says otherwise. [INFER] The docs do not say whether a sub's `tm` includes its group's scale; the
   * simulator's answer is no: a scaled group's subs get `wtm = group.wtm × S(wscale) × tm`.
   */
  scale?: number;
  facility?: { id: number; name: string };
  subs: SubSpec[];
}

/** Cupix reports failures with an `error_code` string; the literal is [INFER]. */
export const ERROR_CODE = 'reconstruction_failed';

export function uuidFor(tenant: string, id: number): string {
  const h = createHash('sha1').update(`cupix:${tenant}:${id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Builds the pointclouds of one group spec (group first, then its subs) and their pending transitions. */
export function buildGroup(tenant: string, g: GroupSpec, nowMs: number): { items: Pointcloud[]; plans: LifecyclePlan[] } {
  const iso = (w: When, plusS = 0) =>
    new Date((typeof w === 'string' ? Date.parse(w) : nowMs - w.agoS * 1000) + plusS * 1000).toISOString();
  const groupTm = rigid(g.pose, g.pose.t);
  const groupWtm = worldTransform(translation([0, 0, g.levelElevation]), groupTm);
  const scale: Vec3 = [g.scale ?? 1, g.scale ?? 1, g.scale ?? 1];
  const subsFrame = g.scale === undefined || g.scale === 1 ? groupWtm : multiply(groupWtm, scaling(scale));
  const plans: LifecyclePlan[] = [];
  const plan = (id: number, p?: Pending) => {
    if (p) plans.push({ id, settleAfterMs: p.settleAfterS * 1000, outcome: p.outcome });
  };
  const common = {
    pointcloudType: g.type,
    editingState: 'skipped',
    captureId: g.captureId,
    cluster: g.cluster,
    facility: g.facility ?? null,
    publishedAt: null,
    permission: 'F',
    useGeoreference: !!g.georeference,
    georeference: g.georeference ?? null,
  };
  const subs: Pointcloud[] = g.subs.map((s, i) => {
    const tm = rigid(s.pose, s.pose.t);
    const state = s.pending ? 'processing' : s.failed ? 'error' : 'done';
    plan(s.id, s.pending);
    return {
      ...common,
      id: s.id,
      uuid: uuidFor(tenant, s.id),
      name: s.name,
      kind: 'sub',
      state,
      potreeState: state === 'done' ? 'uploaded' : state,
      errorCode: state === 'error' ? ERROR_CODE : null,
      parentId: g.id,
      recordId: g.recordId,
      levelId: g.levelId,
      meta: {
        prop: {
          tm,
          wtm: s.noWorldTransform ? [] : worldTransform(subsFrame, tm),
          original_file_name: s.originalFileName,
          original_point_count: s.points,
          original_size_in_mb: s.sizeMb,
        },
        potree: state === 'done' ? potreeMeta(s.id, s.points) : {},
      },
      pointsCount: s.points,
      filesize: Math.round(s.sizeMb * 1024 * 1024),
      createdAt: iso(g.createdAt, 1 + i),
      updatedAt: iso(g.createdAt, s.pending ? 1 + i : 120 + i * 7),
    };
  });
  const groupState = g.pending ? 'processing' : 'done';
  plan(g.id, g.pending);
  const group: Pointcloud = {
    ...common,
    id: g.id,
    uuid: uuidFor(tenant, g.id),
    name: g.name,
    kind: 'group',
    state: groupState,
    potreeState: groupState === 'done' ? 'uploaded' : 'processing',
    errorCode: null,
    parentId: null,
    recordId: g.recordId,
    levelId: g.levelId,
    meta: {
      prop: { tm: groupTm, wtm: groupWtm, scale: [...scale], wscale: [...scale] },
      processor_version: g.processorVersion,
    },
    pointsCount: g.subs.reduce((n, s) => n + s.points, 0),
    filesize: 0,
    createdAt: iso(g.createdAt),
    updatedAt: g.pending ? iso(g.createdAt) : iso(g.createdAt, 45),
  };
  return { items: [group, ...subs], plans };
}

/** A Potree 1.7 `cloud.js` description, deterministic from the id. */
export function potreeMeta(id: number, points: number): Record<string, unknown> {
  const w = 8 + (id % 17);
  const d = 6 + (id % 11);
  const h = 2.8 + (id % 5) * 0.2;
  const box = { lx: 0, ly: 0, lz: 0, ux: w, uy: d, uz: h };
  const side = Math.max(w, d, h);
  return {
    version: '1.7',
    octreeDir: 'data',
    projection: '',
    points,
    boundingBox: { lx: 0, ly: 0, lz: 0, ux: side, uy: side, uz: side },
    tightBoundingBox: box,
    pointAttributes: ['POSITION_CARTESIAN', 'NORMAL_OCT16', 'COLOR_PACKED', 'INTENSITY'],
    spacing: Math.round((side / 250) * 1e6) / 1e6,
    scale: 0.001,
    hierarchyStepSize: 5,
  };
}
