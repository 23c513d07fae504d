import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import { CreateProcessingsInput } from '../../schema/mapflow/bulk-processing.input.js';
import { CreateProcessingsPayload } from '../../schema/mapflow/bulk-processing.type.js';

@Resolver(() => CreateProcessingsPayload)
export class BulkProcessingResolver {
  @Mutation(() => CreateProcessingsPayload, {
    description:
      'One processing per feature of a FeatureCollection, at most BULK_CONCURRENCY created at once. Every feature gets its own item (its processing, or an error): a bad feature stops nothing else. `dryRun` prices each feature and creates nothing; `idempotencyKey` makes a retry create nothing twice.',
  })
  createProcessings(
    @Arg('input', () => CreateProcessingsInput, { description: 'The features, the model and what every processing shares.' }) input: CreateProcessingsInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<CreateProcessingsPayload> {
    return ctx.status.kickedEach(ctx.services.mapflow.createProcessings(input), (p) => p.items.map((i) => i.processing));
  }
}
