import { badInput } from '../../errors.js';
import type { ProcessingStatsFilter } from '../../schema/mapflow/processing-stats.input.js';
import type { BlockOptionInput, CreateProcessingInput, ProcessingCostInput } from '../../schema/mapflow/processing.input.js';
import type { CreateProjectInput, ShareProjectInput } from '../../schema/mapflow/project.input.js';
import type { SourceParamsInput } from '../../schema/mapflow/source-params.input.js';
import { isRecord } from '../shared/records.js';
import type { ProcessingCostBody, ProcessingCreateBody, StatsBody } from './mapflow.client.js';

/**
 * The gateway's own checks of Mapflow inputs, made before any vendor call so that a frontend gets a
 * precise BAD_USER_INPUT with the field path. Each takes the path of the input it checks, so that a
 * bulk create can report `['input', 'features', '3', 'geometry']`.
 */

export type FieldPath = string[];

const SOURCE_KINDS = ['dataProvider', 'myImagery', 'imagerySearch', 'userDefined'] as const;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (isRecord(v) && typeof v.type === 'string') return `a ${v.type}`;
  return typeof v;
}

function checkPosition(p: unknown, at: string, path: FieldPath): void {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw badInput(`geometry: position ${at} must be [longitude, latitude] numbers`, path);
  }
  const [lon, lat] = p as number[];
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    throw badInput(`geometry: position ${at} [${lon}, ${lat}] is out of range: longitude must be within -180..180 and latitude within -90..90 (lon/lat order)`, path);
  }
}

function checkPolygon(rings: unknown, at: string, path: FieldPath): void {
  if (!Array.isArray(rings) || rings.length === 0) throw badInput(`geometry: ${at} must be a non-empty array of linear rings`, path);
  rings.forEach((ring, r) => {
    const where = `${at} ring ${r}`;
    if (!Array.isArray(ring) || ring.length < 4) throw badInput(`geometry: ${where} must have at least 4 positions`, path);
    ring.forEach((p, i) => checkPosition(p, `${i} of ${where}`, path));
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) {
      throw badInput(`geometry: ${where} is not closed: its last position must equal its first`, path);
    }
  });
}

/** A GeoJSON Polygon or MultiPolygon in lon/lat with closed rings, or a BAD_USER_INPUT on `path`. */
export function checkGeometry(g: unknown, path: FieldPath): void {
  if (!isRecord(g) || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
    throw badInput(`geometry must be a GeoJSON Polygon or MultiPolygon, got ${describe(g)}`, path);
  }
  if (g.type === 'Polygon') return checkPolygon(g.coordinates, 'polygon', path);
  const polys = g.coordinates;
  if (!Array.isArray(polys) || polys.length === 0) throw badInput('geometry: a MultiPolygon needs at least one polygon', path);
  polys.forEach((poly, i) => checkPolygon(poly, `polygon ${i}`, path));
}

/** Exactly one source member, with what it needs; returns the vendor's `sourceParams`. */
export function toSourceParams(sp: SourceParamsInput, path: FieldPath): Record<string, unknown> {
  const set = SOURCE_KINDS.filter((k) => sp[k] != null);
  if (set.length !== 1) {
    throw badInput(
      `sourceParams must set exactly one of ${SOURCE_KINDS.join(', ')}; got ${set.length ? set.join(' and ') : 'none'}`,
      path,
    );
  }
  const kind = set[0];
  const member = sp[kind] as object;
  if (kind === 'myImagery' && !sp.myImagery?.imageIds?.length && !sp.myImagery?.mosaicId) {
    throw badInput('sourceParams.myImagery needs imageIds or mosaicId', [...path, kind]);
  }
  if (kind === 'imagerySearch' && !sp.imagerySearch?.imageIds.length) {
    throw badInput('sourceParams.imagerySearch needs at least one image id', [...path, kind, 'imageIds']);
  }
  return { [kind]: withoutNulls(member) };
}

