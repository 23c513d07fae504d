import { describe, expect } from 'vitest';
import { HardeningProcessingNameDocument, StatusPointcloudStateDocument } from '../generated/graphql.js';
import { opAt, simsTest as test } from '../helpers/stack.helpers.js';
import { closeOf, Feed, field, wsClient } from '../status/status.helpers.js';
import { IDS } from './hardening.helpers.js';
import { spawnGateway } from './process.helpers.js';

/**
 * SIGTERM under load, on a real process started as a user starts it (no NODE_ENV=test, which
 * would switch Apollo Server's own termination handler off and hide what it does to the exit):
 * the requests in flight (held at a proxy in front of Mapflow until the test lets them go) all
 * finish with their data, WebSockets are closed with 1001, no new connection is accepted
 * meanwhile, and the process exits 0, not by the signal. The simulators and the proxy are the
 * file's; each test starts its own gateway process.
 */
test.override('simsOptions', { proxy: ['mapflow'] });

describe('graceful shutdown', () => {
  test.for<{ how: string; env: Record<string, string>; signals: NodeJS.Signals[] }>([
    { how: 'NODE_ENV unset (npm start), one SIGTERM', env: {}, signals: ['SIGTERM'] },
    // npm forwards the terminal's Ctrl-C to a process that already got it: a second signal mid-drain.
    { how: 'NODE_ENV=production, SIGTERM then SIGINT during the drain', env: { NODE_ENV: 'production' }, signals: ['SIGTERM', 'SIGINT'] },
  ])('$how with 10 requests in flight and a subscription open: all 10 answered, socket closed 1001, exit 0', { timeout: 60_000 }, async ({ env, signals }, { sims, proxies }) => {
    const proxy = proxies.mapflow!;
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
      const closed = closeOf(client);
      const sub = new Feed(client, StatusPointcloudStateDocument, { id: '5331' });
      expect(field(await sub.next(), 'pointcloudUpdated')).toEqual({ id: '5331', state: 'RUNNING' });

      const gate = proxy.hold((r) => r.path === `/rest/processings/${IDS.processing}/v2`);
      const inFlight = Array.from({ length: 10 }, () => opAt(gw.url, HardeningProcessingNameDocument, { id: IDS.processing }));
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
      answers.forEach((a) => {
        expect(a.status).toBe(200);
        expect(a.errors).toBeUndefined();
        expect(a.data?.processing).toMatchObject({ id: IDS.processing });
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
  });
});
