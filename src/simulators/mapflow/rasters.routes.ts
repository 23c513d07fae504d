import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Router, SimRequest, SimResult } from '../core/index.js';
import { MAPFLOW_ERROR_MESSAGES } from '../../vendor-docs/mapflow.error-messages.js';
import { badRequest } from './mapflow.errors.js';
import { searchCatalog } from './mapflow.imagery-catalog.js';
import {
  addImage,
  dataError,
  imageJson,
  imagesOf,
  itemNotFound,
  memoryJson,
  memoryLimit,
  memoryUsed,
  mismatch,
  mosaicJson,
  type Mosaic,
} from './mapflow.rasters.js';
import type { MapflowService } from './mapflow.service.js';
import type { MapflowTenant, TenantData } from './mapflow.types.js';
import { readImageForm, readStagedTiff } from './mapflow.upload-stream.js';
import { isObject, isoMicro } from './mapflow.util.js';

type Req = SimRequest<MapflowTenant>;

/** Mapflow's timestamps in the data catalogue carry microseconds and no zone. */
const catalogTime = (ms: number) => isoMicro(ms).replace(/Z$/, '');

function mosaicOf(req: Req): Mosaic | SimResult {
  return req.tenant.data.rasters.mosaics.get(req.params.id) ?? itemNotFound('mosaic', req.params.id);
}

/** `{name, tags}` of a mosaic's create or update; tags replace the old ones. */
function mosaicFields(body: unknown, { requireName }: { requireName: boolean }): { name?: string; tags?: string[] } | SimResult {
  if (!isObject(body)) return badRequest('Request body must be a JSON object');
  if ((requireName || body.name !== undefined) && (typeof body.name !== 'string' || !body.name.trim())) return badRequest('name must be a non-empty string');
  if (body.tags !== undefined && body.tags !== null && (!Array.isArray(body.tags) || !body.tags.every((tag) => typeof tag === 'string'))) {
    return badRequest('tags must be an array of strings');
  }
  return { name: body.name as string | undefined, tags: (body.tags as string[] | null | undefined) ?? undefined };
}

/**
 * The checks of an upload, in Mapflow's order as far as its error codes tell: the file's size
 * against the upload limit (`FileTooBig`) and free storage (`MemoryLimitExceeded`), then whether it
 * reads as a GeoTIFF at all (the source validator's `ImageReadError` text), its pixel count, then
 * the mosaic's shared CRS, band count and resolution (`FileValidationFailed`). The body is read as it
 * arrives, the file staged on disk and removed once its metadata is recorded (only those are kept).
 */
async function upload(req: Req, svc: MapflowService, mosaicId: string): Promise<SimResult | { image: ReturnType<typeof addImage> }> {
  const t = req.tenant.data;
  if (!req.stream) return badRequest('The multipart body has no part');
  const stagePath = svc.staging.newPath();
  try {
    const form = await readImageForm(req.stream, stagePath, t.rasters.maxUploadFileSize);
    if (form.kind === 'malformed') return badRequest(form.reason);
    if (form.kind === 'interrupted') return badRequest('The multipart body is truncated');
    const file = form.file;
    if (!file) return badRequest('The multipart body needs a part named "file"');
    const filename = file.filename ?? 'image.tif';
    const size = file.size;
    if (size > t.rasters.maxUploadFileSize || file.checksum === null) return dataError(400, 'FileTooBig', { max_file_size: t.rasters.maxUploadFileSize, actual_file_size: size });
    const free = memoryLimit(t) - memoryUsed(t);
    if (size > free) return dataError(400, 'MemoryLimitExceeded', { memory_requested: size, available_memory: Math.max(0, free) });
    const info = readStagedTiff(file.path, size);
    if (!info) return dataError(400, 'FileOpenError', { filename }, MAPFLOW_ERROR_MESSAGES['source-validator.ImageReadError']);
    if (!info.crs) return dataError(400, 'FileCheckFailed', { filename, bad_parameters: 'crs' });
    if (info.width * info.height > t.rasters.maxPixelCount) return dataError(400, 'ImageExtentTooBig', { filename, max_pixel_count: t.rasters.maxPixelCount });
    const refused = mismatch(t, mosaicId, filename, info);
    if (refused) return refused;
    return { image: addImage(t, mosaicId, { filename, size, checksum: file.checksum, info, at: catalogTime(svc.now()) }) };
  } finally {
    rmSync(stagePath, { force: true });
  }
}

