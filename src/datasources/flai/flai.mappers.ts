import { Source } from '../../schema/common/job.type.js';
import type { CreateDatasetInput, FtpImportInput, S3ImportInput } from '../../schema/flai/create-dataset.input.js';
import type { DatasetDownload, DownloadFile } from '../../schema/flai/dataset-download.type.js';
import { DatasetType } from '../../schema/flai/dataset-type.enum.js';
import type { Dataset, OutputDataset } from '../../schema/flai/dataset.type.js';
import type { FlowExecution } from '../../schema/flai/flow-execution.type.js';
import type { Flow, FlowTemplate } from '../../schema/flai/flow.type.js';
import { unstamped } from './flai.idempotency.js';
import type { DatasetModel, DownloadModel, FlowExecutionModel, FlowModel } from './flai.models.js';
import { DOWNLOAD_PREPARED, downloadState, executionStatus, isTerminalState } from './flai.status.js';

/** Flai's `YYYY-MM-DD HH:MM:SS` is UTC (docs/vendors.md, "Flai: timestamps and numbers"); a string with its zone keeps it. */
export function flaiDate(text: string | null | undefined): Date | null {
  if (!text) return null;
  // The documented form (exactly 19 chars; the model checked it) is the hot path: no regex.
  if (text.length === 19) return new Date(`${text.slice(0, 10)}T${text.slice(11)}Z`);
  const iso = text.replace(' ', 'T');
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
}

/** Numeric strings (`"0"`, `"1.37"`) → numbers; the model already rejected anything else. */
export function flaiNumber(value: string | number | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** The documented `dataset_type_key` values; any other is UNKNOWN (docs/vendors.md, "Flai: dataset import"). */
const TYPE_FROM_VENDOR: Record<string, DatasetType> = {
  pointcloud: DatasetType.POINTCLOUD,
  vector: DatasetType.VECTOR,
  raster: DatasetType.RASTER,
  image: DatasetType.IMAGE,
};

export function datasetType(key: string): DatasetType {
  return Object.hasOwn(TYPE_FROM_VENDOR, key.trim().toLowerCase()) ? TYPE_FROM_VENDOR[key.trim().toLowerCase()] : DatasetType.UNKNOWN;
}

/** A description without the gateway's idempotency mark (flai.idempotency.ts); one that was only the mark is null. */
function shownDescription(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const shown = unstamped(text);
  return shown === '' && text !== '' ? null : shown;
}

export function toDataset(model: DatasetModel): Dataset {
  return {
    id: model.id,
    name: unstamped(model.dataset_name),
    description: shownDescription(model.description),
    type: datasetType(model.dataset_type_key),
    typeKey: model.dataset_type_key,
    status: model.dataset_status ?? null,
    srid: model.srid ?? null,
    unit: model.unit ?? null,
    isPublic: model.is_public ?? null,
    isAnnotated: model.is_annotated ?? null,
    readWriteMode: model.read_write_mode ?? null,
    sizeInGb: flaiNumber(model.dataset_data_size_in_gb),
    createdAt: flaiDate(model.created_at),
    imported: !!model.import_datasource,
  };
}

export function toFlowExecution(model: FlowExecutionModel): FlowExecution {
  const { status, state } = executionStatus(model.status);
  const createdAt = flaiDate(model.created_at);
  const startedAt = flaiDate(model.started_at);
  const finishedAt = flaiDate(model.finished_at);
  const stoppedAt = flaiDate(model.stopped_at);
  return {
    __typename: 'FlowExecution',
    id: model.id,
    source: Source.FLAI,
    state,
    upstreamStatus: model.status,
    // Flai reports no progress for a flow execution.
    progress: null,
    isTerminal: isTerminalState(state),
    // The documented payload has no `updated_at`: the last lifecycle timestamp is when it last changed.
    updatedAt: flaiDate(model.updated_at) ?? latest(createdAt, startedAt, finishedAt, stoppedAt),
    flowId: model.flow_id,
    status,
    createdBy: model.created_by ?? null,
    createdAt,
    startedAt,
    finishedAt,
    stoppedAt,
    totalExecutionTime: flaiNumber(model.total_execution_time),
    outputDatasets: (model.output_datasets ?? []).map(
      (output): OutputDataset => ({
        datasetId: output.dataset_id,
        name: unstamped(output.dataset_name),
        status: output.dataset_status,
        sizeInGb: flaiNumber(output.dataset_data_size_in_gb),
        createdAt: flaiDate(output.created_at),
        flowExecutionId: output.flow_execution_id ?? model.id,
      }),
    ),
  };
}

function latest(...dates: (Date | null)[]): Date | null {
  let best: Date | null = null;
  for (const date of dates) if (date && (!best || date > best)) best = date;
  return best;
}

export function toFlow(model: FlowModel): Flow {
  return {
    id: model.id,
    title: model.title ?? null,
    nodes: (model.flow_nodes ?? []).map((node) => ({
      key: node.flow_node_key,
      type: node.type ?? null,
      definitionId: node.flow_node_definition_id ?? null,
      options: node.options ?? null,
    })),
  };
}

export function toFlowTemplate(model: { id: string; title: string }): FlowTemplate {
  return { id: model.id, title: model.title };
}

export function toDatasetDownload(model: DownloadModel): DatasetDownload {
  const state = downloadState(model.status);
  const ready = model.status === DOWNLOAD_PREPARED;
  const item = model.items.find((entry) => entry.model_name === 'datasets') ?? model.items[0];
  return {
    __typename: 'DatasetDownload',
    id: model.id,
    source: Source.FLAI,
    state,
    upstreamStatus: model.status,
    progress: null,
    isTerminal: isTerminalState(state),
    updatedAt: flaiDate(model.updated_at ?? model.created_at),
    datasetId: item.model_id,
    ready,
    files: ready ? (model.files ?? []).map((file): DownloadFile => ({ id: file.id, name: file.name, size: flaiNumber(file.size) })) : [],
  };
}

/** Absolute when it starts with `http`, else a path below `{host}/presigned` (docs/vendors.md, "Flai: presigned download URLs"). */
export function presignedUrl(host: string, url: string): string {
  return /^https?:\/\//i.test(url) ? url : `${host}/presigned${url.startsWith('/') ? '' : '/'}${url}`;
}

/** What `createDataset` may send (`checkDatasetType` refused UNKNOWN before). */
export type CreatableType = Exclude<DatasetType, DatasetType.UNKNOWN>;

const TYPE_TO_VENDOR: Record<CreatableType, string> = {
  [DatasetType.POINTCLOUD]: 'pointcloud',
  [DatasetType.VECTOR]: 'vector',
  [DatasetType.RASTER]: 'raster',
  [DatasetType.IMAGE]: 'image',
};

/** Only the options the caller set are sent, so Flai's own defaults apply to the rest. */
function setOnly(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined && value !== null));
}

