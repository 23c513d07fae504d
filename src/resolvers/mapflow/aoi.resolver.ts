import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import { Aoi } from '../../schema/mapflow/aoi.type.js';
import { Processing } from '../../schema/mapflow/processing.type.js';

@Resolver(() => Aoi)
export class AoiResolver {
  @FieldResolver(() => Processing, { description: 'The processing the AOI belongs to (free when it was loaded already).' })
  processing(@Root() aoi: Aoi, @Ctx() ctx: GatewayContext): Promise<Processing> {
    return ctx.services.mapflow.aoiProcessing(aoi);
  }
}
