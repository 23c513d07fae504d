import type { SimResult } from '../core/index.js';
import { cupixErrors } from './cupix.errors.js';
import type { Pointcloud } from './cupix.types.js';

/** A value to serve, or `undefined` to leave the attribute out although it was requested. */
type Emit = (pc: Pointcloud) => unknown;

/**
 * What the simulator serves per requested field. Relations are stubs shaped as in the docs:
 * `record {id, type:"Record"}`, `level {id, type:"Level"}`, `cluster {id, name, type:"Cluster"}`,
 * `parent {id}`; a group's record and level are `{}` (as documented for 5309/5310), and so is a facility
 * but for the documented variants' `{id, name, type:"Facility"}` (cupix.seed-variants.ts);
 * a pointcloud outside any cluster gets `{"id":null,"name":null}` (the documented unaligned-pano stub).
 * [INFER] `capture {id, type:"Capture"}` (never shown in the docs).
 */
const EMIT: Record<string, Emit> = {
  id: (p) => p.id,
  uuid: (p) => p.uuid,
  name: (p) => p.name,
  state: (p) => p.state,
  editing_state: (p) => p.editingState,
  facility: (p) => (p.facility ? { id: p.facility.id, name: p.facility.name, type: 'Facility' } : {}),
  record: (p) => (p.kind === 'sub' && p.recordId !== null ? { id: p.recordId, type: 'Record' } : {}),
  level: (p) => (p.kind === 'sub' && p.levelId !== null ? { id: p.levelId, type: 'Level' } : {}),
  parent: (p) => ({ id: p.parentId }),
  kind: (p) => p.kind,
  meta: (p) => p.meta,
  capture: (p) => ({ id: p.captureId, type: 'Capture' }),
  cluster: (p) => (p.cluster ? { id: p.cluster.id, name: p.cluster.name, type: 'Cluster' } : { id: null, name: null }),
  thumbnail_urls: () => null,
  created_at: (p) => p.createdAt,
  updated_at: (p) => p.updatedAt,
  published_at: (p) => p.publishedAt,
  permission: (p) => p.permission,
  use_georeference: (p) => p.useGeoreference,
  georeference: (p) => p.georeference,
  constants: () => ({ georeference: null }),
  pointcloud_type: (p) => p.pointcloudType,
  potree_state: (p) => p.potreeState,
  // [INFER] Absent until the pointcloud fails. No example shows `error_code`; the vendor schema types
  // it as a plain (non-nullable) string, and the documented list example asks for `location` and
  // gets no `location` back, so a requested attribute without a value may be left out.
  error_code: (p) => p.errorCode ?? undefined,
  points_count: (p) => p.pointsCount,
  filesize: (p) => p.filesize,
  resource_state: (p) => (p.kind === 'sub' && p.state === 'done' ? 'uploaded' : 'created'),
  cycle_state: () => 'created',
};

/**
 * Attributes of the vendor's Pointcloud schema (and the docs' extra `*_uploaded_at`) that the
 * simulator accepts in `fields` but does not serve. The documented list example asks for `location`
 * and gets no `location` back, so a requested attribute may be absent. [INFER] A name outside the
 * schema is rejected with 400, so a typo in a client shows up here rather than against the real API.
 */
const ACCEPTED_NOT_SERVED = new Set([
  'ifc_guid', 'potree_url', 'user', 'team', 'workspace', 'resource_upload_url', 'location', 'processing_state',
  'octree_state', 'octree_download_url', 'octree_upload_url', 'is_cluster_pano_unpublished', 'voxel_state',
  'voxel_state_updated_at', 'voxels_result_urls', 'entry_filename', 'firebase', 'cycle_state_updated_at',
  'cycle_state_updated_by', 'camera', 'bim_icp_tm', 'use_bim_icp_tm', 'anchor_type', 'anchor_position', 'anchor_id',
  'mesh_uploaded_at', 'ply_uploaded_at',
]);

/** Parses the required `fields` query (comma-separated; repeated keys are joined). */
export function parseFields(query: URLSearchParams): string[] | SimResult {
  const fields = query
    .getAll('fields')
    .flatMap((v) => v.split(','))
    .map((f) => f.trim())
    .filter(Boolean);
  if (!fields.length) return cupixErrors.missingParam('fields');
  const unknown = fields.filter((f) => !Object.hasOwn(EMIT, f) && !ACCEPTED_NOT_SERVED.has(f));
  if (unknown.length) return cupixErrors.invalidParam('fields', `unknown field(s) ${unknown.join(', ')}`);
  return fields.filter((f) => Object.hasOwn(EMIT, f));
}

/** One `data` item: `{id: "<string>", type: "pointcloud", attributes: {only the requested fields}}`. */
export function pointcloudItem(pc: Pointcloud, fields: string[]): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const f of fields) {
    const value = EMIT[f](pc);
    if (value !== undefined) attributes[f] = value;
  }
  return { id: String(pc.id), type: 'pointcloud', attributes };
}
