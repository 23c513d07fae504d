import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../../context.js';
import { FlowExecution, FlowExecutionConnection } from '../../schema/flai/flow-execution.type.js';
import { Flow } from '../../schema/flai/flow.type.js';
import { RunFlowTemplateInput } from '../../schema/flai/run-flow-template.input.js';

@Resolver(() => FlowExecution)
export class FlowExecutionResolver {
  @Query(() => FlowExecution, { nullable: true, description: 'One Flai flow execution; null when it does not exist.' })
  flowExecution(@Arg('id', () => ID, { description: 'The flow execution id.' }) id: string, @Ctx() ctx: GatewayContext) {
    return ctx.services.flai.getFlowExecution(id);
  }

  @Query(() => FlowExecutionConnection, { nullable: true, description: "The organization's flow executions, newest first, optionally of one flow." })
  flowExecutions(
    @Arg('flowId', () => ID, { nullable: true, description: 'Only executions of this flow.' }) flowId: string | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (default 20, at most 100).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after (`pageInfo.endCursor`).' }) after: string | null,
    @Ctx() ctx: GatewayContext,
  ) {
    return ctx.services.flai.listFlowExecutions(flowId, first, after);
  }

  @Mutation(() => FlowExecution, { description: 'Runs a template flow with per-node options; returns the queued execution.' })
  runFlowTemplate(@Arg('input', () => RunFlowTemplateInput, { description: 'The flow and its node options.' }) input: RunFlowTemplateInput, @Ctx() ctx: GatewayContext) {
    return ctx.status.kicked(ctx.services.flai.runFlowTemplate(input));
  }

  @FieldResolver(() => Flow, { nullable: true, description: 'The flow that runs, with its nodes (one call, deduplicated per request).' })
  flow(@Root() execution: FlowExecution, @Ctx() ctx: GatewayContext) {
    return ctx.services.flai.getFlow(execution.flowId);
  }
}
