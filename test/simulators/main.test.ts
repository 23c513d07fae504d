/**
 * `npm run simulators` (src/simulators/main.ts) as a real child process: env settings (ports 0,
 * time scale, faults), the printed URLs and tokens, and SIGTERM. The test waits for the printout
 * itself, never for a time.
 */
import { once } from 'node:events';
import { request } from 'node:http';
import { describe, expect, test as base } from 'vitest';
import { spawnEntry, type NodeProcess } from '../helpers/process.helpers.js';
import { shapeDiff } from '../helpers/shape.helpers.js';
import { schemaErrors, vendorValidators } from './cupix.helpers.js';
import { fixture as flaiFixture } from './flai.helpers.js';
import { fixture as mapflowFixture, type Json, type PageReply } from './mapflow.helpers.js';
import { adminJson, type ClockState, type FaultsState } from './sim-admin.helpers.js';

interface Printed {
  vendor: string;
  url: string;
  tenants: { name: string; credential: string; org?: string }[];
}

/** stdout up to the last vendor's tenants; rejects if the process exits first. */
async function readPrintout(p: NodeProcess): Promise<string> {
  const last = await p.waitForLine((l) => /^ {2}beta +x-cupix-auth: \S+$/.test(l));
  return p.lines.slice(0, p.lines.indexOf(last) + 1).join('\n') + '\n';
}

function parse(out: string): Record<string, Printed> {
  const result: Record<string, Printed> = {};
  let current: Printed | undefined;
  for (const line of out.split('\n')) {
    const head = /^(Mapflow|Flai|Cupix) +(http:\/\/\S+)/.exec(line);
    if (head) {
      current = { vendor: head[1], url: head[2], tenants: [] };
      result[head[1].toLowerCase()] = current;
      continue;
    }
    const t = /^ {2}(\S+) +(Authorization: (?:Basic|Bearer) \S+|x-cupix-auth: \S+)(?: +org (\S+))?$/.exec(line);
    if (t && current) current.tenants.push({ name: t[1], credential: t[2], org: t[3] });
  }
  return result;
}

const call = (p: Printed, path: string, tenant = 0) => {
  const [name, value] = p.tenants[tenant].credential.split(/: (.*)/s);
  return fetch(p.url + path, { headers: { [name]: value } });
};

/**
 * `simulators`: one `npm run simulators` process per file (ports 0, clocks frozen, every Cupix call
 * a 502), its first line and what it printed per vendor; killed after the file's last test.
 */
// eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
const test = base.extend('simulators', { scope: 'file' }, async ({}, { onCleanup }) => {
  const child = spawnEntry('src/simulators/main.ts', {
    SIM_MAPFLOW_PORT: '0',
    SIM_FLAI_PORT: '0',
    SIM_CUPIX_PORT: '0',
    SIM_TIME_SCALE: '0',
    SIM_CUPIX_FAULTS: JSON.stringify({ errorRate: 1, errorStatuses: [502] }),
  });
  onCleanup(() => child.kill());
  const out = await readPrintout(child);
  return { child, firstLine: out.split('\n')[0], printed: parse(out) };
});

describe('npm run simulators (src/simulators/main.ts)', () => {
  test('prints each base URL on a free port (0 in env) and two tenants per vendor', ({ simulators: { firstLine, printed } }) => {
    expect(firstLine).toMatch(/^Simulators running \(time scale 0\)/);
    expect(Object.keys(printed).sort()).toEqual(['cupix', 'flai', 'mapflow']);
    expect(printed.mapflow.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/rest$/);
    expect(printed.flai.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(printed.cupix.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    const ports = Object.values(printed).map((p) => new URL(p.url).port);
    expect(new Set(ports).size).toBe(3);
    expect(ports.every((p) => Number(p) > 0)).toBe(true);
    for (const p of Object.values(printed)) expect(p.tenants.map((t) => t.name)).toEqual(['alpha', 'beta']);
  });

  test('the printed Mapflow URL and token get the documented processing', async ({ simulators: { printed } }) => {
    const ex = mapflowFixture('processing');
    const r = await call(printed.mapflow, `/processings/${ex.id as string}/v2`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual(ex);
    const beta = await call(printed.mapflow, `/processings/${ex.id as string}/v2`, 1);
    expect(beta.status).toBe(404); // the documented record is alpha's alone
  });

  test('the printed Flai URL and tokens get /oauth/me with the printed organisation', async ({ simulators: { printed } }) => {
    for (const i of [0, 1]) {
      const r = await call(printed.flai, '/oauth/me', i);
      expect(r.status).toBe(200);
      const body = (await r.json()) as Json;
      expect(shapeDiff(body, flaiFixture('oauth-me.sdk-fields.json'))).toEqual([]);
      expect(body.active_organization_id).toBe(printed.flai.tenants[i].org);
    }
  });

  test('SIM_CUPIX_FAULTS from env makes every Cupix call a 502 in the vendor error shape', async ({ simulators: { printed } }) => {
    const r = await call(printed.cupix, '/pointclouds/5310?fields=id');
    expect(r.status).toBe(502);
    expect(schemaErrors(vendorValidators().ErrorResponse, await r.json())).toEqual([]);
    const faults = await adminJson<FaultsState>({ origin: new URL(printed.cupix.url).origin }, '/__sim/faults');
    expect(faults.faults).toMatchObject({ errorRate: 1, errorStatuses: [502] });
    const clock = await adminJson<ClockState>({ origin: new URL(printed.mapflow.url).origin }, '/__sim/clock');
    expect(clock.timeScale).toBe(0);
  });

  test('SIGTERM: answers the requests in flight, accepts no new one, exits 0', async ({ simulators: { child, printed } }) => {
    const [name, value] = printed.mapflow.tenants[0].credential.split(/: (.*)/s);
    // Requests the simulator has begun (its `100 Continue` says so) whose bodies are still to come.
    const inFlight = [0, 1].map(() => {
      const req = request(`${printed.mapflow.url}/projects/page`, {
        method: 'POST',
        headers: { [name]: value, 'content-type': 'application/json', expect: '100-continue' },
      });
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        req.on('response', (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
      });
      req.flushHeaders();
      return { req, answer, begun: once(req, 'continue') };
    });
    await Promise.all(inFlight.map((r) => r.begun));

    const from = child.lines.length;
    child.child.kill('SIGTERM');
    await child.waitForLine((l) => l === 'SIGTERM: shutting down', from);
    // Draining: a new connection is refused while those two are still open.
    await expect(fetch(`${new URL(printed.mapflow.url).origin}/__sim/clock`)).rejects.toThrow();
    for (const r of inFlight) r.req.end(JSON.stringify({ limit: 2, offset: 0, sortBy: 'NAME', sortOrder: 'ASC' }));

    for (const r of inFlight) {
      const { status, body } = await r.answer;
      expect(status).toBe(200);
      expect((JSON.parse(body) as PageReply).results).toHaveLength(2);
    }
    expect(await child.exited).toEqual({ code: 0, signal: null });
  });
});
