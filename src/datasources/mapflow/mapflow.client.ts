import type { Readable } from 'node:stream';
import type { UpstreamHttp } from '../http/upstream-http.js';
import {
  AoiListModel,
  CostModel,
  FeatureCollectionModel,
  ProcessingListModel,
  ProcessingModel,
  ProcessingPageModel,
  ProjectModel,
  ProjectPageModel,
  StatsModel,
  UserStatusModel,
  type AoiModel,
  type ProcessingPageModel as ProcessingPage,
  type ProjectPageModel as ProjectPage,
} from './mapflow.models.js';

/** One caller's way to Mapflow: the shared HTTP client and that caller's auth header. */
export interface MapflowCall {
  http: UpstreamHttp;
  headers: Record<string, string>;
}

/** The token is already base64(email:apiToken): it is sent as is. */
export const authHeaders = (token: string): Record<string, string> => ({ authorization: `Basic ${token}` });

const enc = encodeURIComponent;

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

export async function getUserStatus(c: MapflowCall) {
  const data = await c.http.json({ method: 'GET', path: '/user/status', route: 'GET /user/status', headers: c.headers });
  return c.http.parse(UserStatusModel, data, 'user status');
}

export async function getProcessingStats(c: MapflowCall, body: StatsBody) {
  const data = await c.http.json({
    method: 'POST',
    path: '/processings/stats',
    route: 'POST /processings/stats',
    query: { type: 'JSON' },
    body,
    idempotent: true,
    headers: c.headers,
  });
  return c.http.parse(StatsModel, data, 'processing stats');
}

export async function getProcessingCost(c: MapflowCall, body: ProcessingCostBody): Promise<number> {
  const text = await c.http.text({ method: 'POST', path: '/processing/cost/v2', route: 'POST /processing/cost/v2', body, headers: c.headers, idempotent: true });
  return Number(c.http.parse(CostModel, text, 'processing cost'));
}

// ---------------------------------------------------------------- projects

export async function listProjects(c: MapflowCall, page: { limit: number; offset: number }): Promise<ProjectPage> {
  const data = await c.http.json({
    method: 'POST',
    path: '/projects/page',
    route: 'POST /projects/page',
    // A stable order, so that offsets (our cursors) keep pointing at the same projects.
    body: { ...page, sortBy: 'CREATED', sortOrder: 'DESC' },
    headers: c.headers,
    idempotent: true, // a search sent as POST
  });
  return c.http.parse(ProjectPageModel, data, 'project page');
}

export async function getProject(c: MapflowCall, id: string) {
  const data = await c.http.json({ method: 'GET', path: `/projects/${enc(id)}`, route: 'GET /projects/{id}', headers: c.headers });
  return c.http.parse(ProjectModel, data, 'project');
}

export async function getDefaultProject(c: MapflowCall) {
  const data = await c.http.json({ method: 'GET', path: '/projects/default', route: 'GET /projects/default', headers: c.headers });
  return c.http.parse(ProjectModel, data, 'project');
}

export async function createProject(c: MapflowCall, body: { name: string; description?: string }) {
  const data = await c.http.json({ method: 'POST', path: '/projects', route: 'POST /projects', body, headers: c.headers });
  return c.http.parse(ProjectModel, data, 'project');
}

export async function updateProject(c: MapflowCall, id: string, body: { name?: string; description?: string }) {
  const data = await c.http.json({ method: 'PUT', path: `/projects/${enc(id)}`, route: 'PUT /projects/{id}', body, headers: c.headers });
  return c.http.parse(ProjectModel, data, 'project');
}

export async function deleteProject(c: MapflowCall, id: string): Promise<void> {
  await c.http.text({ method: 'DELETE', path: `/projects/${enc(id)}`, route: 'DELETE /projects/{id}', headers: c.headers });
}

/** The docs give no response body for sharing; `null` when the vendor sends none. */
export async function shareProject(c: MapflowCall, body: { projectId: string; email: string; role: string }) {
  const data = await c.http.json({ method: 'POST', path: '/projects/share', route: 'POST /projects/share', body, headers: c.headers });
  return data === null ? null : c.http.parse(ProjectModel, data, 'project');
}

// ---------------------------------------------------------------- processings

