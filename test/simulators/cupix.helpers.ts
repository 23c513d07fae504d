/**
 * Shared by the Cupix simulator tests: the documented examples, the vendor's OpenAPI 3.0 schemas
 * (test/fixtures/vendor-docs/cupix/) compiled with ajv, and small HTTP helpers.
 */
import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { CUPIX_DEMO_TENANTS, startCupixSimulator } from '../../src/simulators/cupix/index.js';
import type { GroupMeta, SubMeta } from '../../src/simulators/cupix/cupix.types.js';
import { simsTest } from '../helpers/sims.helpers.js';
import type { Sim } from './sim-admin.helpers.js';

export type { GroupMeta, Sim, SubMeta };
export type Json = Record<string, unknown>;

export const ALPHA = CUPIX_DEMO_TENANTS[0].token;
export const BETA = CUPIX_DEMO_TENANTS[1].token;

/** A pointcloud's `meta` (and the `result` of its `/meta`): a group's or a sub's, as the simulator keeps it. */
export type PointcloudMeta = GroupMeta | SubMeta;

/** A served pointcloud's `attributes`: the `fields` asked for and no other; those the tests read by name, typed. */
export type PointcloudAttributes = Json & { meta?: PointcloudMeta; parent?: { id: number | null } };

/** One pointcloud of a list or a get (its `id` a string here, a number in `attributes`). */
export interface PointcloudItem {
  id: string;
  type: string;
  attributes: PointcloudAttributes;
}

export interface Pagination {
  total_entries: number;
  total_pages: number;
  per_page: number;
  previous_page: number | null;
  current_page: number;
  next_page: number | null;
}

/** `GET /pointclouds?fields=…` (and the documented list example). */
export interface PointcloudListReply {
  result: { data: PointcloudItem[]; pagination: Pagination };
  session: null;
}

/** `GET /pointclouds/{id}?fields=…` (and the documented get example). */
export interface PointcloudReply {
  result: { data: PointcloudItem };
  session: null;
}

/** `GET /pointclouds/{id}/meta?fields=…`: a group's or (`SubMeta`) a sub's meta. */
export interface MetaReply<M extends PointcloudMeta = PointcloudMeta> {
  result: M & Json;
  session: null;
  message: null;
}

/** What every route answers a request it refuses. */
export interface ErrorReply {
  result: { code: string; type: string; reason: string; message: string };
  session: null;
}

/** The vendor's OpenAPI document (the subset of test/fixtures/vendor-docs/cupix/): its schemas. */
interface VendorOpenApi {
  components: { schemas: Json };
}

const dir = new URL('../fixtures/vendor-docs/cupix/', import.meta.url);
/** A documented example (or the vendor's OpenAPI subset) from test/fixtures/vendor-docs/cupix, read as `T`. */
export const fixture = <T = unknown>(name: string): T => JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as T;

/** A Cupix simulator of a test's own (clock frozen), for tests that need a fresh one. */
export function startFrozen(): Promise<Sim> {
  return startCupixSimulator({ timeScale: 0 });
}

/** The test API of the Cupix simulator tests: simsTest's simulators (one set per file, clocks frozen), `sim` their Cupix simulator. */
export const test = simsTest.extend('sim', { scope: 'file' }, ({ sims }): Sim => sims.cupix);

/** The `fields` value of every documented code sample. */
export const DOC_FIELDS =
  'id,name,state,editing_state,facility,record,level,parent,kind,meta,cluster,thumbnail_urls,created_at,updated_at,published_at,location,permission,use_georeference,georeference,constants,pointcloud_type';

/**
 * Where the documented examples (the ground truth) contradict the vendor's own schema, the schema
 * gives way. Each entry: JSON path inside `components.schemas`, the change, and the evidence.
 * The same list is in test/fixtures/vendor-docs/cupix/README.md.
 */
export const SCHEMA_PATCHES: { path: string[]; patch: Json; why: string }[] = [
  { path: ['PointcloudItem', 'properties', 'id'], patch: { type: ['integer', 'string'], pattern: '^\\d+$' }, why: 'data[].id is "5310" (a string) in every example' },
  { path: ['Pointcloud_allOf', 'properties', 'id'], patch: { nullable: true }, why: 'a group\'s parent stub is {"id": null}' },
  { path: ['Pointcloud_allOf', 'properties', 'published_at'], patch: { nullable: true }, why: '"published_at": null in the examples' },
  { path: ['Georeference'], patch: { nullable: true }, why: '"georeference": null and "constants": {"georeference": null} in the examples' },
  { path: ['ThumbnailUrls'], patch: { nullable: true }, why: '"thumbnail_urls": null in the examples' },
  { path: ['Pagination', 'properties', 'previous_page'], patch: { nullable: true }, why: '"previous_page": null in the list example' },
  { path: ['Pagination', 'properties', 'next_page'], patch: { nullable: true }, why: '"next_page": null in the list example' },
  { path: ['Cluster_allOf', 'properties', 'id'], patch: { nullable: true }, why: 'unaligned stub {"id": null, "name": null} (Siteview panos.md)' },
  { path: ['Cluster_allOf', 'properties', 'name'], patch: { nullable: true }, why: 'unaligned stub {"id": null, "name": null} (Siteview panos.md)' },
];

/** OpenAPI 3.0 -> JSON Schema: `nullable` becomes `anyOf [..., null]`; `example`/`discriminator` go. */
export function toJsonSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toJsonSchema);
  if (!s || typeof s !== 'object') return s;
  const src = s as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'nullable' || k === 'example' || k === 'discriminator') continue;
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Json).map(([p, d]) => [p, toJsonSchema(d)])) : toJsonSchema(v);
  }
  return src.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

export type SchemaName = 'PointcloudListResponse' | 'PointcloudResponse' | 'MetaResponse' | 'ErrorResponse';

export function vendorValidators(patched = true): Record<SchemaName, ValidateFunction> {
  const doc = fixture<VendorOpenApi>('openapi-pointcloud-subset.json');
  const schemas = structuredClone(doc.components.schemas);
  if (patched) {
    for (const { path, patch } of SCHEMA_PATCHES) {
      const target = path.reduce<Json>((o, k) => o[k] as Json, schemas);
      if (!target) throw new Error(`schema patch target ${path.join('.')} missing`);
      if ('type' in patch) delete target.format;
      Object.assign(target, patch);
    }
  }
  // Under NodeNext both packages type their CommonJS default export as `.default` (same object at run time).
  const ajv = new Ajv.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'cupix', components: { schemas: toJsonSchema(schemas) } });
  const get = (n: SchemaName) => ajv.getSchema(`cupix#/components/schemas/${n}`) as ValidateFunction;
  return {
    PointcloudListResponse: get('PointcloudListResponse'),
    PointcloudResponse: get('PointcloudResponse'),
    MetaResponse: get('MetaResponse'),
    ErrorResponse: get('ErrorResponse'),
  };
}

/** Validation errors as `instancePath: message`, [] when valid. */
export function schemaErrors(v: ValidateFunction, body: unknown): string[] {
  return v(body) ? [] : (v.errors ?? []).map((e: ErrorObject) => `${e.instancePath}: ${e.message}`);
}

/** One GET with the token in `x-cupix-auth` (none without); the JSON answer read as `T` (one of the replies above). */
export async function getJson<T = Json>(url: string, token?: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: T }> {
  const res = await fetch(url, { headers: token ? { 'x-cupix-auth': token, ...headers } : headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}