/** Answers without reading an upload's body (an unknown mosaic, no name): the rest is discarded. */
function refuseUnread(req: Req, result: SimResult): SimResult {
  req.stream?.resume();
  return result;
}

function newMosaic(t: TenantData, svc: MapflowService, name: string, tags: string[]): Mosaic {
  const mosaic: Mosaic = { id: randomUUID(), name, tags, createdAt: catalogTime(svc.now()) };
  t.rasters.mosaics.set(mosaic.id, mosaic);
  return mosaic;
}

function linkImage(req: Req, svc: MapflowService): SimResult {
  const mosaic = mosaicOf(req);
  if ('status' in mosaic) return mosaic;
  const b = req.body;
  if (!isObject(b) || typeof b.url !== 'string') return badRequest('Request body must be {"url": "s3://..."}');
  const url = b.url;
  if (!url.startsWith('s3://')) return dataError(400, 'FileOpenError', { filename: url }, MAPFLOW_ERROR_MESSAGES['source-validator.S3URLError'].replace('{actual_s3_link}', url));
  const t = req.tenant.data;
  const object = t.rasters.objects.get(url);
  if (!object) return dataError(400, 'FileOpenError', { filename: url }, MAPFLOW_ERROR_MESSAGES['source-validator.ReadFromS3Failed'].replace('{s3_link}', url));
  const filename = url.slice(url.lastIndexOf('/') + 1);
  const refused = mismatch(t, mosaic.id, filename, object.info);
  if (refused) return refused;
  const free = memoryLimit(t) - memoryUsed(t);
  if (object.size > free) return dataError(400, 'MemoryLimitExceeded', { memory_requested: object.size, available_memory: Math.max(0, free) });
  addImage(t, mosaic.id, { filename, size: object.size, checksum: object.checksum, info: object.info, at: catalogTime(svc.now()), imageUrl: url });
  return { status: 200, json: { message: 'File successfully linked to a mosaic', mosaic_id: mosaic.id } };
}

const multipart = { requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } } } } };

