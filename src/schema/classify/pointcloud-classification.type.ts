import { Directive, Field, Float, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Job } from '../common/job.type.js';
import { JSONScalar } from '../common/scalars.js';

export enum ClassificationStage {
  TRANSFERRING = 'TRANSFERRING',
  IMPORTING = 'IMPORTING',
  CLASSIFYING = 'CLASSIFYING',
  DONE = 'DONE',
}
registerEnumType(ClassificationStage, {
  name: 'ClassificationStage',
  description: 'Where a point-cloud classification stands; a FAILED or CANCELLED job keeps the stage it ended in.',
  valuesConfig: {
    TRANSFERRING: { description: "The Cupix download streaming into a Flai direct upload, 8 MB chunk by chunk (`transferredBytes` of `totalBytes`)." },
    IMPORTING: { description: 'Flai making the dataset from the upload (`upload_storage_tmp`).' },
    CLASSIFYING: { description: "The Flai flow execution running, its reader node set to the dataset (`flowExecution`)." },
    DONE: { description: 'The flow execution finished: `outputDatasets` hold the classified results.' },
  },
});

@InputType('ClassifyPointcloudInput', { description: 'A Cupix point cloud to classify with a Flai flow; everything is checked before anything starts.' })
export class ClassifyPointcloudInput {
  @Field(() => ID, { description: 'A Cupix SUB point cloud the caller can read and whose file is ready (a GROUP is BAD_USER_INPUT: classify its subs).' })
  pointcloudId!: string;

  @Field(() => ID, { description: "A Flai template flow (`flowTemplates`) of the caller's organization with exactly one point-cloud reader node." })
  flowId!: string;

  @Field(() => String, { nullable: true, description: 'The name of the Flai dataset made from the scan; the point cloud’s name when absent.' })
  datasetName?: string | null;

  @Field(() => JSONScalar, {
    nullable: true,
    description: "Options of the flow's other nodes, as in `runFlowTemplate` (`{ \"<flow node key>\": { ...options } }`); the reader's `dataset_id` is set by the gateway and may not be given.",
  })
  nodeOptions?: unknown;

  @Field(() => String, { nullable: true, description: 'The same key (for the same caller) returns the same job instead of starting another. 1 to 64 letters, digits, `.`, `_`, `:` or `-`.' })
  idempotencyKey?: string | null;
}

/** The GraphQL type `PointcloudClassification`, as both of its classes declare it (this file's, and `PointcloudClassificationWithRefs`). */
export const POINTCLOUD_CLASSIFICATION_TYPE = {
  implements: Job,
  description:
    'A Cupix point cloud classified by a Flai flow, run by the gateway (source GATEWAY): TRANSFERRING, IMPORTING, CLASSIFYING, then DONE. It belongs to the Flai and Cupix credentials that started it; anyone else gets null or NOT_FOUND.',
};

/**
 * The fields of a classification, and its domain object. Two classes make it the GraphQL type
 * `PointcloudClassification`: the one below (the unified server: its point cloud, dataset,
 * execution and outputs loaded from the vendors) and `PointcloudClassificationWithRefs`
 * (classification-refs.type.ts; the `jobs` subgraph: what the vendor subgraphs own, as references
 * and stubs they complete). As with UploadFields, each variant of those field resolvers needs a
 * class of its own; no schema reaches this one by its own name.
 */
@ObjectType()
export abstract class PointcloudClassificationFields extends Job {
  /** Picks this type in `Job.resolveType`. */
  __typename!: 'PointcloudClassification';

  @Field(() => Date, { nullable: true, description: 'When the job was started.' })
  createdAt?: Date | null;

  @Field(() => ClassificationStage, { description: 'The stage it is in, or ended in.' })
  stage!: ClassificationStage;

  /** The Cupix point cloud, the Flai dataset and execution: field resolvers load them by these ids. */
  pointcloudId!: string;
  datasetId?: string | null;
  flowExecutionId?: string | null;

  @Field(() => Float, { nullable: true, description: "The point cloud file's size in bytes, once Cupix's storage told it (Content-Length)." })
  totalBytes?: number | null;

  @Field(() => Float, { description: 'Bytes Flai has acknowledged so far (whole chunks, then the last one).' })
  transferredBytes!: number;

  @Field(() => String, { nullable: true, description: 'Why it failed or was cancelled, in words; never a secret.' })
  error?: string | null;
}

@Directive('@key(fields: "id")')
@Directive('@shareable') // like every job type: see JOB_SHAREABLE in job.type.ts
@ObjectType('PointcloudClassification', POINTCLOUD_CLASSIFICATION_TYPE)
export class PointcloudClassification extends PointcloudClassificationFields {}
