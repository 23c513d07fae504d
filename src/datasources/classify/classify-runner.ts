import { setTimeout as sleep } from 'node:timers/promises';
import type { Credentials } from '../../credentials.js';
import { UpstreamError, type ErrorCode } from '../../errors.js';
import type { CredentialVault } from '../../links/credential-vault.js';
import type { Logger } from '../../observability/logger.js';
import { ClassificationStage, type PointcloudClassification } from '../../schema/classify/pointcloud-classification.type.js';
import { JobState } from '../../schema/common/job.type.js';
import { DatasetType } from '../../schema/flai/dataset-type.enum.js';
import type { FlowExecution } from '../../schema/flai/flow-execution.type.js';
import type { CupixService } from '../cupix/cupix.service.js';
import type { FlaiService } from '../flai/flai.service.js';
import type { RetryPolicy } from '../http/resilience.js';
import type { UpstreamHttp } from '../http/upstream-http.js';
import { isTerminalPhase } from '../shared/job-record-store.js';
import { logged, toClassification, type ClassificationPatch, type ClassificationRecord, type ClassificationStore } from './classify-record.js';
import { StallClock } from './classify-stall.js';
import { transfer } from './classify-transfer.js';

/** What runs a classification, on whichever replica picks it up (classify-queue.ts). */
export interface RunnerDeps {
  store: ClassificationStore;
  vault: CredentialVault;
  publish(owner: string, job: PointcloudClassification): Promise<void>;
  /** Fresh vendor services for the job's credentials (a new set for each run and each poll). */
  services(credentials: Credentials): { flai: FlaiService; cupix: CupixService };
  cupixHttp: UpstreamHttp;
  retry: RetryPolicy;
  maxStallMs: number;
  pollMs: number;
  log: Logger;
  /** The jobs running in this process: a cancel here aborts at once. */
  running: Map<string, AbortController>;
}

/** The vault entry of a job's credentials (its Flai and Cupix ones, JSON; encrypted in Redis). */
export const credentialRef = (id: string): string => `classify:${id}`;

/** Stops the run: the job was cancelled or ended elsewhere. */
class Stopped extends Error {}

