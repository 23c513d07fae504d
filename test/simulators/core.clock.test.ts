import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALPHA, client, createBody, startFrozen, type Json, type Sim } from './mapflow.helpers.js';

interface Change {
  seq: number;
  field: string;
  to: unknown;
}

let sim: Sim;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  sim = await startFrozen();
  api = client(sim, ALPHA);
});
afterAll(() => sim.close());

const clock = async (body?: Json) =>
  (await (
    await fetch(`${sim.origin}/__sim/clock`, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {})
  ).json()) as Json;

describe('simulator time scale', () => {
  it('timeScale 0 freezes the lifecycle; timeScale 1000 runs it to OK in real time, observed on /__sim/changes', async () => {
    expect(await clock()).toMatchObject({ timeScale: 0 });
    const p = (await api.post('/processings/v2', createBody())).body;
    const id = p.id as string;
    const frozenAt = (await clock()).now;
    for (let i = 0; i < 20; i++) expect((await api.get(`/processings/${id}/v2`)).body.status).toBe('UNPROCESSED');
    expect((await clock()).now).toBe(frozenAt);

    expect(await clock({ timeScale: 1000 })).toMatchObject({ timeScale: 1000 });
    // Each read of /__sim/changes applies the transitions that are due; a lifecycle is 20-40 virtual
    // seconds, so 20-40 real ms at this scale. The loop is bounded by requests, not by time.
    const seen: Change[] = [];
    let since = 0;
    for (let i = 0; i < 20_000 && !seen.some((c) => c.field === 'status' && c.to === 'OK'); i++) {
      const r = (await (await fetch(`${sim.origin}/__sim/changes?entity=processing&id=${id}&since=${since}`)).json()) as { lastSeq: number; changes: Change[] };
      seen.push(...r.changes);
      since = r.changes.length ? r.changes[r.changes.length - 1].seq : since;
    }
    await clock({ timeScale: 0 });
    const statuses = seen.filter((c) => c.field === 'status').map((c) => c.to);
    expect(statuses).toEqual(['UNPROCESSED', 'IN_PROGRESS', 'OK']);
    expect((await api.get(`/processings/${id}/v2`)).body).toMatchObject({ status: 'OK', percentCompleted: 100 });
  });

  it('refuses a negative or non-numeric timeScale with 400 and keeps the clock', async () => {
    for (const timeScale of [-1, 'fast']) {
      const r = await fetch(`${sim.origin}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ timeScale }) });
      expect(r.status).toBe(400);
      expect(((await r.json()) as Json).error).toBe('timeScale must be a number >= 0');
    }
    expect(await clock()).toMatchObject({ timeScale: 0 });
  });
});
