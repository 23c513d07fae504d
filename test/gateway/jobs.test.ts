import { describe, expect } from 'vitest';
import { seededDownloadId } from '../../src/simulators/flai/index.js';
import { GatewayJobsMixedDocument, GatewayJobsOneByOneDocument } from '../generated/graphql.js';
import { jsonOf, test } from '../helpers/stack.helpers.js';
import { ALPHA as FLAI_ALPHA, vendor as flaiVendor, type Raw } from './flai.helpers.js';
import { doc, vendor as mapflowVendor } from './mapflow.helpers.js';

/** `jobs(refs:)` across the three vendors and all four Job types in one call, over real HTTP. */

/** One pointcloud as the Cupix simulator serves it, with the fields asked for. */
interface CupixPointcloud {
  result: { data: { attributes: { name: string; state: string; updated_at: string } } };
}

const PROCESSING = doc<{ id: string }>('processing.json').id;
const EXECUTION = 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e';
const DOWNLOAD = seededDownloadId('alpha');
const POINTCLOUD = '5310';
const IDS = { p: PROCESSING, e: EXECUTION, d: DOWNLOAD, c: POINTCLOUD };

describe('jobs(refs:)', () => {
  test('mixes a Processing, a FlowExecution, a DatasetDownload and a Pointcloud, in the order asked, one call per distinct job', async ({ stack }) => {
    const p = await mapflowVendor<{ name: string; status: string; percentCompleted: number; updated: string }>(stack, 'GET', `/processings/${PROCESSING}/v2`);
    const e = await flaiVendor<Raw>(stack, `/flow-executions/${EXECUTION}`, FLAI_ALPHA);
    const d = await flaiVendor<Raw & { items: { model_id: string }[] }>(stack, `/downloads/${DOWNLOAD}`, FLAI_ALPHA);
    const c = await jsonOf<CupixPointcloud>(
      await fetch(`${stack.sims.cupix.url}/pointclouds/${POINTCLOUD}?fields=id,name,kind,state,updated_at`, { headers: { 'x-cupix-auth': stack.sims.cupix.demoToken } }),
    );
    // The same jobs through their own root fields: what each item of jobs(refs) must equal.
    const single = await stack.op(GatewayJobsOneByOneDocument, IDS);
    expect(single.errors).toBeUndefined();
    stack.resetCounts();

    const r = await stack.op(GatewayJobsMixedDocument, IDS);
    expect(r.errors).toBeUndefined();
    const s = single.data;
    expect(r.data?.jobs).toEqual([s?.c, s?.d, s?.p, s?.e, s?.c, null]);

    // Each item as the vendor holds it.
    expect(r.data?.jobs?.[2]).toEqual({
      __typename: 'Processing',
      id: PROCESSING,
      source: 'MAPFLOW',
      state: 'SUCCEEDED',
      upstreamStatus: p.status,
      isTerminal: true,
      progress: p.percentCompleted,
      updatedAt: new Date(p.updated).toISOString(),
      processingName: p.name,
      processingStatus: 'OK',
    });
    expect(r.data?.jobs?.[3]).toMatchObject({ __typename: 'FlowExecution', id: EXECUTION, source: 'FLAI', state: 'RUNNING', upstreamStatus: e.status, isTerminal: false, flowId: e.flow_id, executionStatus: 'PROCESSING' });
    expect(r.data?.jobs?.[1]).toMatchObject({ __typename: 'DatasetDownload', id: DOWNLOAD, source: 'FLAI', state: 'SUCCEEDED', upstreamStatus: d.status, isTerminal: true, datasetId: d.items[0].model_id, ready: true });
    expect(d.status).toBe('download-prepared');
    const pc = c.result.data.attributes;
    expect(r.data?.jobs?.[0]).toEqual({
      __typename: 'Pointcloud',
      id: POINTCLOUD,
      source: 'CUPIX',
      state: 'SUCCEEDED',
      upstreamStatus: pc.state,
      isTerminal: true,
      progress: null,
      updatedAt: new Date(pc.updated_at).toISOString(),
      pointcloudName: pc.name,
      kind: 'SUB',
    });

    // One call per distinct job: the duplicate pointcloud is free, the missing one costs its lookup.
    expect(stack.sims.mapflow.stats.snapshot().byRoute).toEqual({ 'GET /processings/{id}/v2': 1 });
    expect(stack.callsTo('flai', 'GET /organization/{orgId}/flow-executions/{executionId}')).toBe(1);
    expect(stack.callsTo('flai', 'GET /organization/{orgId}/downloads/{downloadId}')).toBe(1);
    expect(stack.calls('flai')).toBe(2);
    expect(stack.sims.cupix.stats.snapshot().byRoute).toEqual({ 'GET /pointclouds/{id}': 2 });
  });
});
