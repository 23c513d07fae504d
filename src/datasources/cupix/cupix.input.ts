import { PointcloudType, type PointcloudKind } from '../../schema/cupix/pointcloud.enum.js';
import type { PointcloudListQuery } from './cupix.client.js';

/** `pointclouds(filter:)` as the resolver hands it over. */
export interface PointcloudFilterArgs {
  recordId?: string | null;
  clusterId?: string | null;
  captureId?: string | null;
  parentId?: string | null;
  type?: PointcloudType | null;
  kind?: PointcloudKind | null;
}

/** The filter as `GET /pointclouds` query parameters; `kind` is not one of them (the vendor cannot filter by it). */
export function toPointcloudListQuery(filter: PointcloudFilterArgs | null | undefined): Omit<PointcloudListQuery, 'page' | 'per_page'> {
  return {
    record_id: filter?.recordId ?? undefined,
    cluster_id: filter?.clusterId ?? undefined,
    capture_id: filter?.captureId ?? undefined,
    parent_id: filter?.parentId ?? undefined,
    // Every vendor example passes a type; `all` is the documented "both" (docs/vendors.md, "Cupix: pagination").
    pointcloud_type: filter?.type ? toPointcloudType(filter.type) : 'all',
  };
}

function toPointcloudType(type: PointcloudType): 'uploaded' | '3d_reconstructed' {
  return type === PointcloudType.UPLOADED ? 'uploaded' : '3d_reconstructed';
}
