import { readFileSync } from 'node:fs';
import { CUPIX_DEMO_TENANTS } from '../../src/simulators/cupix/index.js';
import { FLAI_DEMO_TENANTS } from '../../src/simulators/flai/index.js';
import { MAPFLOW_DEMO_TENANTS } from '../../src/simulators/mapflow/index.js';
import type { RunningSimulator } from '../../src/simulators/index.js';
import type { Stack as FullStack } from '../helpers/stack.helpers.js';

/** Anything with the simulators: a stack, or a federated stack. */
type Stack = Pick<FullStack, 'sims'>;

/** Anything that runs the simulators: a stack, or a test that runs gateway processes. */
type WithSims = Pick<Stack, 'sims'>;

/** Creates jobs straight at the simulators (as another client of the vendor would), outside the gateway. */
export type Json = Record<string, unknown>;

/** What the tests read of the vendors' answers (the rest stays `Json`). */
export type Created = Json & { id: string };
export type MapflowProcessing = Created & { messages: Json[] };
export type FlaiExecution = Created & { output_datasets: { dataset_id: string }[] };

export const MAPFLOW = { alpha: MAPFLOW_DEMO_TENANTS[0], beta: MAPFLOW_DEMO_TENANTS[1] };
export const FLAI = { alpha: FLAI_DEMO_TENANTS[0], beta: FLAI_DEMO_TENANTS[1] };
export const CUPIX = { alpha: CUPIX_DEMO_TENANTS[0], beta: CUPIX_DEMO_TENANTS[1] };

/** One call to a simulator's REST API; its answer read as `T` (what the vendor's docs say it holds). */
async function call<T extends Json = Json>(sim: RunningSimulator, path: string, auth: Record<string, string>, body?: unknown): Promise<T> {
  const res = await fetch(sim.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { accept: 'application/json', ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${sim.vendor} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const mapflowAuth = (token: string) => ({ authorization: `Basic ${token}` });

/** A ~0.26 km² square near Moscow (the Mapflow docs' example area). */
const square = (lon = 37.2984, lat = 55.6362, d = 0.0093) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d / 2.3], [lon, lat + d / 2.3], [lon, lat]]],
});
const BUILDINGS = '30ddfd15-04aa-47f6-9ceb-68ce709fd710';

/** A processing that runs to OK, or (`failing`) fails at 40 % because its tile server is unreachable. */
export function createProcessing(stack: WithSims, opts: { projectId?: string; failing?: boolean; name?: string; token?: string } = {}): Promise<Created> {
  const source = opts.failing
    ? { userDefined: { sourceType: 'XYZ', url: 'https://tiles.example.invalid/{z}/{x}/{y}.png' } }
    : { dataProvider: { providerName: 'Mapbox', zoom: 18 } };
  return call<Created>(stack.sims.mapflow, '/processings/v2', mapflowAuth(opts.token ?? MAPFLOW.alpha.token), {
    name: opts.name ?? 'status test',
    wdId: BUILDINGS,
    geometry: square(),
    params: { sourceParams: source },
    ...(opts.projectId ? { projectId: opts.projectId } : {}),
  });
}

export function createProject(stack: WithSims, name: string, token = MAPFLOW.alpha.token): Promise<Created> {
  return call<Created>(stack.sims.mapflow, '/projects', mapflowAuth(token), { name, description: 'live status test' });
}

export function getProcessing(stack: WithSims, id: string, token = MAPFLOW.alpha.token): Promise<MapflowProcessing> {
  return call<MapflowProcessing>(stack.sims.mapflow, `/processings/${id}/v2`, mapflowAuth(token));
}

const flaiAuth = (t: { token: string }) => ({ authorization: `Bearer ${t.token}` });
const org = (t: { orgId: string }) => `/organization/${t.orgId}`;

/** The Flai blog's flow-template execution (two writers, so two output datasets). */
export function runFlow(stack: WithSims, tenant: { token: string; orgId: string } = FLAI.alpha): Promise<FlaiExecution> {
  const body = JSON.parse(readFileSync(new URL('../fixtures/vendor-docs/flai/flow-template-execution-request.json', import.meta.url), 'utf8')) as Json;
  return call<FlaiExecution>(stack.sims.flai, `${org(tenant)}/flow-template-execution`, flaiAuth(tenant), body);
}

/** Asks for a download of the tenant's first ready dataset. */
export async function requestDownload(stack: WithSims, tenant: { token: string; orgId: string } = FLAI.alpha): Promise<Created> {
  const list = await call<{ items: Json[] }>(stack.sims.flai, `${org(tenant)}/datasets?per_page=100`, flaiAuth(tenant));
  const ready = list.items.find((d) => d.dataset_status === 'ready');
  if (!ready) throw new Error('no ready dataset in the Flai seed');
  return call<Created>(stack.sims.flai, `${org(tenant)}/downloads`, flaiAuth(tenant), { items: [{ model_name: 'datasets', model_id: ready.id }] });
}

/** A pointcloud still `processing` in the Cupix alpha seed, with the virtual ms until it settles. */
export const PROCESSING_POINTCLOUD = { id: '5331', settlesAfterMs: 20_000 };
