import type { Router, SimRequest, SimResult } from '../core/index.js';
import { badRequest, isResult, mapflowError, notFound } from './mapflow.errors.js';
import { resultBytes } from './mapflow.results.js';
import { defaultProject, type MapflowService } from './mapflow.service.js';
import type { MapflowTenant, Processing } from './mapflow.types.js';
import { isObject, isoMicro } from './mapflow.util.js';
import { aoiJson, newestFirst, processingJson, processingsOf } from './mapflow.views.js';

type Req = SimRequest<MapflowTenant>;

const json = (v: unknown, status = 200): SimResult => ({ status, json: v });
const body = (description: string, example: unknown) => ({
  requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' }, example } }, description },
});

function processingOf(req: Req): Processing | SimResult {
  return req.tenant.data.processings.get(req.params.id) ?? notFound('Processing', req.params.id);
}

const CREATE_EXAMPLE = {
  name: 'Test',
  projectId: '20f05e39-ccea-4e26-a7f3-55b620bf4e31',
  wdName: '🏠 Buildings',
  geometry: { type: 'Polygon', coordinates: [[[37.2984, 55.6362], [37.3077, 55.6362], [37.3077, 55.6402], [37.2984, 55.6402], [37.2984, 55.6362]]] },
  params: { sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 18 } } },
  meta: { test: 'test' },
};

/**
 * The results are documented as "an octet stream". [INFER] The API negotiates like the Spring server
 * its error bodies suggest: an `Accept` that admits no octet stream (e.g. `application/json` alone)
 * is refused with 406 before anything else is looked at.
 */
function refuseAccept(accept: string | undefined): SimResult | null {
  if (!accept) return null;
  const types = accept.split(',').map((part) => part.split(';')[0].trim().toLowerCase());
  if (types.some((type) => type === 'application/octet-stream' || type === 'application/*' || type === '*/*')) return null;
  return mapflowError(406, 'NOT_ACCEPTABLE', `The results are served as application/octet-stream; Accept was ${accept}`);
}

