import type { GatewayContext } from '../context.js';
import { badInput } from '../errors.js';
import type { JobFields } from '../schema/common/job.type.js';
import { JOB_TYPES, type JobRefInput, type JobType } from '../schema/jobs/job-ref.input.js';

export const MAX_JOB_REFS = 100;

/** Every ref must name a known type at its own vendor. */
export function validateJobRefs(refs: JobRefInput[]): void {
  if (refs.length > MAX_JOB_REFS) throw badInput(`At most ${MAX_JOB_REFS} job refs per request`, ['refs']);
  refs.forEach((ref, i) => {
    const source = JOB_TYPES[ref.type as JobType];
    if (!source) {
      throw badInput(`refs[${i}].type must be one of ${Object.keys(JOB_TYPES).join(', ')}; got "${ref.type}"`, ['refs', String(i), 'type']);
    }
    if (source !== ref.source) {
      throw badInput(`refs[${i}]: a ${ref.type} is a ${source} job, not ${ref.source}`, ['refs', String(i), 'source']);
    }
  });
}

/** Loads one job through its vendor's per-request loaders (duplicates in one request cost one call). */
export function loadJob(ctx: GatewayContext, ref: JobRefInput): Promise<JobFields | null> {
  switch (ref.type as JobType) {
    case 'Processing':
      return ctx.mapflow.getProcessing(ref.id);
    case 'FlowExecution':
      return ctx.flai.getFlowExecution(ref.id);
    case 'DatasetDownload':
      return ctx.flai.getDatasetDownload(ref.id);
    case 'Pointcloud':
      return ctx.cupix.getPointcloud(ref.id);
  }
}
