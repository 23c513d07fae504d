import type {
  DatasetStatus,
  DatasetType,
  DatasetWire,
  DownloadRecord,
  ExecutionRecord,
  FlowRecord,
  TenantState,
} from './flai.types.js';
import { decimalString, flaiTime, uuid } from './flai.util.js';

export interface NewDataset {
  dataset_name: string;
  dataset_type_key: DatasetType;
  description?: string | null;
  read_write_mode?: string;
  is_public?: boolean;
  is_annotated?: boolean;
  srid?: number | null;
  unit?: string;
  semantic_definition_schema_id?: string | null;
  import_datasource?: DatasetWire['import_datasource'];
  status?: DatasetStatus;
  sizeGb?: number;
  id?: string;
}

/** Creates and stores a dataset record (never with credentials: the caller passes none). */
export function createDataset(state: TenantState, d: NewDataset, atMs: number): DatasetWire {
  const at = flaiTime(atMs);
  const status = d.status ?? 'created';
  const ds: DatasetWire = {
    id: d.id ?? uuid(state.rng),
    organization_id: state.organization.id,
    created_by: state.user.id,
    updated_by: null,
    dataset_name: d.dataset_name,
    description: d.description ?? null,
    dataset_type_key: d.dataset_type_key,
    read_write_mode: d.read_write_mode ?? 'rw',
    is_public: d.is_public ?? false,
    is_annotated: d.is_annotated ?? false,
    srid: d.srid ?? null,
    unit: d.unit ?? 'm',
    dataset_status: status,
    dataset_data_size_in_gb: '0',
    pointcloud_dataset_point_density: null,
    pointcloud_dataset_area: null,
    semantic_definition_schema_id: d.semantic_definition_schema_id ?? null,
    import_datasource: d.import_datasource ?? null,
    created_at: at,
    updated_at: at,
    deleted_at: null,
  };
  if (status === 'ready') fillStats(state.rng, ds, d.sizeGb);
  state.datasets.set(ds.id, ds);
  return ds;
}

/** Size and point cloud statistics, known once a dataset is ready. */
export function fillStats(rng: () => number, ds: DatasetWire, sizeGb?: number): void {
  ds.dataset_data_size_in_gb = decimalString(sizeGb ?? 0.05 + rng() * 12, 2);
  if (ds.dataset_type_key === 'pointcloud') {
    ds.pointcloud_dataset_point_density = decimalString(4 + rng() * 60, 2);
    ds.pointcloud_dataset_area = decimalString(0.2 + rng() * 40, 3);
  }
}

/** Creates an execution of `flow` with one output dataset per writer node (status `created`). */
export function createExecution(
  state: TenantState,
  flow: FlowRecord,
  options: Record<string, Record<string, unknown>>,
  atMs: number,
  id?: string,
): ExecutionRecord {
  const at = flaiTime(atMs);
  const execId = id ?? uuid(state.rng);
  const writers = flow.nodes.filter((n) => n.type === 'writer');
  // Outputs inherit the reference system of the (first) input dataset.
  const reader = flow.nodes.find((n) => n.type === 'reader');
  const inputId = reader ? { ...reader.options, ...(options[reader.flow_node_key] ?? {}) }.dataset_id : undefined;
  const input = typeof inputId === 'string' ? state.datasets.get(inputId) : undefined;
  const outputs = writers.map((w) => {
    const name = String({ ...w.options, ...(options[w.flow_node_key] ?? {}) }.dataset_name ?? w.title);
    const ds = createDataset(
      state,
      { dataset_name: name, dataset_type_key: flow.io[w.flow_node_key] ?? 'pointcloud', srid: input?.srid, unit: input?.unit, is_annotated: true },
      atMs,
    );
    return { id: uuid(state.rng), dataset_id: ds.id, created_at: at };
  });
  const rec: ExecutionRecord = {
    wire: {
      id: execId,
      created_by: state.user.id,
      updated_by: null,
      flow_id: flow.wire.id,
      status: 'queued',
      created_at: at,
      started_at: null,
      finished_at: null,
      total_execution_time: null,
      log_query_id: null,
      stopped_at: null,
    },
    outputs,
    startedMs: null,
    willFail: writers.some((w) => isFailMarked(options[w.flow_node_key]?.dataset_name)),
  };
  state.executions.set(execId, rec);
  return rec;
}

/**
 * Deterministic failure trigger (simulator convention, not Flai's): an execution whose writer
 * `dataset_name` contains "fail" (any case) fails while processing; a dataset whose import
 * `path` contains "fail" fails its import.
 */
export function isFailMarked(v: unknown): boolean {
  return typeof v === 'string' && /fail/i.test(v);
}

/** FlowExecution exactly as the blog example, output datasets joined with their dataset's state. */
export function executionView(state: TenantState, rec: ExecutionRecord): Record<string, unknown> {
  return {
    ...rec.wire,
    output_datasets: rec.outputs.map((o) => {
      const ds = state.datasets.get(o.dataset_id);
      return {
        id: o.id,
        flow_id: rec.wire.flow_id,
        flow_execution_id: rec.wire.id,
        dataset_id: o.dataset_id,
        is_output: true,
        created_at: o.created_at,
        dataset_name: ds?.dataset_name ?? '',
        dataset_status: ds?.dataset_status ?? 'failed',
        dataset_data_size_in_gb: ds?.dataset_data_size_in_gb ?? '0',
      };
    }),
  };
}

/** Flai's `decorators=a,b` query: which relations to include. */
export function decorators(query: URLSearchParams): Set<string> {
  return new Set((query.get('decorators') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}

export function flowView(rec: FlowRecord, deco: Set<string>): Record<string, unknown> {
  return {
    ...rec.wire,
    ...(deco.has('flow_nodes') ? { flow_nodes: rec.nodes } : {}),
    ...(deco.has('flow_edges') ? { flow_edges: rec.edges } : {}),
  };
}

export function flowTemplateView(rec: FlowRecord): Record<string, unknown> {
  return { id: rec.wire.id, title: rec.wire.title, description: rec.wire.description, created_at: rec.wire.created_at, updated_at: rec.wire.updated_at };
}

/** `files` are listed only once the download is prepared (and with `?decorators=files`). */
export function downloadView(rec: DownloadRecord, deco: Set<string>): Record<string, unknown> {
  if (!deco.has('files')) return { ...rec.wire };
  return {
    ...rec.wire,
    files: rec.files.map((f) => ({ id: f.id, download_id: f.download_id, name: f.name, size: f.size, created_at: f.created_at })),
  };
}
