import type { Tenant } from '../core/index.js';

/** A Flai credential: a Sanctum personal access token and the organization it is active in. */
export interface FlaiTenant extends Tenant {
  name: string;
  token: string;
  orgId: string;
}

export type DatasetType = 'pointcloud' | 'vector' | 'raster' | 'image';
/** A `dataset_type_key` the docs do not list, sent by the variants tenant (see flai.variants.ts). */
export type UndocumentedDatasetType = 'mesh';
/** [INFER] only `created` is documented (an output dataset at the start of its execution). */
export type DatasetStatus = 'created' | 'processing' | 'ready' | 'failed';
/**
 * [INFER] only `processing` and "finish" are documented; see flai.lifecycle.ts. `finish` and the
 * undocumented `paused` are sent by the variants tenant only (see flai.variants.ts).
 */
export type ExecutionStatus = 'queued' | 'processing' | 'finished' | 'finish' | 'failed' | 'stopped' | 'paused';
/** [INFER] only `download-prepared` is known, from Flai's SDK (docs/vendors.md, "Flai: download status literals"). */
export type DownloadStatus = 'pending' | 'processing' | 'download-prepared' | 'failed';

/** A dataset as served; credentials are never part of it. */
export interface DatasetWire {
  id: string;
  organization_id: string;
  created_by: string;
  updated_by: string | null;
  dataset_name: string;
  description: string | null;
  dataset_type_key: DatasetType | UndocumentedDatasetType;
  read_write_mode: string;
  is_public: boolean;
  is_annotated: boolean;
  srid: number | null;
  unit: string;
  dataset_status: DatasetStatus;
  /** A decimal sent as a string, like the documented `dataset_data_size_in_gb` of output datasets. */
  dataset_data_size_in_gb: string;
  pointcloud_dataset_point_density: string | null;
  pointcloud_dataset_area: string | null;
  semantic_definition_schema_id: string | null;
  import_datasource: { datasource_type: string; datasource_address: string; ftp_datasource_address: string; path: string } | null;
  created_at: string;
  updated_at: string;
  deleted_at: null;
}

export type NodeType = 'reader' | 'writer' | 'processor';

export interface FlowNodeWire {
  id: string;
  flow_id: string;
  flow_node_key: string;
  flow_node_definition_id: string;
  flow_node_execution_id: string | null;
  type: NodeType;
  title: string;
  options: Record<string, unknown>;
  position: { x: number; y: number };
}

export interface FlowEdgeWire {
  id: string;
  flow_id: string;
  source_flow_node_id: string;
  target_flow_node_id: string;
}

export interface FlowRecord {
  wire: {
    id: string;
    organization_id: string;
    project_id: string | null;
    title: string;
    description: string;
    is_template: boolean;
    created_by: string;
    created_at: string;
    updated_at: string;
  };
  nodes: FlowNodeWire[];
  edges: FlowEdgeWire[];
  /** Which dataset type a reader accepts or a writer produces, by node key. */
  io: Record<string, DatasetType>;
}

export interface OutputLink {
  id: string;
  dataset_id: string;
  created_at: string;
}

export interface ExecutionRecord {
  wire: {
    id: string;
    created_by: string;
    updated_by: string | null;
    flow_id: string;
    status: ExecutionStatus;
    created_at: string;
    started_at: string | null;
    finished_at: string | null;
    total_execution_time: number | null;
    log_query_id: string | null;
    stopped_at: string | null;
  };
  outputs: OutputLink[];
  /** Virtual ms of start (for total_execution_time). */
  startedMs: number | null;
  willFail: boolean;
}

export interface DownloadFileRecord {
  id: string;
  download_id: string;
  name: string;
  size: number;
  created_at: string;
  /** Object key under `/storage/`. */
  key: string;
}

export interface DownloadRecord {
  wire: {
    id: string;
    organization_id: string;
    created_by: string;
    status: DownloadStatus;
    items: { model_name: string; model_id: string }[];
    created_at: string;
    updated_at: string;
  };
  files: DownloadFileRecord[];
}

export interface TenantState {
  tenant: FlaiTenant;
  user: { id: string; name: string; email: string };
  organization: { id: string; name: string; address: string };
  permissions: string[];
  datasets: Map<string, DatasetWire>;
  flows: Map<string, FlowRecord>;
  executions: Map<string, ExecutionRecord>;
  downloads: Map<string, DownloadRecord>;
  fileDownloads: Map<string, DownloadFileRecord>;
  /** Deterministic generator for ids and values of everything this tenant creates. */
  rng: () => number;
  /** Set for the tenant whose answers take the documented variants (flai.variants.ts); null for every other. */
  variants: VariantCounters | null;
}

/** What the variants tenant alternates, counted in order (flai.variants.ts). */
export interface VariantCounters {
  datasetCreates: number;
  executionCreates: number;
  finishes: number;
}
