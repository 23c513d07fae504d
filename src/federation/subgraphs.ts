import type { NonEmptyArray } from 'type-graphql';
import { cupixResolvers } from '../resolvers/cupix/index.js';
import { cupixReferences } from '../resolvers/cupix/references.js';
import { flaiResolvers } from '../resolvers/flai/index.js';
import { flaiReferences } from '../resolvers/flai/references.js';
import { resolvers } from '../resolvers/index.js';
import { JobsResolver } from '../resolvers/jobs/jobs.resolver.js';
import { mapflowResolvers } from '../resolvers/mapflow/index.js';
import { mapflowReferences } from '../resolvers/mapflow/references.js';
import { CupixUpdatesResolver, FlaiUpdatesResolver, JobsUpdatedResolver, MapflowUpdatesResolver } from '../resolvers/subscriptions/index.js';
import { jobStubTypes } from '../schema/jobs/job-stubs.type.js';
import type { Vendor } from '../credentials.js';
import type { ReferenceResolvers } from './references.js';

/** The Federation 2 subgraphs this project runs as (`npm start -- --subgraph <name>`). */
export const SUBGRAPH_NAMES = ['mapflow', 'flai', 'cupix', 'jobs'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];
/** What one process serves: one subgraph, or everything (the default; itself a valid subgraph too). */
export type SchemaPart = SubgraphName | 'unified';

export interface SchemaPartDef {
  /** The vendors it calls: their simulators, HTTP clients and watchers; nothing of the others. */
  vendors: Vendor[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  references: ReferenceResolvers;
}

/**
 * The `jobs` subgraph holds the two cross-vendor root fields, `jobs(refs)` and `jobsUpdated(refs)`:
 * a root field lives in one subgraph, and both mix the three vendors. It loads and watches jobs with
 * the same vendor services and watchers as the unified server (so `jobs` has the same nulls and
 * per-item errors, and each event carries the state its poll saw), answers the Job fields itself
 * (`@shareable`, see JOB_SHAREABLE in job.type.ts) and returns the job types as entity stubs that the
 * vendor subgraphs complete (`... on Processing { name project { name } }`). Its watchers take part
 * in the vendor subgraphs' poll leadership through Redis (REDIS_URL): a job watched by both is
 * polled once, by whichever process holds its lease, and every event reaches both. Without Redis
 * the `jobs` subgraph polls on its own, which is correct but polls such a job twice.
 *
 * Uploads through the gateway (`Upload`, `upload`, `createUpload`, `cancelUpload`, `uploadUpdated`)
 * are served by the unified server only: an Upload reaches both Mapflow's types and Flai's, and no
 * vendor subgraph has the other's client. The `jobs` subgraph knows Upload as a stub like every job type.
 * So are point-cloud classifications (`PointcloudClassification`, `classifyPointcloud`, ...), which
 * call Cupix and Flai in one job.
 *
 * Rejected: forwarding `jobsUpdated` to three per-vendor subscriptions over graphql-ws (a fan-out
 * of WebSocket connections per caller credential, and `jobs` would need a round trip per vendor);
 * @interfaceObject (needs every implementation of Job in one subgraph, which is the opposite of one
 * subgraph per vendor).
 */
export const SCHEMA_PARTS: Record<SchemaPart, SchemaPartDef> = {
  mapflow: { vendors: ['mapflow'], resolvers: [...mapflowResolvers, MapflowUpdatesResolver], references: mapflowReferences },
  flai: { vendors: ['flai'], resolvers: [...flaiResolvers, FlaiUpdatesResolver], references: flaiReferences },
  cupix: { vendors: ['cupix'], resolvers: [...cupixResolvers, CupixUpdatesResolver], references: cupixReferences },
  jobs: { vendors: ['mapflow', 'flai', 'cupix'], resolvers: [JobsResolver, JobsUpdatedResolver], orphanedTypes: jobStubTypes, references: {} },
  unified: { vendors: ['mapflow', 'flai', 'cupix'], resolvers, references: { ...mapflowReferences, ...flaiReferences, ...cupixReferences } },
};

/**
 * What only the unified server serves, for now: uploads through the gateway (see above). The
 * `federation:check` comparison of the composed API with the unified schema leaves these out and
 * nothing else: types by name (every field of theirs) and root fields as `Type.field`.
 */
export const UNIFIED_ONLY = {
  types: ['Upload', 'UploadTarget', 'CreateUploadInput', 'UploadedDatasetInput', 'PointcloudClassification', 'ClassificationStage', 'ClassifyPointcloudInput'],
  rootFields: [
    'Query.upload',
    'Mutation.createUpload',
    'Mutation.cancelUpload',
    'Subscription.uploadUpdated',
    'Query.pointcloudClassification',
    'Mutation.classifyPointcloud',
    'Mutation.cancelPointcloudClassification',
    'Subscription.pointcloudClassificationUpdated',
  ],
} as const satisfies { types: readonly string[]; rootFields: readonly string[] };

export function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPH_NAMES as readonly string[]).includes(name);
}
