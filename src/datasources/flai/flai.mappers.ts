import { Source } from '../../schema/common/job.type.js';
import type { CreateDatasetInput, FtpImportInput, S3ImportInput } from '../../schema/flai/create-dataset.input.js';
import type { DatasetDownload, DownloadFile } from '../../schema/flai/dataset-download.type.js';
import { DatasetType } from '../../schema/flai/dataset-type.enum.js';
import type { Dataset, OutputDataset } from '../../schema/flai/dataset.type.js';
import type { FlowExecution } from '../../schema/flai/flow-execution.type.js';
import type { Flow, FlowTemplate } from '../../schema/flai/flow.type.js';
import type { DatasetModel, DownloadModel, FlowExecutionModel, FlowModel } from './flai.models.js';
import { DOWNLOAD_PREPARED, downloadState, executionStatus, isTerminalState } from './flai.status.js';

/** Flai's `YYYY-MM-DD HH:MM:SS` is UTC [upstream-reference §1.4]; a string with its own zone keeps it. */
export function flaiDate(s: string | null | undefined): Date | null {
  if (!s) return null;
  // The documented form (exactly 19 chars; the model checked it) is the hot path: no regex.
  if (s.length === 19) return new Date(`${s.slice(0, 10)}T${s.slice(11)}Z`);
  const iso = s.replace(' ', 'T');
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
}

/** Numeric strings (`"0"`, `"1.37"`) → numbers; the model already rejected anything else. */
export function num(v: string | number | null | undefined): number | null {
  return v === null || v === undefined ? null : Number(v);
}

const TYPE_FROM_VENDOR: Record<DatasetModel['dataset_type_key'], DatasetType> = {
  pointcloud: DatasetType.POINTCLOUD,
  vector: DatasetType.VECTOR,
  raster: DatasetType.RASTER,
  image: DatasetType.IMAGE,
};

export function toDataset(m: DatasetModel): Dataset {
  return {
    id: m.id,
    name: m.dataset_name,
    description: m.description ?? null,
    type: TYPE_FROM_VENDOR[m.dataset_type_key],
    status: m.dataset_status ?? null,
    srid: m.srid ?? null,
    unit: m.unit ?? null,
    isPublic: m.is_public ?? null,
    isAnnotated: m.is_annotated ?? null,
    readWriteMode: m.read_write_mode ?? null,
    sizeInGb: num(m.dataset_data_size_in_gb),
    createdAt: flaiDate(m.created_at),
    imported: !!m.import_datasource,
  };
}

export function toFlowExecution(m: FlowExecutionModel): FlowExecution {
  const { status, state } = executionStatus(m.status);
  const createdAt = flaiDate(m.created_at);
  const startedAt = flaiDate(m.started_at);
  const finishedAt = flaiDate(m.finished_at);
  const stoppedAt = flaiDate(m.stopped_at);
  return {
    __typename: 'FlowExecution',
    id: m.id,
    source: Source.FLAI,
    state,
    upstreamStatus: m.status,
    // Flai reports no progress for a flow execution.
    progress: null,
    isTerminal: isTerminalState(state),
    // The payload has no `updated_at` (blog example): the last lifecycle timestamp is when it last changed.
    updatedAt: flaiDate(m.updated_at) ?? latest(createdAt, startedAt, finishedAt, stoppedAt),
    flowId: m.flow_id,
    status,
    createdBy: m.created_by ?? null,
    createdAt,
    startedAt,
    finishedAt,
    stoppedAt,
    totalExecutionTime: num(m.total_execution_time),
    outputDatasets: (m.output_datasets ?? []).map(
      (o): OutputDataset => ({
        datasetId: o.dataset_id,
        name: o.dataset_name,
        status: o.dataset_status,
        sizeInGb: num(o.dataset_data_size_in_gb),
        createdAt: flaiDate(o.created_at),
        flowExecutionId: o.flow_execution_id ?? m.id,
      }),
    ),
  };
}