/**
 * `POST datasets` body; the S3 keys follow the FTP keys' pattern (docs/vendors.md, "Flai: dataset import").
 * The credentials travel only in this body, straight to Flai; the returned dataset has no field that
 * could carry them back. `description` is the caller's, with the idempotency mark when there is a key.
 */
export function toCreateDatasetBody(
  input: CreateDatasetInput,
  checked: { type: CreatableType; source: { ftp: FtpImportInput } | { s3: S3ImportInput }; description: string | null | undefined },
): Record<string, unknown> {
  const { source } = checked;
  const importDatasource =
    'ftp' in source
      ? {
          datasource_type: 'ftp',
          datasource_address: '',
          ftp_datasource_address: source.ftp.host,
          path: source.ftp.path,
          credentials: setOnly({
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
          credentials: setOnly({
            s3_bucket: source.s3.bucket,
            s3_access_key_id: source.s3.accessKeyId,
            s3_secret_access_key: source.s3.secretAccessKey,
            s3_region: source.s3.region,
            s3_endpoint: source.s3.endpoint,
          }),
        };
  return {
    ...setOnly({
      dataset_name: input.name,
      description: checked.description,
      dataset_type_key: TYPE_TO_VENDOR[checked.type],
      read_write_mode: input.readWriteMode,
      is_public: input.isPublic,
      is_annotated: input.isAnnotated,
      srid: input.srid,
      unit: input.unit,
    }),
    import_datasource: importDatasource,
  };
}

/** The vendor's `dataset_type_key` of a creatable type. */
export const vendorTypeKey = (type: CreatableType): string => TYPE_TO_VENDOR[type];

/** `POST datasets` body of a dataset made from a direct upload (docs/vendors.md, "Flai: direct upload"). */
export function toUploadedDatasetBody(
  input: { name: string; description?: string | null; srid?: number | null; unit?: string | null },
  type: CreatableType,
  endFilename: string,
): Record<string, unknown> {
  return {
    ...setOnly({ dataset_name: input.name, description: input.description, dataset_type_key: TYPE_TO_VENDOR[type], srid: input.srid, unit: input.unit }),
    import_datasource: { datasource_type: 'upload_storage_tmp', datasource_address: '/', path: endFilename },
  };
}
