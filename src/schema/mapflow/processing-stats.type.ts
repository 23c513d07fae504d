import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One processing in the statistics report.' })
export class ProcessingStatsRow {
  @Field(() => String, { nullable: true, description: 'The project name.' })
  projectName?: string | null;

  @Field(() => String, { nullable: true, description: 'The processing name.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Who ran it (team owners see their members).' })
  email?: string | null;

  @Field(() => Float, { nullable: true, description: 'Area, in m².' })
  area?: number | null;

  @Field(() => Float, { nullable: true, description: 'Cost in credits.' })
  cost?: number | null;

  @Field(() => String, { nullable: true, description: "Mapflow's status literal." })
  status?: string | null;

  @Field(() => Float, { nullable: true, description: 'Progress, 0..100.' })
  percentCompleted?: number | null;

  @Field(() => Date, { nullable: true, description: 'When it was created.' })
  createdAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it finished.' })
  completedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'The model name.' })
  scenario?: string | null;

  @Field(() => String, { nullable: true, description: 'A link to the processing in the Mapflow app.' })
  linkToMap?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'True when the processing is archived (Mapflow sends the string "true" or "false"; a JSON boolean reads the same; null for any other value).',
  })
  archived?: boolean | null;

  @Field(() => String, { nullable: true, description: 'The imagery provider it used, when it used one.' })
  dataProvider?: string | null;
}

@ObjectType({ description: 'Processing history with totals (`POST /processings/stats`).' })
export class ProcessingStats {
  @Field(() => [ProcessingStatsRow], { description: 'The processings that match the filter.' })
  results!: ProcessingStatsRow[];

  @Field(() => Int, { description: 'Number of processings that match.' })
  total!: number;

  @Field(() => Float, { description: 'Their total cost in credits.' })
  totalCost!: number;

  @Field(() => Float, { description: 'Their total area, in m².' })
  totalArea!: number;
}
