import { Directive, Field, ObjectType } from 'type-graphql';

// A value type every vendor subgraph returns: identical everywhere, so shareable.
@Directive('@shareable')
@ObjectType({ description: 'Relay-style page information of a connection.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when more items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'True when items precede this page.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page.' })
  startCursor?: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item; pass it as `after` for the next page.' })
  endCursor?: string | null;
}

@ObjectType({ description: 'A problem with one item of a batch, reported as data rather than as a GraphQL error.' })
export class UserError {
  @Field(() => String, { description: 'A machine-readable code (the GraphQL error codes, or the vendor code).' })
  code!: string;

  @Field(() => String, { description: 'A human-readable message.' })
  message!: string;

  @Field(() => [String], { nullable: true, description: 'Path of the input field at fault, when known.' })
  field?: string[] | null;
}
