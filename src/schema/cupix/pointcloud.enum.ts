import { registerEnumType } from 'type-graphql';

export enum PointcloudKind {
  GROUP = 'GROUP',
  SUB = 'SUB',
}
registerEnumType(PointcloudKind, {
  name: 'PointcloudKind',
  description: 'Whether a point cloud is a group (the parent, one per cluster) or a sub (a child, one per pano or scan).',
  valuesConfig: {
    GROUP: { description: 'A parent point cloud; it has no file of its own, only children. Cupix `kind: "group"`.' },
    SUB: { description: 'A child point cloud with a downloadable file. Cupix `kind: "sub"`.' },
  },
});

/**
 * One enum for the type of a point cloud and for the `type` filter (the contract names the same
 * enum for both): ALL is a filter value only, UNKNOWN a point cloud's type only
 * (docs/vendors.md, "Cupix: groups and subs").
 */
export enum PointcloudType {
  UPLOADED = 'UPLOADED',
  RECONSTRUCTED = 'RECONSTRUCTED',
  ALL = 'ALL',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(PointcloudType, {
  name: 'PointcloudType',
  description: 'Where a point cloud comes from; as a filter, which ones to list.',
  valuesConfig: {
    UPLOADED: { description: 'An uploaded laser scan. Cupix `pointcloud_type: "uploaded"`.' },
    RECONSTRUCTED: { description: 'Reconstructed by Cupix from captures (a .cpc). Cupix `pointcloud_type: "3d_reconstructed"`.' },
    ALL: { description: 'A filter value only: every type, Cupix `pointcloud_type: "all"` (what no `type` asks too). No point cloud has it as its type.' },
    UNKNOWN: {
      description:
        'A point cloud whose Cupix `pointcloud_type` is not one the docs list (the item is kept, not an error). Not a filter value: BAD_USER_INPUT in `PointcloudFilter.type`.',
    },
  },
});
