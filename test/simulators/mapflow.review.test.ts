import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALPHA, client, createBody, startFrozen, type Json, type Sim } from './mapflow.helpers.js';

let sim: Sim;
beforeAll(async () => {
  sim = await startFrozen();
});
afterAll(() => sim.close());

const review = (id: string, body: unknown) =>
  fetch(`${sim.origin}/__sim/processings/${id}/review`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('mapflow review decisions (admin)', () => {
  it('sets a processing’s review status, logs the change and shows it in the processing and its project list', async () => {
    const api = client(sim, ALPHA);
    const created = (await api.post('/processings/v2', createBody())).body;
    const id = created.id as string;
    const seq = sim.changes.lastSeq;

    const r = await review(id, { reviewStatus: 'NOT_ACCEPTED' });
    expect(r.status).toBe(200);
    expect((await api.get(`/processings/${id}/v2`)).body.reviewStatus).toMatchObject({ reviewStatus: 'NOT_ACCEPTED', inReviewUntil: expect.any(String) });
    const listed = (await api.get<Json[]>(`/projects/${created.projectId as string}/processings/v2`)).body.find((p) => p.id === id);
    expect(listed?.reviewStatus).toMatchObject({ reviewStatus: 'NOT_ACCEPTED' });

    expect((await review(id, { reviewStatus: 'ACCEPTED' })).status).toBe(200);
    expect((await review(id, { reviewStatus: 'ACCEPTED' })).status).toBe(200); // no change: not logged twice
    expect(sim.changes.since(seq).map((c) => [c.entity, c.id, c.field, c.from, c.to, c.tenant])).toEqual([
      ['processing', id, 'reviewStatus', null, 'NOT_ACCEPTED', 'alpha'],
      ['processing', id, 'reviewStatus', 'NOT_ACCEPTED', 'ACCEPTED', 'alpha'],
    ]);
  });

  it('refuses an unknown review status (400) and an unknown processing (404)', async () => {
    const id = ((await client(sim, ALPHA).post('/processings/v2', createBody())).body.id as string);
    expect((await review(id, { reviewStatus: 'MAYBE' })).status).toBe(400);
    expect((await review('00000000-0000-0000-0000-000000000000', { reviewStatus: 'ACCEPTED' })).status).toBe(404);
  });
});
