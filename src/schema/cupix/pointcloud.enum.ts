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

export enum PointcloudType {
  UPLOADED = 'UPLOADED',
  RECONSTRUCTED = 'RECONSTRUCTED',
}
registerEnumType(PointcloudType, {
  name: 'PointcloudType',
  description: 'Where a point cloud comes from.',
  valuesConfig: {
    UPLOADED: { description: 'An uploaded laser scan. Cupix `pointcloud_type: "uploaded"`.' },
    RECONSTRUCTED: { description: 'Reconstructed by Cupix from captures (a .cpc). Cupix `pointcloud_type: "3d_reconstructed"`.' },
  },
});
