import { GraphQLError } from 'graphql';
import { badInput } from '../errors.js';
import type { JobFields, JobState } from '../schema/common/job.type.js';
import type { JobTypename } from '../datasources/job-registry.js';
import type { WatchTarget } from './targets.js';
import type { StatusEvent } from './watch-types.js';

/** What a `JobEvent` resolves from. */
export interface JobEventValue {
  job: JobFields;
  previousState: JobState | null;
  state: JobState;
  progress: number | null;
  at: Date;
}

/** The job of an event, or the error event turned into the GraphQL error the client receives. */
export function jobOf(event: StatusEvent): JobFields {
  if (event.type === 'error') throw new GraphQLError(event.error.message, { extensions: event.error.extensions });
  return event.job;
}

export function jobEventOf(event: StatusEvent): JobEventValue {
  const job = jobOf(event);
  return { job, previousState: event.type === 'change' ? event.previousState : null, state: job.state, progress: job.progress ?? null, at: event.type === 'change' ? event.at : new Date() };
}

/** Refs (already checked by `checkJobRefs`) as watch targets, duplicates once. */
export function targetsOfRefs(refs: { type: string; id: string }[]): WatchTarget[] {
  if (!refs.length) throw badInput('refs must name at least one job', ['refs']);
  const seen = new Map<string, WatchTarget>();
  for (const r of refs) seen.set(`${r.type}\0${r.id}`, { kind: r.type as JobTypename, id: r.id });
  return [...seen.values()];
}
