import { Readable } from 'node:stream';
import type { UpstreamHttp } from '../http/upstream-http.js';
import { parseVendor } from '../shared/parse-vendor.js';
import type { z } from 'zod';
import {
  DatasetArrayModel,
  DatasetModel,
  DatasetPageModel,
  DownloadCreatedModel,
  DownloadModel,
  FileUrlModel,
  FlowExecutionArrayModel,
  FlowExecutionModel,
  FlowExecutionPageModel,
  FlowModel,
  FlowTemplateListModel,
  OauthMeModel,
  type FlaiList,
} from './flai.models.js';

/**
 * One thin function per Flai endpoint (docs/vendors.md, "Flai: endpoints we call"). Each validates
 * the answer against its model; nothing here maps or caches.
 */
export interface FlaiCall {
  http: UpstreamHttp;
  /** `Authorization: Bearer <id>|<secret>` of the caller's credential. */
  headers: Record<string, string>;
  /** The organization id: every data path is below `/organization/{org}`. */
  org: string;
}

/** Largest `per_page` the gateway asks of a Flai list (docs/vendors.md, "Flai: list pagination"). */
export const MAX_PER_PAGE = 200;

export interface ListQuery {
  /** 1-based. */
  page: number;
  perPage: number;
  /** Sent as `filter[<field>]=<value>`. */
  filter?: Record<string, string>;
}

const orgPath = (call: FlaiCall) => `/organization/${encodeURIComponent(call.org)}`;

function listParams(query: ListQuery): Record<string, string | number> {
  const params: Record<string, string | number> = { page: query.page, per_page: query.perPage };
  for (const [field, value] of Object.entries(query.filter ?? {})) params[`filter[${field}]`] = value;
  return params;
}

/**
 * An organization list in either shape Flai may send (docs/vendors.md, "Flai: list pagination"): the
 * paged envelope, or a bare array, which is the whole list.
 */
function readList<T>(data: unknown, shapes: { page: z.ZodType<{ items: T[]; pagination: { total_items: number; total_pages?: number } }>; array: z.ZodType<T[]> }, what: string): FlaiList<T> {
  if (Array.isArray(data)) {
    const items = parseVendor('FLAI', shapes.array, data, what);
    return { items, total: items.length, totalPages: 1, whole: true };
  }
  const page = parseVendor('FLAI', shapes.page, data, what);
  return { items: page.items, total: page.pagination.total_items, totalPages: page.pagination.total_pages, whole: false };
}

/** `GET /oauth/me`: the caller's active organization (the one path not below an organization). */
export async function getMe(http: UpstreamHttp, headers: Record<string, string>) {
  const data = await http.json({ method: 'GET', path: '/oauth/me', route: 'GET /oauth/me', headers });
  return parseVendor('FLAI', OauthMeModel, data, 'user');
}

export async function getDataset(call: FlaiCall, id: string) {
  const data = await call.http.json({
    method: 'GET',
    path: `${orgPath(call)}/datasets/${encodeURIComponent(id)}`,
    route: 'GET /organization/{org}/datasets/{id}',
    headers: call.headers,
  });
  return parseVendor('FLAI', DatasetModel, data, 'dataset');
}

export async function listDatasets(call: FlaiCall, query: ListQuery) {
  const data = await call.http.json({
    method: 'GET',
    path: `${orgPath(call)}/datasets`,
    route: 'GET /organization/{org}/datasets',
    query: listParams(query),
    headers: call.headers,
  });
  return readList(data, { page: DatasetPageModel, array: DatasetArrayModel }, 'dataset list');
}

/** The route of `createDataset`, for the retry metrics of a create sent again. */
export const CREATE_DATASET_ROUTE = 'POST /organization/{org}/datasets';

/**
 * The answer is not documented: a whole dataset, or only its id (`{id}`, all the SDK reads). It is
 * returned unread; see flai.create.ts (docs/vendors.md, "Flai: endpoints we call").
 */
export async function createDataset(call: FlaiCall, body: Record<string, unknown>): Promise<unknown> {
  return call.http.json({
    method: 'POST',
    path: `${orgPath(call)}/datasets`,
    route: CREATE_DATASET_ROUTE,
    body,
    headers: call.headers,
  });
}

export async function getFlow(call: FlaiCall, id: string) {
  // Only `flow_nodes`: the contract exposes no edges, so `flow_edges` would be bytes for nothing.
  const data = await call.http.json({
    method: 'GET',
    path: `${orgPath(call)}/flows/${encodeURIComponent(id)}`,
    route: 'GET /organization/{org}/flows/{id}',
    query: { decorators: 'flow_nodes' },
    headers: call.headers,
  });
  return parseVendor('FLAI', FlowModel, data, 'flow');
}

export async function listFlowTemplates(call: FlaiCall) {
  const data = await call.http.json({
    method: 'GET',
    path: `${orgPath(call)}/flow-templates`,
    route: 'GET /organization/{org}/flow-templates',
    headers: call.headers,
  });
  return parseVendor('FLAI', FlowTemplateListModel, data, 'flow template list');
}

export async function getFlowExecution(call: FlaiCall, id: string) {
  const data = await call.http.json({
    method: 'GET',
    path: `${orgPath(call)}/flow-executions/${encodeURIComponent(id)}`,
    route: 'GET /organization/{org}/flow-executions/{id}',
    headers: call.headers,
  });
  return parseVendor('FLAI', FlowExecutionModel, data, 'flow execution');
}

