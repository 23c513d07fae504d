import { describe, expect, it } from 'vitest';
import { authHeaders } from '../../src/datasources/mapflow/mapflow.client.js';
import { mapflowErrorInfo } from '../../src/datasources/mapflow/mapflow.errors.js';
import { NO_RETRIES } from '../../src/datasources/http/resilience.js';
import { UpstreamHttp } from '../../src/datasources/http/upstream-http.js';
import { UpstreamError } from '../../src/errors.js';
import { startSimulators } from '../../src/simulators/index.js';
import { IDS, ROUTES } from './hardening.helpers.js';

/**
 * The breaker is per vendor AND base URL: the gateway's one client per configured vendor URL owns
 * its breaker. Two Mapflow clients at two Mapflow simulators (two gateway configs in one process):
 * tripping one's breaker leaves the other's closed, and calls to it go on.
 */
type Sims = Awaited<ReturnType<typeof startSimulators>>;

const client = (sims: Sims) =>
  new UpstreamHttp({
    source: 'MAPFLOW',
    baseUrl: sims.mapflow!.url,
    timeoutMs: 2_000,
    parseError: mapflowErrorInfo,
    retry: NO_RETRIES,
    breaker: { threshold: 0.5, window: 4, minCalls: 4, halfOpenMs: 60_000 },
  });
const get = (http: UpstreamHttp, sims: Sims) =>
  http.json({ method: 'GET', path: `/processings/${IDS.processing}/v2`, route: ROUTES.mapflow, headers: authHeaders(sims.mapflow!.demoToken) });
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as UpstreamError);

describe('circuit breaker per base URL', () => {
  it('opening the breaker of one Mapflow base URL leaves another Mapflow base URL closed and answering', async () => {
    // Two sets of simulators, one per base URL: started by the test, which is about the two.
    const [a, b] = await Promise.all([startSimulators({ timeScale: 0 }), startSimulators({ timeScale: 0 })]);
    try {
      await breakerPerBaseUrl(a, b);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

/** The two breakers, each with its own Mapflow simulator. */
async function breakerPerBaseUrl(a: Sims, b: Sims): Promise<void> {
  expect(a.mapflow!.url).not.toBe(b.mapflow!.url);
  const first = client(a);
  const second = client(b);
  expect(first.core.breaker).not.toBe(second.core.breaker);

  a.mapflow!.faults.set({ errorRate: 1, errorStatuses: [503], route: ROUTES.mapflow });
  for (let i = 0; i < 4; i++) expect((await failure(get(first, a)))?.code).toBe('UPSTREAM_UNAVAILABLE');
  expect(first.core.breaker.state()).toBe('open');
  a.mapflow!.faults.set(null);

  // The first URL's breaker is open: its calls fail at once and reach no vendor.
  const callsToA = a.mapflow!.stats.count(ROUTES.mapflow);
  const refused = await failure(get(first, a));
  expect(refused).toBeInstanceOf(UpstreamError);
  expect(refused?.code).toBe('UPSTREAM_UNAVAILABLE');
  expect(refused?.details.transport).toBe('open');
  expect(a.mapflow!.stats.count(ROUTES.mapflow)).toBe(callsToA);

  // The second URL's is untouched: its calls reach its vendor and answer.
  const callsToB = b.mapflow!.stats.count(ROUTES.mapflow);
  expect(await get(second, b)).toMatchObject({ id: IDS.processing });
  expect(b.mapflow!.stats.count(ROUTES.mapflow)).toBe(callsToB + 1);
  expect(second.core.breaker.state()).toBe('closed');
  expect(second.health().circuit.state).toBe('closed');
  expect(first.health().circuit.state).toBe('open');
}
