import type { Readable } from 'node:stream';
import type { UpstreamHttp } from '../http/upstream-http.js';
import { parseVendor } from '../shared/parse-vendor.js';
import {
  AoiListModel,
  type AoiModel,
  CostModel,
  FeatureCollectionModel,
  ProcessingListModel,
  ProcessingModel,
  ProcessingPageModel,
  ProjectModel,
  ProjectPageModel,
  StatsModel,
  UserStatusModel,
} from './mapflow.models.js';

/** One caller's way to Mapflow: the shared HTTP client and that caller's auth header. */
export interface MapflowCall {
  http: UpstreamHttp;
  headers: Record<string, string>;
}

/** The token is already base64(email:apiToken): it is sent as is. */
export const authHeaders = (token: string): Record<string, string> => ({ authorization: `Basic ${token}` });

/** `POST /processings/v2` body (vendor names). */
export interface ProcessingCreateBody {
  name?: string;
  description?: string;
  projectId?: string;
  wdId?: string;
  wdName?: string;
  geometry: unknown;
  params?: { sourceParams?: Record<string, unknown>; inferenceParams?: unknown };
  blocks?: { name: string; enabled: boolean }[];
  meta?: Record<string, unknown>;
}

/** `POST /processing/cost/v2` body (vendor names). */
export interface ProcessingCostBody {
  wdId: string;
  geometry?: unknown;
  areaSqKm?: number;
  params?: { sourceParams: Record<string, unknown> };
  blocks?: { name: string; enabled: boolean }[];
}

export interface StatsBody {
  dateFrom?: string;
  dateTo?: string;
  statuses?: string[];
  terms?: string;
}

// ---------------------------------------------------------------- account

export async function getUserStatus(call: MapflowCall) {
  const data = await call.http.json({ method: 'GET', path: '/user/status', route: 'GET /user/status', headers: call.headers });
  return parseVendor('MAPFLOW', UserStatusModel, data, 'user status');
}

export async function getProcessingStats(call: MapflowCall, body: StatsBody) {
  const data = await call.http.json({
    method: 'POST',
    path: '/processings/stats',
    route: 'POST /processings/stats',
    query: { type: 'JSON' },
    body,
    idempotent: true,
    headers: call.headers,
  });
  return parseVendor('MAPFLOW', StatsModel, data, 'processing stats');
}

export async function getProcessingCost(call: MapflowCall, body: ProcessingCostBody): Promise<number> {
  const text = await call.http.text({
    method: 'POST',
    path: '/processing/cost/v2',
    route: 'POST /processing/cost/v2',
    body,
    headers: call.headers,
    idempotent: true,
  });
  return Number(parseVendor('MAPFLOW', CostModel, text, 'processing cost'));
}

// ---------------------------------------------------------------- projects

export async function listProjects(call: MapflowCall, page: { limit: number; offset: number }): Promise<ProjectPageModel> {
  const data = await call.http.json({
    method: 'POST',
    path: '/projects/page',
    route: 'POST /projects/page',
    // A stable order, so that offsets (our cursors) keep pointing at the same projects.
    body: { ...page, sortBy: 'CREATED', sortOrder: 'DESC' },
    headers: call.headers,
    idempotent: true, // a search sent as POST
  });
  return parseVendor('MAPFLOW', ProjectPageModel, data, 'project page');
}

export async function getProject(call: MapflowCall, id: string) {
  const data = await call.http.json({ method: 'GET', path: `/projects/${encodeURIComponent(id)}`, route: 'GET /projects/{id}', headers: call.headers });
  return parseVendor('MAPFLOW', ProjectModel, data, 'project');
}

export async function getDefaultProject(call: MapflowCall) {
  const data = await call.http.json({ method: 'GET', path: '/projects/default', route: 'GET /projects/default', headers: call.headers });
  return parseVendor('MAPFLOW', ProjectModel, data, 'project');
}

export async function createProject(call: MapflowCall, body: { name: string; description?: string }) {
  const data = await call.http.json({ method: 'POST', path: '/projects', route: 'POST /projects', body, headers: call.headers });
  return parseVendor('MAPFLOW', ProjectModel, data, 'project');
}

export async function updateProject(call: MapflowCall, id: string, body: { name?: string; description?: string }) {
  const data = await call.http.json({
    method: 'PUT',
    path: `/projects/${encodeURIComponent(id)}`,
    route: 'PUT /projects/{id}',
    body,
    headers: call.headers,
  });
  return parseVendor('MAPFLOW', ProjectModel, data, 'project');
}

export async function deleteProject(call: MapflowCall, id: string): Promise<void> {
  await call.http.text({ method: 'DELETE', path: `/projects/${encodeURIComponent(id)}`, route: 'DELETE /projects/{id}', headers: call.headers });
}

/** The docs give no response body for sharing; `null` when the vendor sends none. */
export async function shareProject(call: MapflowCall, body: { projectId: string; email: string; role: string }) {
  const data = await call.http.json({ method: 'POST', path: '/projects/share', route: 'POST /projects/share', body, headers: call.headers });
  return data === null ? null : parseVendor('MAPFLOW', ProjectModel, data, 'project');
}

