import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { parse, type OperationDefinitionNode } from 'graphql';
import WebSocket from 'ws';
import { describe, expect } from 'vitest';
import { HardeningFirstProjectIdDocument } from '../generated/graphql.js';
import { gqlBody } from '../helpers/stack.helpers.js';
import { IDS, test, wsOnce } from './hardening.helpers.js';

/**
 * Depth, aliases, directives, tokens and cost, with the default limits, on HTTP and graphql-ws
 * alike; and the size of a request body and of a WebSocket message. Raw query text but for one
 * lookup: the documents and the bodies are what is tested (test/documents sent whole, as files,
 * and documents over each limit).
 */
const MAX_BODY = 64 * 1024;
test.override('rigOptions', { env: { GRAPHQL_MAX_BODY_BYTES: String(MAX_BODY) } });
test.beforeEach(({ rig }) => rig.resetCounts());

const DOCUMENTS = ['dashboard.graphql', 'call-counts.graphql'].map((f) => readFileSync(new URL(`../documents/${f}`, import.meta.url), 'utf8'));

describe('the dashboard\'s own operations (test/documents) pass the default limits', () => {
  test('over HTTP and over graphql-ws, every operation, with data and no error', async ({ rig }) => {
    const project = await rig.op(HardeningFirstProjectIdDocument);
    const variables: Record<string, Record<string, unknown>> = {
      SingleProcessing: { id: IDS.processing },
      OneOfEach: { processingId: IDS.processing, flowExecutionId: IDS.flowExecution, pointcloudId: IDS.pointcloud },
      ProjectAois: { id: project.data?.projects?.nodes[0].id },
      ProcessingTwice: { id: IDS.processing },
      FlowExecutionOutputs: { id: IDS.flowExecution },
      PointcloudsWithParents: { captureId: '1201' },
    };
    let operations = 0;
    for (const text of DOCUMENTS) {
      for (const def of parse(text).definitions as OperationDefinitionNode[]) {
        const name = def.name!.value;
        const res = await fetch(rig.gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: text, operationName: name, variables: variables[name] ?? {} }),
        });
        const http = await gqlBody(res);
        expect(res.status, name).toBe(200);
        expect(http.errors, name).toBeUndefined();
        const ws = await wsOnce(rig.gateway.url, text, variables[name] ?? {}, {}, name);
        expect(ws.errors, `${name} ${JSON.stringify(ws.errors)}`).toBeUndefined();
        expect(ws.data, name).toEqual(http.data);
        operations++;
      }
    }
    expect(operations).toBe(8);
  });
});

/** A chain Processing → project → processings → nodes → … that is `levels` fields deep. */
function deep(levels: number): string {
  let q = 'id';
  let depth = 2; // processing { … id }
  while (depth + 3 <= levels) {
    q = `project { processings(first: 1) { nodes { ${q} } } }`;
    depth += 3;
  }
  return `{ processing(id: "${IDS.processing}") { ${q} } }`;
}

const OVER: [string, string, string, RegExp][] = [
  ['depth 20 (limit 18)', deep(20), 'GRAPHQL_VALIDATION_FAILED', /^Query depth limit of 18 exceeded, found 20\.$/],
  ['31 aliases (limit 30)', `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: processing(id: "${IDS.processing}") { id }`).join(' ')} }`, 'GRAPHQL_VALIDATION_FAILED', /^Aliases limit of 30 exceeded, found 31\.$/],
  ['51 directives (limit 50)', `{ processing(id: "${IDS.processing}") { ${'id @include(if: true) '.repeat(51)} } }`, 'GRAPHQL_VALIDATION_FAILED', /^Directives limit of 50 exceeded, found 51\.$/],
  ['5001 tokens (limit 5000)', `{ processing(id: "${IDS.processing}") { ${'id '.repeat(4993)} } }`, 'GRAPHQL_PARSE_FAILED', /^Syntax Error: Document contains more tha[nt] 5000 tokens\. Parsing aborted\.$/],
  ['cost (limit 25000): 100 projects × 100 processings', '{ projects(first: 100) { nodes { processings(first: 100) { nodes { id name status } } } } }', 'GRAPHQL_VALIDATION_FAILED', /^Query Cost limit of 25000 exceeded, found 40201\.$/],
  // A `first` given by a variable counts at its most (100): a literal-only cost would count it 1.
  ['cost through variables: first: $n counts 100', 'query($n: Int) { projects(first: $n) { nodes { processings(first: $n) { nodes { id name status } } } } }', 'GRAPHQL_VALIDATION_FAILED', /^Query Cost limit of 25000 exceeded, found 40201\.$/],
];

describe('documents over a limit never reach a vendor', () => {
  test.for(OVER)('%s: over HTTP, 400 with a coded error and no vendor call', async ([_name, query, code, message], { rig }) => {
    const r = await rig.gql(query);
    expect(r.status).toBe(400);
    expect(r.data).toBeUndefined();
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    expect(r.errors?.[0].message).toMatch(message);
    expect(rig.calls()).toBe(0);
  });

  test.for(OVER)('%s: over graphql-ws, the same error and no vendor call', async ([_name, query, code, message], { rig }) => {
    const ws = await wsOnce(rig.gateway.url, query);
    expect(ws.data).toBeUndefined();
    expect(ws.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    expect(ws.errors?.[0].message).toMatch(message);
    expect(rig.calls()).toBe(0);
  });

  test('just under each limit passes (the limits are where they say)', async ({ rig }) => {
    const under = [deep(18), `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: processing(id: "${IDS.processing}") { id }`).join(' ')} }`];
    for (const q of under) expect((await rig.gql(q)).errors).toBeUndefined();
  });
});

describe('size of what a client sends', () => {
  test('an HTTP body over GRAPHQL_MAX_BODY_BYTES is 413 without being read to the end, and reaches no vendor', async ({ rig }) => {
    const query = `{ processing(id: "${IDS.processing}") { id } }`;
    const body = JSON.stringify({ query, variables: { pad: 'x'.repeat(MAX_BODY) } });
    const res = await fetch(rig.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    expect((await gqlBody(res)).errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    expect(rig.calls()).toBe(0);
    const ok = await rig.gql(query, { pad: 'x'.repeat(1000) });
    expect(ok.status).toBe(200);
  });

  test('a WebSocket message over the same bound closes the socket with 1009 (maxPayload)', async ({ rig }) => {
    const socket = new WebSocket(rig.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await once(socket, 'message');
    socket.send(JSON.stringify({ type: 'subscribe', id: '1', payload: { query: `{ __typename }`, variables: { pad: 'x'.repeat(MAX_BODY) } } }));
    const [code] = (await once(socket, 'close')) as [number];
    expect(code).toBe(1009);
    expect(rig.calls()).toBe(0);
  });
});
