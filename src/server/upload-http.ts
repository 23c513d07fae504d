import type { IncomingMessage, ServerResponse } from 'node:http';
import { createContext, type AppDeps } from '../context.js';
import { CREDENTIAL_HEADERS, credentialHash, resolveCredentials, type Vendor } from '../credentials.js';
import { header, sendJson } from './admission.js';

/**
 * `PUT /uploads/{id}?c=…&exp=…&sig=…`: the bytes of an upload through the gateway (its `uploadUrl`).
 * The signed URL is checked before any byte is read or any vendor is called; a request that carries
 * a vendor credential of its own must carry the one the URL is bound to.
 */
export async function uploadBytes(deps: AppDeps, req: IncomingMessage, res: ServerResponse, id: string, url: URL): Promise<void> {
  const uploads = deps.uploads;
  if (!uploads) return sendJson(res, 404, { error: 'This server takes no uploads.', code: 'NOT_FOUND' });
  const tus = header(req, 'tus-resumable') !== undefined;
  if (req.method !== 'PUT' && !(tus && ['HEAD', 'PATCH', 'OPTIONS'].includes(req.method ?? ''))) {
    res.setHeader('allow', 'PUT, HEAD, PATCH, OPTIONS');
    return sendJson(res, 405, { error: 'Send the whole file with PUT, or resumably with tus 1.0 (HEAD and PATCH with Tus-Resumable).', code: 'BAD_REQUEST' });
  }
  const opened = await uploads.links.open(id, url.searchParams);
  if ('error' in opened) return refuse(req, res, opened.status, opened.error);
  const vendor = (Object.keys(opened.credentials) as Vendor[]).find((v) => opened.credentials[v]) ?? 'flai';
  const own = header(req, vendor === 'flai' ? CREDENTIAL_HEADERS.flai : CREDENTIAL_HEADERS[vendor]);
  if (own) {
    const theirs = credentialHash(vendor, resolveCredentials((n) => header(req, n), deps.config));
    if (theirs !== credentialHash(vendor, opened.credentials)) return refuse(req, res, 403, 'This upload URL belongs to another caller.');
  }
  if (req.method !== 'PUT') return createContext(deps, opened.credentials).services.uploads.receiveTus(id, req, res);
  const length = header(req, 'content-length');
  const declared = length !== undefined && /^\d+$/.test(length) ? Number(length) : null;
  const ctx = createContext(deps, opened.credentials);
  const answer = await ctx.services.uploads.receive(id, req, declared);
  if (answer.status !== 200 && !req.complete) res.setHeader('connection', 'close');
  sendJson(res, answer.status, answer);
  if (answer.status !== 200 && !req.complete) req.resume();
}

/** Refused before reading: the body is not read, and the connection closes after the answer. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: string): void {
  res.setHeader('connection', 'close');
  sendJson(res, status, { error, code: status === 403 ? 'FORBIDDEN' : status === 401 ? 'UNAUTHENTICATED' : 'UPSTREAM_UNAVAILABLE' });
  req.resume();
}
