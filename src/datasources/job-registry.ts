import type { Vendor } from '../credentials.js';
import { badInput } from '../errors.js';
import { Source, type JobFields } from '../schema/common/job.type.js';
import { classificationVendorsOf } from './classify/classify-record.js';
import { uploadVendorOf } from './uploads/uploads.service.js';
import type { VendorServices } from './vendor-services.js';

/**
 * One kind of job: who runs it, how to load one by id with the caller's services (null when it does
 * not exist), and which of its fields make a change worth an event (besides state, vendor literal,
 * progress and terminality, which always do). Its key in JOB_REGISTRY is its GraphQL type name and
 * the `__typename` of its domain objects.
 */
export interface JobKind {
  /** The vendor that runs it, or the gateway itself. */
  runBy: Vendor | 'gateway';
  /** A gateway job: whose credential(s) it is bound to (and followed with), read from its id; null when the id is none of its. */
  boundTo?(id: string): Vendor | readonly Vendor[] | null;
  /** The `source` a JobRefInput names it with. */
  source: Source;
  load(services: VendorServices, id: string): Promise<JobFields | null>;
  /** Fields whose change is news: e.g. a processing's review status; never `updatedAt` alone. */
  watchedFields: readonly string[];
}

/**
 * Every job type the gateway knows, and the only list of them: `jobs(refs)`, JobRefInput's accepted
 * types, the live-status watchers, the change fingerprint and the `jobs` subgraph's stub types read
 * it. Adding a job type is one entry here, its service method and its schema type.
 */
export const JOB_REGISTRY = {
  Processing: {
    runBy: 'mapflow',
    source: Source.MAPFLOW,
    load: (services, id) => services.mapflow.getProcessing(id),
    watchedFields: ['status', 'reviewStatus', 'percentCompleted', 'messages'],
  },
  FlowExecution: {
    runBy: 'flai',
    source: Source.FLAI,
    load: (services, id) => services.flai.getFlowExecution(id),
    watchedFields: ['status', 'outputDatasets', 'finishedAt', 'stoppedAt'],
  },
  DatasetDownload: {
    runBy: 'flai',
    source: Source.FLAI,
    load: (services, id) => services.flai.getDatasetDownload(id),
    watchedFields: ['status', 'ready', 'files'],
  },
  Pointcloud: {
    runBy: 'cupix',
    source: Source.CUPIX,
    load: (services, id) => services.cupix.getPointcloud(id),
    watchedFields: ['editingState'],
  },
  Upload: {
    runBy: 'gateway',
    boundTo: uploadVendorOf,
    source: Source.GATEWAY,
    load: (services, id) => services.uploads.getUpload(id),
    watchedFields: ['receivedBytes', 'datasetId', 'error'],
  },
  PointcloudClassification: {
    runBy: 'gateway',
    boundTo: classificationVendorsOf,
    source: Source.GATEWAY,
    load: (services, id) => services.classifications.getClassification(id),
    watchedFields: ['stage', 'transferredBytes', 'totalBytes', 'datasetId', 'flowExecutionId', 'error'],
  },
} as const satisfies Record<string, JobKind>;

export type JobTypename = keyof typeof JOB_REGISTRY;

/** The job type names, in the registry's order. */
export const JOB_TYPENAMES = Object.keys(JOB_REGISTRY) as JobTypename[];

export function isJobTypename(name: string): name is JobTypename {
  return Object.hasOwn(JOB_REGISTRY, name);
}

/** The registry entry of a job's domain object, by its `__typename`. */
export function jobKindOf(job: Pick<JobFields, '__typename'>): JobKind | undefined {
  return isJobTypename(job.__typename) ? JOB_REGISTRY[job.__typename] : undefined;
}

/** At most this many refs in one `jobs` or `jobsUpdated`. */
export const MAX_JOB_REFS = 100;

/** Checks refs (`jobs`, `jobsUpdated`): each must name a known job type at its own source. */
export function checkJobRefs(refs: readonly { source: Source; type: string }[]): void {
  if (refs.length > MAX_JOB_REFS) throw badInput(`At most ${MAX_JOB_REFS} job refs per request`, ['refs']);
  refs.forEach((ref, i) => {
    if (!isJobTypename(ref.type)) {
      throw badInput(`refs[${i}].type must be one of ${JOB_TYPENAMES.join(', ')}; got "${ref.type}"`, ['refs', String(i), 'type']);
    }
    const { source } = JOB_REGISTRY[ref.type];
    if (source !== ref.source) throw badInput(`refs[${i}]: a ${ref.type} is a ${source} job, not ${ref.source}`, ['refs', String(i), 'source']);
  });
}

/** One job through the caller's per-request loaders (the same job twice in one request costs one call). */
export function loadJob(services: VendorServices, ref: { type: JobTypename; id: string }): Promise<JobFields | null> {
  return JOB_REGISTRY[ref.type].load(services, ref.id);
}
