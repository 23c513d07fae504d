/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Switches one model option on or off (names in `WorkflowDef.blocks`). */
export type BlockOptionInput = {
  /** True to run the option. */
  enabled: boolean;
  /** The option name. */
  name: string;
};

/** Where a point-cloud classification stands; a FAILED or CANCELLED job keeps the stage it ended in. */
export type ClassificationStage =
  /** The Flai flow execution running, its reader node set to the dataset (`flowExecution`). */
  | 'CLASSIFYING'
  /** The flow execution finished: `outputDatasets` hold the classified results. */
  | 'DONE'
  /** Flai making the dataset from the upload (`upload_storage_tmp`). */
  | 'IMPORTING'
  /** The Cupix download streaming into a Flai direct upload, 8 MB chunk by chunk (`transferredBytes` of `totalBytes`). */
  | 'TRANSFERRING';

/** A Cupix point cloud to classify with a Flai flow; everything is checked before anything starts. */
export type ClassifyPointcloudInput = {
  /** The name of the Flai dataset made from the scan; the point cloud’s name when absent. */
  datasetName?: string | null | undefined;
  /** A Flai template flow (`flowTemplates`) of the caller's organization with exactly one point-cloud reader node. */
  flowId: string | number;
  /** The same key (for the same caller) returns the same job instead of starting another. 1 to 64 letters, digits, `.`, `_`, `:` or `-`. */
  idempotencyKey?: string | null | undefined;
  /** Options of the flow's other nodes, as in `runFlowTemplate` (`{ "<flow node key>": { ...options } }`); the reader's `dataset_id` is set by the gateway and may not be given. */
  nodeOptions?: unknown;
  /** A Cupix SUB point cloud the caller can read and whose file is ready (a GROUP is BAD_USER_INPUT: classify its subs). */
  pointcloudId: string | number;
};

/** A new, empty mosaic. */
export type CreateMosaicInput = {
  /** The mosaic name (not blank). */
  name: string;
  /** Its tags. */
  tags?: Array<string> | null | undefined;
};

/** A new processing: one model over one area. */
export type CreateProcessingInput = {
  /** Model options to switch on or off. */
  blocks?: Array<BlockOptionInput> | null | undefined;
  /** Free text about the processing. */
  description?: string | null | undefined;
  /** The area: a GeoJSON Polygon or MultiPolygon in lon/lat with closed rings. */
  geometry: unknown;
  /** Makes a retry safe: the key is stamped in the processing's `meta` (`gatewayIdempotencyKey`), and a create whose key is already on a processing of the target project returns that processing instead of creating another. */
  idempotencyKey?: string | null | undefined;
  /** Model-specific parameters (needs `sourceParams`). */
  inferenceParams?: unknown;
  /** Free key-value metadata (a JSON object). */
  meta?: unknown;
  /** The processing name (the model name when absent). */
  name?: string | null | undefined;
  /** The project; the default project when absent. */
  projectId?: string | number | null | undefined;
  /** The imagery; the vendor's default provider when absent. */
  sourceParams?: SourceParamsInput | null | undefined;
  /** The model id. Give exactly one of workflowDefId and workflowDefName. */
  workflowDefId?: string | number | null | undefined;
  /** The model name, e.g. "🏠 Buildings". Give exactly one of workflowDefId and workflowDefName. */
  workflowDefName?: string | null | undefined;
};

/** An upload through the gateway: checked before any byte is accepted. */
export type CreateUploadInput = {
  /** FLAI_DATASET: required; the dataset to make. */
  dataset?: UploadedDatasetInput | null | undefined;
  /** The file name, e.g. `tile.laz`; its extension must fit the target. */
  fileName: string;
  /** The same key (for the same caller) returns the same upload instead of a new one. */
  idempotencyKey?: string | null | undefined;
  /** MAPFLOW_MOSAIC: the mosaic to add to; a new mosaic named after the file when absent. */
  mosaicId?: string | number | null | undefined;
  /** The file's size in bytes; checked against the gateway's and the vendor's limits before any byte is accepted, and the bytes sent must match it. */
  size: number;
  /** Where the file goes. */
  target: UploadTarget;
};

/** Imagery from a data provider linked to the account (see `account.dataProviders`). */
export type DataProviderSourceInput = {
  /** The provider name, e.g. "Mapbox". */
  providerName: string;
  /** The zoom level (the model default when absent). */
  zoom?: number | null | undefined;
};

/** What kind of data a Flai dataset holds. */
export type DatasetType =
  /** Images. */
  | 'IMAGE'
  /** A point cloud (LAS/LAZ tiles). */
  | 'POINTCLOUD'
  /** A raster (GeoTIFF). */
  | 'RASTER'
  /** A `dataset_type_key` the Flai docs do not list (a kind added after this gateway was written): the dataset is still listed, never an error. Not accepted by `createDataset`. */
  | 'UNKNOWN'
  /** Vector features. */
  | 'VECTOR';

