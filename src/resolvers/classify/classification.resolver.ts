import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import { OutputDatasetWithRefs, PointcloudClassificationWithRefs } from '../../schema/classify/classification-refs.type.js';
import { ClassifyPointcloudInput, PointcloudClassification, type PointcloudClassificationFields } from '../../schema/classify/pointcloud-classification.type.js';
import type { JobFields } from '../../schema/common/job.type.js';
import { JobState } from '../../schema/common/job.type.js';
import { Pointcloud } from '../../schema/cupix/pointcloud.type.js';
import { Dataset, OUTPUT_DATASET_DATASET, OutputDataset } from '../../schema/flai/dataset.type.js';
import { FlowExecution } from '../../schema/flai/flow-execution.type.js';
import { DatasetRef } from '../../schema/jobs/entity-refs.type.js';
import { jobStubs } from '../../schema/jobs/job-stubs.type.js';
import { jobOf } from '../../status/events.js';
import type { StatusEvent } from '../../status/watch-types.js';

type ById = SubscribeResolverData<unknown, { id: string }, GatewayContext>;

/**
 * The root fields of point-cloud classifications (docs/architecture.md, "Classifying a Cupix point
 * cloud with a Flai flow"), for one class of the `PointcloudClassification` type: the unified
 * server's, or the `jobs` subgraph's `PointcloudClassificationWithRefs` (see
 * PointcloudClassificationFields). The same resolvers either way.
 */
function classificationRootResolvers(ClassificationType: abstract new () => PointcloudClassificationFields) {
  @Resolver(() => ClassificationType)
  class ClassificationResolver {
    @Query(() => ClassificationType, { nullable: true, description: "One of the caller's classifications; null when it does not exist or was started with other credentials." })
    pointcloudClassification(@Arg('id', () => ID, { description: 'The classification id.' }) id: string, @Ctx() ctx: GatewayContext) {
      return ctx.services.classifications.getClassification(id);
    }

    @Mutation(() => ClassificationType, {
      description:
        "Classifies a Cupix point cloud with a Flai flow, as one job the gateway runs: checks first (a SUB the caller's Cupix credential reads, a flow of the caller's Flai organization with one point-cloud reader, both credentials), then streams the download into a Flai upload (TRANSFERRING), makes the dataset (IMPORTING), runs the flow on it (CLASSIFYING) and follows it to DONE. Follow it with `pointcloudClassificationUpdated` or `jobsUpdated`.",
    })
    classifyPointcloud(@Arg('input', () => ClassifyPointcloudInput, { description: 'The point cloud, the flow and the options.' }) input: ClassifyPointcloudInput, @Ctx() ctx: GatewayContext) {
      return ctx.services.classifications.classifyPointcloud(input);
    }

    @Mutation(() => ClassificationType, {
      description:
        'Cancels a classification that has not ended: the transfer stops at once and its Flai upload session is never made into a dataset (Flai documents no way to discard a session; it drops it). Flai documents no way to stop a flow execution either: one already started runs to its end at Flai, and the gateway stops following it. NOT_FOUND for a job of other credentials.',
    })
    cancelPointcloudClassification(@Arg('id', () => ID, { description: 'The classification id.' }) id: string, @Ctx() ctx: GatewayContext) {
      return ctx.services.classifications.cancelClassification(id);
    }
  }

  @Resolver()
  class ClassificationUpdatesResolver {
    @Subscription(() => ClassificationType, {
      description:
        'A classification as it changes: the current state first, then each change of stage, state or transferred bytes; completes after a terminal state. NOT_FOUND at once when it does not exist or was started with other credentials.',
      subscribe: ({ args, context }: ById) => context.status.watch([{ kind: 'PointcloudClassification', id: args.id }], context.connection),
    })
    pointcloudClassificationUpdated(@Root() event: StatusEvent, @Arg('id', () => ID, { description: 'The classification id.' }) _id: string): JobFields {
      return jobOf(event);
    }
  }

  return { ClassificationResolver, ClassificationUpdatesResolver };
}

/** The unified server's. */
export const { ClassificationResolver, ClassificationUpdatesResolver } = classificationRootResolvers(PointcloudClassification);
/** The `jobs` subgraph's. */
export const { ClassificationResolver: ClassificationJobsSubgraphResolver, ClassificationUpdatesResolver: ClassificationJobsSubgraphUpdatesResolver } =
  classificationRootResolvers(PointcloudClassificationWithRefs);

