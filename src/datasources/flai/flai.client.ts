import type { UpstreamHttp } from '../http/upstream-http.js';
import {
  DatasetModel,
  DatasetPageModel,
  DownloadCreatedModel,
  DownloadModel,
  FileUrlModel,
  FlowExecutionModel,
  FlowExecutionPageModel,
  FlowModel,
  FlowTemplateListModel,
  OauthMeModel,
} from './flai.models.js';

/**
 * One thin function per Flai endpoint (paths and verbs from the SDK, upstream-reference §1.4).
 * Each validates the answer against its model; nothing here maps or caches.
 */
export interface FlaiCall {
  http: UpstreamHttp;
  /** `Authorization: Bearer <id>|<secret>` of the caller's credential. */
  headers: Record<string, string>;
  /** The organization id: every data path is below `/organization/{org}`. */
  org: string;
}

const e = encodeURIComponent;
const base = (c: FlaiCall) => `/organization/${e(c.org)}`;

export interface ListQuery {
  page: number;
  perPage: number;
  filter?: Record<string, string>;
}

function listQuery(q: ListQuery): Record<string, string | number> {
  const out: Record<string, string | number> = { page: q.page, per_page: q.perPage };
  for (const [k, v] of Object.entries(q.filter ?? {})) out[`filter[${k}]`] = v;
  return out;
}

/** `GET /oauth/me`: the caller's active organization (not org-scoped). */
export async function getMe(http: UpstreamHttp, headers: Record<string, string>) {
  const data = await http.json({ method: 'GET', path: '/oauth/me', route: 'GET /oauth/me', headers });
  return http.parse(OauthMeModel, data, 'user');
}

export async function getDataset(c: FlaiCall, id: string) {
  const data = await c.http.json({ method: 'GET', path: `${base(c)}/datasets/${e(id)}`, route: 'GET /organization/{org}/datasets/{id}', headers: c.headers });
  return c.http.parse(DatasetModel, data, 'dataset');
}

export async function listDatasets(c: FlaiCall, q: ListQuery) {
  const data = await c.http.json({ method: 'GET', path: `${base(c)}/datasets`, route: 'GET /organization/{org}/datasets', query: listQuery(q), headers: c.headers });
  return c.http.parse(DatasetPageModel, data, 'dataset list');
}

export async function createDataset(c: FlaiCall, body: Record<string, unknown>) {
  const data = await c.http.json({ method: 'POST', path: `${base(c)}/datasets`, route: 'POST /organization/{org}/datasets', body, headers: c.headers });
  return c.http.parse(DatasetModel, data, 'dataset');
}

export async function getFlow(c: FlaiCall, id: string) {
  // Only `flow_nodes`: the contract exposes no edges, so `flow_edges` would be bytes for nothing.
  const data = await c.http.json({
    method: 'GET',
    path: `${base(c)}/flows/${e(id)}`,
    route: 'GET /organization/{org}/flows/{id}',
    query: { decorators: 'flow_nodes' },
    headers: c.headers,
  });
  return c.http.parse(FlowModel, data, 'flow');
}

export async function listFlowTemplates(c: FlaiCall) {
  const data = await c.http.json({ method: 'GET', path: `${base(c)}/flow-templates`, route: 'GET /organization/{org}/flow-templates', headers: c.headers });
  return c.http.parse(FlowTemplateListModel, data, 'flow template list');
}

export async function getFlowExecution(c: FlaiCall, id: string) {
  const data = await c.http.json({
    method: 'GET',
    path: `${base(c)}/flow-executions/${e(id)}`,
    route: 'GET /organization/{org}/flow-executions/{id}',
    headers: c.headers,
  });
  return c.http.parse(FlowExecutionModel, data, 'flow execution');
}

export async function listFlowExecutions(c: FlaiCall, q: ListQuery) {
  const data = await c.http.json({
    method: 'GET',
    path: `${base(c)}/flow-executions`,
    route: 'GET /organization/{org}/flow-executions',
    query: listQuery(q),
    headers: c.headers,
  });
  return c.http.parse(FlowExecutionPageModel, data, 'flow execution list');
}

/** `POST flow-template-execution` [DOC blog]; the answer's shape is [UNKNOWN]: we read a FlowExecution. */
export async function createFlowTemplateExecution(c: FlaiCall, flowId: string, nodeOptions: Record<string, Record<string, unknown>>) {
  const data = await c.http.json({
    method: 'POST',
    path: `${base(c)}/flow-template-execution`,
    route: 'POST /organization/{org}/flow-template-execution',
    body: { flow_id: flowId, flow_node_options: nodeOptions },
    headers: c.headers,
  });
  return c.http.parse(FlowExecutionModel, data, 'flow execution');
}

/**
 * `POST downloads` [CODE downloads.py]: the SDK reads only `id`. When the answer is a whole download
 * (as the simulator's is) it is returned as such and saves the follow-up GET.
 */
export async function createDownload(c: FlaiCall, datasetId: string) {
  const data = await c.http.json({
    method: 'POST',
    path: `${base(c)}/downloads`,
    route: 'POST /organization/{org}/downloads',
    query: { decorators: 'files' },
    body: { items: [{ model_name: 'datasets', model_id: datasetId }] },
    headers: c.headers,
  });
  const whole = DownloadModel.safeParse(data);
  const id = whole.success ? whole.data.id : c.http.parse(DownloadCreatedModel, data, 'download').id;
  return { id, download: whole.success ? whole.data : null };
}

export async function getDownload(c: FlaiCall, id: string) {
  const data = await c.http.json({
    method: 'GET',
    path: `${base(c)}/downloads/${e(id)}`,
    route: 'GET /organization/{org}/downloads/{id}',
    query: { decorators: 'files' },
    headers: c.headers,
  });
  return c.http.parse(DownloadModel, data, 'download');
}

/** `GET file-downloads/{id}/download` → `{url}` [CODE file_downloads.py]. */
export async function getFileDownloadUrl(c: FlaiCall, fileId: string) {
  const data = await c.http.json({
    method: 'GET',
    path: `${base(c)}/file-downloads/${e(fileId)}/download`,
    route: 'GET /organization/{org}/file-downloads/{id}/download',
    headers: c.headers,
  });
  return c.http.parse(FileUrlModel, data, 'file download').url;
}