/** A Flai flow execution's status; the vendor literal stays in `upstreamStatus`. */
export type FlowExecutionStatus =
  /** Ended with an error (`failed`). */
  | 'FAILED'
  /** Done, outputs written (`finished`, also `finish`). */
  | 'FINISHED'
  /** Running (`processing`). */
  | 'PROCESSING'
  /** Waiting for a GPU (`queued`, `created`). */
  | 'QUEUED'
  /** Stopped before the end (`stopped`). */
  | 'STOPPED'
  /** A literal this gateway does not know yet; see `upstreamStatus`. */
  | 'UNKNOWN';

/** Images found with the imagery search. */
export type ImagerySearchSourceInput = {
  /** The imagery provider code, e.g. "orbview". */
  dataProvider: string;
  /** The image ids from the search. */
  imageIds: Array<string | number>;
  /** The zoom level. */
  zoom?: number | null | undefined;
};

/** Names one job at one vendor. */
export type JobRefInput = {
  /** The vendor id of the job. */
  id: string | number;
  /** The vendor that runs the job. */
  source: Source;
  /** The job type: "Processing" | "FlowExecution" | "DatasetDownload" | "Pointcloud" | "Upload" | "PointcloudClassification". */
  type: string;
};

/** One lifecycle for every long-running thing, whatever the vendor calls its states. */
export type JobState =
  /** Stopped, cancelled or refunded before a result. */
  | 'CANCELLED'
  /** Finished without a result. */
  | 'FAILED'
  /** Accepted, not started yet. */
  | 'QUEUED'
  /** Being processed. */
  | 'RUNNING'
  /** Finished with a result. */
  | 'SUCCEEDED'
  /** A vendor literal we do not know yet; `upstreamStatus` keeps it. */
  | 'UNKNOWN';

/** Imagery uploaded to Mapflow storage: some images, or a whole mosaic. */
export type MyImagerySourceInput = {
  /** The image ids. */
  imageIds?: Array<string | number> | null | undefined;
  /** The mosaic id. */
  mosaicId?: string | number | null | undefined;
};

/** Whether a point cloud is a group (the parent, one per cluster) or a sub (a child, one per pano or scan). */
export type PointcloudKind =
  /** A parent point cloud; it has no file of its own, only children. Cupix `kind: "group"`. */
  | 'GROUP'
  /** A child point cloud with a downloadable file. Cupix `kind: "sub"`. */
  | 'SUB';

/** Status of a Mapflow processing, of one of its AOIs, or of a project summary. */
export type ProcessingStatus =
  /** Waiting for imagery from the data provider. */
  | 'AWAITING'
  /** Cancelled before it finished. */
  | 'CANCELLED'
  /** Ended without results; `messages` says why. Fix the parameters or restart. */
  | 'FAILED'
  /** Being processed (or queued for it). */
  | 'IN_PROGRESS'
  /** Enabled per account on request: the results exist but are under review (`state` RUNNING, not terminal); `OK` once accepted. */
  | 'IN_REVIEW'
  /** Finished at 100 %; results can be downloaded. */
  | 'OK'
  /** Cancelled and its credits refunded. */
  | 'REFUNDED'
  /** A status literal the gateway does not know yet; `upstreamStatus` keeps it. */
  | 'UNKNOWN'
  /** Created, not started yet. */
  | 'UNPROCESSED';

/** Runs a template flow with per-node options. */
export type RunFlowTemplateInput = {
  /** The flow to run (a `FlowTemplate.id`). */
  flowId: string | number;
  /** Makes a retry safe: Flai keeps nothing of a run but its outputs, so the key is appended to each `dataset_name` given in `nodeOptions` (`[gatewayIdempotencyKey=<key>]`, left out of the names the gateway shows), and a run whose key is already on an execution of the flow returns that execution instead of starting another. Needs at least one writer's `dataset_name` in `nodeOptions`. 1 to 64 letters, digits, `.`, `_`, `:` or `-`. */
  idempotencyKey?: string | null | undefined;
  /** Options per node key, as in the Flow Builder: `{ "<flow node key>": { ...options } }`, e.g. `{"point_cloud_reader_1": {"dataset_id": "..."}}`. See `flow(id) { nodes { key } }`. */
  nodeOptions: unknown;
};

/** The vendor API a piece of data comes from. */
export type Source =
  /** Cupix: 3D capture of construction sites. */
  | 'CUPIX'
  /** Flai: AI classification of point clouds. */
  | 'FLAI'
  /** The gateway itself: a job it runs (an upload through it). */
  | 'GATEWAY'
  /** Mapflow: AI mapping of satellite imagery. */
  | 'MAPFLOW';

