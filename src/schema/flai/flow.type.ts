import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { JSONScalar } from '../common/scalars.js';

@ObjectType('FlowTemplate', { description: 'A template flow of the organization, runnable with `runFlowTemplate`.' })
export class FlowTemplate {
  @Field(() => ID, { description: 'The flow id to pass as `runFlowTemplate(input: {flowId})`.' })
  id!: string;

  @Field(() => String, { description: 'The template title.' })
  title!: string;
}

@ObjectType('FlowNode', { description: "One node of a flow; its `key` addresses the node in `runFlowTemplate`'s `nodeOptions`." })
export class FlowNode {
  @Field(() => String, { description: 'The node key, e.g. `point_cloud_reader_1`.' })
  key!: string;

  @Field(() => String, { nullable: true, description: 'The node role: `reader`, `writer` or `processor`.' })
  type?: string | null;

  @Field(() => ID, { nullable: true, description: 'The Flow Builder definition the node is an instance of.' })
  definitionId?: string | null;

  @Field(() => JSONScalar, { nullable: true, description: 'The default options of the node (what `nodeOptions` overrides).' })
  options?: unknown;
}

@Directive('@key(fields: "id")')
@ObjectType('Flow', { description: "A flow as built in Flai's Flow Builder." })
export class Flow {
  @Field(() => ID, { description: 'The flow id.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'The flow title.' })
  title?: string | null;

  @Field(() => [FlowNode], { description: 'The nodes of the flow, in the order Flai lists them.' })
  nodes!: FlowNode[];
}
