import type { SimContext } from '../core/index.js';
import { prepareDownloadFiles } from './flai.files.js';
import { fillStats } from './flai.records.js';
import type { FlaiStore } from './flai.store.js';
import type {
  DatasetStatus,
  DatasetWire,
  DownloadRecord,
  DownloadStatus,
  ExecutionRecord,
  ExecutionStatus,
  TenantState,
} from './flai.types.js';
import { flaiTime, hashString, parseFlaiTime } from './flai.util.js';
import { finishLiteral } from './flai.variants.js';

/**
 * Virtual durations of every lifecycle (ms). At timeScale 1 an execution takes 20-36 s.
 *
 * Status literals [INFER] (docs/vendors.md, "Flai: flow execution status literals"): we serve
 * `finished` (the SDK's) and `queued`; the variants tenant also the blog's "finish" (flai.variants.ts).
 * Flow execution: queued -> processing -> finished | failed; queued/processing -> stopped (stop endpoint).
 * Output datasets: created (at submit, as in the blog) -> processing (writer phase) -> ready | failed.
 * Imported datasets: created -> processing -> ready | failed. Downloads: pending -> processing -> download-prepared.
 */
export const FLAI_TIMINGS = {
  executionQueuedMs: 4_000,
  executionRunMinMs: 16_000,
  executionRunMaxMs: 32_000,
  /** Share of the run after which writers start writing (outputs become `processing`). */
  writerPhase: 0.75,
  /** Share of the run after which a failing execution fails. */
  failurePoint: 0.5,
  datasetCreatedMs: 2_000,
  datasetImportMs: 8_000,
  downloadPendingMs: 1_000,
  downloadProcessingMs: 4_000,
} as const;

/** Deterministic run time of one execution, from its id. */
export function executionRunMs(id: string): number {
  const { executionRunMinMs: min, executionRunMaxMs: max } = FLAI_TIMINGS;
  return min + (hashString(id) % (max - min + 1));
}

export class FlaiLifecycle {
  constructor(
    private readonly ctx: SimContext,
    private readonly store: FlaiStore,
  ) {}

  /** Records the birth of an entity created through the API (`from: null`). */
  created(state: TenantState, entity: 'dataset' | 'flow_execution' | 'download', id: string, field: string, to: string, at: number): void {
    this.ctx.changes.record(at, { tenant: state.tenant.name, entity, id, field, from: null, to });
  }

  /** Drives an execution from wherever it is now (used for new and seeded executions). */
  track(state: TenantState, rec: ExecutionRecord): void {
    const now = this.ctx.clock.now();
    if (rec.wire.status === 'queued') {
      this.ctx.scheduler.at(now + FLAI_TIMINGS.executionQueuedMs, (at) => this.run(state, rec, at));
    } else if (rec.wire.status === 'processing') {
      this.scheduleRun(state, rec, now);
    }
  }

  stop(state: TenantState, rec: ExecutionRecord, at: number): boolean {
    if (rec.wire.status !== 'queued' && rec.wire.status !== 'processing') return false;
    rec.wire.stopped_at = flaiTime(at);
    this.setExecution(state, rec, 'stopped', at);
    this.settleOutputs(state, rec, 'failed', at);
    return true;
  }

  private run(state: TenantState, rec: ExecutionRecord, at: number): void {
    if (rec.wire.status !== 'queued') return;
    rec.wire.started_at = flaiTime(at);
    rec.startedMs = at;
    this.setExecution(state, rec, 'processing', at);
    this.scheduleRun(state, rec, at);
  }

  private scheduleRun(state: TenantState, rec: ExecutionRecord, from: number): void {
    const run = executionRunMs(rec.wire.id);
    const s = this.ctx.scheduler;
    if (rec.willFail) {
      s.at(from + run * FLAI_TIMINGS.failurePoint, (at) => this.end(state, rec, 'failed', at));
      return;
    }
    s.at(from + run * FLAI_TIMINGS.writerPhase, (at) => {
      if (rec.wire.status === 'processing') this.settleOutputs(state, rec, 'processing', at);
    });
    s.at(from + run, (at) => this.end(state, rec, 'finished', at));
  }

