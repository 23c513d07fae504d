import { FLAI_DEMO_TENANTS } from '../../src/simulators/flai/index.js';
import type { GqlResponse, Stack } from '../helpers/stack.helpers.js';

export const [ALPHA, BETA] = FLAI_DEMO_TENANTS;

/** What the simulator holds: a raw vendor GET (then reset the counters before asserting them). */
export async function vendor<T = Record<string, unknown>>(stack: Stack, path: string, tenant = ALPHA): Promise<T> {
  const url = `${stack.sims.flai.url}/organization/${tenant.orgId}${path}`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${tenant.token}`, accept: 'application/json' } });
  if (!res.ok) throw new Error(`vendor GET ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export type Raw = Record<string, unknown>;
export type RawPage = { items: Raw[]; pagination: { total_items: number } };

/** `2023-11-19 12:39:30` → `2023-11-19T12:39:30.000Z` (Flai's timestamps are UTC). */
export const iso = (s: unknown): string | null => (typeof s === 'string' ? `${s.replace(' ', 'T')}.000Z` : null);
export const numOrNull = (s: unknown): number | null => (s === null || s === undefined ? null : Number(s));

/** The GraphQL Dataset we expect for a raw Flai dataset, written out independently of the mapper. */
export function expectedDataset(d: Raw) {
  return {
    id: d.id,
    name: d.dataset_name,
    description: d.description,
    type: String(d.dataset_type_key).toUpperCase(),
    status: d.dataset_status,
    srid: d.srid,
    unit: d.unit,
    isPublic: d.is_public,
    isAnnotated: d.is_annotated,
    readWriteMode: d.read_write_mode,
    sizeInGb: Number(d.dataset_data_size_in_gb),
    createdAt: iso(d.created_at),
  };
}

export const DATASET_FIELDS = 'id name description type status srid unit isPublic isAnnotated readWriteMode sizeInGb createdAt';

const STATUS: Record<string, [string, string, boolean]> = {
  queued: ['QUEUED', 'QUEUED', false],
  processing: ['PROCESSING', 'RUNNING', false],
  finished: ['FINISHED', 'SUCCEEDED', true],
  failed: ['FAILED', 'FAILED', true],
  stopped: ['STOPPED', 'CANCELLED', true],
};

export interface GqlExecution {
  __typename: string;
  id: string;
  source: string;
  state: string;
  upstreamStatus: string;
  progress: number | null;
  isTerminal: boolean;
  updatedAt: string | null;
  flowId: string;
  status: string;
  createdBy: string | null;
  createdAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  stoppedAt: string | null;
  totalExecutionTime: number | null;
  outputDatasets: { datasetId: string; name: string; status: string; sizeInGb: number | null; createdAt: string | null }[];
}

export function expectedExecution(e: Raw): GqlExecution {
  const [status, state, isTerminal] = STATUS[String(e.status)];
  const times = [e.created_at, e.started_at, e.finished_at, e.stopped_at].map(iso).filter((t): t is string => !!t).sort();
  return {
    __typename: 'FlowExecution',
    id: String(e.id),
    source: 'FLAI',
    state,
    upstreamStatus: String(e.status),
    progress: null,
    isTerminal,
    updatedAt: times[times.length - 1] ?? null,
    flowId: String(e.flow_id),
    status,
    createdBy: (e.created_by as string | null) ?? null,
    createdAt: iso(e.created_at),
    startedAt: iso(e.started_at),
    finishedAt: iso(e.finished_at),
    stoppedAt: iso(e.stopped_at),
    totalExecutionTime: numOrNull(e.total_execution_time),
    outputDatasets: (e.output_datasets as Raw[]).map((o) => ({
      datasetId: String(o.dataset_id),
      name: String(o.dataset_name),
      status: String(o.dataset_status),
      sizeInGb: Number(o.dataset_data_size_in_gb),
      createdAt: iso(o.created_at),
    })),
  };
}

export const EXECUTION_FIELDS = `__typename id source state upstreamStatus progress isTerminal updatedAt flowId status createdBy createdAt startedAt finishedAt stoppedAt totalExecutionTime
  outputDatasets { datasetId name status sizeInGb createdAt }`;

/** The errors of a response as `[path, code, source, upstreamStatus]`, sorted by path, for exact comparison. */
export function errorSummary(r: GqlResponse): [string, unknown, unknown, unknown][] {
  return (r.errors ?? [])
    .map((e): [string, unknown, unknown, unknown] => [(e.path ?? []).join('.'), e.extensions?.code, e.extensions?.source, e.extensions?.upstreamStatus])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
