import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { connectionTypes } from '../common/connection.type.js';
import { Job } from '../common/job.type.js';
import { OutputDataset } from './dataset.type.js';
import { FlowExecutionStatus } from './flow-execution-status.enum.js';

@Directive('@key(fields: "id")')
@Directive('@shareable') // the Job fields are resolved by the `jobs` subgraph too: see JOB_SHAREABLE in job.type.ts
@ObjectType('FlowExecution', { implements: Job, description: 'One run of a Flai flow (a Job): its status, timing and the datasets it writes.' })
export class FlowExecution extends Job {
  /** Picks this type in `Job.resolveType`. */
  __typename!: 'FlowExecution';

  @Field(() => ID, { description: 'The flow that runs.' })
  flowId!: string;

  @Field(() => FlowExecutionStatus, { description: 'The status, mapped from the vendor literal (kept in `upstreamStatus`).' })
  status!: FlowExecutionStatus;

  @Field(() => ID, { nullable: true, description: 'The user who started it.' })
  createdBy?: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was submitted.' })
  createdAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it started processing.' })
  startedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it finished or failed.' })
  finishedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was stopped.' })
  stoppedAt?: Date | null;

  @Field(() => Float, { nullable: true, description: 'Run time in seconds, once finished.' })
  totalExecutionTime?: number | null;

  @Field(() => [OutputDataset], { description: 'The datasets it writes, one per writer node.' })
  outputDatasets!: OutputDataset[];
}

export const { Edge: FlowExecutionEdge, Connection: FlowExecutionConnection } = connectionTypes(FlowExecution, 'FlowExecution', 'flow execution');