export function addProcessingRoutes(router: Router<MapflowTenant>, svc: MapflowService): void {
  const view = (req: Req, p: Processing) => json(processingJson(req.tenant.data, p, svc.views));
  const getOne = (req: Req) => {
    const p = processingOf(req);
    return isResult(p) ? p : view(req, p);
  };
  const listDefault = (req: Req) => {
    const t = req.tenant.data;
    return json(newestFirst(processingsOf(t, defaultProject(t).id)).map((p) => processingJson(t, p, svc.views)));
  };
  const rename = (req: Req) => {
    const p = processingOf(req);
    if (isResult(p)) return p;
    const b = req.body;
    if (!isObject(b)) return badRequest('Request body must be a JSON object');
    if (b.name !== undefined && (typeof b.name !== 'string' || !b.name.trim())) return badRequest('name must be a non-empty string');
    if (b.description !== undefined && b.description !== null && typeof b.description !== 'string') return badRequest('description must be a string');
    if (typeof b.name === 'string') p.name = b.name;
    if (b.description !== undefined) p.description = b.description as string | null;
    p.updated = isoMicro(svc.now());
    return view(req, p);
  };
  const restart = (req: Req) => {
    const p = processingOf(req);
    if (isResult(p)) return p;
    if (p.status !== 'FAILED' && p.status !== 'CANCELLED') {
      return badRequest(`Only FAILED or CANCELLED processings can be restarted; this one is ${p.status}`, { status: p.status });
    }
    svc.lifecycle.restart(req.tenant, p);
    return view(req, p);
  };
  const renameBody = body('Changes', { name: 'new name (optional)', description: 'new description (optional)' });

  router
    .add({
      method: 'POST',
      template: '/processings/v2',
      summary: 'Create and run a processing',
      openapi: body('{name?, description?, projectId?, wdId | wdName, geometry, params?: {sourceParams, inferenceParams?}, blocks?, meta?}', CREATE_EXAMPLE),
      handler: (req) => {
        const r = svc.createProcessing(req.tenant, req.body);
        return isResult(r) ? r : view(req, r);
      },
    })
    .add({ method: 'GET', template: '/processings/v2', summary: "Processings of the user's default project", handler: listDefault })
    .add({ method: 'GET', template: '/processings', summary: "Processings of the default project (v1 path)", handler: listDefault })
    .add({ method: 'GET', template: '/processings/{id}/v2', summary: 'One processing', handler: getOne })
    .add({ method: 'GET', template: '/processings/{id}', summary: 'One processing (v1 path, same record)', handler: getOne })
    .add({ method: 'PUT', template: '/processings/{id}/v2', summary: 'Rename a processing: {name?, description?}', openapi: renameBody, handler: rename })
    // The path the docs give for renaming (singular `processing`); the QGIS plugin uses the v2 one above.
    .add({ method: 'PUT', template: '/processing/{id}', summary: 'Rename a processing (documented path): {name?, description?}', openapi: renameBody, handler: rename })
    .add({
      method: 'PUT',
      template: '/processings/{id}',
      summary: 'Link a processing to another project: {projectId}',
      openapi: body('Target project', { projectId: 'a45aa059-fc95-4da0-80e9-2f258fa42c3f' }),
      handler: (req) => {
        const p = processingOf(req);
        if (isResult(p)) return p;
        const b = req.body;
        if (!isObject(b) || typeof b.projectId !== 'string') return badRequest('projectId is required');
        const t = req.tenant.data;
        const target = t.projects.get(b.projectId);
        if (!target) return notFound('Project', b.projectId);
        const from = t.projects.get(p.projectId);
        if (from) from.snapshot = null;
        target.snapshot = null;
        p.projectId = target.id;
        p.updated = isoMicro(svc.now());
        return view(req, p);
      },
    })
    .add({
      method: 'DELETE',
      template: '/processings/{id}',
      summary: 'Delete a processing and its AOIs',
      handler: (req) => {
        const p = processingOf(req);
        if (isResult(p)) return p;
        svc.deleteProcessing(req.tenant.data, p);
        return { status: 200, empty: true };
      },
    })
    .add({ method: 'POST', template: '/processings/{id}/restart/v2', summary: 'Restart a FAILED or CANCELLED processing', handler: restart })
    .add({ method: 'POST', template: '/processings/{id}/restart', summary: 'Restart a FAILED or CANCELLED processing (documented v1 path)', handler: restart })
    .add({
      method: 'GET',
      template: '/processings/{id}/aois',
      summary: "A processing's areas of interest",
      handler: (req) => {
        const p = processingOf(req);
        return isResult(p) ? p : json(p.aois.map(aoiJson));
      },
    })
    .add({
      method: 'GET',
      template: '/processings/{id}/result',
      summary: 'GeoJSON results (octet-stream), only when status is OK; ?aoiId= for one AOI',
      openapi: { parameters: [{ name: 'aoiId', in: 'query', required: false, schema: { type: 'string' } }] },
      handler: (req) => {
        const refused = refuseAccept(req.headers.accept);
        if (refused) return refused;
        const p = processingOf(req);
        if (isResult(p)) return p;
        // [INFER] Results of an unfinished processing: a 400 in the usual error body.
        if (p.status !== 'OK') {
          return mapflowError(400, 'BAD_REQUEST', `Processing ${p.id} has no results: its status is ${p.status}`, { status: p.status });
        }
        const aoiId = req.query.get('aoiId');
        if (aoiId && !p.aois.some((a) => a.id === aoiId)) return notFound('AOI', aoiId);
        const bytes = resultBytes(req.tenant.data, p, aoiId);
        return { status: 200, bytes, contentType: 'application/octet-stream', headers: { 'content-disposition': `attachment; filename="${p.id}.geojson"` } };
      },
    });
}
