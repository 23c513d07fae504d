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
}
