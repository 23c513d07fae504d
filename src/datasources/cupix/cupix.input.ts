import { badInput } from '../../errors.js';
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

/** Our filter values as Cupix `pointcloud_type` values. */
const VENDOR_TYPES: Record<PointcloudType, PointcloudListQuery['pointcloud_type']> = {
  [PointcloudType.UPLOADED]: 'uploaded',
  [PointcloudType.RECONSTRUCTED]: '3d_reconstructed',
  [PointcloudType.ALL]: 'all',
  [PointcloudType.UNKNOWN]: undefined, // refused by toPointcloudListQuery
};

/**
 * The filter as `GET /pointclouds` query parameters; `kind` is not one of them (the vendor cannot
 * filter by it). Type UNKNOWN is BAD_USER_INPUT: it names the types the docs do not list, which no
 * vendor value selects.
 */
export function toPointcloudListQuery(filter: PointcloudFilterArgs | null | undefined): Omit<PointcloudListQuery, 'page' | 'per_page'> {
  if (filter?.type === PointcloudType.UNKNOWN) {
    throw badInput('type UNKNOWN is not a filter value: Cupix filters by uploaded, 3d_reconstructed or all (UPLOADED, RECONSTRUCTED, ALL)', ['filter', 'type']);
  }
  return {
    record_id: filter?.recordId ?? undefined,
    cluster_id: filter?.clusterId ?? undefined,
    capture_id: filter?.captureId ?? undefined,
    parent_id: filter?.parentId ?? undefined,
    // Every vendor example passes a type; `all` is the documented "both" (docs/vendors.md, "Cupix: pagination").
    pointcloud_type: filter?.type ? VENDOR_TYPES[filter.type] : 'all',
  };
}
