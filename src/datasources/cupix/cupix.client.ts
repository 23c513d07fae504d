import type { UpstreamHttp } from '../http/upstream-http.js';
import { fieldsParam } from './cupix.fields.js';
import { PointcloudListResponseModel, PointcloudResponseModel, type PaginationModel, type PointcloudItemModel } from './cupix.models.js';

/** One thin function per Cupix endpoint; `headers` is the caller's `x-cupix-auth`. */
type Auth = Record<string, string>;

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

export async function getPointcloud(http: UpstreamHttp, headers: Auth, id: string, fields: number): Promise<PointcloudItemModel> {
  const body = await http.json({ method: 'GET', path: path(id), route: 'GET /pointclouds/{id}', query: { fields: fieldsParam(fields) }, headers });
  return http.parse(PointcloudResponseModel, body, 'pointcloud').result.data;
}

export async function listPointclouds(http: UpstreamHttp, headers: Auth, query: PointcloudListQuery, fields: number): Promise<PointcloudPage> {
  const body = await http.json({ method: 'GET', path: '/pointclouds', route: 'GET /pointclouds', query: { fields: fieldsParam(fields), ...query }, headers });
  const { result } = http.parse(PointcloudListResponseModel, body, 'pointcloud list');
  return { items: result.data, pagination: result.pagination ?? null };
}

/**
 * `GET /pointclouds/{id}/download` → the 302 `Location` (a presigned storage URL), not followed. The
 * vendor page lists no `fields` parameter for this one, so none is sent.
 */
export function getPointcloudDownload(http: UpstreamHttp, headers: Auth, id: string): Promise<string> {
  return http.redirect({ method: 'GET', path: `${path(id)}/download`, route: 'GET /pointclouds/{id}/download', headers });
}