/** Where the imagery comes from. Exactly one member must be set. */
export type SourceParamsInput = {
  /** A linked data provider. */
  dataProvider?: DataProviderSourceInput | null | undefined;
  /** Imagery search results. */
  imagerySearch?: ImagerySearchSourceInput | null | undefined;
  /** Imagery from Mapflow storage. */
  myImagery?: MyImagerySourceInput | null | undefined;
  /** A custom imagery source. */
  userDefined?: UserDefinedSourceInput | null | undefined;
};

/** Where the bytes of an upload through the gateway go. */
export type UploadTarget =
  /** A new Flai dataset made from the file (Flai direct upload). */
  | 'FLAI_DATASET'
  /** An image added to a Mapflow mosaic (a GeoTIFF), or to a new mosaic named after the file. */
  | 'MAPFLOW_MOSAIC';

/** The Flai dataset an upload makes (FLAI_DATASET). */
export type UploadedDatasetInput = {
  /** A free-text description. */
  description?: string | null | undefined;
  /** The dataset name. */
  name: string;
  /** EPSG code of the coordinates. */
  srid?: number | null | undefined;
  /** What the file holds; POINTCLOUD takes .las, .laz, .e57, .ply and .zip files. */
  type: DatasetType;
  /** Unit of the coordinates, e.g. `m`. */
  unit?: string | null | undefined;
};

/** Your own tile server or image. */
export type UserDefinedSourceInput = {
  /** The CRS, e.g. "EPSG:3857". */
  crs?: string | null | undefined;
  /** User name for the tile server. */
  rasterLogin?: string | null | undefined;
  /** Password for the tile server. Write-only: never echoed, logged or cached. */
  rasterPassword?: string | null | undefined;
  /** XYZ | TMS | QUADKEY | SENTINEL_L2A | LOCAL. */
  sourceType: string;
  /** The tile URL template (or s3:// link, or Sentinel-2 granule id). */
  url: string;
  /** The zoom level. */
  zoom?: number | null | undefined;
};

export type ClassificationRowFragment = { id: string, state: JobState, stage: ClassificationStage, upstreamStatus: string, progress: number | null, isTerminal: boolean, totalBytes: number | null, transferredBytes: number, error: string | null, dataset: { id: string, name: string } | null, flowExecution: { id: string, status: FlowExecutionStatus } | null, outputDatasets: Array<{ datasetId: string, name: string, status: string, sizeInGb: number | null }> };

export type ClassifyWithFlaiMutationVariables = Exact<{
  input: ClassifyPointcloudInput;
}>;


export type ClassifyWithFlaiMutation = { classifyPointcloud: { id: string, state: JobState, stage: ClassificationStage, upstreamStatus: string, progress: number | null, isTerminal: boolean, totalBytes: number | null, transferredBytes: number, error: string | null, dataset: { id: string, name: string } | null, flowExecution: { id: string, status: FlowExecutionStatus } | null, outputDatasets: Array<{ datasetId: string, name: string, status: string, sizeInGb: number | null }> } };

export type CancelClassificationMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelClassificationMutation = { cancelPointcloudClassification: { id: string, state: JobState, stage: ClassificationStage, upstreamStatus: string, progress: number | null, isTerminal: boolean, totalBytes: number | null, transferredBytes: number, error: string | null, dataset: { id: string, name: string } | null, flowExecution: { id: string, status: FlowExecutionStatus } | null, outputDatasets: Array<{ datasetId: string, name: string, status: string, sizeInGb: number | null }> } };

export type ClassificationLiveSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type ClassificationLiveSubscription = { pointcloudClassificationUpdated: { id: string, state: JobState, stage: ClassificationStage, upstreamStatus: string, progress: number | null, isTerminal: boolean, totalBytes: number | null, transferredBytes: number, error: string | null, dataset: { id: string, name: string } | null, flowExecution: { id: string, status: FlowExecutionStatus } | null, outputDatasets: Array<{ datasetId: string, name: string, status: string, sizeInGb: number | null }> } };

export type UploadJobFragment = { id: string, state: JobState, upstreamStatus: string, target: UploadTarget, fileName: string, size: number, receivedBytes: number, progress: number | null, isTerminal: boolean, error: string | null, uploadUrl: string | null, image: { id: string, filename: string | null } | null, mosaic: { id: string } | null, dataset: { id: string, name: string, type: DatasetType } | null };

export type StartUploadMutationVariables = Exact<{
  input: CreateUploadInput;
}>;


export type StartUploadMutation = { createUpload: { id: string, state: JobState, upstreamStatus: string, target: UploadTarget, fileName: string, size: number, receivedBytes: number, progress: number | null, isTerminal: boolean, error: string | null, uploadUrl: string | null, image: { id: string, filename: string | null } | null, mosaic: { id: string } | null, dataset: { id: string, name: string, type: DatasetType } | null } };

