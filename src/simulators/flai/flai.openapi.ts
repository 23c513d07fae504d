import { jsonAnswer, ref, schemaOf, type JsonSchema, type ResponseDoc, type VendorOpenApi } from '../core/index.js';

/**
 * What the Flai simulator answers, for `/openapi.json` (docs/vendors.md, "Flai: endpoints we call").
 * Flai publishes no API reference: the shapes are the blog's examples and the fields Flai's SDK reads,
 * and the schemas accept what those leave open. A list is the paged envelope or a bare array
 * (docs/vendors.md, "Flai: list pagination"); a create answers the whole record or only its id;
 * status and type literals are open strings (known values in the description: the docs say "finish",
 * the SDK "finished"); a property is required only where every source shows it; every object takes
 * more properties than it lists.
 */

const { str, nullableStr, num, int, bool, arrayOf, object } = schemaOf;

const TIMESTAMP = '`YYYY-MM-DD HH:MM:SS` (no zone)';
const timestamp = (description = TIMESTAMP) => str(description);
const nullableTimestamp = () => nullableStr(TIMESTAMP);
const DATASET_STATUS = 'created (the blog), processing, ready, failed; other values may come';

const schemas: Record<string, JsonSchema> = {
  Error: object(
    {
      message: str('e.g. "Unauthenticated.", "The given data was invalid."'),
      errors: { type: 'object', description: 'Validation errors: field -> messages (422)', additionalProperties: arrayOf(str()) },
    },
    { required: ['message'], description: 'Laravel\'s error body' },
  ),
  Organization: object({ id: str(), name: str(), address: str() }),
  Me: object(
    { id: str(), name: str(), email: str(), active_organization_id: str(), organization: ref('Organization'), user_permissions: arrayOf(str()) },
    { required: ['active_organization_id'], description: 'The token\'s user and the organization it is active in' },
  ),
  Dataset: object(
    {
      id: str(),
      organization_id: str(),
      created_by: str(),
      updated_by: nullableStr(),
      dataset_name: str(),
      description: nullableStr(),
      dataset_type_key: str('pointcloud, vector, raster, image; other values (e.g. mesh) may come'),
      read_write_mode: str('r or rw'),
      is_public: bool(),
      is_annotated: bool(),
      srid: { type: 'integer', nullable: true },
      unit: str('m, ft, us-ft, deg'),
      dataset_status: str(DATASET_STATUS),
      dataset_data_size_in_gb: str('A decimal sent as a string'),
      pointcloud_dataset_point_density: nullableStr('A decimal sent as a string'),
      pointcloud_dataset_area: nullableStr('A decimal sent as a string'),
      semantic_definition_schema_id: nullableStr(),
      import_datasource: object(
        { datasource_type: str('ftp, s3, upload_storage_tmp'), datasource_address: str(), ftp_datasource_address: str(), path: str() },
        { nullable: true, description: 'Where the data came from (never its credentials)' },
      ),
      created_at: timestamp(),
      updated_at: timestamp(),
      deleted_at: nullableTimestamp(),
    },
    { required: ['id'], description: 'A dataset of the organization' },
  ),
  CreatedId: object({ id: str() }, { required: ['id'], description: 'A create answer that carries only the new record\'s id (read it by id)' }),
  Pagination: object({ total_items: int(), total_pages: int(), current_page: int(), per_page: int() }),
  DatasetPage: object({ items: arrayOf(ref('Dataset')), pagination: ref('Pagination') }, { required: ['items'] }),
  DatasetList: { description: 'The paged envelope, or every dataset as a bare array', anyOf: [ref('DatasetPage'), arrayOf(ref('Dataset'))] },
  FlowTemplate: object(
    { id: str(), title: str(), description: nullableStr(), created_at: timestamp(), updated_at: timestamp() },
    { required: ['id'], description: 'A template flow (the QGIS plugin sorts them by title)' },
  ),
  FlowNode: object({
    id: str(),
    flow_id: str(),
    flow_node_key: str('e.g. point_cloud_reader_1: the key of `flow_node_options`'),
    flow_node_definition_id: str(),
    flow_node_execution_id: nullableStr(),
    type: str('reader, writer, processor; other values may come'),
    title: str(),
    options: { type: 'object', description: 'e.g. dataset_id (reader), dataset_name (writer), ai_model_id' },
    position: object({ x: num(), y: num() }),
  }),
  FlowEdge: object({ id: str(), flow_id: str(), source_flow_node_id: str(), target_flow_node_id: str() }),
  Flow: object(
    {
      id: str(),
      organization_id: str(),
      project_id: nullableStr(),
      title: str(),
      description: nullableStr(),
      is_template: bool(),
      created_by: str(),
      created_at: timestamp(),
      updated_at: timestamp(),
      flow_nodes: arrayOf(ref('FlowNode'), 'With ?decorators=flow_nodes'),
      flow_edges: arrayOf(ref('FlowEdge'), 'With ?decorators=flow_edges'),
    },
    { required: ['id'] },
  ),
  OutputDataset: object({
    id: str(),
    flow_id: str(),
    flow_execution_id: str(),
    dataset_id: str(),
    is_output: bool(),
    created_at: timestamp(),
    dataset_name: str(),
    dataset_status: str(DATASET_STATUS),
    dataset_data_size_in_gb: str('A decimal sent as a string'),
  }),
  FlowExecution: object(
    {
      id: str(),
      created_by: str(),
      updated_by: nullableStr(),
      flow_id: str(),
      status: str('processing (the blog); done: finish (the blog) or finished (the SDK); queued, failed, stopped [INFER]; other values may come'),
      created_at: timestamp(),
      started_at: nullableTimestamp(),
      finished_at: nullableTimestamp(),
      total_execution_time: { type: 'number', nullable: true, description: 'Seconds' },
      log_query_id: nullableStr(),
      stopped_at: nullableTimestamp(),
      output_datasets: arrayOf(ref('OutputDataset')),
    },
    { required: ['id', 'status'], description: 'A run of a flow (the blog\'s example)' },
  ),
  FlowExecutionPage: object({ items: arrayOf(ref('FlowExecution')), pagination: ref('Pagination') }, { required: ['items'] }),
  FlowExecutionList: { description: 'The paged envelope, or every execution as a bare array', anyOf: [ref('FlowExecutionPage'), arrayOf(ref('FlowExecution'))] },
  Download: object(
    {
      id: str(),
      organization_id: str(),
      created_by: str(),
      status: str('download-prepared when ready (the SDK); pending, processing, failed [INFER]; other values may come'),
      items: arrayOf(object({ model_name: str('datasets or ai_models'), model_id: str() })),
      created_at: timestamp(),
      updated_at: timestamp(),
      files: arrayOf(object({ id: str(), download_id: str(), name: str(), size: int('Bytes'), created_at: timestamp() }), 'With ?decorators=files, once prepared'),
    },
    { required: ['id', 'status'], description: 'Files being prepared for download' },
  ),
  UploadChunkAnswer: object(
    {
      end_filename: str('On the last chunk only: the uploaded file, `{session_key}/{file_name}` [INFER], the `path` of an upload_storage_tmp dataset'),
      session_key: str('[INFER] like every field but end_filename'),
      file_name: str(),
      chunk_index: int(),
      received_bytes: int(),
      total_file_size: int(),
      next_chunk_index: int('Before the last chunk: the chunk_index to send next'),
      next_chunk_start_byte: int('Before the last chunk: the chunk_start_byte to send next'),
    },
    { description: 'The answer to one chunk: only end_filename (on the last) is known from the SDK; the rest is the simulator\'s' },
  ),
  FileDownloadUrl: object({ url: str('A presigned URL (or a path below the host\'s /presigned)') }, { required: ['url'] }),
};

