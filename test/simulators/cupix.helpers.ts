/**
 * Shared by the Cupix simulator tests: the documented examples, the vendor's OpenAPI 3.0 schemas
 * (test/fixtures/vendor-docs/cupix/) compiled with ajv, and small HTTP helpers.
 */
import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const dir = new URL('../fixtures/vendor-docs/cupix/', import.meta.url);
export const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));

/** The `fields` value of every documented code sample. */
export const DOC_FIELDS =
  'id,name,state,editing_state,facility,record,level,parent,kind,meta,cluster,thumbnail_urls,created_at,updated_at,published_at,location,permission,use_georeference,georeference,constants,pointcloud_type';

type Json = Record<string, unknown>;

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
  const doc = fixture('openapi-pointcloud-subset.json') as { components: { schemas: Json } };
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

export async function getJson(url: string, token?: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers: token ? { 'x-cupix-auth': token, ...headers } : headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
}