export type StopUploadMutationVariables = Exact<{
  id: string | number;
}>;


export type StopUploadMutation = { cancelUpload: { id: string, state: JobState, upstreamStatus: string, target: UploadTarget, fileName: string, size: number, receivedBytes: number, progress: number | null, isTerminal: boolean, error: string | null, uploadUrl: string | null, image: { id: string, filename: string | null } | null, mosaic: { id: string } | null, dataset: { id: string, name: string, type: DatasetType } | null } };

export type UploadLiveSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type UploadLiveSubscription = { uploadUpdated: { id: string, state: JobState, upstreamStatus: string, target: UploadTarget, fileName: string, size: number, receivedBytes: number, progress: number | null, isTerminal: boolean, error: string | null, uploadUrl: string | null, image: { id: string, filename: string | null } | null, mosaic: { id: string } | null, dataset: { id: string, name: string, type: DatasetType } | null } };

export type PointcloudRowFragment = { id: string, name: string, kind: PointcloudKind, state: JobState, upstreamStatus: string, progress: number | null, isTerminal: boolean, updatedAt: string | null, originalPointCount: number | null, originalSizeInMb: number | null };

export type PointcloudGroupFragment = { id: string, name: string, kind: PointcloudKind, state: JobState, upstreamStatus: string, progress: number | null, isTerminal: boolean, updatedAt: string | null, originalPointCount: number | null, originalSizeInMb: number | null, cluster: { id: string, name: string | null } | null, children: Array<{ id: string, name: string, kind: PointcloudKind, state: JobState, upstreamStatus: string, progress: number | null, isTerminal: boolean, updatedAt: string | null, originalPointCount: number | null, originalSizeInMb: number | null }> | null };

export type PointcloudLiveSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type PointcloudLiveSubscription = { pointcloudUpdated: { id: string, name: string, kind: PointcloudKind, state: JobState, upstreamStatus: string, progress: number | null, isTerminal: boolean, updatedAt: string | null, originalPointCount: number | null, originalSizeInMb: number | null } };

export type PointcloudSubsLiveSubscriptionVariables = Exact<{
  refs: Array<JobRefInput> | JobRefInput;
}>;


export type PointcloudSubsLiveSubscription = { jobsUpdated: { at: string, job:
      | { id: string, name: string, kind: PointcloudKind, state: JobState, upstreamStatus: string, progress: number | null, isTerminal: boolean, updatedAt: string | null, originalPointCount: number | null, originalSizeInMb: number | null }
      | Record<PropertyKey, never>
     } };

export type DashboardQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardQuery = { account: { models: Array<{ id: string, name: string }>, dataProviders: Array<{ name: string, displayName: string | null }> } | null, projects: { totalCount: number, nodes: Array<{ id: string, name: string, isDefault: boolean, processings: { totalCount: number, nodes: Array<{ id: string, name: string | null, status: ProcessingStatus, state: JobState, percentCompleted: number, isTerminal: boolean, createdAt: string | null, updatedAt: string | null, workflowDef: { id: string, name: string } | null, messages: Array<{ code: string, description: string | null }> }> } | null }> } | null, flowExecutions: { totalCount: number, nodes: Array<{ id: string, status: FlowExecutionStatus, state: JobState, progress: number | null, isTerminal: boolean, createdAt: string | null, startedAt: string | null, finishedAt: string | null, flow: { id: string, title: string | null } | null, outputDatasets: Array<{ datasetId: string, name: string, status: string, sizeInGb: number | null }> }> } | null, pointclouds: { totalCount: number, nodes: Array<{ id: string, name: string, kind: PointcloudKind, state: JobState, upstreamStatus: string, progress: number | null, isTerminal: boolean, updatedAt: string | null, originalPointCount: number | null, originalSizeInMb: number | null, cluster: { id: string, name: string | null } | null, children: Array<{ id: string, name: string, kind: PointcloudKind, state: JobState, upstreamStatus: string, progress: number | null, isTerminal: boolean, updatedAt: string | null, originalPointCount: number | null, originalSizeInMb: number | null }> | null }> } | null };

export type FlaiUploadFlowsQueryVariables = Exact<{ [key: string]: never; }>;


export type FlaiUploadFlowsQuery = { flowTemplates: Array<{ id: string, title: string }> | null };

export type FlaiFlowNodesQueryVariables = Exact<{
  id: string | number;
}>;


export type FlaiFlowNodesQuery = { flow: { id: string, nodes: Array<{ key: string, type: string | null }> } | null };

export type RunFlowOnDatasetMutationVariables = Exact<{
  input: RunFlowTemplateInput;
}>;