const ORG = '/organization/{orgId}';
const xmlError = (status: number, description: string): ResponseDoc => ({ status, description, content: { 'application/xml': str('S3\'s `<Error><Code/><Message/></Error>`') } });

const routes: Record<string, readonly ResponseDoc[]> = {
  'GET /oauth/me': [jsonAnswer('The current user', ref('Me'))],
  'GET /organizations': [jsonAnswer('The user\'s organizations (a bare array)', arrayOf(ref('Organization')))],
  [`GET ${ORG}/datasets`]: [jsonAnswer('Datasets', ref('DatasetList'))],
  [`GET ${ORG}/datasets/{datasetId}`]: [jsonAnswer('The dataset', ref('Dataset'))],
  [`POST ${ORG}/datasets`]: [jsonAnswer('The new dataset, or only its id (the docs do not show the answer)', { anyOf: [ref('Dataset'), ref('CreatedId')] })],
  [`GET ${ORG}/flow-templates`]: [jsonAnswer('Template flows (a bare array)', arrayOf(ref('FlowTemplate')))],
  [`GET ${ORG}/flows/{flowId}`]: [jsonAnswer('The flow', ref('Flow'))],
  [`POST ${ORG}/flow-template-execution`]: [
    jsonAnswer('The new execution, or only its id (the blog: "the flow execution ID can be retrieved from the response")', { anyOf: [ref('FlowExecution'), ref('CreatedId')] }),
  ],
  [`GET ${ORG}/flow-executions`]: [jsonAnswer('Flow executions', ref('FlowExecutionList'))],
  [`GET ${ORG}/flow-executions/{executionId}`]: [jsonAnswer('The execution', ref('FlowExecution'))],
  [`POST ${ORG}/flow-executions/{executionId}/stop`]: [jsonAnswer('The stopped execution', ref('FlowExecution'))],
  [`POST ${ORG}/downloads`]: [jsonAnswer('The download request', ref('Download'))],
  [`GET ${ORG}/downloads/{downloadId}`]: [jsonAnswer('The download', ref('Download'))],
  [`GET ${ORG}/file-downloads/{fileId}/download`]: [jsonAnswer('Where to fetch the file', ref('FileDownloadUrl'))],
  'POST /tools/upload': [
    jsonAnswer('The chunk is staged; the last one\'s answer has end_filename', ref('UploadChunkAnswer')),
    { status: 413, description: 'A chunk larger than 8 MiB [INFER]', content: { 'application/json': ref('Error') } },
  ],
  'GET /storage/{key}': [
    {
      status: 200,
      description: 'The zip',
      content: { 'application/zip': { type: 'string', format: 'binary' } },
      headers: { 'content-disposition': { description: 'attachment; filename="<name>.zip"', schema: str() } },
    },
    xmlError(403, 'Signature or expiry refused'),
    xmlError(404, 'No such object'),
  ],
};

const errors: readonly ResponseDoc[] = [{ status: 'default', description: 'An error: `{message}`, and `errors` on a 422', content: { 'application/json': ref('Error') } }];

export const flaiOpenApi: VendorOpenApi = { schemas, routes, errors };
