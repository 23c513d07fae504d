import { describe, expect } from 'vitest';
import {
  MapflowCreateProcessingIdDocument,
  MapflowProcessingLifeDocument,
  MapflowProcessingResultsDocument,
  MapflowProcessingReviewDocument,
  MapflowProjectInProgressDocument,
  MapflowRestartStateDocument,
  type SourceParamsInput,
} from '../generated/graphql.js';
import { test, type Stack } from '../helpers/stack.helpers.js';
import { square, tenantData, vendor } from './mapflow.helpers.js';

/** Processings observed through the gateway while the simulator's virtual clock moves (no sleeps). */

test.override('stackOptions', { timeScale: 0 });

const BUILDINGS = '30ddfd15-04aa-47f6-9ceb-68ce709fd710';

/** A result as Mapflow serves it: a GeoJSON FeatureCollection. */
interface FeatureCollection {
  type: string;
  features: unknown[];
}

async function create(stack: Stack, geometry: unknown, sourceParams?: SourceParamsInput): Promise<string> {
  const r = await stack.op(MapflowCreateProcessingIdDocument, {
    input: { workflowDefId: BUILDINGS, geometry, ...(sourceParams ? { sourceParams } : {}) },
  });
  expect(r.errors).toBeUndefined();
  return r.data?.createProcessing.id as string;
}

async function observe(stack: Stack, id: string) {
  const r = await stack.op(MapflowProcessingLifeDocument, { id });
  expect(r.errors).toBeUndefined();
  return r.data?.processing;
}

const held = (stack: Stack, id: string) => tenantData(stack, 'alpha').processings.get(id);

describe('a processing through its whole life', () => {
  test('goes UNPROCESSED -> IN_PROGRESS (rising) -> OK with results, as the vendor reports it', async ({ stack }) => {
    const id = await create(stack, square(37.4, 55.7, 0.004), { dataProvider: { providerName: 'Mapbox', zoom: 18 } });
    expect(await observe(stack, id)).toMatchObject({ status: 'UNPROCESSED', state: 'QUEUED', upstreamStatus: 'UNPROCESSED', progress: 0, isTerminal: false });

    stack.sims.mapflow.clock.advance(1_600);
    expect(await observe(stack, id)).toMatchObject({ status: 'IN_PROGRESS', state: 'RUNNING', progress: 0, isTerminal: false, aois: [{ status: 'IN_PROGRESS' }] });

    stack.sims.mapflow.clock.advance(12_000);
    const mid = await observe(stack, id);
    const pct = held(stack, id)?.percentCompleted as number;
    expect(pct).toBeGreaterThan(0);
    expect(pct).toBeLessThan(100);
    expect(mid).toMatchObject({ status: 'IN_PROGRESS', state: 'RUNNING', progress: pct, percentCompleted: pct, isTerminal: false, aois: [{ percentCompleted: pct }] });
    expect(mid?.updatedAt).toBe(new Date(held(stack, id)?.updated as string).toISOString());

    const filtered = await stack.op(MapflowProjectInProgressDocument, { p: held(stack, id)?.projectId as string });
    expect(filtered.data?.project?.processings?.nodes).toContainEqual({ id });

    stack.sims.mapflow.clock.advance(40_000);
    expect(await observe(stack, id)).toEqual({
      id,
      status: 'OK',
      state: 'SUCCEEDED',
      upstreamStatus: 'OK',
      progress: 100,
      percentCompleted: 100,
      isTerminal: true,
      updatedAt: new Date(held(stack, id)?.updated as string).toISOString(),
      messages: [],
      aois: [{ status: 'OK', percentCompleted: 100, messages: [] }],
    });
    const results = await stack.op(MapflowProcessingResultsDocument, { id });
    const result = results.data?.processing?.results as FeatureCollection;
    expect(result).toEqual(await vendor(stack, 'GET', `/processings/${id}/result`));
    expect(result.features.length).toBeGreaterThan(0);
  });

  test('fails late with a tile error whose description is rendered from the table', async ({ stack }) => {
    const id = await create(stack, square(37.41, 55.7, 0.004), { userDefined: { sourceType: 'XYZ', url: 'https://tiles.nowhere.invalid/{z}/{x}/{y}.png' } });
    stack.sims.mapflow.clock.advance(45_000);
    const seen = await observe(stack, id);
    const message = {
      code: 'dataloader.TileNotLoaded',
      parameters: { tile_location: '18/158485/81958', status: '404', level: 'error' },
      description: 'Tile at location 18/158485/81958 cannot be loaded, server response is 404',
    };
    expect(held(stack, id)?.messages).toEqual([{ code: message.code, parameters: message.parameters }]);
    expect(seen).toMatchObject({
      status: 'FAILED',
      state: 'FAILED',
      isTerminal: true,
      messages: [message],
      aois: [{ status: 'FAILED', messages: [{ code: message.code, description: message.description }] }],
    });
  });

  test('fails early on a source-validator check (zoom too high)', async ({ stack }) => {
    const id = await create(stack, square(37.42, 55.7, 0.004), { dataProvider: { providerName: 'Mapbox', zoom: 21 } });
    stack.sims.mapflow.clock.advance(5_000);
    expect(await observe(stack, id)).toMatchObject({
      status: 'FAILED',
      state: 'FAILED',
      progress: 0,
      messages: [{ code: 'source-validator.TooHighZoom', parameters: { max_zoom: '20', actual_zoom: '21', level: 'error' }, description: 'Zoom must be not higher than 20, got 21' }],
    });
  });

  test('waits for imagery (AWAITING is QUEUED) with an imagery search source', async ({ stack }) => {
    const id = await create(stack, square(37.43, 55.7, 0.004), { imagerySearch: { dataProvider: 'orbview', imageIds: ['1030010204712020'], zoom: 18 } });
    stack.sims.mapflow.clock.advance(2_000);
    expect(await observe(stack, id)).toMatchObject({ status: 'AWAITING', state: 'QUEUED', upstreamStatus: 'AWAITING', isTerminal: false });
  });

  test('treats an OK processing whose review is NOT_ACCEPTED as not terminal', async ({ stack }) => {
    const p = [...tenantData(stack, 'alpha').processings.values()].find(
      (x) => x.status === 'OK' && x.reviewStatus?.reviewStatus === 'NOT_ACCEPTED',
    );
    expect(p).toBeDefined();
    const r = await stack.op(MapflowProcessingReviewDocument, { id: p?.id as string });
    expect(r.data).toEqual({ processing: { status: 'OK', state: 'SUCCEEDED', reviewStatus: 'NOT_ACCEPTED', isTerminal: false } });
  });

  test('restarts a failed processing, which runs (and, with the same source, fails) again', async ({ stack }) => {
    const id = await create(stack, square(37.44, 55.7, 0.004), { dataProvider: { providerName: 'Mapbox', zoom: 21 } });
    stack.sims.mapflow.clock.advance(5_000);
    expect((await observe(stack, id))?.status).toBe('FAILED');
    const r = await stack.op(MapflowRestartStateDocument, { id });
    expect(r.data).toEqual({ restartProcessing: { status: 'UNPROCESSED', state: 'QUEUED', isTerminal: false, messages: [] } });
    stack.sims.mapflow.clock.advance(1_600);
    expect(await observe(stack, id)).toMatchObject({ status: 'IN_PROGRESS', state: 'RUNNING', messages: [] });
    stack.sims.mapflow.clock.advance(5_000);
    expect(await observe(stack, id)).toMatchObject({ status: 'FAILED', messages: [{ code: 'source-validator.TooHighZoom' }] });
  });
});