export async function getProcessing(c: MapflowCall, id: string) {
  const data = await c.http.json({ method: 'GET', path: `/processings/${enc(id)}/v2`, route: 'GET /processings/{id}/v2', headers: c.headers });
  return c.http.parse(ProcessingModel, data, 'processing');
}

/** Every processing of a project in one unpaginated call. */
export async function listProjectProcessings(c: MapflowCall, projectId: string) {
  const data = await c.http.json({
    method: 'GET',
    path: `/projects/${enc(projectId)}/processings/v2`,
    route: 'GET /projects/{id}/processings/v2',
    headers: c.headers,
  });
  return c.http.parse(ProcessingListModel, data, 'processing list');
}

/** Every processing of the default project in one unpaginated call (no need to know its id). */
export async function listDefaultProcessings(c: MapflowCall) {
  const data = await c.http.json({ method: 'GET', path: '/processings/v2', route: 'GET /processings/v2', headers: c.headers });
  return c.http.parse(ProcessingListModel, data, 'processing list');
}

export async function listProjectProcessingsPage(c: MapflowCall, projectId: string, page: { limit: number; offset: number }): Promise<ProcessingPage> {
  const data = await c.http.json({
    method: 'POST',
    path: `/projects/${enc(projectId)}/processings/v2/page`,
    route: 'POST /projects/{id}/processings/v2/page',
    body: { ...page, sortBy: 'CREATED', sortOrder: 'DESC' },
    headers: c.headers,
    idempotent: true,
  });
  return c.http.parse(ProcessingPageModel, data, 'processing page');
}

export async function createProcessing(c: MapflowCall, body: ProcessingCreateBody) {
  const data = await c.http.json({ method: 'POST', path: '/processings/v2', route: 'POST /processings/v2', body, headers: c.headers });
  return c.http.parse(ProcessingModel, data, 'processing');
}

export async function updateProcessing(c: MapflowCall, id: string, body: { name?: string; description?: string }) {
  const data = await c.http.json({ method: 'PUT', path: `/processings/${enc(id)}/v2`, route: 'PUT /processings/{id}/v2', body, headers: c.headers });
  return c.http.parse(ProcessingModel, data, 'processing');
}

/** "Link processing to another project" (v1 path); `null` when the vendor answers without a body. */
export async function moveProcessing(c: MapflowCall, id: string, projectId: string) {
  const data = await c.http.json({ method: 'PUT', path: `/processings/${enc(id)}`, route: 'PUT /processings/{id}', body: { projectId }, headers: c.headers });
  return data === null ? null : c.http.parse(ProcessingModel, data, 'processing');
}

export async function restartProcessing(c: MapflowCall, id: string) {
  const data = await c.http.json({
    method: 'POST',
    path: `/processings/${enc(id)}/restart/v2`,
    route: 'POST /processings/{id}/restart/v2',
    headers: c.headers,
  });
  return c.http.parse(ProcessingModel, data, 'processing');
}

export async function deleteProcessing(c: MapflowCall, id: string): Promise<void> {
  await c.http.text({ method: 'DELETE', path: `/processings/${enc(id)}`, route: 'DELETE /processings/{id}', headers: c.headers });
}

export async function listAois(c: MapflowCall, processingId: string): Promise<AoiModel[]> {
  const data = await c.http.json({
    method: 'GET',
    path: `/processings/${enc(processingId)}/aois`,
    route: 'GET /processings/{id}/aois',
    headers: c.headers,
  });
  return c.http.parse(AoiListModel, data, 'AOI list');
}

/** The result FeatureCollection, parsed (for the inline `results` field). */
export async function getProcessingResult(c: MapflowCall, id: string) {
  const data = await c.http.json({ method: 'GET', path: `/processings/${enc(id)}/result`, route: 'GET /processings/{id}/result', headers: c.headers });
  return c.http.parse(FeatureCollectionModel, data, 'processing result');
}

/** The result FeatureCollection as a byte stream (for `resultsUrl`), never buffered here. */
export function streamProcessingResult(c: MapflowCall, id: string): Promise<{ body: Readable; contentType?: string }> {
  return c.http.stream({ method: 'GET', path: `/processings/${enc(id)}/result`, route: 'GET /processings/{id}/result', headers: c.headers });
}
