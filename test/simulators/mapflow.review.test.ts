import { describe, expect } from 'vitest';
import { createBody, test, type Json, type Sim } from './mapflow.helpers.js';
import { admin } from './sim-admin.helpers.js';

const review = (sim: Sim, id: string, body: unknown) => admin(sim, `/__sim/processings/${id}/review`, 'POST', body);

describe('mapflow review decisions (admin)', () => {
  test('sets a processing’s review status, logs the change and shows it in the processing and its project list', async ({ api, sim }) => {
    const created = (await api.post('/processings/v2', createBody())).body;
    const id = created.id as string;
    const seq = sim.changes.lastSeq;

    const r = await review(sim, id, { reviewStatus: 'NOT_ACCEPTED' });
    expect(r.status).toBe(200);
    expect((await api.get(`/processings/${id}/v2`)).body.reviewStatus).toMatchObject({ reviewStatus: 'NOT_ACCEPTED', inReviewUntil: expect.any(String) });
    const listed = (await api.get<Json[]>(`/projects/${created.projectId as string}/processings/v2`)).body.find((p) => p.id === id);
    expect(listed?.reviewStatus).toMatchObject({ reviewStatus: 'NOT_ACCEPTED' });

    expect((await review(sim, id, { reviewStatus: 'ACCEPTED' })).status).toBe(200);
    expect((await review(sim, id, { reviewStatus: 'ACCEPTED' })).status).toBe(200); // no change: not logged twice
    expect(sim.changes.since(seq).map((c) => [c.entity, c.id, c.field, c.from, c.to, c.tenant])).toEqual([
      ['processing', id, 'reviewStatus', null, 'NOT_ACCEPTED', 'alpha'],
      ['processing', id, 'reviewStatus', 'NOT_ACCEPTED', 'ACCEPTED', 'alpha'],
    ]);
  });

  test('refuses an unknown review status (400) and an unknown processing (404)', async ({ api, sim }) => {
    const id = ((await api.post('/processings/v2', createBody())).body.id as string);
    expect((await review(sim, id, { reviewStatus: 'MAYBE' })).status).toBe(400);
    expect((await review(sim, '00000000-0000-0000-0000-000000000000', { reviewStatus: 'ACCEPTED' })).status).toBe(404);
  });
});
