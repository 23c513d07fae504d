import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import { Flow, FlowTemplate } from '../../schema/flai/flow.type.js';

@Resolver(() => Flow)
export class FlowResolver {
  @Query(() => Flow, { nullable: true, description: "One Flai flow with its nodes (their keys address `runFlowTemplate`'s `nodeOptions`); null when it does not exist." })
  flow(@Arg('id', () => ID, { description: 'The flow id.' }) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.flai.getFlow(id);
  }

  @Query(() => [FlowTemplate], { nullable: true, description: "The organization's template flows." })
  flowTemplates(@Ctx() ctx: GatewayContext) {
    return ctx.services.flai.listFlowTemplates();
  }
}
