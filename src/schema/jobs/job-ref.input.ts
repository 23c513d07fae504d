import { Field, ID, InputType } from 'type-graphql';
import { JOB_TYPENAMES } from '../../datasources/job-registry.js';
import { Source } from '../common/job.type.js';

@InputType({ description: 'Names one job at one vendor.' })
export class JobRefInput {
  @Field(() => Source, { description: 'The vendor that runs the job.' })
  source!: Source;

  @Field(() => String, { description: `The job type: ${JOB_TYPENAMES.map((t) => `"${t}"`).join(' | ')}.` })
  type!: string;

  @Field(() => ID, { description: 'The vendor id of the job.' })
  id!: string;
}
