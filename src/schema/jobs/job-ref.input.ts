import { Field, ID, InputType } from 'type-graphql';
import { Source } from '../common/job.type.js';

export const JOB_TYPES = {
  Processing: Source.MAPFLOW,
  FlowExecution: Source.FLAI,
  DatasetDownload: Source.FLAI,
  Pointcloud: Source.CUPIX,
} as const;
export type JobType = keyof typeof JOB_TYPES;

@InputType({ description: 'Names one job at one vendor.' })
export class JobRefInput {
  @Field(() => Source, { description: 'The vendor that runs the job.' })
  source!: Source;

  @Field(() => String, { description: 'The job type: "Processing" | "FlowExecution" | "DatasetDownload" | "Pointcloud".' })
  type!: string;

  @Field(() => ID, { description: 'The vendor id of the job.' })
  id!: string;
}
