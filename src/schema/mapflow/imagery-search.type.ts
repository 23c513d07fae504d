import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GeoJSONScalar } from '../common/scalars.js';
import { PageInfo } from '../common/page-info.type.js';

@InputType({ description: "A search of Mapflow's imagery catalogue (`POST /catalog/meta`); every filter is optional but the AOI." })
export class ImagerySearchInput {
  @Field(() => GeoJSONScalar, { description: 'The area to cover: a Polygon or MultiPolygon, lon/lat.' })
  aoi!: Record<string, unknown>;

  @Field(() => Date, { nullable: true, description: 'Acquired at or after.' })
  acquisitionDateFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Acquired at or before.' })
  acquisitionDateTo?: Date | null;

  @Field(() => Float, { nullable: true, description: 'Smallest pixel size, in metres.' })
  minResolution?: number | null;

  @Field(() => Float, { nullable: true, description: 'Largest pixel size, in metres.' })
  maxResolution?: number | null;

  @Field(() => Float, { nullable: true, description: 'Largest cloud cover, 0..1.' })
  maxCloudCover?: number | null;

  @Field(() => Float, { nullable: true, description: 'Smallest off-nadir angle, in degrees.' })
  minOffNadirAngle?: number | null;

  @Field(() => Float, { nullable: true, description: 'Largest off-nadir angle, in degrees.' })
  maxOffNadirAngle?: number | null;

  @Field(() => Float, { nullable: true, description: 'Least share of the AOI a scene must cover, 0..100.' })
  minAoiIntersectionPercent?: number | null;

  @Field(() => [String], { nullable: true, description: 'Only these providers, e.g. "orbview".' })
  dataProviders?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Only these product types: Scene, Mosaic.' })
  productTypes?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Page size (default 20, at most 100).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts (`pageInfo.endCursor`).' })
  after?: string | null;
}

@ObjectType({ description: 'A scene of the imagery catalogue; process it with `sourceParams.imagerySearch` (its `providerName` and `id`).' })
export class ImagerySearchResult {
  @Field(() => ID, { description: 'The scene id (what `ImagerySearchSourceInput.imageIds` takes).' })
  id!: string;

  @Field(() => GeoJSONScalar, { nullable: true, description: 'Where the scene lies (GeoJSON, lon/lat).' })
  footprint?: Record<string, unknown> | null;

  @Field(() => Float, { nullable: true, description: 'Pixel size, in metres.' })
  pixelResolution?: number | null;

  @Field(() => Date, { nullable: true, description: 'When it was acquired.' })
  acquisitionDate?: Date | null;

  @Field(() => String, { nullable: true, description: 'Scene or Mosaic.' })
  productType?: string | null;

  @Field(() => String, { nullable: true, description: 'The sensor, e.g. "WV03".' })
  sensor?: string | null;

  @Field(() => Float, { nullable: true, description: 'Cloud cover, 0..1.' })
  cloudCover?: number | null;

  @Field(() => Float, { nullable: true, description: 'Off-nadir angle, in degrees.' })
  offNadirAngle?: number | null;

  @Field(() => String, { nullable: true, description: 'A preview picture.' })
  previewUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'The provider (what `ImagerySearchSourceInput.dataProvider` takes).' })
  providerName?: string | null;
}

@ObjectType({ description: 'One scene in a page, with its cursor.' })
export class ImagerySearchResultEdge {
  @Field(() => String, { description: 'Opaque cursor of this scene; pass it as `after` to continue after it.' })
  cursor!: string;

  @Field(() => ImagerySearchResult, { description: 'The scene.' })
  node!: ImagerySearchResult;
}

@ObjectType({ description: 'A page of catalogue scenes. The catalogue gives no total, so there is no `totalCount`.' })
export class ImagerySearchResultConnection {
  @Field(() => [ImagerySearchResultEdge], { description: 'The scenes of the page with their cursors.' })
  edges!: ImagerySearchResultEdge[];

  @Field(() => [ImagerySearchResult], { description: 'The scenes of the page, without cursors.' })
  nodes!: ImagerySearchResult[];

  @Field(() => PageInfo, { description: 'Where this page is (`hasNextPage` from asking one scene more).' })
  pageInfo!: PageInfo;
}
