import { Directive, ObjectType } from 'type-graphql';
import { JOB_REGISTRY, JOB_TYPENAMES, type JobTypename } from '../../datasources/job-registry.js';
import { Job } from '../common/job.type.js';

/**
 * The job types as the `jobs` subgraph knows them: their key and the Job fields it resolves itself
 * from the vendor services and watchers (see JOB_SHAREABLE in job.type.ts). Not resolvable there by
 * key: the vendor subgraphs own them and complete every other field. One per job registry entry run
 * by a vendor; the gateway's own jobs (Upload, PointcloudClassification) are served whole by the
 * `jobs` subgraph (subgraphs.ts), which returns these stubs where they point at a vendor's job.
 */
function jobStub(typename: string): typeof Job {
  @Directive('@key(fields: "id", resolvable: false)')
  @Directive('@shareable')
  @ObjectType(typename, { implements: Job })
  class JobStub extends Job {}
  return JobStub;
}

/** The job types a vendor runs. */
type VendorJobTypename = { [T in JobTypename]: (typeof JOB_REGISTRY)[T]['runBy'] extends 'gateway' ? never : T }[JobTypename];

const isVendorJob = (t: JobTypename): t is VendorJobTypename => JOB_REGISTRY[t].runBy !== 'gateway';

/** The stub of each vendor-run job type, by its name (e.g. `jobStubs.Pointcloud`). */
export const jobStubs = Object.fromEntries(JOB_TYPENAMES.filter(isVendorJob).map((t) => [t, jobStub(t)])) as Record<VendorJobTypename, typeof Job>;

export const jobStubTypes = Object.values(jobStubs);
