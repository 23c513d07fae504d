import { createDataset, createExecution } from './flai.records.js';
import type { DatasetWire, ExecutionStatus, FlaiTenant, TenantState, VariantCounters } from './flai.types.js';
import { flaiTime } from './flai.util.js';

/**
 * The documented variants of the Flai simulator (docs/vendors.md, "Documented variants"): answers
 * Flai's docs allow but its examples never show. They are served to one tenant of their own, seeded
 * only in documented-variants mode, so that the demo tenants `alpha` and `beta` keep the exact
 * shapes of the examples that the exact-data tests compare with:
 *
 * - its `datasets` and `flow-executions` lists are bare JSON arrays (the whole list), as
 *   `flow-templates` is, instead of the paged envelope;
 * - every other execution that finishes says `finish` (the blog's word), the others `finished` (the SDK's);
 * - every other `POST datasets` and `POST flow-template-execution` answers only `{id}`;
 * - one dataset has `dataset_type_key: "mesh"` and one execution the status `paused`, values no doc lists.
 */
export const FLAI_VARIANTS_TENANT: FlaiTenant = {
  name: 'variants',
  token: '73|vArIaNtSFlaiDemoToken4fG8hJ2kL6mN0pQ3rS',
  orgId: '5c1d7e93-2b48-4a6f-8e0c-9d3f6a2b7e41',
};

/** The undocumented values the variants tenant seeds. */
export const FLAI_UNDOCUMENTED = { datasetType: 'mesh', executionStatus: 'paused' } as const;

export function newVariantCounters(): VariantCounters {
  return { datasetCreates: 0, executionCreates: 0, finishes: 0 };
}

/** The shape of the tenant's organization lists (`ListEnvelope` of flai.http.ts): the configured one, or for the variants tenant a bare array. */
export function envelopeFor<Envelope extends string>(state: TenantState, configured: Envelope): Envelope | 'array' {
  return state.variants ? 'array' : configured;
}

/** The answer of a create: the whole record, or for every other create of the variants tenant (the first included) only its id. */
export function createAnswer(state: TenantState, kind: 'datasetCreates' | 'executionCreates', whole: Record<string, unknown> & { id: string }): Record<string, unknown> {
  const counters = state.variants;
  if (!counters) return whole;
  const idOnly = counters[kind]++ % 2 === 0;
  return idOnly ? { id: whole.id } : whole;
}

/** The literal of an execution that finishes now: `finished`, or for every other one of the variants tenant, `finish`. */
export function finishLiteral(state: TenantState): ExecutionStatus {
  const counters = state.variants;
  if (!counters) return 'finished';
  return counters.finishes++ % 2 === 1 ? 'finish' : 'finished';
}

/**
 * Seeds what only the variants tenant has: its finished executions alternate `finished` / `finish`,
 * and a `mesh` dataset and a `paused` execution join the generated ones.
 */
export function seedVariants(state: TenantState, day0: number): void {
  for (const rec of state.executions.values()) if (rec.wire.status === 'finished') rec.wire.status = finishLiteral(state);
  const mesh = createDataset(
    state,
    { dataset_name: 'Facade mesh (undocumented kind)', dataset_type_key: 'pointcloud', description: 'A kind the docs do not list', status: 'ready', sizeGb: 0.4 },
    day0 - 36 * 3600_000,
  );
  Object.assign(mesh, { dataset_type_key: FLAI_UNDOCUMENTED.datasetType, pointcloud_dataset_point_density: null, pointcloud_dataset_area: null });
  const input = [...state.datasets.values()].find((d: DatasetWire) => d.dataset_type_key === 'pointcloud' && d.dataset_status === 'ready');
  const flow = [...state.flows.values()].find((f) => f.nodes.some((n) => n.type === 'reader') && f.nodes.some((n) => n.type === 'writer'));
  if (!input || !flow) return;
  const options: Record<string, Record<string, unknown>> = {};
  for (const node of flow.nodes) {
    if (node.type === 'reader') options[node.flow_node_key] = { dataset_id: input.id };
    if (node.type === 'writer') options[node.flow_node_key] = { dataset_name: `${input.dataset_name} - paused run` };
  }
  const created = day0 - 20 * 3600_000;
  const rec = createExecution(state, flow, options, created);
  rec.wire.status = FLAI_UNDOCUMENTED.executionStatus;
  rec.wire.started_at = flaiTime(created + 60_000);
  rec.startedMs = created + 60_000;
  rec.willFail = false;
}
