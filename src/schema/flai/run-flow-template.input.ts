import { Field, ID, InputType } from 'type-graphql';
import { JSONScalar } from '../common/scalars.js';

@InputType('RunFlowTemplateInput', { description: 'Runs a template flow with per-node options.' })
export class RunFlowTemplateInput {
  @Field(() => ID, { description: 'The flow to run (a `FlowTemplate.id`).' })
  flowId!: string;

  @Field(() => JSONScalar, {
    description: 'Options per node key, as in the Flow Builder: `{ "<flow node key>": { ...options } }`, e.g. `{"point_cloud_reader_1": {"dataset_id": "..."}}`. See `flow(id) { nodes { key } }`.',
  })
  nodeOptions!: unknown;

  @Field(() => String, {
    nullable: true,
    description:
      "Makes a retry safe: Flai keeps nothing of a run but its outputs, so the key is appended to each `dataset_name` given in `nodeOptions` (`[gatewayIdempotencyKey=<key>]`, left out of the names the gateway shows), and a run whose key is already on an execution of the flow returns that execution instead of starting another. Needs at least one writer's `dataset_name` in `nodeOptions`. 1 to 64 letters, digits, `.`, `_`, `:` or `-`.",
  })
  idempotencyKey?: string | null;
}
