import { Directive, ObjectType } from 'type-graphql';
import { OUTPUT_DATASET_TYPE, OutputDatasetFields } from '../flai/dataset.type.js';
import { POINTCLOUD_CLASSIFICATION_TYPE, PointcloudClassificationFields } from './pointcloud-classification.type.js';

/**
 * `PointcloudClassification` in the `jobs` subgraph (which serves classifications): the same fields,
 * with what the vendor subgraphs own answered so that they complete it (ClassificationVendorRefsResolver):
 * `dataset` an entity reference (src/schema/jobs/entity-refs.type.ts), `pointcloud` and
 * `flowExecution` the job stubs (src/schema/jobs/job-stubs.type.ts), `outputDatasets` the value
 * type below. The unified server's is `PointcloudClassification` (pointcloud-classification.type.ts).
 */
@Directive('@key(fields: "id")')
@Directive('@shareable') // like every job type: see JOB_SHAREABLE in job.type.ts
@ObjectType('PointcloudClassification', POINTCLOUD_CLASSIFICATION_TYPE)
export class PointcloudClassificationWithRefs extends PointcloudClassificationFields {}

/** `OutputDataset` in the `jobs` subgraph: the same fields, `dataset` a reference the flai subgraph completes (see OutputDatasetFields). */
@Directive('@shareable') // the flai subgraph returns it too
@ObjectType('OutputDataset', OUTPUT_DATASET_TYPE)
export class OutputDatasetWithRefs extends OutputDatasetFields {}
