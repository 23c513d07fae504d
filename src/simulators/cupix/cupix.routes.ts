import { Router, type SimRequest, type SimResult } from '../core/index.js';
import { cupixError, cupixErrors } from './cupix.errors.js';
import { listPointclouds, DEFAULT_PER_PAGE, MAX_PER_PAGE } from './cupix.query.js';
import { parseFields, pointcloudItem } from './cupix.serialize.js';
import { checkStorageRequest, parseStorageKey, presignedDownload, s3Error, serveFile } from './cupix.storage.js';
import type { CupixStore } from './cupix.store.js';
import type { CupixTenant, Pointcloud } from './cupix.types.js';

type Req = SimRequest<CupixTenant>;

const FIELDS_PARAM = {
  name: 'fields',
  in: 'query',
  required: true,
  style: 'form',
  explode: false,
  description: 'Comma-separated attributes to return; `attributes` holds only these',
  schema: { type: 'array', items: { type: 'string' } },
};
const queryParam = (name: string, schema: Record<string, unknown>, description: string) => ({ name, in: 'query', required: false, schema, description });
const intList = { type: 'string', description: 'comma-separated integers' };

function find(store: CupixStore, req: Req): Pointcloud | SimResult {
  const raw = req.params.id;
  const pc = /^\d+$/.test(raw) ? store.get(req.tenant.name, Number(raw)) : undefined;
  return pc ?? cupixErrors.pointcloudNotFound(raw);
}

export function createCupixRouter(store: CupixStore): Router<CupixTenant> {
  return new Router<CupixTenant>()
    .add({
      method: 'GET',
      template: '/pointclouds',
      summary: 'List pointclouds (fields required; filters; page/per_page)',
      openapi: {
        parameters: [
          FIELDS_PARAM,
          queryParam('pointcloud_type', { type: 'string', enum: ['uploaded', '3d_reconstructed', 'all'], default: 'all' }, 'Pointcloud type'),
          queryParam('record_id', { type: 'integer' }, 'Record ID'),
          queryParam('record_ids', intList, 'Record IDs'),
          queryParam('cluster_id', { type: 'integer' }, 'Cluster ID'),
          queryParam('capture_id', { type: 'integer' }, 'Capture ID'),
          queryParam('parent_id', { type: 'integer' }, 'Parent (group) ID'),
          queryParam('parent_ids', intList, 'Parent IDs'),
          queryParam('level_ids', intList, 'Level IDs'),
          queryParam('q', { type: 'string' }, 'Name contains (case-insensitive)'),
          queryParam('order_by', { type: 'string', enum: ['created_at', 'updated_at', 'id', 'name'], default: 'created_at' }, 'Order field'),
          queryParam('sort', { type: 'string', enum: ['asc', 'desc'], default: 'desc' }, 'Sort direction'),
          queryParam('page', { type: 'integer', minimum: 1, default: 1 }, 'Page number (1-based)'),
          queryParam('per_page', { type: 'integer', minimum: 1, default: DEFAULT_PER_PAGE, maximum: MAX_PER_PAGE }, `Items per page, capped at ${MAX_PER_PAGE}`),
          { name: 'X-CUPIX-UPDATED-SINCE', in: 'header', required: false, schema: { type: 'string', format: 'date-time' }, description: 'Only pointclouds updated after this instant' },
        ],
      },
      handler: (req) => {
        const fields = parseFields(req.query);
        if (!Array.isArray(fields)) return fields;
        const page = listPointclouds(store.all(req.tenant.name), req.query, req.headers);
        if (!('items' in page)) return page;
        const data = page.items.map((p) => pointcloudItem(p, fields));
        return { status: 200, json: { result: { data, pagination: page.pagination }, session: null } };
      },
    })
    .add({
      method: 'GET',
      template: '/pointclouds/{id}',
      summary: 'Get a pointcloud (fields required)',
      openapi: { parameters: [FIELDS_PARAM] },
      handler: (req) => {
        const fields = parseFields(req.query);
        if (!Array.isArray(fields)) return fields;
        const pc = find(store, req);
        if (!('id' in pc)) return pc;
        return { status: 200, json: { result: { data: pointcloudItem(pc, fields) }, session: null } };
      },
    })
    .add({
      method: 'GET',
      template: '/pointclouds/{id}/meta',
      summary: 'Get the meta of a pointcloud (group: prop + processor_version; sub: prop + potree)',
      openapi: { parameters: [FIELDS_PARAM] },
      handler: (req) => {
        const fields = parseFields(req.query);
        if (!Array.isArray(fields)) return fields;
        const pc = find(store, req);
        if (!('id' in pc)) return pc;
        return { status: 200, json: { result: pc.meta, session: null, message: null } };
      },
    })
    .add({
      method: 'GET',
      template: '/pointclouds/{id}/download',
      summary: 'Download a sub pointcloud: 302 to a presigned storage URL (a group is a 400)',
      openapi: {
        parameters: [
          { name: 'x-cupix-auth', in: 'query', required: false, schema: { type: 'string' }, description: 'The API token, instead of the header (as in the vendor sample)' },
        ],
      },
      handler: (req) => {
        const pc = find(store, req);
        if (!('id' in pc)) return pc;
        if (pc.kind === 'group') {
          return cupixError(400, 'invalid_pointcloud_kind', 'bad_request', 'group_pointcloud', 'A group pointcloud has no file; download its sub pointclouds');
        }
        // [INFER] A sub whose file is not ready (processing or failed) is a 400 as well.
        if (pc.state !== 'done') {
          return cupixError(400, 'pointcloud_not_ready', 'bad_request', 'pointcloud_not_ready', `Pointcloud ${pc.id} is ${pc.state}`);
        }
        return { status: 302, empty: true, headers: { location: presignedDownload(req.origin, req.tenant.name, pc) } };
      },
    })
    .add({
      method: 'GET',
      template: '/storage/{key}',
      summary: 'Presigned storage object (the target of the download redirect)',
      public: true,
      handler: (req) => {
        const denied = checkStorageRequest(req.params.key, req.query);
        if (denied) return denied;
        const ref = parseStorageKey(req.params.key);
        const pc = ref && store.get(ref.tenant, ref.id);
        if (!ref || !pc || pc.kind !== 'sub') return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
        return serveFile(pc, ref.file, typeof req.headers.range === 'string' ? req.headers.range : undefined);
      },
    });
}