export async function listFlowExecutions(call: FlaiCall, query: ListQuery) {
  const data = await call.http.json({
    method: 'GET',
    path: `${orgPath(call)}/flow-executions`,
    route: 'GET /organization/{org}/flow-executions',
    query: listParams(query),
    headers: call.headers,
  });
  return readList(data, { page: FlowExecutionPageModel, array: FlowExecutionArrayModel }, 'flow execution list');
}

/** The route of `createFlowTemplateExecution`, for the retry metrics of a run sent again. */
export const RUN_FLOW_TEMPLATE_ROUTE = 'POST /organization/{org}/flow-template-execution';

/**
 * The answer's shape is unknown (the blog: "the flow execution ID can be retrieved from the
 * response"): a whole execution, or only its id. It is returned unread; see flai.create.ts
 * (docs/vendors.md, "Flai: endpoints we call").
 */
export async function createFlowTemplateExecution(call: FlaiCall, flowId: string, nodeOptions: Record<string, Record<string, unknown>>): Promise<unknown> {
  return call.http.json({
    method: 'POST',
    path: `${orgPath(call)}/flow-template-execution`,
    route: RUN_FLOW_TEMPLATE_ROUTE,
    body: { flow_id: flowId, flow_node_options: nodeOptions },
    headers: call.headers,
  });
}

/**
 * Only the answer's `id` is known (docs/vendors.md, "Flai: endpoints we call"). When the answer is a
 * whole download (as the simulator's is) it is returned as such and saves the follow-up GET.
 */
export async function createDownload(call: FlaiCall, datasetId: string) {
  const data = await call.http.json({
    method: 'POST',
    path: `${orgPath(call)}/downloads`,
    route: 'POST /organization/{org}/downloads',
    query: { decorators: 'files' },
    body: { items: [{ model_name: 'datasets', model_id: datasetId }] },
    headers: call.headers,
  });
  const whole = DownloadModel.safeParse(data);
  const id = whole.success ? whole.data.id : parseVendor('FLAI', DownloadCreatedModel, data, 'download').id;
  return { id, download: whole.success ? whole.data : null };
}

export async function getDownload(call: FlaiCall, id: string) {
  const data = await call.http.json({
    method: 'GET',
    path: `${orgPath(call)}/downloads/${encodeURIComponent(id)}`,
    route: 'GET /organization/{org}/downloads/{id}',
    query: { decorators: 'files' },
    headers: call.headers,
  });
  return parseVendor('FLAI', DownloadModel, data, 'download');
}

/** The file's presigned URL as Flai sends it: absolute, or a path (see `presignedUrl`). */
export async function getFileDownloadUrl(call: FlaiCall, fileId: string) {
  const data = await call.http.json({
    method: 'GET',
    path: `${orgPath(call)}/file-downloads/${encodeURIComponent(fileId)}/download`,
    route: 'GET /organization/{org}/file-downloads/{id}/download',
    headers: call.headers,
  });
  return parseVendor('FLAI', FileUrlModel, data, 'file download').url;
}

/** One chunk of a direct upload (docs/vendors.md, "Flai: direct upload"). */
export interface UploadChunk {
  sessionKey: string;
  fileName: string;
  totalFileSize: number;
  /** The vendor's dataset type key, e.g. `pointcloud`. */
  datasetType: string;
  startByte: number;
  /** 10000 for the first chunk, then one more each. */
  chunkIndex: number;
  bytes: Buffer;
}

/** `POST /tools/upload`: one chunk as multipart/form-data; the last chunk's answer has `end_filename`. Never retried. */
export async function uploadChunk(call: FlaiCall, chunk: UploadChunk): Promise<{ end_filename?: string }> {
  const boundary = `----gateway-upload-${chunk.sessionKey}-${chunk.chunkIndex}`;
  const fields: Record<string, string> = {
    file_name: chunk.fileName,
    total_file_size: String(chunk.totalFileSize),
    session_key: chunk.sessionKey,
    dataset_type: chunk.datasetType,
    chunk_start_byte: String(chunk.startByte),
    chunk_end_byte: String(chunk.startByte + chunk.bytes.length),
    chunk_index: String(chunk.chunkIndex),
  };
  const head = Object.entries(fields)
    .map(([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join('');
  const filePart = `--${boundary}\r\ncontent-disposition: form-data; name="file_chunk"; filename="blob"\r\ncontent-type: application/octet-stream\r\n\r\n`;
  // The chunk is written as it is between the multipart head and tail, not copied into one new 8 MB
  // buffer first (docs/decisions.md, "Uploads to Flai: where the time goes").
  const parts = [Buffer.from(head + filePart), chunk.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)];
  const data = await call.http.json({
    method: 'POST',
    path: '/tools/upload',
    route: 'POST /tools/upload',
    rawBody: { stream: Readable.from(parts), length: parts.reduce((sum, part) => sum + part.length, 0), contentType: `multipart/form-data; boundary=${boundary}` },
    headers: call.headers,
  });
  const endFilename = data && typeof data === 'object' ? (data as Record<string, unknown>).end_filename : undefined;
  return typeof endFilename === 'string' ? { end_filename: endFilename } : {};
}
