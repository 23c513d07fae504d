import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import { Dataset, OutputDataset } from '../../schema/flai/dataset.type.js';

@Resolver(() => OutputDataset)
export class OutputDatasetResolver {
  @FieldResolver(() => Dataset, { nullable: true, description: 'The written dataset itself (one call per dataset, deduplicated per request); null once deleted.' })
  dataset(@Root() output: OutputDataset, @Ctx() ctx: GatewayContext) {
    return ctx.services.flai.getDataset(output.datasetId);
  }
}
