import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import { ClassifyPointcloudInput, PointcloudClassification } from '../../schema/classify/pointcloud-classification.type.js';
import type { JobFields } from '../../schema/common/job.type.js';
import { JobState } from '../../schema/common/job.type.js';
import { Pointcloud } from '../../schema/cupix/pointcloud.type.js';
import { Dataset, OutputDataset } from '../../schema/flai/dataset.type.js';
import { FlowExecution } from '../../schema/flai/flow-execution.type.js';
import { jobOf } from '../../status/events.js';
import type { StatusEvent } from '../../status/watch-types.js';

type ById = SubscribeResolverData<unknown, { id: string }, GatewayContext>;

/** Point-cloud classifications (docs/architecture.md, "Classifying a Cupix point cloud with a Flai flow"). */
@Resolver(() => PointcloudClassification)
export class ClassificationResolver {
  @Query(() => PointcloudClassification, { nullable: true, description: "One of the caller's classifications; null when it does not exist or was started with other credentials." })
  pointcloudClassification(@Arg('id', () => ID, { description: 'The classification id.' }) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.classifications.getClassification(id);
  }

  @Mutation(() => PointcloudClassification, {
    description:
      "Classifies a Cupix point cloud with a Flai flow, as one job the gateway runs: checks first (a SUB the caller's Cupix credential reads, a flow of the caller's Flai organization with one point-cloud reader, both credentials), then streams the download into a Flai upload (TRANSFERRING), makes the dataset (IMPORTING), runs the flow on it (CLASSIFYING) and follows it to DONE. Follow it with `pointcloudClassificationUpdated` or `jobsUpdated`.",
  })
  classifyPointcloud(@Arg('input', () => ClassifyPointcloudInput, { description: 'The point cloud, the flow and the options.' }) input: ClassifyPointcloudInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.classifications.classifyPointcloud(input);
  }

  @Mutation(() => PointcloudClassification, {
    description:
      'Cancels a classification that has not ended: the transfer stops at once and its Flai upload session is never made into a dataset (Flai documents no way to discard a session; it drops it). Flai documents no way to stop a flow execution either: one already started runs to its end at Flai, and the gateway stops following it. NOT_FOUND for a job of other credentials.',
  })
  cancelPointcloudClassification(@Arg('id', () => ID, { description: 'The classification id.' }) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.classifications.cancelClassification(id);
  }

  @FieldResolver(() => Pointcloud, { nullable: true, description: 'The Cupix point cloud classified.' })
  pointcloud(@Root() job: PointcloudClassification, @Ctx() ctx: GatewayContext) {
    return ctx.services.cupix.getPointcloud(job.pointcloudId);
  }

  @FieldResolver(() => Dataset, { nullable: true, description: 'The Flai dataset made from the point cloud, once Flai made it.' })
  dataset(@Root() job: PointcloudClassification, @Ctx() ctx: GatewayContext) {
    return job.datasetId ? ctx.services.flai.getDataset(job.datasetId) : null;
  }

  @FieldResolver(() => FlowExecution, { nullable: true, description: 'The Flai flow execution, once the flow runs.' })
  flowExecution(@Root() job: PointcloudClassification, @Ctx() ctx: GatewayContext) {
    return job.flowExecutionId ? ctx.services.flai.getFlowExecution(job.flowExecutionId) : null;
  }

  @FieldResolver(() => [OutputDataset], { description: "The classified results (the flow execution's output datasets), once the job SUCCEEDED; empty before." })
  async outputDatasets(@Root() job: PointcloudClassification, @Ctx() ctx: GatewayContext): Promise<OutputDataset[]> {
    if (job.state !== JobState.SUCCEEDED || !job.flowExecutionId) return [];
    const execution = await ctx.services.flai.getFlowExecution(job.flowExecutionId);
    return execution?.outputDatasets ?? [];
  }
}

@Resolver()
export class ClassificationUpdatesResolver {
  @Subscription(() => PointcloudClassification, {
    description:
      'A classification as it changes: the current state first, then each change of stage, state or transferred bytes; completes after a terminal state. NOT_FOUND at once when it does not exist or was started with other credentials.',
    subscribe: ({ args, context }: ById) => context.status.watch([{ kind: 'PointcloudClassification', id: args.id }], context.connection),
  })
  pointcloudClassificationUpdated(@Root() event: StatusEvent, @Arg('id', () => ID, { description: 'The classification id.' }) _id: string): JobFields {
    return jobOf(event);
  }
}
