import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../common/connection.type.js';
import { Job } from '../common/job.type.js';
import { JSONScalar } from '../common/scalars.js';
import { ProcessingStatus, ReviewStatus } from './mapflow.enum.js';
import { WorkflowDef } from './workflow-def.type.js';

@ObjectType({ description: 'A map tile layer served by Mapflow (results or imagery).' })
export class TileLayer {
  @Field(() => ID, { nullable: true, description: 'The layer id.' })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'The layer name.' })
  name?: string | null;

  @Field(() => String, { description: 'A tile URL template ({z}/{x}/{y}).' })
  tileUrl!: string;

  @Field(() => String, { nullable: true, description: 'The TileJSON URL of the layer.' })
  tileJsonUrl?: string | null;
}

@ObjectType({ description: 'A message a processing or AOI reports, typically why it failed.' })
export class ProcessingMessage {
  @Field(() => String, { description: 'The documented error code, e.g. "source-validator.PixelSizeTooHigh".' })
  code!: string;

  @Field(() => JSONScalar, { nullable: true, description: 'The parameters of the message, as the vendor sent them.' })
  parameters?: Record<string, unknown> | null;

  @Field(() => String, {
    nullable: true,
    description: "The human text from Mapflow's documented error table, with the parameters filled in; null for an undocumented code.",
  })
  description?: string | null;
}

@ObjectType({ description: 'A model option as set on one processing.' })
export class ProcessingBlock {
  @Field(() => String, { description: 'The option name.' })
  name!: string;

  @Field(() => Boolean, { description: 'True when the option ran.' })
  enabled!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "The option's label (`blocks[].description` of the model in the v2 API, `displayName` in the account's models).",
  })
  displayName?: string | null;
}

@ObjectType({ description: 'How the customer rated the results of a processing.' })
export class ProcessingRating {
  @Field(() => String, { nullable: true, description: 'The rating as Mapflow sends it (1..5; the API reference types it as a string).' })
  rating?: string | null;

  @Field(() => String, { nullable: true, description: "The customer's comment." })
  feedback?: string | null;
}

@Directive('@key(fields: "id")')
@Directive('@shareable') // the Job fields are resolved by the `jobs` subgraph too: see JOB_SHAREABLE in job.type.ts
@ObjectType({ implements: Job, description: 'A Mapflow processing: one model run over one area (one or more AOIs).' })
export class Processing extends Job {
  /** Picks this type in `Job` lists. */
  __typename!: 'Processing';

  /** The project it belongs to (resolved by `project`). */
  projectId!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the processing was created.' })
  createdAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'The processing name.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Free text about the processing.' })
  description?: string | null;

  @Field(() => ProcessingStatus, { description: "Mapflow's status (`state` is the same in the common lifecycle)." })
  status!: ProcessingStatus;

  @Field(() => ReviewStatus, { nullable: true, description: 'Review status, when the review workflow is on.' })
  reviewStatus?: ReviewStatus | null;

  @Field(() => ProcessingRating, { nullable: true, description: "The customer's rating of the results; null when not rated." })
  rating?: ProcessingRating | null;

  @Field(() => Float, { description: 'Progress, 0..100.' })
  percentCompleted!: number;

  @Field(() => WorkflowDef, { nullable: true, description: 'The model that runs (comes with the processing: no extra call).' })
  workflowDef?: WorkflowDef | null;

  @Field(() => Int, { nullable: true, description: 'Number of AOIs.' })
  aoiCount?: number | null;

  @Field(() => Float, { nullable: true, description: 'Processed area, in m².' })
  area?: number | null;

  @Field(() => Float, { nullable: true, description: 'Cost in credits.' })
  cost?: number | null;

  @Field(() => TileLayer, { nullable: true, description: 'The vector tiles of the results.' })
  vectorLayer?: TileLayer | null;

  @Field(() => TileLayer, { nullable: true, description: 'The raster tiles of the imagery processed (uploaded imagery only).' })
  rasterLayer?: TileLayer | null;

  @Field(() => JSONScalar, {
    nullable: true,
    description: 'The parameters it was created with (`sourceParams`, `inferenceParams`); secrets such as `rasterPassword` are redacted.',
  })
  params?: unknown;

  @Field(() => [ProcessingBlock], { description: 'The model options as set on this processing.' })
  blocks!: ProcessingBlock[];

  @Field(() => JSONScalar, { nullable: true, description: 'Free key-value metadata given at creation.' })
  meta?: unknown;

  @Field(() => [ProcessingMessage], { description: 'Messages, typically why it failed (identical messages of several AOIs appear once).' })
  messages!: ProcessingMessage[];
}

export const { Edge: ProcessingEdge, Connection: ProcessingConnection } = connectionTypes(Processing, 'Processing', 'processing');
