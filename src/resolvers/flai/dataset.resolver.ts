import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import { CreateDatasetInput } from '../../schema/flai/create-dataset.input.js';
import { Dataset, DatasetConnection } from '../../schema/flai/dataset.type.js';
import { FlowExecution } from '../../schema/flai/flow-execution.type.js';

@Resolver(() => Dataset)
export class DatasetResolver {
  @Query(() => Dataset, { nullable: true, description: 'One Flai dataset; null when it does not exist.' })
  dataset(@Arg('id', () => ID, { description: 'The dataset id.' }) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.flai.getDataset(id);
  }

  @Query(() => DatasetConnection, { nullable: true, description: "The organization's Flai datasets, newest first." })
  datasets(
    @Arg('first', () => Int, { nullable: true, description: 'Page size (default 20, at most 100).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after (`pageInfo.endCursor`).' }) after: string | null,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.flai.listDatasets(first, after);
  }

  @Mutation(() => Dataset, {
    description: 'Creates a Flai dataset imported from FTP or S3. The credentials are passed to Flai only: never stored, logged or returned.',
  })
  createDataset(@Arg('input', () => CreateDatasetInput, { description: 'The dataset and where to import it from.' }) input: CreateDatasetInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.flai.createDataset(input);
  }

  @FieldResolver(() => FlowExecution, {
    nullable: true,
    description:
      'The flow execution that wrote this dataset, when known: null for imported datasets. Free when the dataset was reached through an execution; otherwise one scan of the execution list per request.',
  })
  producedBy(@Root() dataset: Dataset, @Ctx() ctx: GatewayContext) {
    return ctx.services.flai.getProducer(dataset);
  }
}
