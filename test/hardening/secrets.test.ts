import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import WebSocket from 'ws';
import { describe, expect } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { IDS, ROUTES, test, wsOnce, type Rig } from './hardening.helpers.js';

/**
 * A canary run: secrets that must never come back out (the gateway key, vendor tokens valid and
 * not, FTP/S3/raster passwords) go through 401s, 429s, 5xx, timeouts and bad input, over HTTP and
 * graphql-ws. Everything the outside can see is captured (every log line through the logger's
 * write hook at debug level, HTTP statuses, headers and bodies, WS results and close reasons,
 * /metrics, and whatever reaches the process' stdout, stderr or console past the logger) and
 * searched for every canary: zero hits. Raw query text throughout: canaries travel in the
 * documents themselves, and the operations are sent with hostile or invalid variables on purpose.
 */
const tag = randomUUID().slice(0, 8);
const C = {
  gatewayKey: `CANARY-gwkey-${tag}`,
  wrongKey: `CANARY-wrongkey-${tag}`,
  mapflow: `CANARY-mapflow-${tag}`,
  flai: `7|CANARY-flai-${tag}`,
  cupix: `CANARY-cupix-${tag}`,
  badToken: `CANARY-badtoken-${tag}`,
  ftp: `CANARY-ftp-${tag}`,
  s3: `CANARY-s3-${tag}`,
  raster: `CANARY-raster-${tag}`,
};
const logs: string[] = [];
const captured: string[] = [];
/** Everything written to stdout, stderr or the console while the gateway runs (still passed on). */
const consoleOut: string[] = [];
const restore: (() => void)[] = [];

function captureOutput() {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      consoleOut.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
    restore.push(() => (stream.write = write));
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      consoleOut.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      original.apply(console, args);
    };
    restore.push(() => (console[method] = original));
  }
}

