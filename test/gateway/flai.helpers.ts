import { FLAI_DEMO_TENANTS } from '../../src/simulators/flai/index.js';
import { FlaiFlowTemplateIdsDocument, type FlaiExecutionFieldsFragment, type FlowExecutionStatus, type JobState } from '../generated/graphql.js';
import { jsonOf, startStack, test as stackTest, type GqlResponse, type Stack } from '../helpers/stack.helpers.js';

export const [ALPHA, BETA] = FLAI_DEMO_TENANTS;

/** What the simulator holds: a raw vendor GET (then reset the counters before asserting them). */
export async function vendor<T = Record<string, unknown>>(stack: Stack, path: string, tenant = ALPHA): Promise<T> {
  const url = `${stack.sims.flai.url}/organization/${tenant.orgId}${path}`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${tenant.token}`, accept: 'application/json' } });
  if (!res.ok) throw new Error(`vendor GET ${path}: HTTP ${res.status}`);
  return jsonOf<T>(res);
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

const STATUS: Record<string, [FlowExecutionStatus, JobState, boolean]> = {
  queued: ['QUEUED', 'QUEUED', false],
  processing: ['PROCESSING', 'RUNNING', false],
  finished: ['FINISHED', 'SUCCEEDED', true],
  failed: ['FAILED', 'FAILED', true],
  stopped: ['STOPPED', 'CANCELLED', true],
};

/** The GraphQL FlowExecution (FlaiExecutionFields) we expect for a raw Flai execution, written out independently of the mapper. */
export function expectedExecution(e: Raw): FlaiExecutionFieldsFragment {
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

/** The errors of a response as `[path, code, source, upstreamStatus]`, sorted by path, for exact comparison. */
export function errorSummary(r: Pick<GqlResponse<unknown>, 'errors'>): [string, unknown, unknown, unknown][] {
  return (r.errors ?? [])
    .map((e): [string, unknown, unknown, unknown] => [(e.path ?? []).join('.'), e.extensions?.code, e.extensions?.source, e.extensions?.upstreamStatus])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** What the Flai simulator holds for the two demo tenants, read once per file (see `test` below). */
export interface FlaiHeld {
  datasets: Raw[];
  executions: Raw[];
  betaDatasets: Raw[];
  betaExecutions: Raw[];
}

/**
 * The stack test API of the Flai files: the stack's server credential has looked up its
 * organization (Flai's one-time /oauth/me) before the first test, and `held` is what the simulator
 * holds for alpha and beta, read when a test first asks; neither counts as a test's vendor calls.
 */
export const test = stackTest
  .extend('stack', { scope: 'file' }, async ({ stackOptions }, { onCleanup }) => {
    const stack = await startStack(stackOptions);
    onCleanup(() => stack.close());
    await stack.op(FlaiFlowTemplateIdsDocument);
    stack.resetCounts();
    return stack;
  })
  .extend('held', { scope: 'file' }, async ({ stack }) => {
    const held: FlaiHeld = {
      datasets: (await vendor<RawPage>(stack, '/datasets?per_page=200')).items,
      executions: (await vendor<RawPage>(stack, '/flow-executions?per_page=200')).items,
      betaDatasets: (await vendor<RawPage>(stack, '/datasets?per_page=200', BETA)).items,
      betaExecutions: (await vendor<RawPage>(stack, '/flow-executions?per_page=200', BETA)).items,
    };
    stack.resetCounts();
    return held;
  });
