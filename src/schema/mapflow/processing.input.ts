import { Field, Float, ID, InputType } from 'type-graphql';
import { GeoJSONScalar, JSONScalar } from '../common/scalars.js';
import { SourceParamsInput } from './source-params.input.js';

@InputType({ description: 'Switches one model option on or off (names in `WorkflowDef.blocks`).' })
export class BlockOptionInput {
  @Field(() => String, { description: 'The option name.' })
  name!: string;

  @Field(() => Boolean, { description: 'True to run the option.' })
  enabled!: boolean;
}

@InputType({ description: 'A new processing: one model over one area.' })
export class CreateProcessingInput {
  @Field(() => String, { nullable: true, description: 'The processing name (the model name when absent).' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Free text about the processing.' })
  description?: string | null;

  @Field(() => ID, { nullable: true, description: 'The project; the default project when absent.' })
  projectId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The model id. Give exactly one of workflowDefId and workflowDefName.' })
  workflowDefId?: string | null;

  @Field(() => String, { nullable: true, description: 'The model name, e.g. "🏠 Buildings". Give exactly one of workflowDefId and workflowDefName.' })
  workflowDefName?: string | null;

  @Field(() => GeoJSONScalar, { description: 'The area: a GeoJSON Polygon or MultiPolygon in lon/lat with closed rings.' })
  geometry!: unknown;

  @Field(() => SourceParamsInput, { nullable: true, description: "The imagery; the vendor's default provider when absent." })
  sourceParams?: SourceParamsInput | null;

  @Field(() => JSONScalar, { nullable: true, description: 'Model-specific parameters (needs `sourceParams`).' })
  inferenceParams?: unknown;

  @Field(() => [BlockOptionInput], { nullable: true, description: 'Model options to switch on or off.' })
  blocks?: BlockOptionInput[] | null;

  @Field(() => JSONScalar, { nullable: true, description: 'Free key-value metadata (a JSON object).' })
  meta?: unknown;

  @Field(() => String, {
    nullable: true,
    description:
      'Makes a retry safe: the key is stamped in the processing\'s `meta` (`gatewayIdempotencyKey`), and a create whose key is already on a processing of the target project returns that processing instead of creating another.',
  })
  idempotencyKey?: string | null;
}

@InputType({ description: 'What to price: a model over an area (a geometry or a size), with imagery and options.' })
export class ProcessingCostInput {
  @Field(() => ID, { description: 'The model id.' })
  workflowDefId!: string;

  @Field(() => GeoJSONScalar, { nullable: true, description: 'The area as a Polygon or MultiPolygon; or give areaSqKm.' })
  geometry?: unknown;

  @Field(() => Float, { nullable: true, description: 'The area in km², when there is no geometry.' })
  areaSqKm?: number | null;

  @Field(() => SourceParamsInput, { nullable: true, description: 'The imagery (providers have their own prices).' })
  sourceParams?: SourceParamsInput | null;

  @Field(() => [BlockOptionInput], { nullable: true, description: 'Model options to switch on or off.' })
  blocks?: BlockOptionInput[] | null;
}

@InputType({ description: 'Changes to a processing; absent fields stay as they are.' })
export class UpdateProcessingInput {
  @Field(() => String, { nullable: true, description: 'The new name (not empty).' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'The new description.' })
  description?: string | null;
}
