import type { SimContext } from '../core/index.js';
import { failureOf, sourceOf } from './mapflow.sources.js';
import type { MapflowTenant, Processing, ProcessingMessage, ProcessingStatus } from './mapflow.types.js';
import { isoMicro, rng } from './mapflow.util.js';

/** One planned state of a run, `offset` virtual ms after it starts. */
export interface Step {
  offset: number;
  status: ProcessingStatus;
  percent: number;
  messages?: ProcessingMessage[];
}

const PROGRESS_STEPS = 6;

/**
 * The whole run of a processing, decided up front and deterministically from its id, run number
 * and params: UNPROCESSED -> (AWAITING for imagery search) -> IN_PROGRESS with percentCompleted
 * rising in steps -> OK after 20-40 virtual seconds, or FAILED with a documented message.
 */
export function planRun(p: Processing): Step[] {
  const r = rng(`${p.id}#${p.run}`);
  const total = 20_000 + Math.floor(r() * 20_001);
  const failure = failureOf(p.params);
  const steps: Step[] = [];
  let start = 1_500;
  if (sourceOf(p.params).kind === 'imagerySearch') {
    steps.push({ offset: start, status: 'AWAITING', percent: 0 });
    start = 6_000 + Math.floor(r() * 3_000);
  }
  steps.push({ offset: start, status: 'IN_PROGRESS', percent: 0 });
  if (failure && failure.atPercent === 0) {
    steps.push({ offset: start + 2_500, status: 'FAILED', percent: 0, messages: [failure.message] });
    return steps;
  }
  let last = 0;
  for (let k = 1; k <= PROGRESS_STEPS; k++) {
    const target = Math.round((100 * k) / (PROGRESS_STEPS + 1)) + Math.floor(r() * 9) - 4;
    const percent = Math.min(99, Math.max(last + 1, target));
    const offset = Math.round(start + ((total - start) * k) / (PROGRESS_STEPS + 1));
    if (failure && percent >= failure.atPercent) {
      steps.push({ offset, status: 'FAILED', percent: last, messages: [failure.message] });
      return steps;
    }
    steps.push({ offset, status: 'IN_PROGRESS', percent });
    last = percent;
  }
  steps.push({ offset: total, status: 'OK', percent: 100 });
  return steps;
}

export class Lifecycle {
  constructor(private readonly ctx: SimContext) {}

  /** Moves a processing (and its AOIs, in step) to a state, logging every change at `at`. */
  apply(tenant: MapflowTenant, p: Processing, step: Omit<Step, 'offset'>, at: number, { log = true }: { log?: boolean } = {}): void {
    const record = (entity: string, id: string, field: string, from: unknown, to: unknown) => {
      if (log && from !== to) this.ctx.changes.record(at, { tenant: tenant.name, entity, id, field, from, to });
    };
    record('processing', p.id, 'status', p.status, step.status);
    record('processing', p.id, 'percentCompleted', p.percentCompleted, step.percent);
    const messages = step.messages ?? (step.status === 'FAILED' ? p.messages : []);
    p.status = step.status;
    p.percentCompleted = step.percent;
    p.messages = messages;
    p.updated = isoMicro(at);
    if (step.status === 'OK') p.completionDate = p.updated;
    for (const a of p.aois) {
      record('aoi', a.id, 'status', a.status, step.status);
      record('aoi', a.id, 'percentCompleted', a.percentCompleted, step.percent);
      a.status = step.status;
      a.percentCompleted = step.percent;
      a.messages = messages;
    }
    const project = tenant.data.projects.get(p.projectId);
    if (project && log) project.snapshot = null;
  }

  /** Logs the creation of a processing and its AOIs (from null). */
  created(tenant: MapflowTenant, p: Processing, at: number): void {
    const rec = (entity: string, id: string, field: string, to: unknown) =>
      this.ctx.changes.record(at, { tenant: tenant.name, entity, id, field, from: null, to });
    rec('processing', p.id, 'status', p.status);
    rec('processing', p.id, 'percentCompleted', p.percentCompleted);
    for (const a of p.aois) {
      rec('aoi', a.id, 'status', a.status);
      rec('aoi', a.id, 'percentCompleted', a.percentCompleted);
    }
  }

  /**
   * Schedules the run that started at virtual time `t0`. Steps already due by `t0 + elapsed` are
   * applied silently (used by seeds to start half-way); later ones go to the scheduler.
   */
  start(tenant: MapflowTenant, p: Processing, t0: number, elapsed = 0): void {
    const steps = planRun(p);
    const run = p.run;
    const done = steps.filter((s) => s.offset <= elapsed);
    if (done.length) this.apply(tenant, p, done[done.length - 1], t0 + elapsed, { log: false });
    for (const s of steps) {
      if (s.offset <= elapsed) continue;
      this.ctx.scheduler.at(t0 + s.offset, (at) => {
        if (tenant.data.processings.get(p.id) !== p || p.run !== run) return;
        this.apply(tenant, p, s, at);
      });
    }
  }

  /** Restart: back to UNPROCESSED with no messages, then a fresh run. */
  restart(tenant: MapflowTenant, p: Processing): void {
    const now = this.ctx.clock.now();
    p.run++;
    this.apply(tenant, p, { status: 'UNPROCESSED', percent: 0, messages: [] }, now);
    p.completionDate = null;
    this.start(tenant, p, now);
  }
}
