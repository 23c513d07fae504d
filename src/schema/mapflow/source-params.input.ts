import { Field, ID, InputType, Int } from 'type-graphql';

@InputType({ description: 'Imagery from a data provider linked to the account (see `account.dataProviders`).' })
export class DataProviderSourceInput {
  @Field(() => String, { description: 'The provider name, e.g. "Mapbox".' })
  providerName!: string;

  @Field(() => Int, { nullable: true, description: 'The zoom level (the model default when absent).' })
  zoom?: number | null;
}

@InputType({ description: 'Imagery uploaded to Mapflow storage: some images, or a whole mosaic.' })
export class MyImagerySourceInput {
  @Field(() => [ID], { nullable: true, description: 'The image ids.' })
  imageIds?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'The mosaic id.' })
  mosaicId?: string | null;
}

@InputType({ description: 'Images found with the imagery search.' })
export class ImagerySearchSourceInput {
  @Field(() => String, { description: 'The imagery provider code, e.g. "orbview".' })
  dataProvider!: string;

  @Field(() => [ID], { description: 'The image ids from the search.' })
  imageIds!: string[];

  @Field(() => Int, { nullable: true, description: 'The zoom level.' })
  zoom?: number | null;
}

@InputType({ description: 'Your own tile server or image.' })
export class UserDefinedSourceInput {
  @Field(() => String, { description: 'XYZ | TMS | QUADKEY | SENTINEL_L2A | LOCAL.' })
  sourceType!: string;

  @Field(() => String, { description: 'The tile URL template (or s3:// link, or Sentinel-2 granule id).' })
  url!: string;

  @Field(() => Int, { nullable: true, description: 'The zoom level.' })
  zoom?: number | null;

  @Field(() => String, { nullable: true, description: 'The CRS, e.g. "EPSG:3857".' })
  crs?: string | null;

  @Field(() => String, { nullable: true, description: 'User name for the tile server.' })
  rasterLogin?: string | null;

  @Field(() => String, { nullable: true, description: 'Password for the tile server. Write-only: never echoed, logged or cached.' })
  rasterPassword?: string | null;
}

@InputType({ description: 'Where the imagery comes from. Exactly one member must be set.' })
export class SourceParamsInput {
  @Field(() => DataProviderSourceInput, { nullable: true, description: 'A linked data provider.' })
  dataProvider?: DataProviderSourceInput | null;

  @Field(() => MyImagerySourceInput, { nullable: true, description: 'Imagery from Mapflow storage.' })
  myImagery?: MyImagerySourceInput | null;

  @Field(() => ImagerySearchSourceInput, { nullable: true, description: 'Imagery search results.' })
  imagerySearch?: ImagerySearchSourceInput | null;

  @Field(() => UserDefinedSourceInput, { nullable: true, description: 'A custom imagery source.' })
  userDefined?: UserDefinedSourceInput | null;
}
