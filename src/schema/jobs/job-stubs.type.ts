import { Directive, ObjectType } from 'type-graphql';
import { JOB_REGISTRY, JOB_TYPENAMES } from '../../datasources/job-registry.js';
import { Job } from '../common/job.type.js';

/**
 * The job types as the `jobs` subgraph knows them: their key and the Job fields it resolves itself
 * from the vendor services and watchers (see JOB_SHAREABLE in job.type.ts). Not resolvable there by
 * key: the vendor subgraphs own them and complete every other field. One per job registry entry run
 * by a vendor; the gateway's own job, Upload, is served whole by the `jobs` subgraph (subgraphs.ts).
 */
function jobStub(typename: string): typeof Job {
  @Directive('@key(fields: "id", resolvable: false)')
  @Directive('@shareable')
  @ObjectType(typename, { implements: Job })
  class JobStub extends Job {}
  return JobStub;
}

export const jobStubTypes = JOB_TYPENAMES.filter((t) => JOB_REGISTRY[t].runBy !== 'gateway').map(jobStub);
