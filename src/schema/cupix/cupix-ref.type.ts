import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('CupixRef', { description: 'A reference to a Cupix cluster, record (a capture session) or level, as the vendor stubs it.' })
export class CupixRef {
  @Field(() => ID, { description: 'The Cupix id of the referenced object.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'Its name, when the vendor includes it in the stub (clusters do).' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'The Cupix model name, e.g. `Cluster`, `Record` or `Level`.' })
  type?: string | null;
}
