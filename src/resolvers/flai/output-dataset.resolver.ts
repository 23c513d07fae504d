import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import { Dataset, OUTPUT_DATASET_DATASET, OutputDataset } from '../../schema/flai/dataset.type.js';

@Resolver(() => OutputDataset)
export class OutputDatasetResolver {
  @FieldResolver(() => Dataset, OUTPUT_DATASET_DATASET)
  dataset(@Root() output: OutputDataset, @Ctx() ctx: GatewayContext) {
    return ctx.services.flai.getDataset(output.datasetId);
  }
}
