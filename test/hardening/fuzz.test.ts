import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { inspect } from '../helpers/inspector.js';
import { processTest as test, type GatewayProcess } from './process.helpers.js';

/**
 * Bounded fuzzing (fast-check, a fixed seed, a few hundred requests) of a real gateway process in
 * front of its embedded simulators, with NODE_ENV=production. No vendor fault is injected, so any
 * 5xx is the gateway's own failure. Every answer is checked for stack traces and internal paths;
 * the process must stay up, and its heap after a forced GC grow by less than 10 MB over the run. Every query here is
 * raw text: malformed, hostile or random documents are the point (the valid ones are the corpus's
 * own, sent over POST and GET among the rest).
 */
// The inspector on a free loopback port: the test forces full GCs through it to measure what the run retained.
test.override('processEnv', { NODE_ENV: 'production', RATE_LIMIT_PER_IP: '0', NODE_OPTIONS: '--inspect=127.0.0.1:0' });
const LEAK_BOUND = 10 * 1024 * 1024;
// The process starts before the test, with the time a cold start may take on a busy machine.
test.beforeAll(async ({ gatewayProcess }) => void gatewayProcess, 60_000);

interface Sent {
  method: 'GET' | 'POST';
  contentType?: string;
  body?: string;
  search?: string;
}