export type RunFlowOnDatasetMutation = { runFlowTemplate: { id: string, status: FlowExecutionStatus, state: JobState, progress: number | null, isTerminal: boolean, createdAt: string | null, startedAt: string | null, finishedAt: string | null, flow: { id: string, title: string | null } | null, outputDatasets: Array<{ datasetId: string, name: string, status: string, sizeInGb: number | null }> } };

export type FlowExecutionRowFragment = { id: string, status: FlowExecutionStatus, state: JobState, progress: number | null, isTerminal: boolean, createdAt: string | null, startedAt: string | null, finishedAt: string | null, flow: { id: string, title: string | null } | null, outputDatasets: Array<{ datasetId: string, name: string, status: string, sizeInGb: number | null }> };

export type FlowExecutionLiveSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type FlowExecutionLiveSubscription = { flowExecutionUpdated: { id: string, status: FlowExecutionStatus, state: JobState, progress: number | null, isTerminal: boolean, createdAt: string | null, startedAt: string | null, finishedAt: string | null, flow: { id: string, title: string | null } | null, outputDatasets: Array<{ datasetId: string, name: string, status: string, sizeInGb: number | null }> } };

export type DownloadRowFragment = { id: string, datasetId: string, state: JobState, upstreamStatus: string, progress: number | null, ready: boolean, isTerminal: boolean, updatedAt: string | null, files: Array<{ id: string, name: string, size: number | null, url: string | null }> };

export type RequestDownloadMutationVariables = Exact<{
  datasetId: string | number;
}>;


export type RequestDownloadMutation = { requestDatasetDownload: { id: string, datasetId: string, state: JobState, upstreamStatus: string, progress: number | null, ready: boolean, isTerminal: boolean, updatedAt: string | null, files: Array<{ id: string, name: string, size: number | null, url: string | null }> } };

export type DownloadLiveSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type DownloadLiveSubscription = { datasetDownloadUpdated: { id: string, datasetId: string, state: JobState, upstreamStatus: string, progress: number | null, ready: boolean, isTerminal: boolean, updatedAt: string | null, files: Array<{ id: string, name: string, size: number | null, url: string | null }> } };

export type MosaicRowFragment = { id: string, name: string, tags: Array<string>, sizeInBytes: number | null };

export type ImageFactsFragment = { id: string, mosaicId: string, filename: string | null, fileSize: number | null, uploadedAt: string | null, footprint: unknown, crs: string | null, bandCount: number | null, width: number | null, height: number | null, pixelSize: Array<number> | null };

export type ImageryPanelQueryVariables = Exact<{ [key: string]: never; }>;


export type ImageryPanelQuery = { account: { storage: { memoryLimit: number | null, memoryUsed: number | null, memoryFree: number | null, maxUploadFileSize: number | null } | null } | null, mosaics: Array<{ id: string, name: string, tags: Array<string>, sizeInBytes: number | null }> | null };

export type MosaicDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type MosaicDetailQuery = { mosaic: { createdAt: string | null, footprint: unknown, id: string, name: string, tags: Array<string>, sizeInBytes: number | null, images: Array<{ id: string, mosaicId: string, filename: string | null, fileSize: number | null, uploadedAt: string | null, footprint: unknown, crs: string | null, bandCount: number | null, width: number | null, height: number | null, pixelSize: Array<number> | null }> } | null };

export type NewMosaicMutationVariables = Exact<{
  input: CreateMosaicInput;
}>;


export type NewMosaicMutation = { createMosaic: { id: string, name: string, tags: Array<string>, sizeInBytes: number | null } };

export type RemoveMosaicMutationVariables = Exact<{
  id: string | number;
}>;


export type RemoveMosaicMutation = { deleteMosaic: string };

export type RemoveImageMutationVariables = Exact<{
  id: string | number;
}>;


export type RemoveImageMutation = { deleteImage: string };

export type ProcessingRowFragment = { id: string, name: string | null, status: ProcessingStatus, state: JobState, percentCompleted: number, isTerminal: boolean, createdAt: string | null, updatedAt: string | null, workflowDef: { id: string, name: string } | null, messages: Array<{ code: string, description: string | null }> };

export type ProjectCardFragment = { id: string, name: string, isDefault: boolean, processings: { totalCount: number, nodes: Array<{ id: string, name: string | null, status: ProcessingStatus, state: JobState, percentCompleted: number, isTerminal: boolean, createdAt: string | null, updatedAt: string | null, workflowDef: { id: string, name: string } | null, messages: Array<{ code: string, description: string | null }> }> } | null };

export type ProjectProcessingsSubscriptionVariables = Exact<{
  projectId: string | number;
}>;


export type ProjectProcessingsSubscription = { projectProcessingsUpdated: { id: string, name: string | null, status: ProcessingStatus, state: JobState, percentCompleted: number, isTerminal: boolean, createdAt: string | null, updatedAt: string | null, workflowDef: { id: string, name: string } | null, messages: Array<{ code: string, description: string | null }> } };

