import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.helpers.js';
import { square, tenantData, vendor } from './mapflow.helpers.js';

/** Processings observed through the gateway while the simulator's virtual clock moves (no sleeps). */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ timeScale: 0 });
});
afterAll(() => stack?.close());

const BUILDINGS = '30ddfd15-04aa-47f6-9ceb-68ce709fd710';
const JOB = `id status state upstreamStatus progress percentCompleted isTerminal updatedAt messages { code parameters description }
  aois { status percentCompleted messages { code description } }`;

async function create(geometry: unknown, sourceParams?: unknown): Promise<string> {
  const r = await stack.gql<{ createProcessing: { id: string } }>(`mutation($input: CreateProcessingInput!) { createProcessing(input: $input) { id } }`, {
    input: { workflowDefId: BUILDINGS, geometry, ...(sourceParams ? { sourceParams } : {}) },
  });
  expect(r.errors).toBeUndefined();
  return r.data?.createProcessing.id as string;
}

async function observe(id: string): Promise<Record<string, unknown>> {
  const r = await stack.gql<{ processing: Record<string, unknown> }>(`query($id: ID!) { processing(id: $id) { ${JOB} } }`, { id });
  expect(r.errors).toBeUndefined();
  return r.data?.processing as Record<string, unknown>;
}

const held = (id: string) => tenantData(stack, 'alpha').processings.get(id);

describe('a processing through its whole life', () => {
  it('goes UNPROCESSED -> IN_PROGRESS (rising) -> OK with results, as the vendor reports it', async () => {
    const id = await create(square(37.4, 55.7, 0.004), { dataProvider: { providerName: 'Mapbox', zoom: 18 } });
    expect(await observe(id)).toMatchObject({ status: 'UNPROCESSED', state: 'QUEUED', upstreamStatus: 'UNPROCESSED', progress: 0, isTerminal: false });

    stack.sims.mapflow.clock.advance(1_600);
    expect(await observe(id)).toMatchObject({ status: 'IN_PROGRESS', state: 'RUNNING', progress: 0, isTerminal: false, aois: [{ status: 'IN_PROGRESS' }] });

    stack.sims.mapflow.clock.advance(12_000);
    const mid = await observe(id);
    const pct = held(id)?.percentCompleted as number;
    expect(pct).toBeGreaterThan(0);
    expect(pct).toBeLessThan(100);
    expect(mid).toMatchObject({ status: 'IN_PROGRESS', state: 'RUNNING', progress: pct, percentCompleted: pct, isTerminal: false, aois: [{ percentCompleted: pct }] });
    expect(mid.updatedAt).toBe(new Date(held(id)?.updated as string).toISOString());

    const filtered = await stack.gql(`query($p: ID!) { project(id: $p) { processings(status: [IN_PROGRESS]) { nodes { id } } } }`, { p: held(id)?.projectId });
    expect((filtered.data?.project as { processings: { nodes: { id: string }[] } }).processings.nodes).toContainEqual({ id });

    stack.sims.mapflow.clock.advance(40_000);
    expect(await observe(id)).toEqual({
      id,
      status: 'OK',
      state: 'SUCCEEDED',
      upstreamStatus: 'OK',
      progress: 100,
      percentCompleted: 100,
      isTerminal: true,
      updatedAt: new Date(held(id)?.updated as string).toISOString(),
      messages: [],
      aois: [{ status: 'OK', percentCompleted: 100, messages: [] }],
    });
    const results = await stack.gql<{ processing: { results: { type: string; features: unknown[] } } }>(`query($id: ID!) { processing(id: $id) { results } }`, { id });
    expect(results.data?.processing.results).toEqual(await vendor(stack, 'GET', `/processings/${id}/result`));
    expect(results.data?.processing.results.features.length).toBeGreaterThan(0);
  });

  it('fails late with a tile error whose description is rendered from the table', async () => {
    const id = await create(square(37.41, 55.7, 0.004), { userDefined: { sourceType: 'XYZ', url: 'https://tiles.nowhere.invalid/{z}/{x}/{y}.png' } });
    stack.sims.mapflow.clock.advance(45_000);
    const seen = await observe(id);
    const message = {
      code: 'dataloader.TileNotLoaded',
      parameters: { tile_location: '18/158485/81958', status: '404', level: 'error' },
      description: 'Tile at location 18/158485/81958 cannot be loaded, server response is 404',
    };
    expect(held(id)?.messages).toEqual([{ code: message.code, parameters: message.parameters }]);
    expect(seen).toMatchObject({
      status: 'FAILED',
      state: 'FAILED',
      isTerminal: true,
      messages: [message],
      aois: [{ status: 'FAILED', messages: [{ code: message.code, description: message.description }] }],
    });
  });

  it('fails early on a source-validator check (zoom too high)', async () => {
    const id = await create(square(37.42, 55.7, 0.004), { dataProvider: { providerName: 'Mapbox', zoom: 21 } });
    stack.sims.mapflow.clock.advance(5_000);
    expect(await observe(id)).toMatchObject({
      status: 'FAILED',
      state: 'FAILED',
      progress: 0,
      messages: [{ code: 'source-validator.TooHighZoom', parameters: { max_zoom: '20', actual_zoom: '21', level: 'error' }, description: 'Zoom must be not higher than 20, got 21' }],
    });
  });

  it('waits for imagery (AWAITING is QUEUED) with an imagery search source', async () => {
    const id = await create(square(37.43, 55.7, 0.004), { imagerySearch: { dataProvider: 'orbview', imageIds: ['1030010204712020'], zoom: 18 } });
    stack.sims.mapflow.clock.advance(2_000);
    expect(await observe(id)).toMatchObject({ status: 'AWAITING', state: 'QUEUED', upstreamStatus: 'AWAITING', isTerminal: false });
  });

  it('treats an OK processing whose review is NOT_ACCEPTED as not terminal', async () => {
    const p = [...tenantData(stack, 'alpha').processings.values()].find(
      (x) => x.status === 'OK' && (x.reviewStatus as { reviewStatus?: string } | null)?.reviewStatus === 'NOT_ACCEPTED',
    );
    expect(p).toBeDefined();
    const r = await stack.gql(`query($id: ID!) { processing(id: $id) { status state reviewStatus isTerminal } }`, { id: p?.id });
    expect(r.data).toEqual({ processing: { status: 'OK', state: 'SUCCEEDED', reviewStatus: 'NOT_ACCEPTED', isTerminal: false } });
  });

  it('restarts a failed processing, which runs (and, with the same source, fails) again', async () => {
    const id = await create(square(37.44, 55.7, 0.004), { dataProvider: { providerName: 'Mapbox', zoom: 21 } });
    stack.sims.mapflow.clock.advance(5_000);
    expect((await observe(id)).status).toBe('FAILED');
    const r = await stack.gql(`mutation($id: ID!) { restartProcessing(id: $id) { status state isTerminal messages { code } } }`, { id });
    expect(r.data).toEqual({ restartProcessing: { status: 'UNPROCESSED', state: 'QUEUED', isTerminal: false, messages: [] } });
    stack.sims.mapflow.clock.advance(1_600);
    expect(await observe(id)).toMatchObject({ status: 'IN_PROGRESS', state: 'RUNNING', messages: [] });
    stack.sims.mapflow.clock.advance(5_000);
    expect(await observe(id)).toMatchObject({ status: 'FAILED', messages: [{ code: 'source-validator.TooHighZoom' }] });
  });
});
