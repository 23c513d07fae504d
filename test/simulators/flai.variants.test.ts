import { test as base, describe, expect } from 'vitest';
import { FLAI_UNDOCUMENTED, FLAI_VARIANTS_TENANT, executionRunMs, FLAI_TIMINGS } from '../../src/simulators/flai/index.js';
import { ALPHA, ORG_A, advance, api, startFrozen, type Json } from './flai.helpers.js';

/**
 * The Flai simulator's documented variants (docs/vendors.md, "Documented variants"): served to the
 * `variants` tenant only, and only in that mode; `alpha` keeps the examples' shapes.
 */
const ORG_V = `/organization/${FLAI_VARIANTS_TENANT.orgId}`;
const V = { token: FLAI_VARIANTS_TENANT.token };

/** The file's two Flai simulators: `sim` with the documented variants (the default), `plain` without. */
const test = base
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  .extend('sim', { scope: 'file' }, async ({}, { onCleanup }) => {
    const sim = await startFrozen();
    onCleanup(() => sim.close());
    return sim;
  })
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  .extend('plain', { scope: 'file' }, async ({}, { onCleanup }) => {
    const plain = await startFrozen({ documentedVariants: false });
    onCleanup(() => plain.close());
    return plain;
  });

describe('flai documented variants', () => {
  test('the variants tenant exists only in that mode; alpha keeps the paged envelope either way', async ({ sim, plain }) => {
    expect((await api(sim, `${ORG_V}/datasets`, V)).status).toBe(200);
    expect((await api(plain, `${ORG_V}/datasets`, V)).status).toBe(401);
    for (const s of [sim, plain]) expect(Object.keys((await api(s, `${ORG_A}/datasets?per_page=2`)).body).sort()).toEqual(['items', 'pagination']);
  });

  test('its lists are bare arrays of the whole list, filters applied, with one mesh dataset and one paused execution', async ({ sim }) => {
    const datasets = await api<Json[]>(sim, `${ORG_V}/datasets?page=2&per_page=3`, V);
    expect(Array.isArray(datasets.body)).toBe(true);
    expect(datasets.body.length).toBeGreaterThan(6);
    expect(datasets.body.filter((d) => d.dataset_type_key === FLAI_UNDOCUMENTED.datasetType)).toHaveLength(1);
    const executions = await api<Json[]>(sim, `${ORG_V}/flow-executions`, V);
    expect(executions.body.filter((e) => e.status === FLAI_UNDOCUMENTED.executionStatus)).toHaveLength(1);
    const flowId = String(executions.body[0].flow_id);
    const mine = await api<Json[]>(sim, `${ORG_V}/flow-executions?filter[flow_id]=${flowId}`, V);
    expect(mine.body.map((e) => e.id)).toEqual(executions.body.filter((e) => e.flow_id === flowId).map((e) => e.id));
  });

  test('its finished executions alternate `finished` and `finish`, seeded and new alike; every other create answers only {id}', async ({ sim }) => {
    const seeded = (await api<Json[]>(sim, `${ORG_V}/flow-executions?order_by=created_at&order_direction=asc`, V)).body.filter((e) => e.status === 'finished' || e.status === 'finish');
    expect(seeded.map((e) => e.status)).toEqual(seeded.map((_, i) => (i % 2 === 1 ? 'finish' : 'finished')));

    const templates = (await api<Json[]>(sim, `${ORG_V}/flow-templates`, V)).body;
    const template = templates.find((t) => t.title === 'Aerial mapping classification') as Json;
    const input = (await api<Json[]>(sim, `${ORG_V}/datasets`, V)).body.find((d) => d.dataset_type_key === 'pointcloud' && d.dataset_status === 'ready') as Json;
    // Let the seeded runs still in flight end first, so the next two finish one after the other.
    await advance(sim, 10 * 60_000);
    const answers: Json[] = [];
    for (const name of ['First', 'Second']) {
      const body = { flow_id: template.id, flow_node_options: { point_cloud_reader_1: { dataset_id: input.id }, point_cloud_writer_1: { dataset_name: name } } };
      const res = await api(sim, `${ORG_V}/flow-template-execution`, { ...V, body });
      expect(res.status).toBe(200);
      answers.push(res.body);
      await advance(sim, FLAI_TIMINGS.executionQueuedMs + executionRunMs(String(res.body.id)));
    }
    expect(answers.map((a) => Object.keys(a).length === 1)).toEqual([true, false]);
    const ended = await Promise.all(answers.map(async (a) => (await api(sim, `${ORG_V}/flow-executions/${a.id}`, V)).body.status));
    expect(ended.sort()).toEqual(['finish', 'finished']);

    // Alpha's creates always answer the whole record.
    const dataset = { dataset_name: 'Alpha whole', dataset_type_key: 'vector', import_datasource: { datasource_type: 'ftp', path: '/v', credentials: { ftp_username: 'u', ftp_password: 'p' } } };
    const alpha = [await api(sim, `${ORG_A}/datasets`, { token: ALPHA.token, body: dataset }), await api(sim, `${ORG_A}/datasets`, { token: ALPHA.token, body: dataset })];
    expect(alpha.map((r) => [r.status, r.body.dataset_name, r.body.dataset_type_key])).toEqual([
      [200, 'Alpha whole', 'vector'],
      [200, 'Alpha whole', 'vector'],
    ]);
  });
});