export type AoiShapeFragment = { id: string, status: ProcessingStatus, percentCompleted: number, area: number | null, geometry: unknown, messages: Array<{ code: string, description: string | null }> };

export type ProcessingDetailSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type ProcessingDetailSubscription = { processingUpdated: { area: number | null, cost: number | null, aoiCount: number | null, id: string, name: string | null, status: ProcessingStatus, state: JobState, percentCompleted: number, isTerminal: boolean, createdAt: string | null, updatedAt: string | null, aois: Array<{ id: string, status: ProcessingStatus, percentCompleted: number, area: number | null, geometry: unknown, messages: Array<{ code: string, description: string | null }> }> | null, workflowDef: { id: string, name: string } | null, messages: Array<{ code: string, description: string | null }> } };

export type StartProcessingMutationVariables = Exact<{
  input: CreateProcessingInput;
}>;


export type StartProcessingMutation = { createProcessing: { id: string, name: string | null, status: ProcessingStatus, state: JobState, percentCompleted: number, isTerminal: boolean, createdAt: string | null, updatedAt: string | null, project: { id: string } | null, workflowDef: { id: string, name: string } | null, messages: Array<{ code: string, description: string | null }> } };

export const ClassificationRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ClassificationRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PointcloudClassification"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"totalBytes"}},{"kind":"Field","name":{"kind":"Name","value":"transferredBytes"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"dataset"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"flowExecution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"outputDatasets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"datasetId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"sizeInGb"}}]}}]}}]} as unknown as DocumentNode<ClassificationRowFragment, unknown>;
export const UploadJobFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UploadJob"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Upload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"target"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"receivedBytes"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"uploadUrl"}},{"kind":"Field","name":{"kind":"Name","value":"image"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"filename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"mosaic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dataset"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}}]}}]}}]} as unknown as DocumentNode<UploadJobFragment, unknown>;
export const PointcloudRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PointcloudRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Pointcloud"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"originalPointCount"}},{"kind":"Field","name":{"kind":"Name","value":"originalSizeInMb"}}]}}]} as unknown as DocumentNode<PointcloudRowFragment, unknown>;
export const PointcloudGroupFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PointcloudGroup"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Pointcloud"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PointcloudRow"}},{"kind":"Field","name":{"kind":"Name","value":"cluster"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"children"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PointcloudRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PointcloudRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Pointcloud"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"originalPointCount"}},{"kind":"Field","name":{"kind":"Name","value":"originalSizeInMb"}}]}}]} as unknown as DocumentNode<PointcloudGroupFragment, unknown>;
export const FlowExecutionRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FlowExecutionRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FlowExecution"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}},{"kind":"Field","name":{"kind":"Name","value":"outputDatasets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"datasetId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"sizeInGb"}}]}}]}}]} as unknown as DocumentNode<FlowExecutionRowFragment, unknown>;
export const DownloadRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DownloadRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DatasetDownload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"datasetId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"files"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]} as unknown as DocumentNode<DownloadRowFragment, unknown>;
export const MosaicRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MosaicRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Mosaic"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"sizeInBytes"}}]}}]} as unknown as DocumentNode<MosaicRowFragment, unknown>;
export const ImageFactsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ImageFacts"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MapflowImage"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"mosaicId"}},{"kind":"Field","name":{"kind":"Name","value":"filename"}},{"kind":"Field","name":{"kind":"Name","value":"fileSize"}},{"kind":"Field","name":{"kind":"Name","value":"uploadedAt"}},{"kind":"Field","name":{"kind":"Name","value":"footprint"}},{"kind":"Field","name":{"kind":"Name","value":"crs"}},{"kind":"Field","name":{"kind":"Name","value":"bandCount"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"pixelSize"}}]}}]} as unknown as DocumentNode<ImageFactsFragment, unknown>;
export const ProcessingRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ProcessingRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Processing"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"percentCompleted"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"workflowDef"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"messages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]} as unknown as DocumentNode<ProcessingRowFragment, unknown>;
export const ProjectCardFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ProjectCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Project"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"isDefault"}},{"kind":"Field","name":{"kind":"Name","value":"processings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ProcessingRow"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ProcessingRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Processing"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"percentCompleted"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"workflowDef"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"messages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]} as unknown as DocumentNode<ProjectCardFragment, unknown>;
export const AoiShapeFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AoiShape"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Aoi"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"percentCompleted"}},{"kind":"Field","name":{"kind":"Name","value":"area"}},{"kind":"Field","name":{"kind":"Name","value":"geometry"}},{"kind":"Field","name":{"kind":"Name","value":"messages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]} as unknown as DocumentNode<AoiShapeFragment, unknown>;
export const ClassifyWithFlaiDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ClassifyWithFlai"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ClassifyPointcloudInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"classifyPointcloud"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ClassificationRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ClassificationRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PointcloudClassification"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"totalBytes"}},{"kind":"Field","name":{"kind":"Name","value":"transferredBytes"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"dataset"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"flowExecution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"outputDatasets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"datasetId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"sizeInGb"}}]}}]}}]} as unknown as DocumentNode<ClassifyWithFlaiMutation, ClassifyWithFlaiMutationVariables>;
export const CancelClassificationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelClassification"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelPointcloudClassification"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ClassificationRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ClassificationRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PointcloudClassification"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"totalBytes"}},{"kind":"Field","name":{"kind":"Name","value":"transferredBytes"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"dataset"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"flowExecution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"outputDatasets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"datasetId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"sizeInGb"}}]}}]}}]} as unknown as DocumentNode<CancelClassificationMutation, CancelClassificationMutationVariables>;
export const ClassificationLiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ClassificationLive"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pointcloudClassificationUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ClassificationRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ClassificationRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PointcloudClassification"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"totalBytes"}},{"kind":"Field","name":{"kind":"Name","value":"transferredBytes"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"dataset"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"flowExecution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"outputDatasets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"datasetId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"sizeInGb"}}]}}]}}]} as unknown as DocumentNode<ClassificationLiveSubscription, ClassificationLiveSubscriptionVariables>;
export const StartUploadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartUpload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateUploadInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createUpload"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UploadJob"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UploadJob"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Upload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"target"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"receivedBytes"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"uploadUrl"}},{"kind":"Field","name":{"kind":"Name","value":"image"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"filename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"mosaic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dataset"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}}]}}]}}]} as unknown as DocumentNode<StartUploadMutation, StartUploadMutationVariables>;
export const StopUploadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StopUpload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelUpload"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UploadJob"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UploadJob"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Upload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"target"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"receivedBytes"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"uploadUrl"}},{"kind":"Field","name":{"kind":"Name","value":"image"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"filename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"mosaic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dataset"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}}]}}]}}]} as unknown as DocumentNode<StopUploadMutation, StopUploadMutationVariables>;
export const UploadLiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"UploadLive"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uploadUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UploadJob"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UploadJob"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Upload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"target"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"receivedBytes"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"uploadUrl"}},{"kind":"Field","name":{"kind":"Name","value":"image"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"filename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"mosaic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dataset"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}}]}}]}}]} as unknown as DocumentNode<UploadLiveSubscription, UploadLiveSubscriptionVariables>;
export const PointcloudLiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PointcloudLive"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pointcloudUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PointcloudRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PointcloudRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Pointcloud"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"originalPointCount"}},{"kind":"Field","name":{"kind":"Name","value":"originalSizeInMb"}}]}}]} as unknown as DocumentNode<PointcloudLiveSubscription, PointcloudLiveSubscriptionVariables>;
export const PointcloudSubsLiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PointcloudSubsLive"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"refs"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JobRefInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobsUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"refs"},"value":{"kind":"Variable","name":{"kind":"Name","value":"refs"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"job"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Pointcloud"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PointcloudRow"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PointcloudRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Pointcloud"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"originalPointCount"}},{"kind":"Field","name":{"kind":"Name","value":"originalSizeInMb"}}]}}]} as unknown as DocumentNode<PointcloudSubsLiveSubscription, PointcloudSubsLiveSubscriptionVariables>;
export const DashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Dashboard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dataProviders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"projects"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ProjectCard"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"flowExecutions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"FlowExecutionRow"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pointclouds"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"GROUP"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PointcloudGroup"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ProcessingRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Processing"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"percentCompleted"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"workflowDef"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"messages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PointcloudRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Pointcloud"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"originalPointCount"}},{"kind":"Field","name":{"kind":"Name","value":"originalSizeInMb"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ProjectCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Project"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"isDefault"}},{"kind":"Field","name":{"kind":"Name","value":"processings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ProcessingRow"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FlowExecutionRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FlowExecution"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}},{"kind":"Field","name":{"kind":"Name","value":"outputDatasets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"datasetId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"sizeInGb"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PointcloudGroup"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Pointcloud"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PointcloudRow"}},{"kind":"Field","name":{"kind":"Name","value":"cluster"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"children"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PointcloudRow"}}]}}]}}]} as unknown as DocumentNode<DashboardQuery, DashboardQueryVariables>;
export const FlaiUploadFlowsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FlaiUploadFlows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"flowTemplates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}}]}}]} as unknown as DocumentNode<FlaiUploadFlowsQuery, FlaiUploadFlowsQueryVariables>;
export const FlaiFlowNodesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FlaiFlowNodes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"flow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"type"}}]}}]}}]}}]} as unknown as DocumentNode<FlaiFlowNodesQuery, FlaiFlowNodesQueryVariables>;
export const RunFlowOnDatasetDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RunFlowOnDataset"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RunFlowTemplateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runFlowTemplate"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"FlowExecutionRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FlowExecutionRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FlowExecution"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}},{"kind":"Field","name":{"kind":"Name","value":"outputDatasets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"datasetId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"sizeInGb"}}]}}]}}]} as unknown as DocumentNode<RunFlowOnDatasetMutation, RunFlowOnDatasetMutationVariables>;
export const FlowExecutionLiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"FlowExecutionLive"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"flowExecutionUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"FlowExecutionRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FlowExecutionRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FlowExecution"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}},{"kind":"Field","name":{"kind":"Name","value":"outputDatasets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"datasetId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"sizeInGb"}}]}}]}}]} as unknown as DocumentNode<FlowExecutionLiveSubscription, FlowExecutionLiveSubscriptionVariables>;
export const RequestDownloadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestDownload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"datasetId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestDatasetDownload"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"datasetId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"datasetId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DownloadRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DownloadRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DatasetDownload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"datasetId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"files"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]} as unknown as DocumentNode<RequestDownloadMutation, RequestDownloadMutationVariables>;
export const DownloadLiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"DownloadLive"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"datasetDownloadUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DownloadRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DownloadRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DatasetDownload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"datasetId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamStatus"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"files"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]} as unknown as DocumentNode<DownloadLiveSubscription, DownloadLiveSubscriptionVariables>;
export const ImageryPanelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ImageryPanel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"storage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"memoryLimit"}},{"kind":"Field","name":{"kind":"Name","value":"memoryUsed"}},{"kind":"Field","name":{"kind":"Name","value":"memoryFree"}},{"kind":"Field","name":{"kind":"Name","value":"maxUploadFileSize"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"mosaics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MosaicRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MosaicRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Mosaic"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"sizeInBytes"}}]}}]} as unknown as DocumentNode<ImageryPanelQuery, ImageryPanelQueryVariables>;
export const MosaicDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MosaicDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mosaic"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MosaicRow"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"footprint"}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ImageFacts"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MosaicRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Mosaic"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"sizeInBytes"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ImageFacts"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MapflowImage"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"mosaicId"}},{"kind":"Field","name":{"kind":"Name","value":"filename"}},{"kind":"Field","name":{"kind":"Name","value":"fileSize"}},{"kind":"Field","name":{"kind":"Name","value":"uploadedAt"}},{"kind":"Field","name":{"kind":"Name","value":"footprint"}},{"kind":"Field","name":{"kind":"Name","value":"crs"}},{"kind":"Field","name":{"kind":"Name","value":"bandCount"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"pixelSize"}}]}}]} as unknown as DocumentNode<MosaicDetailQuery, MosaicDetailQueryVariables>;
export const NewMosaicDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"NewMosaic"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateMosaicInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createMosaic"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MosaicRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MosaicRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Mosaic"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"sizeInBytes"}}]}}]} as unknown as DocumentNode<NewMosaicMutation, NewMosaicMutationVariables>;
export const RemoveMosaicDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveMosaic"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteMosaic"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<RemoveMosaicMutation, RemoveMosaicMutationVariables>;
export const RemoveImageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveImage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteImage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<RemoveImageMutation, RemoveImageMutationVariables>;
export const ProjectProcessingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ProjectProcessings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"projectId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"projectProcessingsUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"projectId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"projectId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ProcessingRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ProcessingRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Processing"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"percentCompleted"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"workflowDef"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"messages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]} as unknown as DocumentNode<ProjectProcessingsSubscription, ProjectProcessingsSubscriptionVariables>;
export const ProcessingDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ProcessingDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"processingUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ProcessingRow"}},{"kind":"Field","name":{"kind":"Name","value":"area"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}},{"kind":"Field","name":{"kind":"Name","value":"aoiCount"}},{"kind":"Field","name":{"kind":"Name","value":"aois"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AoiShape"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ProcessingRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Processing"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"percentCompleted"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"workflowDef"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"messages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AoiShape"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Aoi"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"percentCompleted"}},{"kind":"Field","name":{"kind":"Name","value":"area"}},{"kind":"Field","name":{"kind":"Name","value":"geometry"}},{"kind":"Field","name":{"kind":"Name","value":"messages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]} as unknown as DocumentNode<ProcessingDetailSubscription, ProcessingDetailSubscriptionVariables>;
export const StartProcessingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartProcessing"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateProcessingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createProcessing"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ProcessingRow"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ProcessingRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Processing"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"percentCompleted"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"workflowDef"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"messages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]} as unknown as DocumentNode<StartProcessingMutation, StartProcessingMutationVariables>;