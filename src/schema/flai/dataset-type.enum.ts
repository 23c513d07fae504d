import { registerEnumType } from 'type-graphql';

/** Flai's `dataset_type_key` values (the SDK CLI validates exactly these four). */
export enum DatasetType {
  POINTCLOUD = 'POINTCLOUD',
  VECTOR = 'VECTOR',
  RASTER = 'RASTER',
  IMAGE = 'IMAGE',
}

registerEnumType(DatasetType, {
  name: 'DatasetType',
  description: 'What kind of data a Flai dataset holds.',
  valuesConfig: {
    POINTCLOUD: { description: 'A point cloud (LAS/LAZ tiles).' },
    VECTOR: { description: 'Vector features.' },
    RASTER: { description: 'A raster (GeoTIFF).' },
    IMAGE: { description: 'Images.' },
  },
});