/** A failure of the pipeline itself (not a vendor's answer), with its code. */
export class PipelineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs one classification from where its record says it stands (docs/architecture.md, "Classifying a
 * Cupix point cloud with a Flai flow"): TRANSFERRING unless Flai named the uploaded file, IMPORTING
 * unless the dataset is made, CLASSIFYING unless the execution is started, then it follows the
 * execution to its end. Each step records what it finished before the next begins, so a run that
 * dies is continued by the next without a second dataset or execution. Returns when the job is
 * terminal (or was cancelled meanwhile); throws only when the store cannot be reached.
 */
export async function runClassification(deps: RunnerDeps, id: string): Promise<void> {
  let record = await deps.store.get(id);
  if (!record || isTerminalPhase(record.phase)) return;
  const abort = new AbortController();
  deps.running.set(id, abort);
  const stall = new StallClock(deps.maxStallMs, deps.retry, abort.signal);
  const change = async (patch: ClassificationPatch): Promise<ClassificationRecord> => {
    const next = await deps.store.update(id, patch);
    if (!next) throw new Stopped();
    record = next;
    await deps.publish(next.owner, toClassification(next));
    if (isTerminalPhase(next.phase)) throw new Stopped();
    return next;
  };
  const live = async () => {
    if (abort.signal.aborted) throw new Stopped();
    const now = await deps.store.get(id);
    if (!now || isTerminalPhase(now.phase)) throw new Stopped();
  };
  try {
    const sealed = await deps.vault.get(credentialRef(id));
    if (!sealed) throw new PipelineError('UNAUTHENTICATED', 'The credentials that started this job are no longer held by the gateway; start it again.');
    const credentials = JSON.parse(sealed) as Credentials;
    const { flai, cupix } = deps.services(credentials);
    const persist = stall.persist;

    let endFilename = record.endFilename;
    if (!endFilename && !record.datasetId) {
      await change({ phase: 'transferring', stage: ClassificationStage.TRANSFERRING });
      const note = (line: string, patch: ClassificationPatch = {}) => {
        deps.log.info({ classification: id }, line);
        return change({ ...patch, log: logged(record!, line) });
      };
      endFilename = await transfer({ record: () => record!, change, note, live, signal: abort.signal, cupix, flai, cupixHttp: deps.cupixHttp, persist });
      await change({ endFilename });
    }
    let datasetId = record.datasetId;
    if (!datasetId) {
      await change({ phase: 'importing', stage: ClassificationStage.IMPORTING });
      const dataset = await persist('FLAI', () =>
        flai.createUploadedDataset({ name: record!.datasetName, type: DatasetType.POINTCLOUD, idempotencyKey: record!.id }, endFilename!),
      );
      datasetId = dataset.id;
      await change({ datasetId });
    }
    let executionId = record.executionId;
    if (!executionId) {
      await importDone(deps, credentials, datasetId, live, stall, abort.signal);
      await change({ phase: 'classifying', stage: ClassificationStage.CLASSIFYING });
      const options = JSON.parse(record.nodeOptionsJson) as Record<string, Record<string, unknown>>;
      const nodeOptions = { ...options, [record.readerKey]: { ...(options[record.readerKey] ?? {}), dataset_id: datasetId } };
      const execution = await persist('FLAI', () => flai.runFlowTemplate({ flowId: record!.flowId, nodeOptions, idempotencyKey: record!.id }));
      executionId = execution.id;
      await change({ executionId, executionStatus: execution.upstreamStatus });
    }
    const ended = await follow(deps, credentials, executionId, change, live, stall, abort.signal);
    if (ended.state === JobState.SUCCEEDED) await change({ phase: 'succeeded', stage: ClassificationStage.DONE });
    else if (ended.state === JobState.CANCELLED) await change({ phase: 'cancelled', error: `Flai stopped the flow execution (${ended.upstreamStatus}).` });
    else await change({ phase: 'failed', error: `The Flai flow execution ended ${ended.upstreamStatus}.`, errorCode: 'UPSTREAM_ERROR' });
  } catch (err) {
    if (!(err instanceof Stopped) && !abort.signal.aborted) await fail(deps, id, record, err, change);
  } finally {
    deps.running.delete(id);
    const last = await deps.store.get(id).catch(() => null);
    if (last && isTerminalPhase(last.phase)) await deps.vault.delete(credentialRef(id)).catch(() => undefined);
  }
}

/** IMPORTING ends when Flai says the dataset is `ready` (a flow's reader takes nothing else); `failed` fails the job. */
async function importDone(deps: RunnerDeps, credentials: Credentials, datasetId: string, live: () => Promise<void>, stall: StallClock, signal: AbortSignal): Promise<void> {
  for (;;) {
    await live();
    const dataset = await stall.persist('FLAI', () => deps.services(credentials).flai.getDataset(datasetId));
    if (!dataset) throw new UpstreamError('FLAI', 404, 'NOT_FOUND', 'Flai no longer has the dataset made from the upload');
    if (dataset.status === 'ready') return;
    if (dataset.status === 'failed') throw new UpstreamError('FLAI', 200, 'UPSTREAM_ERROR', 'Flai could not import the point cloud (dataset status failed)');
    await sleep(deps.pollMs, undefined, { signal }).catch(() => undefined);
  }
}

/** CLASSIFYING: the execution polled with fresh services each time until it is terminal; its status and progress recorded. */
async function follow(
  deps: RunnerDeps,
  credentials: Credentials,
  executionId: string,
  change: (patch: ClassificationPatch) => Promise<ClassificationRecord>,
  live: () => Promise<void>,
  stall: StallClock,
  signal: AbortSignal,
): Promise<FlowExecution> {
  for (;;) {
    await live();
    const execution = await stall.persist('FLAI', () => deps.services(credentials).flai.getFlowExecution(executionId));
    if (!execution) throw new UpstreamError('FLAI', 404, 'NOT_FOUND', 'Flai no longer has the flow execution');
    await change({ executionStatus: execution.upstreamStatus, executionProgress: execution.progress ?? 0 });
    if (execution.isTerminal) return execution;
    await sleep(deps.pollMs, undefined, { signal }).catch(() => undefined);
  }
}

/** FAILED, in the stage it failed in, with a message safe to show and the code (UPSTREAM_*, ...). */
async function fail(deps: RunnerDeps, id: string, record: ClassificationRecord, err: unknown, change: (patch: ClassificationPatch) => Promise<ClassificationRecord>): Promise<void> {
  const upstream = err instanceof UpstreamError ? err : null;
  const pipeline = err instanceof PipelineError ? err : null;
  if (!upstream && !pipeline) deps.log.error({ err, classification: id }, 'classification failed inside the gateway');
  const vendor = upstream ? upstream.source.charAt(0) + upstream.source.slice(1).toLowerCase() : null;
  const error = upstream ? `${vendor} failed during ${record.stage} (${upstream.code}): ${upstream.message}` : (pipeline?.message ?? 'The classification failed inside the gateway.');
  await change({ phase: 'failed', error, errorCode: upstream?.code ?? pipeline?.code ?? 'INTERNAL_SERVER_ERROR', log: logged(record, error) }).catch(() => undefined);
}
