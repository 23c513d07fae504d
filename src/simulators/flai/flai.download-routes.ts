import { checkPresigned, presign, type Router, type SimResult } from '../core/index.js';
import { flaiErrors } from './flai.errors.js';
import { AI_MODELS } from './flai.files.js';
import { type FlaiRouteContext, ok, orgScoped } from './flai.http.js';
import { decorators, downloadView } from './flai.records.js';
import type { DownloadRecord, FlaiTenant, TenantState } from './flai.types.js';
import { flaiTime, isRecord, uuid } from './flai.util.js';
import { Validator } from './flai.validate.js';

/** Lifetime of a presigned download URL (wall-clock seconds). [INFER] */
export const PRESIGNED_TTL_SECONDS = 3600;

type Item = { model_name: string; model_id: string };

function validateDownload(body: Record<string, unknown>, s: TenantState): { errors: Record<string, string[]> } | { items: Item[] } {
  const v = new Validator(body);
  if (!v.required('items')) return { errors: v.errors };
  if (!Array.isArray(body.items) || body.items.length === 0) {
    v.add('items', 'The items must be an array with at least 1 item.');
    return { errors: v.errors };
  }
  const items: Item[] = [];
  body.items.forEach((raw: unknown, i: number) => {
    const f = `items.${i}`;
    if (v.required(`${f}.model_name`)) v.in(`${f}.model_name`, ['datasets', 'ai_models']);
    if (!v.required(`${f}.model_id`) || !isRecord(raw)) return;
    const { model_name: name, model_id: id } = raw;
    if (typeof id !== 'string' || (name !== 'datasets' && name !== 'ai_models')) return;
    if (name === 'ai_models') {
      if (!AI_MODELS[id]) v.invalid(`${f}.model_id`);
    } else {
      const ds = s.datasets.get(id);
      if (!ds) v.invalid(`${f}.model_id`);
      // [INFER] only a ready dataset has data to package.
      else if (ds.dataset_status !== 'ready') v.add(`${f}.model_id`, `The dataset is not ready for download (status: ${ds.dataset_status}).`);
    }
    items.push({ model_name: name, model_id: id });
  });
  return v.ok ? { items } : { errors: v.errors };
}

function s3Error(status: number, code: string, message: string): SimResult {
  return {
    status,
    contentType: 'application/xml',
    text: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  };
}

export function addDownloadRoutes(r: Router<FlaiTenant>, rc: FlaiRouteContext, ORG: string): void {
  r.add({
    method: 'POST',
    template: `${ORG}/downloads`,
    summary: 'Request downloadable files for datasets (or AI models); status pending',
    openapi: { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['items'] } } } } },
    handler: orgScoped(rc, (req, s) => {
      const checked = validateDownload(isRecord(req.body) ? req.body : {}, s);
      if ('errors' in checked) return flaiErrors.validation(checked.errors);
      const now = rc.sim.clock.now();
      const dl: DownloadRecord = {
        wire: {
          id: uuid(s.rng),
          organization_id: s.organization.id,
          created_by: s.user.id,
          status: 'pending',
          items: checked.items,
          created_at: flaiTime(now),
          updated_at: flaiTime(now),
        },
        files: [],
      };
      s.downloads.set(dl.wire.id, dl);
      rc.lifecycle.created(s, 'download', dl.wire.id, 'status', 'pending', now);
      rc.lifecycle.prepareDownload(s, dl);
      return ok(downloadView(dl, decorators(req.query)));
    }),
  });
  r.add({
    method: 'GET',
    template: `${ORG}/downloads/{downloadId}`,
    summary: 'A download; ?decorators=files lists its files once prepared (status download-prepared)',
    openapi: { parameters: [{ name: 'decorators', in: 'query', schema: { type: 'string' }, description: 'files' }] },
    handler: orgScoped(rc, (req, s) => {
      const dl = s.downloads.get(req.params.downloadId);
      return dl ? ok(downloadView(dl, decorators(req.query))) : flaiErrors.modelNotFound('download', req.params.downloadId);
    }),
  });
  r.add({
    method: 'GET',
    template: `${ORG}/file-downloads/{fileId}/download`,
    summary: 'A presigned URL ({url}) for one prepared file',
    handler: orgScoped(rc, (req, s) => {
      const file = s.fileDownloads.get(req.params.fileId);
      if (!file) return flaiErrors.modelNotFound('file_download', req.params.fileId);
      return ok({ url: presign(req.origin, file.key, PRESIGNED_TTL_SECONDS, Date.now()) });
    }),
  });
  r.add({
    method: 'GET',
    template: '/storage/{key}',
    public: true,
    summary: 'Presigned object storage (zip bytes); signature and expiry are checked',
    handler: (req) => {
      const key = req.params.key;
      const reason = checkPresigned(key, req.query, Date.now());
      if (reason === 'Request has expired') return s3Error(403, 'AccessDenied', reason);
      if (reason) return s3Error(403, 'SignatureDoesNotMatch', reason);
      const bytes = rc.store.storage.get(key);
      if (!bytes) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
      const name = key.split('/').pop() ?? 'download.zip';
      return { status: 200, bytes, contentType: 'application/zip', headers: { 'content-disposition': `attachment; filename="${name}"` } };
    },
  });
}