function latest(...dates: (Date | null)[]): Date | null {
  let best: Date | null = null;
  for (const d of dates) if (d && (!best || d > best)) best = d;
  return best;
}

export function toFlow(m: FlowModel): Flow {
  return {
    id: m.id,
    title: m.title ?? null,
    nodes: (m.flow_nodes ?? []).map((n) => ({
      key: n.flow_node_key,
      type: n.type ?? null,
      definitionId: n.flow_node_definition_id ?? null,
      options: n.options ?? null,
    })),
  };
}

export function toFlowTemplate(m: { id: string; title: string }): FlowTemplate {
  return { id: m.id, title: m.title };
}

export function toDatasetDownload(m: DownloadModel): DatasetDownload {
  const state = downloadState(m.status);
  const ready = m.status === DOWNLOAD_PREPARED;
  const item = m.items.find((i) => i.model_name === 'datasets') ?? m.items[0];
  return {
    __typename: 'DatasetDownload',
    id: m.id,
    source: Source.FLAI,
    state,
    upstreamStatus: m.status,
    progress: null,
    isTerminal: isTerminalState(state),
    updatedAt: flaiDate(m.updated_at ?? m.created_at),
    datasetId: item.model_id,
    ready,
    files: ready ? (m.files ?? []).map((f): DownloadFile => ({ id: f.id, name: f.name, size: num(f.size) })) : [],
  };
}

/**
 * A presigned URL as the SDK uses it (tools/download.py): absolute when it starts with `http`,
 * else a path below `{host}/presigned`.
 */
export function presignedUrl(host: string, url: string): string {
  return /^https?:\/\//i.test(url) ? url : `${host}/presigned${url.startsWith('/') ? '' : '/'}${url}`;
}

const TYPE_TO_VENDOR: Record<DatasetType, DatasetModel['dataset_type_key']> = {
  [DatasetType.POINTCLOUD]: 'pointcloud',
  [DatasetType.VECTOR]: 'vector',
  [DatasetType.RASTER]: 'raster',
  [DatasetType.IMAGE]: 'image',
};

/** Only the options the caller set are sent, so Flai's own defaults apply to the rest. */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
}

/**
 * `POST datasets` body [DOC blog]. The credentials travel only in this body, straight to Flai;
 * the returned dataset has no field that could carry them back. S3 key names are [UNKNOWN] at
 * Flai: these follow the documented FTP keys' pattern, as the simulator does.
 */
export function toCreateDatasetBody(input: CreateDatasetInput, source: { ftp: FtpImportInput } | { s3: S3ImportInput }): Record<string, unknown> {
  const importDatasource =
    'ftp' in source
      ? {
          datasource_type: 'ftp',
          datasource_address: '',
          ftp_datasource_address: source.ftp.host,
          path: source.ftp.path,
          credentials: defined({
            ftp_username: source.ftp.username,
            ftp_password: source.ftp.password,
            ftp_port: source.ftp.port == null ? undefined : String(source.ftp.port),
            ftp_secure: source.ftp.secure,
          }),
        }
      : {
          datasource_type: 's3',
          datasource_address: `s3://${source.s3.bucket}`,
          ftp_datasource_address: '',
          path: source.s3.path,
          credentials: defined({
            s3_bucket: source.s3.bucket,
            s3_access_key_id: source.s3.accessKeyId,
            s3_secret_access_key: source.s3.secretAccessKey,
            s3_region: source.s3.region,
            s3_endpoint: source.s3.endpoint,
          }),
        };
  return {
    ...defined({
      dataset_name: input.name,
      description: input.description,
      dataset_type_key: TYPE_TO_VENDOR[input.type],
      read_write_mode: input.readWriteMode,
      is_public: input.isPublic,
      is_annotated: input.isAnnotated,
      srid: input.srid,
      unit: input.unit,
    }),
    import_datasource: importDatasource,
  };
}