const INTERNALS = /\n\s+at |\bat \w[\w.<>]* \(|node_modules|\/work\/|src\/[\w/.-]+\.ts|file:\/\/|(Type|Reference|Range|Syntax)Error:/;

let statuses: Record<number, number> = {};
async function send(gw: GatewayProcess, req: Sent): Promise<void> {
  const res = await fetch(`${gw.url}${req.search ?? ''}`, {
    method: req.method,
    headers: { ...(req.contentType !== undefined ? { 'content-type': req.contentType } : {}), 'apollo-require-preflight': 'true' },
    body: req.method === 'POST' ? req.body : undefined,
  });
  const text = await res.text();
  statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  expect(res.status, `${JSON.stringify(req).slice(0, 300)} → ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(text, JSON.stringify(req).slice(0, 300)).not.toMatch(INTERNALS);
  if (res.headers.get('content-type')?.includes('json')) expect(() => JSON.parse(text)).not.toThrow();
}

const json = (query: string, variables?: unknown): string => JSON.stringify({ query, variables });
const VALID_IDS = { processing: '65285409-ac88-4fc0-a937-193cf42c2343', flowExecution: 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e', pointcloud: '5310' };
const VALID = [
  `{ processing(id: "${VALID_IDS.processing}") { id name status state progress project { name } } }`,
  `{ flowExecution(id: "${VALID_IDS.flowExecution}") { state outputDatasets { name dataset { type } } } }`,
  `{ pointcloud(id: "${VALID_IDS.pointcloud}") { name kind state parent { name } finalTransform } }`,
  '{ projects(first: 3) { totalCount nodes { id processings(first: 2) { nodes { id status } } } } }',
  '{ datasets(first: 3) { nodes { id name type } } flowExecutions(first: 2) { nodes { id state } } }',
  '{ pointclouds(first: 5) { totalCount nodes { id kind } } }',
];

/** Everything a hostile or careless client sends. */
const request: fc.Arbitrary<Sent> = fc.oneof(
  // Malformed JSON, and JSON that is not an operation.
  fc.string({ maxLength: 200 }).map((s) => ({ method: 'POST' as const, contentType: 'application/json', body: `{"query":${s}` })),
  fc.json({ maxDepth: 4 }).map((body) => ({ method: 'POST' as const, contentType: 'application/json', body })),
  // Wrong content types.
  fc.record({
    method: fc.constant('POST' as const),
    contentType: fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', '', 'application/graphql', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded'),
    body: fc.constantFrom(json('{ __typename }'), 'query=%7B__typename%7D', '<q>{ __typename }</q>', ''),
  }),
  // Huge strings, as ids, names and variables.
  fc.string({ minLength: 10_000, maxLength: 120_000 }).map((s) => ({ method: 'POST' as const, contentType: 'application/json', body: json('query($id: ID!) { processing(id: $id) { id } }', { id: s }) })),
  fc.string({ minLength: 5_000, maxLength: 50_000 }).map((s) => ({ method: 'POST' as const, contentType: 'application/json', body: json(`{ pointcloud(id: ${JSON.stringify(s)}) { id } }`) })),
  // Invalid GeoJSON in a create.
  fc.anything({ maxDepth: 3 }).map((geometry) => ({
    method: 'POST' as const,
    contentType: 'application/json',
    body: json('mutation($input: CreateProcessingInput!) { createProcessing(input: $input) { id } }', {
      input: { name: 'fuzz', workflowDefId: '30ddfd15-04aa-47f6-9ceb-68ce709fd710', geometry, sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 18 } } },
    }),
  })),
  fc.array(fc.array(fc.double(), { maxLength: 4 }), { maxLength: 6 }).map((ring) => ({
    method: 'POST' as const,
    contentType: 'application/json',
    body: json('mutation($g: GeoJSON!) { processingCost(input: { workflowDefId: "30ddfd15-04aa-47f6-9ceb-68ce709fd710", geometry: $g }) }', { g: { type: 'Polygon', coordinates: [ring] } }),
  })),
  // Wrong enum values, inline and as variables.
  fc.string({ maxLength: 30 }).map((s) => ({ method: 'POST' as const, contentType: 'application/json', body: json('query($s: [ProcessingStatus!]) { processings(status: $s) { totalCount } }', { s: [s] }) })),
  fc.stringMatching(/^[A-Z_]{1,12}$/).map((s) => ({ method: 'POST' as const, contentType: 'application/json', body: json(`{ processings(status: [${s}]) { totalCount } }`) })),
  // Deep nesting: of the document, and of JSON variables.
  fc.integer({ min: 10, max: 3_000 }).map((n) => ({ method: 'POST' as const, contentType: 'application/json', body: json(`{ ${'processing(id: "x") { project { '.repeat(n)}id${' } }'.repeat(n)} }`) })),
  fc.integer({ min: 100, max: 20_000 }).map((n) => ({
    method: 'POST' as const,
    contentType: 'application/json',
    body: `{"query":"mutation($m: JSON) { createProcessing(input: { workflowDefId: \\"x\\", geometry: {}, meta: $m }) { id } }","variables":{"m":${'['.repeat(n)}${']'.repeat(n)}}}`,
  })),
  // Random valid operations, over POST and GET.
  fc.constantFrom(...VALID).map((q) => ({ method: 'POST' as const, contentType: 'application/json', body: json(q) })),
  fc.constantFrom(...VALID).map((q) => ({ method: 'GET' as const, search: `?query=${encodeURIComponent(q)}` })),
  // Garbage query strings.
  fc.string({ maxLength: 300 }).map((s) => ({ method: 'GET' as const, search: `?${s}` })),
);

describe('fuzzing', () => {
  test('no 5xx, no stack trace or internal path in any answer, the process stays up, its heap after GC grows < 10 MB', { timeout: 120_000 }, async ({ gatewayProcess: gw }) => {
    // Warm-up, so that what is loaded once (schema, pools, JIT) is not counted as growth. Memory is
    // measured after forced full GCs (through the process's inspector): RSS before a GC says how far
    // V8 let its young generation grow (more on Node 24 than on 20), not what the run retained.
    for (const q of VALID) await send(gw, { method: 'POST', contentType: 'application/json', body: json(q) });
    const wsUrl = /Debugger listening on (ws:\/\/\S+)/.exec(gw.output.join('\n'))![1];
    const inspector = await inspect(wsUrl);
    try {
      const before = await inspector.gcAndMeasure();
      statuses = {};
      await fc.assert(fc.asyncProperty(request, (req) => send(gw, req)), { numRuns: 300, seed: 20261201, endOnFailure: true });
      expect(gw.alive()).toBe(true);
      expect((await fetch(`${gw.origin}/healthz`)).status).toBe(200);
      const growth = (await inspector.gcAndMeasure()).heapUsed - before.heapUsed;
      expect(growth, `the heap after GC grew by ${(growth / 1e6).toFixed(1)} MB`).toBeLessThan(LEAK_BOUND);
    } finally {
      inspector.close();
    }
    // The run reached both ends: rejected requests and served ones.
    expect(statuses[200]).toBeGreaterThan(20);
    expect((statuses[400] ?? 0) + (statuses[413] ?? 0)).toBeGreaterThan(20);
    expect(gw.output.join('\n')).not.toMatch(/FATAL|uncaught/i);
  });
});
