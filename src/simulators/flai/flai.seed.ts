import { BLOG_FLOW, GENERATED_FLOWS, buildFlow } from './flai.catalog.js';
import { prepareDownloadFiles } from './flai.files.js';
import { createDataset, createExecution, fillStats } from './flai.records.js';
import { REGIONS, genericRegion, type Region } from './flai.seed-data.js';
import type { FlaiStore } from './flai.store.js';
import type { DatasetType, DatasetWire, DownloadRecord, ExecutionStatus, FlaiTenant, FlowRecord, TenantState } from './flai.types.js';
import { flaiTime, int, nameUuid, prng, uuid } from './flai.util.js';
import { seedDocumented } from './flai.seed-documented.js';
import { newVariantCounters, seedVariants } from './flai.variants.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The demo credentials: Sanctum-style `<id>|<40-char secret>`, fixed so docs and tests can use them. */
export const FLAI_DEMO_TENANTS: readonly FlaiTenant[] = [
  { name: 'alpha', token: '17|aLpHaFlaiDemoToken7cQ2xV9mK4pR8sT1wZ6nB3', orgId: '0b8f3c2e-5d41-4a7e-9c16-2f7d8e9a1b34' },
  { name: 'beta', token: '42|bEtAFlaiDemo0Token5hJ8kL2mN6pQ9rS3tV7wX1', orgId: '7e2a9d14-c3b6-4f58-8a0d-6b1e4c7f9d25' },
];

/** Statuses of the generated flow executions (a dozen, every status present). */
const EXECUTION_PLAN: ExecutionStatus[] = [
  'finished', 'failed', 'finished', 'stopped', 'finished', 'failed',
  'finished', 'stopped', 'finished', 'processing', 'processing', 'queued', 'queued',
];

/**
 * Builds a tenant's whole data set. `now` is the virtual time at seeding; ids and values depend only
 * on the name. `variants`: the tenant whose answers take the documented variants (flai.variants.ts).
 */
export function seedTenant(store: FlaiStore, tenant: { name: string; token: string; orgId?: string }, now: number, opts: { variants?: boolean } = {}): TenantState {
  const rng = prng(`flai-tenant:${tenant.name}`);
  const region: Region = REGIONS[tenant.name] ?? genericRegion(tenant.name, rng);
  const orgId = tenant.orgId ?? uuid(rng);
  const userId = tenant.name === 'alpha' ? '84ffb8cc-acb7-4904-aa7a-0b27b28e1005' : uuid(rng);
  const state: TenantState = {
    tenant: { name: tenant.name, token: tenant.token, orgId },
    user: { id: userId, name: region.userName, email: region.email },
    organization: { id: orgId, name: region.orgName, address: region.address },
    permissions: tenant.name === 'alpha' ? ['super-admin'] : ['datasets.view', 'datasets.create', 'flows.view', 'flows.execute', 'downloads.create'],
    datasets: new Map(),
    flows: new Map(),
    executions: new Map(),
    downloads: new Map(),
    fileDownloads: new Map(),
    rng,
    variants: opts.variants ? newVariantCounters() : null,
  };
  const day0 = Math.floor(now / MINUTE) * MINUTE;
  seedDatasets(state, region, day0);
  const flows = seedFlows(state, day0);
  if (tenant.name === 'alpha') flows.unshift(...seedDocumented(state));
  seedExecutions(state, flows, day0);
  if (state.variants) seedVariants(state, day0);
  seedDownload(store, state, day0);
  return state;
}

