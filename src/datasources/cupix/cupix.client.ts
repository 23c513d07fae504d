import type { UpstreamHttp } from '../http/upstream-http.js';
import { parseVendor } from '../shared/parse-vendor.js';
import { fieldsParam, type FieldMask } from './cupix.fields.js';
import {
  MetaResponseModel,
  PointcloudListResponseModel,
  PointcloudResponseModel,
  type PaginationModel,
  type PointcloudItemModel,
  type PointcloudMetaModel,
} from './cupix.models.js';

/**
 * One thin function per Cupix endpoint. Each validates the answer against its model; nothing here
 * maps or caches.
 */
export interface CupixCall {
  http: UpstreamHttp;
  /** `x-cupix-auth` of the caller's credential. */
  headers: Record<string, string>;
}

/** The token is sent as is. */
export const authHeaders = (token: string): Record<string, string> => ({ 'x-cupix-auth': token });

/**
 * The largest `per_page` the gateway asks of `GET /pointclouds` (the docs show only the default, 30):
 * lists it reads whole go 100 at a time (docs/vendors.md, "Cupix: pagination").
 */
export const MAX_PER_PAGE = 100;

/** Query parameters of `GET /pointclouds` that the gateway uses. */
export interface PointcloudListQuery {
  record_id?: string;
  cluster_id?: string;
  capture_id?: string;
  parent_id?: string;
  /** `style: form, explode: false`: comma-separated. */
  parent_ids?: string;
  pointcloud_type?: 'uploaded' | '3d_reconstructed' | 'all';
  page: number;
  per_page: number;
}

export interface PointcloudPage {
  items: PointcloudItemModel[];
  pagination: PaginationModel | null;
}

const path = (id: string) => `/pointclouds/${encodeURIComponent(id)}`;

export async function getPointcloud(call: CupixCall, id: string, fields: FieldMask): Promise<PointcloudItemModel> {
  const body = await call.http.json({ method: 'GET', path: path(id), route: 'GET /pointclouds/{id}', query: { fields: fieldsParam(fields) }, headers: call.headers });
  return parseVendor('CUPIX', PointcloudResponseModel, body, 'pointcloud').result.data;
}

/**
 * `GET /pointclouds/{id}/meta`: the meta of one point cloud alone. The spec marks `fields` required
 * here too (its sample sends the whole list); the answer is the meta whatever it names, so the
 * gateway sends `fields=meta` (docs/vendors.md, "Cupix: sparse fieldsets").
 */
export async function getPointcloudMeta(call: CupixCall, id: string): Promise<PointcloudMetaModel> {
  const body = await call.http.json({ method: 'GET', path: `${path(id)}/meta`, route: 'GET /pointclouds/{id}/meta', query: { fields: 'meta' }, headers: call.headers });
  return parseVendor('CUPIX', MetaResponseModel, body, 'pointcloud meta').result;
}

export async function listPointclouds(call: CupixCall, query: PointcloudListQuery, fields: FieldMask): Promise<PointcloudPage> {
  const body = await call.http.json({ method: 'GET', path: '/pointclouds', route: 'GET /pointclouds', query: { fields: fieldsParam(fields), ...query }, headers: call.headers });
  const { result } = parseVendor('CUPIX', PointcloudListResponseModel, body, 'pointcloud list');
  return { items: result.data, pagination: result.pagination ?? null };
}

/**
 * `GET /pointclouds/{id}/download` → the 302 `Location` (a presigned storage URL), not followed. The
 * vendor page lists no `fields` parameter for this one, so none is sent.
 */
export function getPointcloudDownload(call: CupixCall, id: string): Promise<string> {
  return call.http.redirect({ method: 'GET', path: `${path(id)}/download`, route: 'GET /pointclouds/{id}/download', headers: call.headers });
}
