import { Field, ID, InputType } from 'type-graphql';
import { GeoJSONScalar, JSONScalar } from '../common/scalars.js';
import { BlockOptionInput } from './processing.input.js';
import { SourceParamsInput } from './source-params.input.js';

@InputType({ description: 'One processing per feature of a FeatureCollection (the bulk-processing guide, done by the gateway).' })
export class CreateProcessingsInput {
  @Field(() => ID, { nullable: true, description: 'The project; the default project when absent.' })
  projectId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The model id. Give exactly one of workflowDefId and workflowDefName.' })
  workflowDefId?: string | null;

  @Field(() => String, { nullable: true, description: 'The model name. Give exactly one of workflowDefId and workflowDefName.' })
  workflowDefName?: string | null;

  @Field(() => GeoJSONScalar, { description: 'A FeatureCollection of Polygon / MultiPolygon features; each is checked on its own.' })
  features!: unknown;

  @Field(() => String, { nullable: true, description: 'The feature property that names each processing; default "name". A feature without it is named "Feature <index>".' })
  nameProperty?: string | null;

  @Field(() => SourceParamsInput, { nullable: true, description: 'The imagery, for every processing.' })
  sourceParams?: SourceParamsInput | null;

  @Field(() => [BlockOptionInput], { nullable: true, description: 'Model options, for every processing.' })
  blocks?: BlockOptionInput[] | null;

  @Field(() => JSONScalar, { nullable: true, description: 'Metadata, for every processing.' })
  meta?: unknown;

  @Field(() => String, {
    nullable: true,
    description:
      'Makes a retry safe: each processing gets the key and its feature index in `meta` (`gatewayIdempotencyKey`, `gatewayFeatureIndex`); a call with a key already used returns the processings made for it and creates only the features that have none yet.',
  })
  idempotencyKey?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Price every feature through the cost endpoint and create nothing.' })
  dryRun?: boolean | null;
}