function seedDatasets(state: TenantState, region: Region, day0: number): void {
  const types: DatasetType[] = ['pointcloud', 'vector', 'raster', 'image'];
  let n = 0;
  for (const type of types) {
    region.datasets[type].forEach((name, i) => {
      n++;
      // One point cloud still importing and one raster whose import failed, the rest ready.
      const status = type === 'pointcloud' && i === 1 ? 'processing' : type === 'raster' && i === 2 ? 'failed' : 'ready';
      const at = status === 'processing' ? day0 - 3 * MINUTE : day0 - (40 - n) * 24 * HOUR - int(state.rng, 0, 8) * HOUR;
      createDataset(
        state,
        {
          dataset_name: name,
          dataset_type_key: type,
          description: `${name} (${type})`,
          read_write_mode: i === 0 ? 'r' : 'rw',
          is_public: false,
          is_annotated: type === 'pointcloud' && i % 2 === 0,
          srid: region.srid,
          unit: region.unit,
          status,
          import_datasource: {
            datasource_type: i % 2 === 0 ? 'ftp' : 's3',
            datasource_address: i % 2 === 0 ? '' : `s3://${state.tenant.name}-survey-data`,
            ftp_datasource_address: i % 2 === 0 ? `ftp.${state.tenant.name}.example` : '',
            path: `/${type}/${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
          },
        },
        at,
      );
    });
  }
}

function seedFlows(state: TenantState, day0: number): FlowRecord[] {
  const blueprints = state.tenant.name === 'alpha' ? GENERATED_FLOWS : [{ ...BLOG_FLOW, options: undefined }, ...GENERATED_FLOWS];
  return blueprints.map((bp, i) => {
    const flow = buildFlow(state.rng, bp, {
      id: uuid(state.rng),
      orgId: state.organization.id,
      userId: state.user.id,
      at: flaiTime(day0 - (60 - i) * 24 * HOUR),
      isTemplate: true,
    });
    state.flows.set(flow.wire.id, flow);
    return flow;
  });
}

function readyPointclouds(state: TenantState): DatasetWire[] {
  return [...state.datasets.values()].filter((d) => d.dataset_type_key === 'pointcloud' && d.dataset_status === 'ready');
}

function seedExecutions(state: TenantState, flows: FlowRecord[], day0: number): void {
  const inputs = readyPointclouds(state);
  EXECUTION_PLAN.forEach((status, i) => {
    const flow = flows[i % flows.length];
    const input = inputs[i % inputs.length];
    const options: Record<string, Record<string, unknown>> = {};
    for (const node of flow.nodes) {
      if (node.type === 'reader') options[node.flow_node_key] = { dataset_id: input.id };
      if (node.type === 'writer') options[node.flow_node_key] = { dataset_name: `${input.dataset_name} - ${node.flow_node_key.replace(/_/g, ' ')} (run ${i + 1})` };
    }
    const inFlight = status === 'queued' || status === 'processing';
    const created = inFlight ? day0 - int(state.rng, 1, 3) * MINUTE : day0 - (EXECUTION_PLAN.length - i) * 7 * HOUR;
    const rec = createExecution(state, flow, options, created);
    rec.willFail = false;
    const started = created + int(state.rng, 20, inFlight ? 50 : 180) * 1000; // in flight: started before now
    const run = int(state.rng, 8, 45) * MINUTE;
    const w = rec.wire;
    w.status = status;
    if (status !== 'queued') {
      w.started_at = flaiTime(started);
      rec.startedMs = started;
    }
    if (status === 'finished' || status === 'failed') {
      const end = status === 'failed' ? started + Math.round(run / 3) : started + run;
      w.finished_at = flaiTime(end);
      w.total_execution_time = Math.round((end - started) / 1000);
    }
    if (status === 'stopped') w.stopped_at = flaiTime(started + Math.round(run / 2));
    if (status === 'failed') w.log_query_id = uuid(state.rng);
    for (const o of rec.outputs) {
      const ds = state.datasets.get(o.dataset_id) as DatasetWire;
      if (inFlight) continue;
      ds.dataset_status = status === 'finished' ? 'ready' : 'failed';
      if (status === 'finished') fillStats(state.rng, ds);
      ds.updated_at = w.finished_at ?? w.stopped_at ?? ds.updated_at;
    }
  });
}

/** The id of the prepared download every tenant is seeded with (the API has no list of downloads). */
export function seededDownloadId(tenantName: string): string {
  return nameUuid(`flai-seeded-download:${tenantName}`);
}

function seedDownload(store: FlaiStore, state: TenantState, day0: number): void {
  const target = state.tenant.name === 'alpha' ? state.datasets.get('782130b6-e4d6-427d-a531-50456a18f92f') : readyPointclouds(state)[0];
  if (!target) return;
  const at = flaiTime(day0 - 2 * HOUR);
  const dl: DownloadRecord = {
    wire: {
      id: seededDownloadId(state.tenant.name),
      organization_id: state.organization.id,
      created_by: state.user.id,
      status: 'download-prepared',
      items: [{ model_name: 'datasets', model_id: target.id }],
      created_at: at,
      updated_at: at,
    },
    files: [],
  };
  state.downloads.set(dl.wire.id, dl);
  prepareDownloadFiles(store, state, dl, day0 - 2 * HOUR + 5000);
}