  private end(state: TenantState, rec: ExecutionRecord, to: 'finished' | 'failed', at: number): void {
    if (rec.wire.status !== 'processing') return;
    const started = rec.startedMs ?? (rec.wire.started_at ? parseFlaiTime(rec.wire.started_at) : at);
    rec.wire.finished_at = flaiTime(at);
    rec.wire.total_execution_time = Math.max(0, Math.round((at - started) / 1000));
    this.settleOutputs(state, rec, to === 'finished' ? 'ready' : 'failed', at);
    this.setExecution(state, rec, to === 'finished' ? finishLiteral(state) : to, at);
  }

  private settleOutputs(state: TenantState, rec: ExecutionRecord, to: DatasetStatus, at: number): void {
    for (const o of rec.outputs) {
      const ds = state.datasets.get(o.dataset_id);
      if (!ds || ds.dataset_status === 'ready' || ds.dataset_status === 'failed') continue;
      if (to === 'ready') fillStats(state.rng, ds);
      this.setDataset(state, ds, to, at);
    }
  }

  /** An imported dataset: created -> processing -> ready (or failed when `fails`); `sizeGb`: its size once ready, when known. */
  importDataset(state: TenantState, ds: DatasetWire, { fails, sizeGb }: { fails: boolean; sizeGb?: number }): void {
    const s = this.ctx.scheduler;
    const t0 = this.ctx.clock.now();
    s.at(t0 + FLAI_TIMINGS.datasetCreatedMs, (at) => {
      if (ds.dataset_status === 'created') this.setDataset(state, ds, 'processing', at);
    });
    s.at(t0 + FLAI_TIMINGS.datasetCreatedMs + FLAI_TIMINGS.datasetImportMs, (at) => {
      if (ds.dataset_status !== 'processing') return;
      if (!fails) fillStats(state.rng, ds, sizeGb);
      this.setDataset(state, ds, fails ? 'failed' : 'ready', at);
    });
  }

  /** A download: pending -> processing -> download-prepared (its zips are built then). */
  prepareDownload(state: TenantState, dl: DownloadRecord): void {
    const s = this.ctx.scheduler;
    const t0 = this.ctx.clock.now();
    s.at(t0 + FLAI_TIMINGS.downloadPendingMs, (at) => {
      if (dl.wire.status === 'pending') this.setDownload(state, dl, 'processing', at);
    });
    s.at(t0 + FLAI_TIMINGS.downloadPendingMs + FLAI_TIMINGS.downloadProcessingMs, (at) => {
      if (dl.wire.status !== 'processing') return;
      prepareDownloadFiles(this.store, state, dl, at);
      this.setDownload(state, dl, 'download-prepared', at);
    });
  }

  private setExecution(state: TenantState, rec: ExecutionRecord, to: ExecutionStatus, at: number): void {
    const from = rec.wire.status;
    rec.wire.status = to;
    this.ctx.changes.record(at, { tenant: state.tenant.name, entity: 'flow_execution', id: rec.wire.id, field: 'status', from, to });
  }

  private setDataset(state: TenantState, ds: DatasetWire, to: DatasetStatus, at: number): void {
    const from = ds.dataset_status;
    ds.dataset_status = to;
    ds.updated_at = flaiTime(at);
    this.ctx.changes.record(at, { tenant: state.tenant.name, entity: 'dataset', id: ds.id, field: 'dataset_status', from, to });
  }

  private setDownload(state: TenantState, dl: DownloadRecord, to: DownloadStatus, at: number): void {
    const from = dl.wire.status;
    dl.wire.status = to;
    dl.wire.updated_at = flaiTime(at);
    this.ctx.changes.record(at, { tenant: state.tenant.name, entity: 'download', id: dl.wire.id, field: 'status', from, to });
  }
}
