import { Field, InputType } from 'type-graphql';

@InputType({ description: 'A new, empty mosaic.' })
export class CreateMosaicInput {
  @Field(() => String, { description: 'The mosaic name (not blank).' })
  name!: string;

  @Field(() => [String], { nullable: true, description: 'Its tags.' })
  tags?: string[] | null;
}

@InputType({ description: 'What to change in a mosaic; absent fields stay.' })
export class UpdateMosaicInput {
  @Field(() => String, { nullable: true, description: 'The new name (not blank).' })
  name?: string | null;

  @Field(() => [String], { nullable: true, description: 'The new tags: they replace the old ones.' })
  tags?: string[] | null;
}