/** A plain object of the set fields only (input classes carry explicit nulls). */
function withoutNulls(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

export const toBlocks = (blocks: BlockOptionInput[] | null | undefined) => blocks?.map((b) => ({ name: b.name, enabled: b.enabled }));

/** `wdId` or `wdName`, exactly one. */
export function toWorkflowRef(id: string | null | undefined, name: string | null | undefined, path: FieldPath): { wdId: string } | { wdName: string } {
  if ((id == null) === (name == null)) {
    throw badInput(`Give exactly one of workflowDefId and workflowDefName; got ${id == null ? 'neither' : 'both'}`, [...path, 'workflowDefId']);
  }
  return id != null ? { wdId: id } : { wdName: name as string };
}

export function checkMeta(meta: unknown, path: FieldPath): Record<string, unknown> | undefined {
  if (meta === null || meta === undefined) return undefined;
  if (!isRecord(meta)) throw badInput(`meta must be a JSON object, got ${describe(meta)}`, path);
  return meta;
}

/** The `POST /processings/v2` body of a `CreateProcessingInput`, checked; `path` is the input's own path. */
export function toCreateBody(input: CreateProcessingInput, path: FieldPath = ['input']): ProcessingCreateBody {
  const wd = toWorkflowRef(input.workflowDefId, input.workflowDefName, path);
  checkGeometry(input.geometry, [...path, 'geometry']);
  const sourceParams = input.sourceParams ? toSourceParams(input.sourceParams, [...path, 'sourceParams']) : undefined;
  const inferenceParams = input.inferenceParams ?? undefined;
  if (inferenceParams !== undefined) {
    if (!isRecord(inferenceParams)) throw badInput('inferenceParams must be a JSON object', [...path, 'inferenceParams']);
    if (!sourceParams) throw badInput('inferenceParams needs sourceParams (Mapflow requires the imagery source with them)', [...path, 'sourceParams']);
  }
  const meta = checkMeta(input.meta, [...path, 'meta']);
  const body: ProcessingCreateBody = { ...wd, geometry: input.geometry };
  if (input.name != null) body.name = input.name;
  if (input.description != null) body.description = input.description;
  if (input.projectId != null) body.projectId = input.projectId;
  if (sourceParams) body.params = inferenceParams ? { sourceParams, inferenceParams } : { sourceParams };
  const blocks = toBlocks(input.blocks);
  if (blocks) body.blocks = blocks;
  if (meta) body.meta = meta;
  return body;
}

/** The `POST /processing/cost/v2` body of a `ProcessingCostInput`, checked. */
export function toCostBody(input: ProcessingCostInput, path: FieldPath = ['input']): ProcessingCostBody {
  const hasGeometry = input.geometry !== null && input.geometry !== undefined;
  if (hasGeometry === (input.areaSqKm != null)) {
    throw badInput(`Give exactly one of geometry and areaSqKm; got ${hasGeometry ? 'both' : 'neither'}`, [...path, 'geometry']);
  }
  const body: ProcessingCostBody = { wdId: input.workflowDefId };
  if (hasGeometry) {
    checkGeometry(input.geometry, [...path, 'geometry']);
    body.geometry = input.geometry;
  } else {
    if (!(Number.isFinite(input.areaSqKm) && (input.areaSqKm as number) >= 0)) throw badInput('areaSqKm must be zero or more', [...path, 'areaSqKm']);
    body.areaSqKm = input.areaSqKm as number;
  }
  if (input.sourceParams) body.params = { sourceParams: toSourceParams(input.sourceParams, [...path, 'sourceParams']) };
  const blocks = toBlocks(input.blocks);
  if (blocks) body.blocks = blocks;
  return body;
}

/** The `POST /processings/stats` body of a stats filter: only the fields given are sent. */
export function toStatsBody(filter: ProcessingStatsFilter | null | undefined): StatsBody {
  const body: StatsBody = {};
  if (filter?.dateFrom) body.dateFrom = filter.dateFrom.toISOString();
  if (filter?.dateTo) body.dateTo = filter.dateTo.toISOString();
  if (filter?.statuses) body.statuses = filter.statuses;
  if (filter?.terms) body.terms = filter.terms;
  return body;
}

const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

export function checkIdempotencyKey(key: string | null | undefined, path: FieldPath): string | null {
  if (key === null || key === undefined) return null;
  if (!key.trim() || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw badInput(`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters and not blank`, path);
  }
  return key;
}

// ---------------------------------------------------------------- bulk creates

/** Bounds one `createProcessings`: the request body limit allows about this many small polygons anyway. */
export const BULK_MAX_FEATURES = 1000;

/** The features of a `createProcessings` FeatureCollection: at least one, at most BULK_MAX_FEATURES. */
export function checkFeatureCollection(collection: unknown, path: FieldPath): unknown[] {
  if (!isRecord(collection) || collection.type !== 'FeatureCollection') {
    throw badInput(`features must be a GeoJSON FeatureCollection, got ${describe(collection)}`, path);
  }
  const features = collection.features;
  if (!Array.isArray(features) || features.length === 0) throw badInput('features: the FeatureCollection has no features', [...path, 'features']);
  if (features.length > BULK_MAX_FEATURES) {
    throw badInput(`features: at most ${BULK_MAX_FEATURES} features per call, got ${features.length}; split the collection`, [...path, 'features']);
  }
  return features;
}

/** The feature property that names each processing; `name` when not given. */
export function checkNameProperty(name: string | null | undefined, path: FieldPath): string {
  if (name === null || name === undefined) return 'name';
  if (!name.trim()) throw badInput('nameProperty must not be empty', path);
  return name;
}

/** The geometry of feature `index` of a bulk create, checked as `checkGeometry` does. */
export function checkFeatureGeometry(feature: unknown, index: number, path: FieldPath): unknown {
  if (!isRecord(feature) || feature.type !== 'Feature') throw badInput(`features[${index}] must be a GeoJSON Feature, got ${describe(feature)}`, path);
  checkGeometry(feature.geometry, [...path, 'geometry']);
  return feature.geometry;
}

// ---------------------------------------------------------------- projects and renames

export function checkProjectInput(input: CreateProjectInput): { name: string; description?: string } {
  if (!input.name.trim()) throw badInput('name must not be empty', ['input', 'name']);
  return input.description != null ? { name: input.name, description: input.description } : { name: input.name };
}

/** `{name?, description?}` of a rename (project or processing): only the fields given are sent. */
export function checkUpdateInput(input: { name?: string | null; description?: string | null }): { name?: string; description?: string } {
  const body: { name?: string; description?: string } = {};
  if (input.name != null) {
    if (!input.name.trim()) throw badInput('name must not be empty', ['input', 'name']);
    body.name = input.name;
  }
  if (input.description != null) body.description = input.description;
  return body;
}

export function checkShareInput(input: ShareProjectInput): { projectId: string; email: string; role: string } {
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email)) throw badInput(`email "${input.email}" is not an e-mail address`, ['input', 'email']);
  return { projectId: input.projectId, email: input.email, role: input.role.toLowerCase() };
}
