import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { GeoJSONScalar } from '../common/scalars.js';
import { ProcessingStatus } from './mapflow.enum.js';
import { ProcessingMessage } from './processing.type.js';

// An AOI id is only known with its processing (AOIs are listed per processing), so both form the key.
@Directive('@key(fields: "id processingId")')
@ObjectType({ description: 'One area of interest of a processing (a MultiPolygon is split into one AOI per polygon).' })
export class Aoi {
  @Field(() => ID, { description: 'The AOI id.' })
  id!: string;

  @Field(() => ID, { description: 'The processing it belongs to.' })
  processingId!: string;

  @Field(() => ProcessingStatus, { description: 'Status of this AOI.' })
  status!: ProcessingStatus;

  @Field(() => Float, { description: 'Progress of this AOI, 0..100.' })
  percentCompleted!: number;

  @Field(() => GeoJSONScalar, { description: 'The AOI polygon (GeoJSON, lon/lat).' })
  geometry!: Record<string, unknown>;

  @Field(() => Float, { nullable: true, description: 'Area of the AOI, in m².' })
  area?: number | null;

  @Field(() => [ProcessingMessage], { description: 'Messages of this AOI, typically why it failed.' })
  messages!: ProcessingMessage[];
}
