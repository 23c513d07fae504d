import { Field, Float, ObjectType } from 'type-graphql';
import { Job, JobState, type JobFields } from '../common/job.type.js';

@ObjectType('JobEvent', { description: 'One change of one job in a `jobsUpdated` stream (the first event of each job is its current state).' })
export class JobEvent {
  @Field(() => Job, { description: 'The job as it is now, resolved with fresh loaders for this event.' })
  job!: JobFields;

  @Field(() => JobState, { nullable: true, description: 'The state before this change; null on the first event of a job.' })
  previousState!: JobState | null;

  @Field(() => JobState, { description: 'The state after this change.' })
  state!: JobState;

  @Field(() => Float, { nullable: true, description: 'Progress 0..100 after this change, where the vendor reports it.' })
  progress!: number | null;

  @Field(() => Date, { description: 'When the gateway saw this state (the poll, or the mutation, that found it).' })
  at!: Date;
}
