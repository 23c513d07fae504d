import { Field, Float, ID, InterfaceType, registerEnumType } from 'type-graphql';

export enum Source {
  MAPFLOW = 'MAPFLOW',
  FLAI = 'FLAI',
  CUPIX = 'CUPIX',
  GATEWAY = 'GATEWAY',
}
registerEnumType(Source, {
  name: 'Source',
  description: 'The vendor API a piece of data comes from.',
  valuesConfig: {
    MAPFLOW: { description: 'Mapflow: AI mapping of satellite imagery.' },
    FLAI: { description: 'Flai: AI classification of point clouds.' },
    CUPIX: { description: 'Cupix: 3D capture of construction sites.' },
    GATEWAY: { description: 'The gateway itself: a job it runs (an upload through it).' },
  },
});

export enum JobState {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(JobState, {
  name: 'JobState',
  description: 'One lifecycle for every long-running thing, whatever the vendor calls its states.',
  valuesConfig: {
    QUEUED: { description: 'Accepted, not started yet.' },
    RUNNING: { description: 'Being processed.' },
    SUCCEEDED: { description: 'Finished with a result.' },
    FAILED: { description: 'Finished without a result.' },
    CANCELLED: { description: 'Stopped, cancelled or refunded before a result.' },
    UNKNOWN: { description: 'A vendor literal we do not know yet; `upstreamStatus` keeps it.' },
  },
});

/**
 * The fields every job's domain object carries; `__typename` picks the concrete GraphQL type (one
 * of the job registry's names, src/datasources/job-registry.ts).
 */
export interface JobFields {
  __typename: string;
  id: string;
  source: Source;
  state: JobState;
  upstreamStatus: string;
  progress?: number | null;
  isTerminal: boolean;
  updatedAt?: Date | null;
}

/**
 * JOB_SHAREABLE: the `jobs` subgraph (src/federation/subgraphs.ts) answers `jobs` and `jobsUpdated`
 * with the very objects the vendor services and watchers produce, so it resolves these Job fields
 * itself and the vendor subgraphs complete the rest. A field two subgraphs resolve must be
 * `@shareable` in both; Federation forbids it on interface fields and type-graphql copies these
 * fields into every implementation, so the four job types carry `@shareable` at type level.
 *
 * `autoRegisterImplementations: false`: a vendor subgraph's schema must hold only its own job type;
 * every implementation is reachable from a query of the unified schema anyway.
 */
@InterfaceType('Job', {
  description: 'Anything long-running at a vendor (a processing, a flow execution, a download, a point cloud), with one lifecycle.',
  resolveType: (value: JobFields) => value.__typename,
  autoRegisterImplementations: false,
})
export abstract class Job {
  @Field(() => ID, { description: 'The vendor id of the job.' })
  id!: string;

  @Field(() => Source, { description: 'The vendor that runs the job.' })
  source!: Source;

  @Field(() => JobState, { description: 'The state in the common lifecycle.' })
  state!: JobState;

  @Field(() => String, { description: "The vendor's own status literal, unchanged." })
  upstreamStatus!: string;

  @Field(() => Float, { nullable: true, description: 'Progress 0..100 where the vendor reports it.' })
  progress?: number | null;

  @Field(() => Boolean, { description: 'True when the job will not change any more.' })
  isTerminal!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the vendor last changed the job.' })
  updatedAt?: Date | null;
}
