import { BLOG_FLOW, buildFlow } from './flai.catalog.js';
import { createDataset } from './flai.records.js';
import type { ExecutionRecord, FlowRecord, TenantState } from './flai.types.js';
import { flaiTime, parseFlaiTime } from './flai.util.js';

/** Ids and values of the blog's examples (flai-classify-point-clouds-blog.txt), kept verbatim. */
export const DOCUMENTED = {
  userId: '84ffb8cc-acb7-4904-aa7a-0b27b28e1005',
  /** The flow the blog's `POST flow-template-execution` example runs. */
  templateFlowId: 'f8bc44aa-cfac-4461-948c-e2975e747a22',
  /** The flow of the blog's FlowExecution example. */
  executionFlowId: '996b9315-8b28-485c-bbd1-e6c8853069bb',
  executionId: 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e',
  outputLinkId: '6eea1bff-e58b-40b5-8bdb-e0c9aa3fc16e',
  outputDatasetId: '444b5dd5-6d98-443f-b378-e16cadf8c863',
  inputDatasetId: '782130b6-e4d6-427d-a531-50456a18f92f',
  executionCreatedAt: '2023-11-19 12:39:30',
} as const;

/**
 * Seeds tenant `alpha` with the documented records: the blog's input dataset (the one its
 * create-dataset example makes: "New pointcloud from FTP"), both flows (node keys = the blog's
 * `flow_node_options` keys), and the example FlowExecution `processing` with its `Writer 1` output
 * (`created`, size "0"). The execution is tracked like any other, so it finishes in virtual time.
 */
export function seedDocumented(state: TenantState): FlowRecord[] {
  const d = DOCUMENTED;
  const created = parseFlaiTime(d.executionCreatedAt);
  createDataset(
    state,
    {
      id: d.inputDatasetId,
      dataset_name: 'New pointcloud from FTP',
      description: '',
      dataset_type_key: 'pointcloud',
      read_write_mode: 'r',
      is_public: true,
      is_annotated: true,
      srid: 3794,
      unit: 'm',
      status: 'ready',
      sizeGb: 1.37,
      import_datasource: { datasource_type: 'ftp', datasource_address: '', ftp_datasource_address: '', path: '/test-dataset' },
    },
    created - 3 * 3600_000,
  );
  const meta = { orgId: state.organization.id, userId: d.userId, isTemplate: true };
  const template = buildFlow(state.rng, BLOG_FLOW, { ...meta, id: d.templateFlowId, at: flaiTime(created - 30 * 86400_000) });
  const local = buildFlow(
    state.rng,
    { ...BLOG_FLOW, title: 'Aerial mapping classification - Writer 1/2' },
    { ...meta, isTemplate: false, id: d.executionFlowId, at: flaiTime(created - 86400_000) },
  );
  for (const f of [template, local]) state.flows.set(f.wire.id, f);

  createDataset(state, { id: d.outputDatasetId, dataset_name: 'Writer 1', dataset_type_key: 'pointcloud', status: 'created' }, created);
  const rec: ExecutionRecord = {
    wire: {
      id: d.executionId,
      created_by: d.userId,
      updated_by: null,
      flow_id: d.executionFlowId,
      status: 'processing',
      created_at: d.executionCreatedAt,
      started_at: d.executionCreatedAt,
      finished_at: null,
      total_execution_time: null,
      log_query_id: null,
      stopped_at: null,
    },
    outputs: [{ id: d.outputLinkId, dataset_id: d.outputDatasetId, created_at: d.executionCreatedAt }],
    startedMs: created,
    willFail: false,
  };
  state.executions.set(rec.wire.id, rec);
  return [template, local];
}
