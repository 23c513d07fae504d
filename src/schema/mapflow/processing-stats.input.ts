import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Which processings the statistics cover.' })
export class ProcessingStatsFilter {
  @Field(() => Date, { nullable: true, description: 'Created at or after this instant.' })
  dateFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Created at or before this instant.' })
  dateTo?: Date | null;

  @Field(() => [String], { nullable: true, description: 'Status literals to keep, e.g. ["OK", "FAILED"] ("CANCELED" is accepted too).' })
  statuses?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Free text matched against names, project, e-mail and model.' })
  terms?: string | null;
}