test.override('rigOptions', {
  log: createLogger('debug', (line) => logs.push(line)),
  // STATUS_MAX_POLL_ERRORS 1: a subscription whose first lookup meets a vendor fault ends with that
  // error at once (with more, it would stay open and poll on through the fault).
  env: { GATEWAY_API_KEYS: C.gatewayKey, RATE_LIMIT_PER_KEY: '150', UPSTREAM_RETRIES: '1', MAPFLOW_TIMEOUT_MS: '300', FLAI_TIMEOUT_MS: '300', CUPIX_TIMEOUT_MS: '300', STATUS_MAX_POLL_ERRORS: '1' },
});
// The capture starts before the rig does (the next hook starts it): its start-up output is searched too.
test.beforeAll(() => captureOutput());
test.beforeAll(async ({ rig }) => {
  for (const v of ['mapflow', 'flai', 'cupix'] as const) {
    const res = await fetch(`${rig.sims[v].origin}/__sim/tenants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'canary', token: C[v] }) });
    expect(res.status).toBe(201);
  }
});
test.afterAll(() => {
  for (const undo of restore.reverse()) undo();
});

const AUTH = { authorization: `Bearer ${C.gatewayKey}` };
const CREDS = { 'x-mapflow-token': C.mapflow, 'x-flai-token': C.flai, 'x-cupix-token': C.cupix };
const ONE_OF_EACH = `{ processing(id: "${IDS.processing}") { id } flowExecution(id: "${IDS.flowExecution}") { id } pointcloud(id: "${IDS.pointcloud}") { id } projects(first: 2) { nodes { id } } datasets(first: 2) { nodes { id } } pointclouds(first: 2) { nodes { id } } }`;
const DATASET = 'mutation($input: CreateDatasetInput!) { createDataset(input: $input) { id name } }';
const PROCESSING = 'mutation($input: CreateProcessingInput!) { createProcessing(input: $input) { id params } }';
const ftp = { host: 'ftp.example.com', port: 21, username: 'surveyor', password: C.ftp, path: '/scan' };
const s3 = { bucket: 'b', region: 'eu-central-1', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: C.s3, path: 'x/' };
const square = { type: 'Polygon', coordinates: [[[69.2, 41.3], [69.205, 41.3], [69.205, 41.305], [69.2, 41.305], [69.2, 41.3]]] };
const raster = { userDefined: { sourceType: 'XYZ', url: 'https://tiles.example.com/{z}/{x}/{y}.png', rasterLogin: 'me', rasterPassword: C.raster } };

/** One operation over HTTP and over graphql-ws to the rig's gateway, everything that comes back captured. */
function transports(rig: Rig) {
  return {
    async http(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
      const res = await fetch(rig.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
      const body = await res.text();
      captured.push(`${res.status} ${JSON.stringify([...res.headers])} ${body}`);
      return { status: res.status, body };
    },
    async ws(query: string, variables: Record<string, unknown> = {}, params: Record<string, string> = {}) {
      const r = await wsOnce(rig.gateway.url, query, variables, params);
      captured.push(JSON.stringify(r));
      return r;
    },
  };
}

describe('secrets never come back out', () => {
  test('through 401, 429, 5xx, timeouts and bad input, over HTTP and WS', { timeout: 60_000 }, async ({ rig }) => {
    const { http, ws } = transports(rig);
    // 401: no key, a wrong key, a key in the wrong scheme; vendors refusing unknown tokens.
    expect((await http(ONE_OF_EACH, {}, { authorization: `Bearer ${C.wrongKey}`, ...CREDS })).status).toBe(401);
    expect((await http(ONE_OF_EACH, {}, { authorization: `Basic ${C.gatewayKey}` })).status).toBe(401);
    const vendor401 = await http(ONE_OF_EACH, {}, { ...AUTH, 'x-mapflow-token': C.badToken, 'x-flai-token': C.badToken, 'x-cupix-token': C.badToken });
    expect(vendor401.body).toContain('UNAUTHENTICATED');
    expect((await ws(ONE_OF_EACH, {}, { authorization: `Bearer ${C.wrongKey}`, ...CREDS })).closed?.code).toBe(4401);
    expect((await ws(ONE_OF_EACH, {}, { 'x-mapflow-token': C.mapflow })).closed?.code).toBe(4401);

    // Valid canary credentials: the data arrives (the canaries did reach the vendors).
    expect(JSON.parse((await http(ONE_OF_EACH, {}, { ...AUTH, ...CREDS })).body).errors).toBeUndefined();
    expect(rig.sims.mapflow.stats.snapshot().byTenant.canary).toBeGreaterThan(0);

    // Vendor 429, 5xx, timeouts, resets, on every vendor, over both transports.
    const faults = [{ rateLimitRate: 1, retryAfterSeconds: 60 }, { errorRate: 1, errorStatuses: [500 as const] }, { errorRate: 1, errorStatuses: [503 as const] }, { hangRate: 1 }, { resetRate: 1 }];
    for (const fault of faults) {
      for (const v of ['mapflow', 'flai', 'cupix'] as const) rig.sims[v].faults.set({ ...fault, route: ROUTES[v] });
      const r = await http(ONE_OF_EACH, {}, { ...AUTH, ...CREDS });
      expect(r.body).toMatch(/RATE_LIMITED|UPSTREAM_/);
      await ws(ONE_OF_EACH, {}, { ...AUTH, ...CREDS });
      await ws(`subscription { processingUpdated(id: "${IDS.processing}") { id } }`, {}, { ...AUTH, ...CREDS });
    }
    rig.clearFaults();

    // Bad input carrying write-only secrets: coercion errors, gateway validation, vendor validation, vendor failures.
    const badInputs: [string, Record<string, unknown>][] = [
      [DATASET, { input: { name: 'x', type: 'POINTCLOUD', importFrom: { ftp: { ...ftp, path: undefined } } } }],
      [DATASET, { input: { name: 'x', type: 'POINTCLOUD', importFrom: { s3: { ...s3, secretAccessKey: { nested: C.s3 } } } } }],
      [DATASET, { input: { name: 'x', type: 'POINTCLOUD', unit: 'furlong', importFrom: { ftp } } }],
      [DATASET, { input: { name: C.ftp, type: 'NOPE', importFrom: { ftp } } }],
      [DATASET, { input: { name: 'x', type: 'POINTCLOUD', importFrom: { ftp, s3 } } }],
      [PROCESSING, { input: { name: 'x', workflowDefId: 'nope', geometry: { type: 'Point', coordinates: [C.raster] }, sourceParams: raster } }],
      [PROCESSING, { input: { name: 'x', workflowDefId: '30ddfd15-04aa-47f6-9ceb-68ce709fd710', geometry: square, sourceParams: { ...raster, dataProvider: { providerName: C.raster } } } }],
      [`{ processing(id: "${C.raster}") { id } }`, {}],
      [`{ processing(id: 1) { id ${C.raster} } }`, {}],
      [`{ ${C.raster} }`, {}],
    ];
    for (const [q, v] of badInputs) {
      await http(q, v, { ...AUTH, ...CREDS });
      await ws(q, v, { ...AUTH, ...CREDS });
    }
    // The same writes while the vendors fail, then succeed (the vendor record never echoes a secret back).
    rig.sims.flai.faults.set({ errorRate: 1, errorStatuses: [500], route: 'POST /organization/{orgId}/datasets', count: 1 });
    await http(DATASET, { input: { name: 'x', type: 'POINTCLOUD', importFrom: { ftp } } }, { ...AUTH, ...CREDS });
    rig.sims.flai.faults.set({ hangRate: 1, route: 'POST /organization/{orgId}/datasets', count: 1 });
    await http(DATASET, { input: { name: 'x', type: 'POINTCLOUD', importFrom: { s3 } } }, { ...AUTH, ...CREDS });
    expect(JSON.parse((await http(DATASET, { input: { name: 'ok', type: 'POINTCLOUD', importFrom: { s3 } } }, { ...AUTH, ...CREDS })).body).errors).toBeUndefined();
    const made = await http(PROCESSING, { input: { name: 'ok', workflowDefId: '30ddfd15-04aa-47f6-9ceb-68ce709fd710', geometry: square, sourceParams: raster } }, { ...AUTH, ...CREDS });
    expect(made.body).toContain('[REDACTED]');

    // The gateway's own 429, over both transports.
    let limited = 0;
    for (let i = 0; i < 160 && !limited; i++) if ((await http('{ __typename }', {}, { ...AUTH, ...CREDS })).status === 429) limited++;
    expect(limited).toBe(1);
    expect((await ws('{ __typename }', {}, { ...AUTH, ...CREDS })).closed?.code).toBe(4429);

    // What else an operator or a scraper sees.
    for (const path of ['/metrics', '/readyz', '/healthz']) captured.push(await (await fetch(`${rig.gateway.origin}${path}`)).text());

    const everything = [...captured, ...logs, ...consoleOut].join('\n');
    expect(logs.length).toBeGreaterThan(10);
    expect(captured.length).toBeGreaterThan(60);
    for (const [name, secret] of Object.entries(C)) {
      expect(everything.includes(secret), `${name} leaked`).toBe(false);
      // Flai's token travels as `<id>|<secret>`: its secret half alone must not leak either.
      if (secret.includes('|')) expect(everything.includes(secret.split('|')[1]), `${name} secret half leaked`).toBe(false);
    }
  });

  test('graphql-ws\'s own error reports go through the logger, never to the console', async ({ rig }) => {
    // A message over maxPayload (GRAPHQL_MAX_BODY_BYTES): ws closes the socket with 1009 and emits an error on it, which
    // graphql-ws' stock `useServer` would print with console.error.
    const before = consoleOut.length;
    const logged = logs.length;
    // The first message already is too big: no key needed (and the run above spent the rate limit).
    const socket = new WebSocket(rig.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { ...AUTH, ...CREDS, pad: C.mapflow.repeat((2 * 1024 * 1024) / C.mapflow.length) } }));
    const [code] = (await once(socket, 'close')) as [number];
    expect(code).toBe(1009);
    const lines = logs.slice(logged).map((l): { code?: string } => JSON.parse(l));
    expect(lines.map((l) => l.code)).toContain('WS_SOCKET_ERROR');
    expect(consoleOut.slice(before).filter((l) => /graphql-ws|Internal error|WebSocket/i.test(l))).toEqual([]);
    expect([...logs, ...consoleOut].join('\n').includes(C.mapflow)).toBe(false);
  });
});
