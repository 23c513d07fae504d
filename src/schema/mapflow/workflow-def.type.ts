import { Field, Float, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'An option of a Mapflow model that can be switched on or off per processing.' })
export class WorkflowBlock {
  @Field(() => String, { description: 'The option name to pass in `blocks` (e.g. "Classification").' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The name the Mapflow app shows.' })
  displayName?: string | null;

  @Field(() => Boolean, { description: 'True when the option can be switched off; mandatory options always run.' })
  optional!: boolean;

  @Field(() => Float, { nullable: true, description: 'Extra credits per km² when the option is on.' })
  price?: number | null;
}

@ObjectType({ description: 'A Mapflow AI model ("workflow definition"), e.g. 🏠 Buildings.' })
export class WorkflowDef {
  @Field(() => ID, { description: 'The model id; pass it as `workflowDefId`.' })
  id!: string;

  @Field(() => String, { description: 'The model name; may be passed as `workflowDefName`.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the model detects.' })
  description?: string | null;

  @Field(() => Float, { nullable: true, description: 'Credits per km² before options.' })
  pricePerSqKm?: number | null;

  @Field(() => [WorkflowBlock], { description: 'The options of the model (empty when the vendor does not list them here).' })
  blocks!: WorkflowBlock[];

  @Field(() => Date, { nullable: true, description: 'When the model was created.' })
  createdAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the model was last changed.' })
  updatedAt?: Date | null;
}
