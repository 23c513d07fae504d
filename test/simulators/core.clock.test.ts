import { describe, expect } from 'vitest';
import { createBody, test, type Sim } from './mapflow.helpers.js';
import { adminCall, adminJson, type AdminError, type Change, type ChangesPage, type ClockState } from './sim-admin.helpers.js';

const clock = (sim: Sim, body?: Partial<ClockState>) => adminJson<ClockState>(sim, '/__sim/clock', body ? 'POST' : 'GET', body);

describe('simulator time scale', () => {
  test('timeScale 0 freezes the lifecycle; timeScale 1000 runs it to OK in real time, observed on /__sim/changes', async ({ sim, api }) => {
    expect(await clock(sim)).toMatchObject({ timeScale: 0 });
    const p = (await api.post('/processings/v2', createBody())).body;
    const id = p.id as string;
    const frozenAt = (await clock(sim)).now;
    for (let i = 0; i < 20; i++) expect((await api.get(`/processings/${id}/v2`)).body.status).toBe('UNPROCESSED');
    expect((await clock(sim)).now).toBe(frozenAt);

    expect(await clock(sim, { timeScale: 1000 })).toMatchObject({ timeScale: 1000 });
    // Each read of /__sim/changes applies the transitions that are due; a lifecycle is 20-40 virtual
    // seconds, so 20-40 real ms at this scale. The loop is bounded by requests, not by time.
    const seen: Change[] = [];
    let since = 0;
    for (let i = 0; i < 20_000 && !seen.some((c) => c.field === 'status' && c.to === 'OK'); i++) {
      const r = await adminJson<ChangesPage>(sim, `/__sim/changes?entity=processing&id=${id}&since=${since}`);
      seen.push(...r.changes);
      since = r.changes.length ? r.changes[r.changes.length - 1].seq : since;
    }
    await clock(sim, { timeScale: 0 });
    const statuses = seen.filter((c) => c.field === 'status').map((c) => c.to);
    expect(statuses).toEqual(['UNPROCESSED', 'IN_PROGRESS', 'OK']);
    expect((await api.get(`/processings/${id}/v2`)).body).toMatchObject({ status: 'OK', percentCompleted: 100 });
  });

  test('refuses a negative or non-numeric timeScale with 400 and keeps the clock', async ({ sim }) => {
    for (const timeScale of [-1, 'fast']) {
      const r = await adminCall<AdminError>(sim, '/__sim/clock', 'POST', { timeScale });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('timeScale must be a number >= 0');
    }
    expect(await clock(sim)).toMatchObject({ timeScale: 0 });
  });
});