const LINKED = {
  pointcloud: { nullable: true, description: 'The Cupix point cloud classified.' },
  dataset: { nullable: true, description: 'The Flai dataset made from the point cloud, once Flai made it.' },
  flowExecution: { nullable: true, description: 'The Flai flow execution, once the flow runs.' },
  outputDatasets: { description: "The classified results (the flow execution's output datasets), once the job SUCCEEDED; empty before." },
} as const;

/** The flow execution's outputs once the job SUCCEEDED, else none (one call, shared with `flowExecution` in the request). */
async function outputsOf(job: PointcloudClassificationFields, ctx: GatewayContext): Promise<OutputDataset[]> {
  if (job.state !== JobState.SUCCEEDED || !job.flowExecutionId) return [];
  const execution = await ctx.services.flai.getFlowExecution(job.flowExecutionId);
  return execution?.outputDatasets ?? [];
}

/** What a classification works on and makes, loaded from the vendors: the unified server, which has every vendor's types. */
@Resolver(() => PointcloudClassification)
export class ClassificationVendorResolver {
  @FieldResolver(() => Pointcloud, LINKED.pointcloud)
  pointcloud(@Root() job: PointcloudClassification, @Ctx() ctx: GatewayContext) {
    return ctx.services.cupix.getPointcloud(job.pointcloudId);
  }

  @FieldResolver(() => Dataset, LINKED.dataset)
  dataset(@Root() job: PointcloudClassification, @Ctx() ctx: GatewayContext) {
    return job.datasetId ? ctx.services.flai.getDataset(job.datasetId) : null;
  }

  @FieldResolver(() => FlowExecution, LINKED.flowExecution)
  flowExecution(@Root() job: PointcloudClassification, @Ctx() ctx: GatewayContext) {
    return job.flowExecutionId ? ctx.services.flai.getFlowExecution(job.flowExecutionId) : null;
  }

  @FieldResolver(() => [OutputDataset], LINKED.outputDatasets)
  outputDatasets(@Root() job: PointcloudClassification, @Ctx() ctx: GatewayContext): Promise<OutputDataset[]> {
    return outputsOf(job, ctx);
  }
}

/**
 * What a classification works on and makes, as the `jobs` subgraph answers it (classification-refs.type.ts),
 * for the vendor subgraphs to complete. `dataset` is a `{ id }` reference: the flai subgraph loads
 * it (null once gone, as on the unified server). `pointcloud` and `flowExecution` are the job stubs,
 * whose Job fields this subgraph resolves itself (JOB_SHAREABLE), so they are loaded here as on the
 * unified server (null for one the caller cannot read); the cupix and flai subgraphs complete the rest.
 */
@Resolver(() => PointcloudClassificationWithRefs)
export class ClassificationVendorRefsResolver {
  @FieldResolver(() => jobStubs.Pointcloud, LINKED.pointcloud)
  pointcloud(@Root() job: PointcloudClassificationWithRefs, @Ctx() ctx: GatewayContext) {
    return ctx.services.cupix.getPointcloud(job.pointcloudId);
  }

  @FieldResolver(() => DatasetRef, LINKED.dataset)
  dataset(@Root() job: PointcloudClassificationWithRefs) {
    return job.datasetId ? { id: job.datasetId } : null;
  }

  @FieldResolver(() => jobStubs.FlowExecution, LINKED.flowExecution)
  flowExecution(@Root() job: PointcloudClassificationWithRefs, @Ctx() ctx: GatewayContext) {
    return job.flowExecutionId ? ctx.services.flai.getFlowExecution(job.flowExecutionId) : null;
  }

  @FieldResolver(() => [OutputDatasetWithRefs], LINKED.outputDatasets)
  outputDatasets(@Root() job: PointcloudClassificationWithRefs, @Ctx() ctx: GatewayContext): Promise<OutputDataset[]> {
    return outputsOf(job, ctx);
  }
}

/** `OutputDataset.dataset` in the `jobs` subgraph: a reference the flai subgraph completes (null once deleted, as its own OutputDatasetResolver answers). */
@Resolver(() => OutputDatasetWithRefs)
export class OutputDatasetRefsResolver {
  @FieldResolver(() => DatasetRef, OUTPUT_DATASET_DATASET)
  dataset(@Root() output: OutputDatasetWithRefs) {
    return { id: output.datasetId };
  }
}
