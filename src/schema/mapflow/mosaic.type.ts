import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { GeoJSONScalar } from '../common/scalars.js';

@ObjectType({ description: "The account's Mapflow storage for uploaded imagery (`GET /rasters/memory`), in bytes and pixels." })
export class MapflowStorage {
  @Field(() => Float, { nullable: true, description: 'Storage size, in bytes.' })
  memoryLimit?: number | null;

  @Field(() => Float, { nullable: true, description: 'Storage used, in bytes.' })
  memoryUsed?: number | null;

  @Field(() => Float, { nullable: true, description: 'Storage free, in bytes.' })
  memoryFree?: number | null;

  @Field(() => Float, { nullable: true, description: 'The largest file one upload may be, in bytes.' })
  maxUploadFileSize?: number | null;

  @Field(() => Float, { nullable: true, description: 'The most pixels one image may have.' })
  maxPixelCount?: number | null;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'An image of a mosaic in Mapflow storage (a GeoTIFF the user uploaded or linked).' })
export class MapflowImage {
  @Field(() => ID, { description: 'The image id (what `sourceParams.myImagery.imageIds` takes).' })
  id!: string;

  @Field(() => ID, { description: 'The mosaic it belongs to.' })
  mosaicId!: string;

  @Field(() => String, { nullable: true, description: 'The file name it was uploaded with.' })
  filename?: string | null;

  @Field(() => Float, { nullable: true, description: 'File size, in bytes.' })
  fileSize?: number | null;

  @Field(() => Date, { nullable: true, description: 'When it was uploaded.' })
  uploadedAt?: Date | null;

  @Field(() => GeoJSONScalar, { nullable: true, description: "Where the image lies (GeoJSON, lon/lat; Mapflow's WKT, converted)." })
  footprint?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'The s3:// link of the file (usable as a user-defined LOCAL source).' })
  imageUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'A preview picture (1024 px).' })
  previewUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'The CRS, e.g. "EPSG:3857".' })
  crs?: string | null;

  @Field(() => Int, { nullable: true, description: 'Number of bands.' })
  bandCount?: number | null;

  @Field(() => Int, { nullable: true, description: 'Width, in pixels.' })
  width?: number | null;

  @Field(() => Int, { nullable: true, description: 'Height, in pixels.' })
  height?: number | null;

  @Field(() => [Float], { nullable: true, description: 'Pixel size [x, y], in CRS units.' })
  pixelSize?: number[] | null;

  @Field(() => String, { nullable: true, description: "SHA-1 of the file's bytes." })
  checksum?: string | null;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: "A mosaic of the user's own imagery in Mapflow storage; process it with `sourceParams.myImagery.mosaicId`." })
export class Mosaic {
  @Field(() => ID, { description: 'The mosaic id.' })
  id!: string;

  @Field(() => String, { description: 'The mosaic name.' })
  name!: string;

  @Field(() => [String], { description: 'Its tags.' })
  tags!: string[];

  @Field(() => Date, { nullable: true, description: 'When it was created.' })
  createdAt?: Date | null;

  @Field(() => GeoJSONScalar, { nullable: true, description: 'Where its images lie (GeoJSON, lon/lat); null while it has none.' })
  footprint?: Record<string, unknown> | null;

  @Field(() => Float, { nullable: true, description: 'Size of all its images, in bytes.' })
  sizeInBytes?: number | null;

  @Field(() => String, { nullable: true, description: 'A raster tile URL template of the mosaic.' })
  tileUrl?: string | null;
}
