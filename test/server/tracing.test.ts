import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { print } from 'graphql';
import { describe, expect } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { BrokenCloudDocument, OverWsDocument, SingleProcessingDocument } from '../generated/graphql.js';
import { opAt, simsTest as test, type RunningSimulators } from '../helpers/stack.helpers.js';
import { wsClient } from '../status/status.helpers.js';

/** OpenTelemetry spans, exported over OTLP/HTTP (JSON) to a receiver this test runs on port 0. */

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number; message?: string };
}
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;
const PROCESSING = '65285409-ac88-4fc0-a937-193cf42c2343';

/** What an OTLP/HTTP exporter POSTs (JSON encoding): spans by resource and scope. */
interface OtlpExport {
  resourceSpans: { resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

/** A minimal OTLP/HTTP collector: keeps every span it is sent. */
async function startReceiver(): Promise<{ server: Server; url: string; posts: number; spans: OtlpSpan[]; services: string[] }> {
  const got = { posts: 0, spans: [] as OtlpSpan[], services: [] as string[] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.posts++;
      expect(req.url).toBe('/v1/traces');
      const body: OtlpExport = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const rs of body.resourceSpans) {
        got.services.push(String(rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue));
        for (const ss of rs.scopeSpans) got.spans.push(...ss.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return Object.assign(got, { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v ? (v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : v.boolValue)) : undefined;
};

/** The collector every test's gateway exports to (the simulators are the file's `sims`). */
let receiver: Awaited<ReturnType<typeof startReceiver>>;
test.beforeAll(async () => {
  receiver = await startReceiver();
});
test.afterAll(() => new Promise<void>((r) => receiver.server.close(() => r())));

function gatewayWith(sims: RunningSimulators, env: Record<string, string>): Promise<Gateway> {
  return startGateway({
    env: {
      NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent',
      MAPFLOW_URL: sims.mapflow.url, MAPFLOW_TOKEN: sims.mapflow.demoToken,
      FLAI_URL: sims.flai.origin, FLAI_TOKEN: sims.flai.demoToken,
      CUPIX_URL: sims.cupix.url, CUPIX_TOKEN: sims.cupix.demoToken,
      ...env,
    },
  });
}

/** The same traffic for every gateway: a traced HTTP query, a failing one, a query over graphql-ws. */
async function traffic(sims: RunningSimulators, gateway: Gateway, traceparent: string): Promise<void> {
  expect(await opAt(gateway.url, SingleProcessingDocument, { id: PROCESSING }, { traceparent })).toMatchObject({ data: { processing: { id: PROCESSING } } });

  await fetch(`${sims.cupix.origin}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ errorRate: 1, errorStatuses: [503] }) });
  try {
    const failed = await opAt(gateway.url, BrokenCloudDocument);
    expect(failed.errors?.[0].extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  } finally {
    await fetch(`${sims.cupix.origin}/__sim/faults`, { method: 'DELETE' });
  }

  const client = wsClient(gateway.url);
  try {
    const viaWs = await new Promise((resolve, reject) => {
      let value: unknown;
      client.subscribe({ query: print(OverWsDocument) }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
    });
    expect(viaWs).toMatchObject({ data: { flowTemplates: expect.any(Array) } });
  } finally {
    await client.dispose();
  }
}

describe('tracing on (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  test('exports a span per GraphQL operation with its vendor calls as children, continuing the caller’s trace', async ({ sims }) => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const gateway = await gatewayWith(sims, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'gw-under-test' });
    await traffic(sims, gateway, `00-${traceId}-${callerSpan}-01`);
    await gateway.close(); // flushes the batch

    const { spans } = receiver;
    expect(new Set(receiver.services)).toEqual(new Set(['gw-under-test']));
    const op = spans.find((s) => s.name === 'query SingleProcessing');
    expect(op).toMatchObject({ traceId, parentSpanId: callerSpan, kind: SERVER });
    expect(op && [attr(op, 'graphql.operation.type'), attr(op, 'graphql.operation.name'), attr(op, 'http.response.status_code')]).toEqual(['query', 'SingleProcessing', 200]);

    const call = spans.find((s) => s.parentSpanId === op?.spanId);
    expect(call).toMatchObject({ traceId, name: 'GET /processings/{id}/v2', kind: CLIENT });
    expect(call && ['http.request.method', 'url.template', 'gateway.vendor', 'server.address', 'http.response.status_code'].map((k) => attr(call, k))).toEqual([
      'GET', '/processings/{id}/v2', 'mapflow', '127.0.0.1', 200,
    ]);

    const broken = spans.find((s) => s.name === 'query BrokenCloud');
    expect(broken?.status).toMatchObject({ code: ERROR, message: 'UPSTREAM_UNAVAILABLE' });
    const brokenCalls = spans.filter((s) => s.parentSpanId === broken?.spanId);
    expect(brokenCalls.length).toBeGreaterThan(0);
    for (const c of brokenCalls) {
      expect(c).toMatchObject({ name: 'GET /pointclouds/{id}', kind: CLIENT, status: { code: ERROR } });
      expect([attr(c, 'error.type'), attr(c, 'http.response.status_code'), attr(c, 'gateway.vendor')]).toEqual(['UPSTREAM_UNAVAILABLE', 503, 'cupix']);
    }

    const ws = spans.find((s) => s.name === 'query OverWs');
    expect(ws).toMatchObject({ kind: SERVER });
    expect(spans.filter((s) => s.parentSpanId === ws?.spanId).map((s) => attr(s, 'gateway.vendor'))).toContain('flai');
  });
});

describe('tracing off', () => {
  test('OTEL_SDK_DISABLED=true exports nothing even with an endpoint set', async ({ sims }) => {
    const before = { posts: receiver.posts, spans: receiver.spans.length };
    const gateway = await gatewayWith(sims, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SDK_DISABLED: 'true' });
    expect(gateway.config.tracesUrl).toBeNull();
    await traffic(sims, gateway, '00-11111111111111111111111111111111-2222222222222222-01');
    await gateway.close();
    expect({ posts: receiver.posts, spans: receiver.spans.length }).toEqual(before);
  });

  test('is the default, and the endpoints are validated with the rest of the configuration', () => {
    expect(loadConfig({}).tracesUrl).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracesUrl).toBe('http://collector:4318/v1/traces');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/otlp/traces' }).tracesUrl).toBe('https://b/otlp/traces');
    let err: unknown;
    try {
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', OTEL_SDK_DISABLED: 'yes' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => i.split(':')[0])).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SDK_DISABLED']);
  });
});
