import { describe, expect } from 'vitest';
import { shapeDiff } from '../helpers/shape.helpers.js';
import {
  ALPHA,
  BETA,
  DOC_FIELDS,
  SCHEMA_PATCHES,
  fixture,
  getJson,
  schemaErrors,
  test,
  vendorValidators,
  type ErrorReply,
  type Json,
  type MetaReply,
  type PointcloudListReply,
  type PointcloudReply,
  type SubMeta,
} from './cupix.helpers.js';

/** A list answer as plain JSON, every value open to change: the validator test corrupts one. */
type LooseList = { result: { data: { attributes: Json }[]; pagination: Json } };

const listExample = fixture<PointcloudListReply>('pointcloud-list.json');
const getExample = fixture<PointcloudReply>('pointcloud-get.json');
const metaExample = fixture<MetaReply<SubMeta>>('pointcloud-meta.json');
const v = vendorValidators();

describe('cupix contract: documented examples', () => {
  test('the list example is served exactly for its capture (3d_reconstructed, documented fields)', async ({ sim }) => {
    const r = await getJson(`${sim.url}/pointclouds?fields=${DOC_FIELDS}&capture_id=1201&pointcloud_type=3d_reconstructed`, ALPHA);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(listExample);
  });

  test('the get example matches 5310 by shape, and by value where the docs agree', async ({ sim }) => {
    const r = await getJson<PointcloudReply>(`${sim.url}/pointclouds/5310?fields=${DOC_FIELDS}`, ALPHA);
    expect(r.status).toBe(200);
    expect(shapeDiff(r.body, getExample)).toEqual([]);
    const served = r.body.result.data.attributes;
    const doc = getExample.result.data.attributes;
    for (const k of ['id', 'state', 'editing_state', 'parent', 'kind', 'cluster', 'created_at', 'updated_at', 'permission', 'constants', 'pointcloud_type']) {
      expect(served[k], k).toEqual(doc[k]);
    }
    expect(served.meta!.prop.tm).toEqual(doc.meta!.prop.tm);
    expect(Object.keys(served).sort()).toEqual(Object.keys(doc).sort());
  });

  test('each list example item matches the served item of the same id and kind by shape', async ({ sim }) => {
    for (const item of listExample.result.data) {
      const r = await getJson<PointcloudReply>(`${sim.url}/pointclouds/${String(item.id)}?fields=${DOC_FIELDS}`, ALPHA);
      expect(shapeDiff(r.body.result.data, item)).toEqual([]);
    }
  });

  test('the meta example matches 5310 meta by shape and its documented numbers', async ({ sim }) => {
    const r = await getJson<MetaReply<SubMeta>>(`${sim.url}/pointclouds/5310/meta?fields=${DOC_FIELDS}`, ALPHA);
    expect(r.status).toBe(200);
    expect(shapeDiff(r.body, metaExample)).toEqual([]);
    expect(r.body.message).toBeNull();
    const prop = r.body.result.prop;
    const docProp = metaExample.result.prop;
    expect(prop.tm).toEqual(docProp.tm);
    expect(prop.wtm).toEqual(docProp.wtm);
    expect(prop.original_point_count).toBe(183918);
    expect(prop.original_size_in_mb).toBe(3.63);
    expect(r.body.result.potree).toEqual({});
  });

  test('group meta is {prop:{tm,wtm,scale,wscale}, processor_version} exactly as documented for 5309', async ({ sim }) => {
    const r = await getJson(`${sim.url}/pointclouds/5309/meta?fields=id`, ALPHA);
    const doc5309 = listExample.result.data.find((d) => d.id === '5309')!;
    expect(r.body).toEqual({ result: doc5309.attributes.meta, session: null, message: null });
  });
});

