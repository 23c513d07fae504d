import { Router } from '../core/index.js';
import { addDownloadRoutes } from './flai.download-routes.js';
import { flaiErrors } from './flai.errors.js';
import { addFlowRoutes } from './flai.flow-routes.js';
import { type FlaiRouteContext, listResponse, ok, orgScoped } from './flai.http.js';
import { addUploadRoutes } from './flai.upload-routes.js';
import { createDataset, isFailMarked } from './flai.records.js';
import type { DatasetType, DatasetWire, FlaiTenant } from './flai.types.js';
import { isRecord } from './flai.util.js';
import { validateDatasetCreate } from './flai.validate.js';
import { createAnswer, envelopeFor } from './flai.variants.js';

const ORG = '/organization/{orgId}';
/** [INFER] `dataset_data_size_in_gb` counts decimal gigabytes. */
const BYTES_PER_GB = 1e9;

const listParams = [
  { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
  { name: 'per_page', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
  { name: 'order_by', in: 'query', schema: { type: 'string' } },
  { name: 'order_direction', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'] } },
];

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

function bool(v: unknown, fallback: boolean): boolean {
  return v === undefined || v === null ? fallback : v === true || v === 1 || v === '1';
}

/** All Flai routes, relative to `/api/v1` (storage is public and outside it). */
export function buildRouter(rc: FlaiRouteContext): Router<FlaiTenant> {
  const r = new Router<FlaiTenant>();
  r.add({
    method: 'GET',
    template: '/oauth/me',
    summary: 'The current user, the active organization and permissions',
    handler: (req) => {
      const s = rc.store.state(req.tenant);
      return ok({
        id: s.user.id,
        name: s.user.name,
        email: s.user.email,
        active_organization_id: s.organization.id,
        organization: { ...s.organization },
        user_permissions: [...s.permissions],
      });
    },
  });
  r.add({
    method: 'GET',
    template: '/organizations',
    summary: "The user's organizations (bare array)",
    handler: (req) => ok([{ ...rc.store.state(req.tenant).organization }]),
  });
  r.add({
    method: 'GET',
    template: `${ORG}/datasets`,
    summary: 'List datasets ({items, pagination}, or a bare array for the variants tenant; filter[dataset_type_key], filter[dataset_status])',
    openapi: { parameters: listParams },
    handler: orgScoped(rc, (req, s) =>
      listResponse<DatasetWire>(
        [...s.datasets.values()],
        req.query,
        { orderBy: ['created_at', 'updated_at', 'dataset_name'], filters: ['dataset_type_key', 'dataset_status'] },
        envelopeFor(s, rc.listEnvelope),
        (d) => d,
      ),
    ),
  });
  r.add({
    method: 'GET',
    template: `${ORG}/datasets/{datasetId}`,
    summary: 'One dataset',
    handler: orgScoped(rc, (req, s) => {
      const ds = s.datasets.get(req.params.datasetId);
      return ds ? ok(ds) : flaiErrors.modelNotFound('dataset', req.params.datasetId);
    }),
  });
  r.add({
    method: 'POST',
    template: `${ORG}/datasets`,
    summary: 'Create a dataset imported from FTP, S3 (credentials are used, never stored) or a direct upload (upload_storage_tmp, path = end_filename); answers the dataset, or only {id}',
    openapi: { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['dataset_name', 'dataset_type_key', 'import_datasource'] } } } } },
    handler: orgScoped(rc, (req, s) => {
      const body = isRecord(req.body) ? req.body : {};
      const errors = validateDatasetCreate(body);
      if (errors) return flaiErrors.validation(errors);
      const src = body.import_datasource as Record<string, unknown>;
      // A direct upload: its staged file must be complete (docs/vendors.md, "Flai: direct upload").
      const uploaded = src.datasource_type === 'upload_storage_tmp' ? rc.uploads.resolve(req.tenant.name, str(src.path)) : null;
      if (uploaded && 'error' in uploaded) return flaiErrors.validation({ 'import_datasource.path': [uploaded.error] });
      const now = rc.sim.clock.now();
      // Only these fields are kept: `credentials` is dropped here and never reaches the store.
      const ds = createDataset(
        s,
        {
          dataset_name: str(body.dataset_name),
          dataset_type_key: body.dataset_type_key as DatasetType,
          description: typeof body.description === 'string' ? body.description : null,
          read_write_mode: str(body.read_write_mode, 'rw'),
          is_public: bool(body.is_public, false),
          is_annotated: bool(body.is_annotated, false),
          srid: body.srid === undefined || body.srid === null ? null : Number(body.srid),
          unit: str(body.unit, 'm'),
          semantic_definition_schema_id: typeof body.semantic_definition_schema_id === 'string' ? body.semantic_definition_schema_id : null,
          import_datasource: {
            datasource_type: str(src.datasource_type),
            datasource_address: str(src.datasource_address),
            ftp_datasource_address: str(src.ftp_datasource_address),
            path: str(src.path),
          },
        },
        now,
      );
      rc.lifecycle.created(s, 'dataset', ds.id, 'dataset_status', ds.dataset_status, now);
      if (uploaded) rc.uploads.consume(str(src.path));
      rc.lifecycle.importDataset(s, ds, { fails: isFailMarked(src.path), sizeGb: uploaded ? uploaded.bytes / BYTES_PER_GB : undefined });
      return ok(createAnswer(s, 'datasetCreates', { ...ds }));
    }),
  });
  addFlowRoutes(r, rc, ORG, listParams);
  addDownloadRoutes(r, rc, ORG);
  addUploadRoutes(r, rc.uploads);
  return r;
}
