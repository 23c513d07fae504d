import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../common/connection.type.js';
import { DatasetType } from './dataset-type.enum.js';

@Directive('@key(fields: "id")')
@ObjectType('Dataset', { description: 'A Flai dataset: a point cloud, vector, raster or image collection in the organization.' })
export class Dataset {
  @Field(() => ID, { description: 'The Flai dataset id (UUID).' })
  id!: string;

  @Field(() => String, { description: "The dataset name (`dataset_name`), without the idempotency key mark a keyed `runFlowTemplate` gives its outputs' names." })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Free-text description, without the idempotency key mark a keyed `createDataset` keeps there.' })
  description?: string | null;

  @Field(() => DatasetType, { description: 'What kind of data it holds, mapped from `dataset_type_key` (kept as sent in `typeKey`); a value Flai does not document reads as UNKNOWN.' })
  type!: DatasetType;

  @Field(() => String, { description: 'The vendor\'s `dataset_type_key` as sent, e.g. `pointcloud`, or `mesh` where `type` is UNKNOWN.' })
  typeKey!: string;

  @Field(() => String, { nullable: true, description: "The vendor's dataset status, e.g. `created`, `processing`, `ready`, `failed`." })
  status?: string | null;

  @Field(() => Int, { nullable: true, description: 'EPSG code of the coordinate system.' })
  srid?: number | null;

  @Field(() => String, { nullable: true, description: 'Length unit: `m`, `ft`, `us-ft` or `deg`.' })
  unit?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'True when the dataset is public.' })
  isPublic?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'True when the point cloud carries annotations (classification labels).' })
  isAnnotated?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Access mode: `r`, `w` or `rw`.' })
  readWriteMode?: string | null;

  @Field(() => Float, { nullable: true, description: 'Size of the data in gigabytes.' })
  sizeInGb?: number | null;

  @Field(() => Date, { nullable: true, description: 'When the dataset was created.' })
  createdAt?: Date | null;

  /**
   * Not a GraphQL field: true when Flai imported the dataset from FTP/S3/upload (`import_datasource`
   * set), so no flow execution wrote it and `producedBy` is null without any call.
   */
  imported!: boolean;
}

export const { Edge: DatasetEdge, Connection: DatasetConnection } = connectionTypes(Dataset, 'Dataset', 'dataset');

/** The GraphQL type `OutputDataset`, as both of its classes declare it (`OutputDataset` below, and `OutputDatasetWithRefs`). */
export const OUTPUT_DATASET_TYPE = { description: 'A dataset a flow execution writes (one per writer node), as the execution reports it.' };

/** `OutputDataset.dataset`, on either class. */
export const OUTPUT_DATASET_DATASET = { nullable: true, description: 'The written dataset itself (one call per dataset, deduplicated per request); null once deleted.' } as const;

/**
 * The fields of an OutputDataset, and its domain object. A value type (no key) that two subgraphs
 * return: the flai subgraph (`FlowExecution.outputDatasets`) and the `jobs` subgraph
 * (`PointcloudClassification.outputDatasets`), so it is `@shareable` in both. They differ in
 * `dataset`: loaded from Flai here (`OutputDataset`, OutputDatasetResolver), an entity reference in
 * the `jobs` subgraph (`OutputDatasetWithRefs`, classification-refs.type.ts); type-graphql keeps a
 * field resolver's field on its class, so each needs a class of its own (as UploadFields explains).
 * No schema reaches this one by its own name.
 */
@ObjectType()
export abstract class OutputDatasetFields {
  @Field(() => ID, { description: 'The id of the written dataset.' })
  datasetId!: string;

  @Field(() => String, { description: 'The name of the written dataset, without the idempotency key mark of a keyed `runFlowTemplate`.' })
  name!: string;

  @Field(() => String, { description: "The written dataset's status as the execution reports it, e.g. `created`, `ready`." })
  status!: string;

  @Field(() => Float, { nullable: true, description: 'Size of the written data in gigabytes (0 until written).' })
  sizeInGb?: number | null;

  @Field(() => Date, { nullable: true, description: 'When the output was registered.' })
  createdAt?: Date | null;

  /** Not a GraphQL field: the execution that writes it (so `dataset.producedBy` costs nothing). */
  flowExecutionId!: string;
}

@Directive('@shareable') // the `jobs` subgraph returns it too (see OutputDatasetFields)
@ObjectType('OutputDataset', OUTPUT_DATASET_TYPE)
export class OutputDataset extends OutputDatasetFields {}