export function addRasterRoutes(router: Router<MapflowTenant>, svc: MapflowService): void {
  router
    .add({ method: 'GET', template: '/rasters/memory', summary: 'Storage: limit, used and free bytes, upload limits', handler: (req) => ({ status: 200, json: memoryJson(req.tenant.data) }) })
    .add({
      method: 'GET',
      template: '/rasters/mosaic',
      summary: 'Every mosaic of the account',
      handler: (req) => ({ status: 200, json: [...req.tenant.data.rasters.mosaics.values()].map((m) => mosaicJson(req.tenant.data, m)) }),
    })
    .add({
      method: 'POST',
      template: '/rasters/mosaic',
      summary: 'Create an empty mosaic: {name, tags?}',
      handler: (req) => {
        const fields = mosaicFields(req.body, { requireName: true });
        if ('status' in fields) return fields;
        const m = newMosaic(req.tenant.data, svc, fields.name as string, fields.tags ?? []);
        return { status: 200, json: { id: m.id, name: m.name, created_at: m.createdAt, tags: m.tags } };
      },
    })
    .add({
      method: 'POST',
      template: '/rasters/mosaic/image',
      summary: 'Create a mosaic (?name=, ?tags=) with its first image (multipart, part "file")',
      openapi: { ...multipart, parameters: [{ name: 'name', in: 'query', required: true, schema: { type: 'string' } }, { name: 'tags', in: 'query', required: false, schema: { type: 'array', items: { type: 'string' } } }] },
      streamBody: true,
      handler: async (req) => {
        const name = req.query.get('name');
        if (!name) return refuseUnread(req, badRequest('name is required'));
        const t = req.tenant.data;
        const mosaic = newMosaic(t, svc, name, req.query.getAll('tags').flatMap((tag) => tag.split(',').map((s) => s.trim()).filter(Boolean)));
        const done = await upload(req, svc, mosaic.id);
        if ('status' in done) {
          t.rasters.mosaics.delete(mosaic.id);
          return done;
        }
        return { status: 200, json: imageJson(done.image) };
      },
    })
    .add({ method: 'GET', template: '/rasters/mosaic/{id}', summary: 'A mosaic', handler: (req) => { const m = mosaicOf(req); return 'status' in m ? m : { status: 200, json: mosaicJson(req.tenant.data, m) }; } })
    .add({
      method: 'PUT',
      template: '/rasters/mosaic/{id}',
      summary: 'Rename a mosaic or replace its tags: {name?, tags?}',
      handler: (req) => {
        const m = mosaicOf(req);
        if ('status' in m) return m;
        const fields = mosaicFields(req.body, { requireName: false });
        if ('status' in fields) return fields;
        if (fields.name !== undefined) m.name = fields.name;
        if (fields.tags !== undefined) m.tags = fields.tags;
        return { status: 200, json: mosaicJson(req.tenant.data, m) };
      },
    })
    .add({
      method: 'DELETE',
      template: '/rasters/mosaic/{id}',
      summary: 'Delete a mosaic and all its images (irreversible)',
      handler: (req) => {
        const m = mosaicOf(req);
        if ('status' in m) return m;
        const t = req.tenant.data;
        for (const image of imagesOf(t, m.id)) t.rasters.images.delete(image.id);
        t.rasters.mosaics.delete(m.id);
        return { status: 200, empty: true };
      },
    })
    .add({
      method: 'POST',
      template: '/rasters/mosaic/{id}/image',
      summary: 'Upload a GeoTIFF to a mosaic (multipart, part "file")',
      openapi: multipart,
      streamBody: true,
      handler: async (req) => {
        const m = mosaicOf(req);
        if ('status' in m) return refuseUnread(req, m);
        const done = await upload(req, svc, m.id);
        return 'status' in done ? done : { status: 200, json: imageJson(done.image) };
      },
    })
    .add({ method: 'GET', template: '/rasters/mosaic/{id}/image', summary: 'The images of a mosaic', handler: (req) => { const m = mosaicOf(req); return 'status' in m ? m : { status: 200, json: imagesOf(req.tenant.data, m.id).map(imageJson) }; } })
    .add({ method: 'POST', template: '/rasters/mosaic/{id}/link-image', summary: 'Attach a GeoTIFF already in storage: {url: "s3://..."}', handler: (req) => linkImage(req, svc) })
    .add({
      method: 'GET',
      template: '/rasters/image/{id}',
      summary: 'An image',
      handler: (req) => {
        const image = req.tenant.data.rasters.images.get(req.params.id);
        return image ? { status: 200, json: imageJson(image) } : itemNotFound('image', req.params.id);
      },
    })
    .add({
      method: 'PUT',
      template: '/rasters/image/{id}',
      summary: 'Rename an image: ?name= ([INFER] no body back, as the docs show none)',
      openapi: { parameters: [{ name: 'name', in: 'query', required: true, schema: { type: 'string' } }] },
      handler: (req) => {
        const image = req.tenant.data.rasters.images.get(req.params.id);
        if (!image) return itemNotFound('image', req.params.id);
        const name = req.query.get('name')?.trim();
        if (!name) return badRequest('name is required');
        image.filename = name;
        return { status: 200, empty: true };
      },
    })
    .add({
      method: 'DELETE',
      template: '/rasters/image/{id}',
      summary: 'Delete an image (its storage is freed)',
      handler: (req) => (req.tenant.data.rasters.images.delete(req.params.id) ? { status: 200, empty: true } : itemNotFound('image', req.params.id)),
    })
    .add({
      method: 'POST',
      template: '/catalog/meta',
      summary: 'Imagery search: {aoi, acquisitionDateFrom?, ..., limit?, offset?, sortBy?, sortOrder?}',
      openapi: { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } } },
      handler: (req) => searchCatalog(req.body),
    });
}
