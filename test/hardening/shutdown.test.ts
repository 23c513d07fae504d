import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type Simulators } from '../../src/simulators/index.js';
import { startVendorProxy, type VendorProxy } from '../helpers/vendor-proxy.helpers.js';
import { Feed, field, wsClient } from '../status/status.helpers.js';
import { IDS } from './hardening.helpers.js';
import { spawnGateway } from './process.helpers.js';

/**
 * SIGTERM under load, on a real process started as a user starts it (no NODE_ENV=test, which
 * would switch Apollo Server's own termination handler off and hide what it does to the exit):
 * the requests in flight (held at a proxy in front of Mapflow until the test lets them go) all
 * finish with their data, WebSockets are closed with 1001, no new connection is accepted
 * meanwhile, and the process exits 0, not by the signal.
 */
let started: Awaited<ReturnType<typeof startSimulators>>;
let sims: Simulators;
let proxy: VendorProxy;
beforeAll(async () => {
  started = await startSimulators({ timeScale: 0 });
  sims = started as Simulators;
  proxy = await startVendorProxy(sims.mapflow.origin);
});
afterAll(async () => {
  await proxy?.close();
  await started?.close();
});

describe('graceful shutdown', () => {
  it.each<{ how: string; env: Record<string, string>; signals: NodeJS.Signals[] }>([
    { how: 'NODE_ENV unset (npm start), one SIGTERM', env: {}, signals: ['SIGTERM'] },
    // npm forwards the terminal's Ctrl-C to a process that already got it: a second signal mid-drain.
    { how: 'NODE_ENV=production, SIGTERM then SIGINT during the drain', env: { NODE_ENV: 'production' }, signals: ['SIGTERM', 'SIGINT'] },
  ])('$how with 10 requests in flight and a subscription open: all 10 answered, socket closed 1001, exit 0', async ({ env, signals }) => {
    const gw = await spawnGateway({
      ...env,
      MAPFLOW_URL: sims.mapflow.url.replace(sims.mapflow.origin, proxy.origin),
      MAPFLOW_TOKEN: sims.mapflow.demoToken,
      FLAI_URL: sims.flai.origin,
      FLAI_TOKEN: sims.flai.demoToken,
      CUPIX_URL: sims.cupix.url,
      CUPIX_TOKEN: sims.cupix.demoToken,
    });
    try {
      const client = wsClient(gw.url);
      const closed = new Promise<{ code: number }>((resolve) => client.on('closed', (e) => resolve(e as { code: number })));
      const sub = new Feed(client, 'subscription { pointcloudUpdated(id: "5331") { id state } }');
      expect(field(await sub.next(), 'pointcloudUpdated')).toEqual({ id: '5331', state: 'RUNNING' });

      const gate = proxy.hold((r) => r.path === `/rest/processings/${IDS.processing}/v2`);
      const inFlight = Array.from({ length: 10 }, (_, i) =>
        fetch(gw.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `{ p${i}: processing(id: "${IDS.processing}") { id name } }` }),
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as { data?: Record<string, { id: string } | null>; errors?: unknown } })),
      );
      await gate.held(10);

      gw.child.kill(signals[0]);
      expect(await closed).toMatchObject({ code: 1001 });
      // Draining: nothing new is accepted while the 10 are still running.
      await expect(fetch(`${gw.origin}/healthz`)).rejects.toThrow();
      for (const again of signals.slice(1)) {
        const from = gw.output.length;
        gw.child.kill(again);
        await gw.waitForLine((l) => l.startsWith(`${again}: already shutting down`), from);
      }
      gate.release();

      const answers = await Promise.all(inFlight);
      answers.forEach((a, i) => {
        expect(a.status).toBe(200);
        expect(a.body.errors).toBeUndefined();
        expect(a.body.data?.[`p${i}`]).toMatchObject({ id: IDS.processing });
      });
      expect(await gw.exited).toEqual({ code: 0, signal: null });
      // Our handler alone saw the signals: Apollo Server's own one would stop Apollo and send the
      // signal again, which would show here as one more "already shutting down".
      const notices = gw.output.filter((l) => l.includes(' shutting down')).map((l) => l.replace(/ \(.*\)$/, ''));
      expect(notices).toEqual(signals.map((s, i) => (i === 0 ? `${s}: shutting down` : `${s}: already shutting down`)));
      await client.dispose();
    } finally {
      gw.kill();
    }
  }, 60_000);
});
