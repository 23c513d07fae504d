import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { WorkflowDef } from './workflow-def.type.js';

@ObjectType({ description: 'A Mapflow team the account belongs to.' })
export class Team {
  @Field(() => ID, { description: 'The team id.' })
  id!: string;

  @Field(() => String, { description: 'The team name.' })
  name!: string;

  @Field(() => String, { description: "The account's role in the team (e.g. OWNER)." })
  role!: string;

  @Field(() => Date, { nullable: true, description: 'When the team subscription ends; null when it does not.' })
  activeUntil?: Date | null;

  @Field(() => Float, { nullable: true, description: "The team's credit limit; null when unlimited." })
  creditsLimit?: number | null;
}

@ObjectType({ description: "A data provider's price at one zoom level." })
export class DataProviderPrice {
  @Field(() => Int, { nullable: true, description: 'The zoom level.' })
  zoom?: number | null;

  @Field(() => Float, { nullable: true, description: 'Credits per km² at that zoom.' })
  pricePerSqKm?: number | null;
}

@ObjectType({ description: 'An imagery provider linked to the Mapflow account (use its `name` as `dataProvider.providerName`).' })
export class DataProvider {
  @Field(() => ID, { nullable: true, description: 'The provider id.' })
  id?: string | null;

  @Field(() => String, { description: 'The provider name to pass in source parameters.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The name the Mapflow app shows.' })
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: 'A tile URL template to preview the imagery.' })
  previewUrl?: string | null;

  @Field(() => [DataProviderPrice], { description: 'Prices by zoom level.' })
  prices!: DataProviderPrice[];
}

@ObjectType({ description: 'The Mapflow account of the caller: limits, models, teams and data providers (`GET /user/status`).' })
export class MapflowAccount {
  @Field(() => String, { description: 'The account e-mail.' })
  email!: string;

  @Field(() => Float, { nullable: true, description: 'Area processed so far, in m².' })
  processedArea?: number | null;

  @Field(() => Float, { nullable: true, description: 'Area that may still be processed, in m².' })
  remainingArea?: number | null;

  @Field(() => Float, { nullable: true, description: 'Credits left.' })
  remainingCredits?: number | null;

  @Field(() => Float, { nullable: true, description: 'Total area limit, in m².' })
  areaLimit?: number | null;

  @Field(() => Float, { nullable: true, description: 'Storage limit for uploaded imagery, in bytes.' })
  memoryLimit?: number | null;

  @Field(() => [WorkflowDef], { description: 'The models the account may run.' })
  models!: WorkflowDef[];

  @Field(() => [Team], { description: 'The teams the account belongs to.' })
  teams!: Team[];

  @Field(() => [DataProvider], { description: 'The imagery providers linked to the account.' })
  dataProviders!: DataProvider[];
}
