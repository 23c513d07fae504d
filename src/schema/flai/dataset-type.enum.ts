import { registerEnumType } from 'type-graphql';

/**
 * Flai's `dataset_type_key` values (the SDK CLI validates exactly these four), and UNKNOWN for a
 * value the docs do not list (docs/vendors.md, "Flai: dataset import").
 */
export enum DatasetType {
  POINTCLOUD = 'POINTCLOUD',
  VECTOR = 'VECTOR',
  RASTER = 'RASTER',
  IMAGE = 'IMAGE',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(DatasetType, {
  name: 'DatasetType',
  description: 'What kind of data a Flai dataset holds.',
  valuesConfig: {
    POINTCLOUD: { description: 'A point cloud (LAS/LAZ tiles).' },
    VECTOR: { description: 'Vector features.' },
    RASTER: { description: 'A raster (GeoTIFF).' },
    IMAGE: { description: 'Images.' },
    UNKNOWN: {
      description:
        'A `dataset_type_key` the Flai docs do not list (a kind added after this gateway was written): the dataset is still listed, never an error. Not accepted by `createDataset`.',
    },
  },
});