describe('cupix contract: vendor OpenAPI schemas (ajv)', () => {
  test('the documented examples validate against the patched schema', () => {
    expect(schemaErrors(v.PointcloudListResponse, listExample)).toEqual([]);
    expect(schemaErrors(v.PointcloudResponse, getExample)).toEqual([]);
    expect(schemaErrors(v.MetaResponse, metaExample)).toEqual([]);
  });

  test('the unpatched schema rejects the examples exactly at the documented discrepancies', () => {
    const raw = vendorValidators(false);
    const failures = new Set(schemaErrors(raw.PointcloudListResponse, listExample).map((e) => e.split(':')[0].replace(/\/data\/\d+/, '/data/N')));
    expect([...failures].sort()).toEqual([
      '/result/data/N/attributes/constants/georeference',
      '/result/data/N/attributes/georeference',
      '/result/data/N/attributes/parent/id',
      '/result/data/N/attributes/published_at',
      '/result/data/N/attributes/thumbnail_urls',
      '/result/data/N/id',
      '/result/pagination/next_page',
      '/result/pagination/previous_page',
    ]);
    expect(SCHEMA_PATCHES.map((p) => p.path.join('.'))).toContain('PointcloudItem.properties.id');
  });

  test('the validators catch a wrongly typed attribute, relation or pagination', async ({ sim }) => {
    const r = await getJson<LooseList>(`${sim.url}/pointclouds?fields=id,kind,cluster&per_page=2`, ALPHA);
    const body = r.body;
    expect(schemaErrors(v.PointcloudListResponse, body)).toEqual([]);
    body.result.data[0].attributes.kind = 5;
    body.result.data[1].attributes.cluster = { id: 'x' };
    body.result.pagination.total_entries = '21';
    expect(schemaErrors(v.PointcloudListResponse, body)).toEqual([
      '/result/data/0/attributes/kind: must be string',
      '/result/data/1/attributes/cluster/id: must be integer',
      '/result/data/1/attributes/cluster/id: must be null',
      '/result/data/1/attributes/cluster/id: must match a schema in anyOf',
      '/result/pagination/total_entries: must be integer',
    ]);
  });

  test('every list page of both tenants, with every served field, validates as PointcloudListResponse', async ({ sim }) => {
    const all = 'id,uuid,name,state,editing_state,facility,record,level,parent,kind,meta,capture,cluster,thumbnail_urls,created_at,updated_at,published_at,permission,use_georeference,georeference,constants,pointcloud_type,potree_state,error_code,points_count,filesize,resource_state,cycle_state';
    for (const token of [ALPHA, BETA]) {
      for (const page of [1, 2, 3]) {
        const r = await getJson(`${sim.url}/pointclouds?fields=${all}&per_page=8&page=${page}`, token);
        expect(r.status).toBe(200);
        expect(schemaErrors(v.PointcloudListResponse, r.body)).toEqual([]);
      }
    }
  });

  test('single pointclouds and metas (group, sub, uploaded, failed, processing) validate', async ({ sim }) => {
    for (const id of [5309, 5310, 5320, 5323, 5333, 5342, 5350, 5354]) {
      const one = await getJson(`${sim.url}/pointclouds/${id}?fields=${DOC_FIELDS},capture,potree_state,error_code`, ALPHA);
      expect(schemaErrors(v.PointcloudResponse, one.body), String(id)).toEqual([]);
      const meta = await getJson(`${sim.url}/pointclouds/${id}/meta?fields=id`, ALPHA);
      expect(schemaErrors(v.MetaResponse, meta.body), String(id)).toEqual([]);
    }
  });

  test('error bodies (400, 401, 404, group download) validate as ErrorResponse', async ({ sim }) => {
    const bodies = [
      (await getJson<ErrorReply>(`${sim.url}/pointclouds`, ALPHA)).body,
      (await getJson<ErrorReply>(`${sim.url}/pointclouds?fields=id`)).body,
      (await getJson<ErrorReply>(`${sim.url}/pointclouds/999999?fields=id`, ALPHA)).body,
      (await getJson<ErrorReply>(`${sim.url}/pointclouds/5309/download`, ALPHA)).body,
    ];
    for (const b of bodies) {
      expect(schemaErrors(v.ErrorResponse, b)).toEqual([]);
      expect(Object.keys(b.result).sort()).toEqual(['code', 'message', 'reason', 'type']);
      expect(b.session).toBeNull();
    }
  });
});
