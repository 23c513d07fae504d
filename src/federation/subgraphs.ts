import type { NonEmptyArray } from 'type-graphql';
import { ClassificationJobsSubgraphResolver, ClassificationJobsSubgraphUpdatesResolver, ClassificationVendorRefsResolver, OutputDatasetRefsResolver } from '../resolvers/classify/classification.resolver.js';
import { classificationReferences } from '../resolvers/classify/references.js';
import { cupixResolvers } from '../resolvers/cupix/index.js';
import { cupixReferences } from '../resolvers/cupix/references.js';
import { flaiResolvers } from '../resolvers/flai/index.js';
import { flaiReferences } from '../resolvers/flai/references.js';
import { resolvers } from '../resolvers/index.js';
import { JobsResolver } from '../resolvers/jobs/jobs.resolver.js';
import { mapflowResolvers } from '../resolvers/mapflow/index.js';
import { mapflowReferences } from '../resolvers/mapflow/references.js';
import { CupixUpdatesResolver, FlaiUpdatesResolver, JobsUpdatedResolver, MapflowUpdatesResolver } from '../resolvers/subscriptions/index.js';
import { uploadReferences } from '../resolvers/uploads/references.js';
import { UploadJobsSubgraphResolver, UploadJobsSubgraphUpdatesResolver, UploadMadeRefsResolver } from '../resolvers/uploads/upload.resolver.js';
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
  /**
   * Serves uploads through the gateway: the Upload records, the signed `uploadUrl`s and their byte
   * route (`/uploads/{id}`, PUT and tus). One part at most besides the unified server: the process
   * that signs an upload's URL keeps the credential it is bound to (without Redis, in its memory).
   */
  uploads?: true;
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
 * It also serves uploads through the gateway (`Upload`, `upload`, `createUpload`, `cancelUpload`,
 * `uploadUpdated`): an upload goes to Mapflow or to Flai, and this is the subgraph with both clients.
 * What an upload makes (`dataset`, `mosaic`, `image`) it returns as entity references that the flai
 * and mapflow subgraphs complete (src/schema/jobs/entity-refs.type.ts). The bytes: the federation
 * gateway passes `/uploads/...` on to it (gateway.ts), and it signs `uploadUrl` with the gateway's
 * PUBLIC_URL (main.ts), so a client that knows only the gateway's URL sends its file there
 * (docs/decisions.md, "Federation: uploads served by the jobs subgraph").
 *
 * Point-cloud classifications are served the same way (`PointcloudClassification`,
 * `pointcloudClassification`, `classifyPointcloud`, `cancelPointcloudClassification`,
 * `pointcloudClassificationUpdated`): a classification calls Cupix and Flai in one job, and this is
 * the subgraph with both clients (app.ts makes its runner wherever both are). What it works on and
 * makes (src/schema/classify/classification-refs.type.ts): `dataset`, and each output's, as a
 * Dataset reference that the flai subgraph completes; `pointcloud` and `flowExecution` as the job
 * stubs, whose Job fields it answers from the loaded object and whose other fields the cupix and
 * flai subgraphs complete; `OutputDataset` is a value type this and the flai subgraph both return
 * (`@shareable`).
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
  jobs: {
    vendors: ['mapflow', 'flai', 'cupix'],
    resolvers: [
      JobsResolver,
      JobsUpdatedResolver,
      UploadJobsSubgraphResolver,
      UploadMadeRefsResolver,
      UploadJobsSubgraphUpdatesResolver,
      ClassificationJobsSubgraphResolver,
      ClassificationVendorRefsResolver,
      OutputDatasetRefsResolver,
      ClassificationJobsSubgraphUpdatesResolver,
    ],
    orphanedTypes: jobStubTypes,
    references: { ...uploadReferences, ...classificationReferences },
    uploads: true,
  },
  unified: {
    vendors: ['mapflow', 'flai', 'cupix'],
    resolvers,
    references: { ...mapflowReferences, ...flaiReferences, ...cupixReferences, ...uploadReferences, ...classificationReferences },
    uploads: true,
  },
};

/** The subgraph that serves uploads (`uploads` in SCHEMA_PARTS): the federation gateway passes `/uploads/...` on to it. */
export const UPLOADS_SUBGRAPH: SubgraphName = SUBGRAPH_NAMES.find((n) => SCHEMA_PARTS[n].uploads)!;

export function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPH_NAMES as readonly string[]).includes(name);
}
