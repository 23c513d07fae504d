import { Arg, Ctx, FieldResolver, Float, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import { MapflowAccount } from '../../schema/mapflow/account.type.js';
import { MapflowStorage } from '../../schema/mapflow/mosaic.type.js';
import { ProcessingStatsFilter } from '../../schema/mapflow/processing-stats.input.js';
import { ProcessingStats } from '../../schema/mapflow/processing-stats.type.js';
import { ProcessingCostInput } from '../../schema/mapflow/processing.input.js';

@Resolver(() => MapflowAccount)
export class MapflowAccountResolver {
  @Query(() => MapflowAccount, { nullable: true, description: 'The Mapflow account of the caller: limits, models, teams, data providers.' })
  account(@Ctx() ctx: GatewayContext): Promise<MapflowAccount> {
    return ctx.services.mapflow.account();
  }

  @FieldResolver(() => MapflowStorage, { nullable: true, description: 'Storage for uploaded imagery: size, use, upload limits (`GET /rasters/memory`).' })
  storage(@Ctx() ctx: GatewayContext): Promise<MapflowStorage> {
    return ctx.services.mapflow.data.storage();
  }

  @Query(() => Float, { nullable: true, description: 'The price in credits of a processing, without running it.' })
  processingCost(@Arg('input', () => ProcessingCostInput, { description: 'The model, area, imagery and options to price.' }) input: ProcessingCostInput, @Ctx() ctx: GatewayContext): Promise<number> {
    return ctx.services.mapflow.processingCost(input);
  }

  @Query(() => ProcessingStats, { nullable: true, description: 'Processing history with totals (team owners see their members).' })
  processingStats(
    @Arg('filter', () => ProcessingStatsFilter, { nullable: true, description: 'Which processings to include; all when absent.' }) filter: ProcessingStatsFilter | null,
    @Ctx() ctx: GatewayContext,
  ): Promise<ProcessingStats> {
    return ctx.services.mapflow.processingStats(filter);
  }
}