// ---------------------------------------------------------------- processings

export async function getProcessing(call: MapflowCall, id: string) {
  const data = await call.http.json({
    method: 'GET',
    path: `/processings/${encodeURIComponent(id)}/v2`,
    route: 'GET /processings/{id}/v2',
    headers: call.headers,
  });
  return parseVendor('MAPFLOW', ProcessingModel, data, 'processing');
}

/** Every processing of a project in one unpaginated call. */
export async function listProjectProcessings(call: MapflowCall, projectId: string) {
  const data = await call.http.json({
    method: 'GET',
    path: `/projects/${encodeURIComponent(projectId)}/processings/v2`,
    route: 'GET /projects/{id}/processings/v2',
    headers: call.headers,
  });
  return parseVendor('MAPFLOW', ProcessingListModel, data, 'processing list');
}

/** Every processing of the default project in one unpaginated call (no need to know its id). */
export async function listDefaultProcessings(call: MapflowCall) {
  const data = await call.http.json({ method: 'GET', path: '/processings/v2', route: 'GET /processings/v2', headers: call.headers });
  return parseVendor('MAPFLOW', ProcessingListModel, data, 'processing list');
}

export async function listProjectProcessingsPage(
  call: MapflowCall,
  projectId: string,
  page: { limit: number; offset: number },
): Promise<ProcessingPageModel> {
  const data = await call.http.json({
    method: 'POST',
    path: `/projects/${encodeURIComponent(projectId)}/processings/v2/page`,
    route: 'POST /projects/{id}/processings/v2/page',
    body: { ...page, sortBy: 'CREATED', sortOrder: 'DESC' },
    headers: call.headers,
    idempotent: true,
  });
  return parseVendor('MAPFLOW', ProcessingPageModel, data, 'processing page');
}

export async function createProcessing(call: MapflowCall, body: ProcessingCreateBody) {
  const data = await call.http.json({ method: 'POST', path: '/processings/v2', route: 'POST /processings/v2', body, headers: call.headers });
  return parseVendor('MAPFLOW', ProcessingModel, data, 'processing');
}

export async function updateProcessing(call: MapflowCall, id: string, body: { name?: string; description?: string }) {
  const data = await call.http.json({
    method: 'PUT',
    path: `/processings/${encodeURIComponent(id)}/v2`,
    route: 'PUT /processings/{id}/v2',
    body,
    headers: call.headers,
  });
  return parseVendor('MAPFLOW', ProcessingModel, data, 'processing');
}

/** "Link processing to another project" (v1 path); `null` when the vendor answers without a body. */
export async function moveProcessing(call: MapflowCall, id: string, projectId: string) {
  const data = await call.http.json({
    method: 'PUT',
    path: `/processings/${encodeURIComponent(id)}`,
    route: 'PUT /processings/{id}',
    body: { projectId },
    headers: call.headers,
  });
  return data === null ? null : parseVendor('MAPFLOW', ProcessingModel, data, 'processing');
}

export async function restartProcessing(call: MapflowCall, id: string) {
  const data = await call.http.json({
    method: 'POST',
    path: `/processings/${encodeURIComponent(id)}/restart/v2`,
    route: 'POST /processings/{id}/restart/v2',
    headers: call.headers,
  });
  return parseVendor('MAPFLOW', ProcessingModel, data, 'processing');
}

export async function deleteProcessing(call: MapflowCall, id: string): Promise<void> {
  await call.http.text({ method: 'DELETE', path: `/processings/${encodeURIComponent(id)}`, route: 'DELETE /processings/{id}', headers: call.headers });
}

export async function listAois(call: MapflowCall, processingId: string): Promise<AoiModel[]> {
  const data = await call.http.json({
    method: 'GET',
    path: `/processings/${encodeURIComponent(processingId)}/aois`,
    route: 'GET /processings/{id}/aois',
    headers: call.headers,
  });
  return parseVendor('MAPFLOW', AoiListModel, data, 'AOI list');
}

/**
 * The results are documented as "an octet stream": asking for `application/json` alone could be
 * refused (406) by a server that negotiates, so the download asks for that type first and takes
 * anything else (an error body in JSON) after it (docs/vendors.md, "Mapflow: results").
 */
const RESULT_ACCEPT = 'application/octet-stream, */*;q=0.1';

/** The result FeatureCollection, parsed (for the inline `results` field). */
export async function getProcessingResult(call: MapflowCall, id: string) {
  const data = await call.http.json({
    method: 'GET',
    path: `/processings/${encodeURIComponent(id)}/result`,
    route: 'GET /processings/{id}/result',
    headers: { ...call.headers, accept: RESULT_ACCEPT },
  });
  return parseVendor('MAPFLOW', FeatureCollectionModel, data, 'processing result');
}

/** The result FeatureCollection as a byte stream (for `resultsUrl`), never buffered here. */
export function streamProcessingResult(call: MapflowCall, id: string): Promise<{ body: Readable; contentType?: string }> {
  return call.http.stream({
    method: 'GET',
    path: `/processings/${encodeURIComponent(id)}/result`,
    route: 'GET /processings/{id}/result',
    headers: { ...call.headers, accept: RESULT_ACCEPT },
  });
}
