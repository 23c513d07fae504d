import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { flaiErrorInfo } from '../../src/datasources/flai/flai.errors.js';
import { createFlaiService } from '../../src/datasources/flai/flai.service.js';
import { UpstreamHttp } from '../../src/datasources/http/upstream-http.js';
import { UpstreamError } from '../../src/errors.js';
import { ResultsLinks } from '../../src/links/results-links.js';
import type { Dataset } from '../../src/schema/flai/dataset.type.js';

/**
 * A minimal stand-in for a Flai that behaves differently from our simulator where the real API is
 * [UNKNOWN]: it ignores `filter[flow_id]`, answers `POST downloads` with only `{id}` (all the SDK
 * reads), returns relative presigned URLs, and can send a malformed payload. The service under test
 * is the real one, over real HTTP.
 */
const ORG = 'org-1';
const EXECUTIONS = Array.from({ length: 450 }, (_, i) => ({
  id: `ex-${String(i).padStart(3, '0')}`,
  flow_id: `flow-${i % 3}`,
  status: 'finished',
  created_at: '2024-01-01 00:00:00',
  // The first execution wrote one dataset (for Dataset.producer).
  output_datasets: i === 0 ? [{ dataset_id: 'ds-made', flow_execution_id: 'ex-000', dataset_name: 'made', dataset_status: 'ready' }] : [],
}));
const requests: string[] = [];
let server: Server;
let origin: string;

function route(method: string, url: URL): { status: number; json: unknown } {
  const p = url.pathname;
  if (p === `/api/v1/organization/${ORG}/flow-executions`) {
    const page = Number(url.searchParams.get('page') ?? 1);
    const per = Number(url.searchParams.get('per_page') ?? 20);
    return { status: 200, json: { items: EXECUTIONS.slice((page - 1) * per, page * per), pagination: { total_items: EXECUTIONS.length, total_pages: Math.ceil(EXECUTIONS.length / per) } } };
  }
  if (method === 'POST' && p === `/api/v1/organization/${ORG}/downloads`) return { status: 200, json: { id: 'dl-1' } };
  if (p === `/api/v1/organization/${ORG}/downloads/dl-1`) {
    return { status: 200, json: { id: 'dl-1', status: 'download-prepared', items: [{ model_name: 'datasets', model_id: 'ds-1' }], files: [{ id: 'f-1', name: 'ds.zip', size: 10 }] } };
  }
  if (p === `/api/v1/organization/${ORG}/file-downloads/f-1/download`) return { status: 200, json: { url: '/bucket/ds.zip?sig=abc' } };
  if (p === `/api/v1/organization/${ORG}/datasets/broken`) return { status: 200, json: { id: 'broken', dataset_name: 'x', dataset_type_key: 'pointcloud', created_at: 'yesterday' } };
  return { status: 404, json: { message: 'Not found.' } };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    req.resume();
    req.on('end', () => {
      const r = route(req.method ?? 'GET', url);
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests.length = 0;
});

function service(maxPages = 5) {
  const config = loadConfig({ NODE_ENV: 'test', FLAI_URL: origin, FILTER_MAX_PAGES: String(maxPages) });
  const http = new UpstreamHttp({ source: 'FLAI', baseUrl: `${origin}/api/v1`, timeoutMs: 2000, parseError: flaiErrorInfo });
  return createFlaiService({ config, http, links: new ResultsLinks(() => origin, 'x'.repeat(32), 60) }, { token: '1|t', orgId: ORG });
}

describe('a Flai that differs from the simulator where the real API is unknown', () => {
  test('flowExecutions(flowId) when the vendor ignores filter[flow_id]: filtered in the gateway, counts and cursors of the filtered list', async () => {
    const svc = service();
    const mine = EXECUTIONS.filter((e) => e.flow_id === 'flow-1').map((e) => e.id);
    const page1 = await svc.listFlowExecutions('flow-1', 5, null);
    expect(page1.totalCount).toBe(150);
    expect(page1.nodes.map((n) => n.id)).toEqual(mine.slice(0, 5));
    expect(page1.nodes.every((n) => n.flowId === 'flow-1')).toBe(true);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    // The window call detected the ignored filter, then 3 pages of 200 were read.
    expect(requests[0]).toBe('GET /api/v1/organization/org-1/flow-executions?page=1&per_page=5&filter%5Bflow_id%5D=flow-1');
    expect(requests.slice(1).sort()).toEqual([
      'GET /api/v1/organization/org-1/flow-executions?page=1&per_page=200&filter%5Bflow_id%5D=flow-1',
      'GET /api/v1/organization/org-1/flow-executions?page=2&per_page=200&filter%5Bflow_id%5D=flow-1',
      'GET /api/v1/organization/org-1/flow-executions?page=3&per_page=200&filter%5Bflow_id%5D=flow-1',
    ]);
    const page2 = await service().listFlowExecutions('flow-1', 5, page1.pageInfo.endCursor);
    expect(page2.nodes.map((n) => n.id)).toEqual(mine.slice(5, 10));
    expect(page2.pageInfo.hasPreviousPage).toBe(true);
  });

  test('flowExecutions(flowId) over a list longer than FILTER_MAX_PAGES: BAD_USER_INPUT naming it, nothing read past page 1', async () => {
    const err = await service(2).listFlowExecutions('flow-1', 5, null).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(GraphQLError);
    expect((err as GraphQLError).message).toBe(
      'flowExecutions(flowId:) reads at most FILTER_MAX_PAGES=2 pages of 200 from Flai, and this list has 3 (450 items): Flai ignored filter[flow_id], so the gateway filters the list itself; list flowExecutions without flowId, or raise FILTER_MAX_PAGES',
    );
    expect((err as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', source: 'FLAI', maxPages: 2, pages: 3, field: ['flowId'] });
    expect(requests).toEqual([
      'GET /api/v1/organization/org-1/flow-executions?page=1&per_page=5&filter%5Bflow_id%5D=flow-1',
      'GET /api/v1/organization/org-1/flow-executions?page=1&per_page=200&filter%5Bflow_id%5D=flow-1',
    ]);
  });

  test('Dataset.producer from a scan the cap cut short: found when read, an error (not a false null) when not', async () => {
    const svc = service(2);
    const dataset = (id: string) => ({ id, imported: false }) as Dataset;
    const [made, unknown] = await Promise.allSettled([svc.getProducer(dataset('ds-made')), svc.getProducer(dataset('ds-elsewhere'))]);
    expect(made).toMatchObject({ status: 'fulfilled', value: { id: 'ex-000' } });
    expect(unknown.status).toBe('rejected');
    const err = (unknown as PromiseRejectedResult).reason as GraphQLError;
    expect(err.message).toBe(
      'Dataset.producer reads at most FILTER_MAX_PAGES=2 pages of 200 from Flai, and this list has 3: the execution that wrote this dataset is not among those read; raise FILTER_MAX_PAGES',
    );
    expect(err.extensions.code).toBe('BAD_USER_INPUT');
    // One scan for both datasets: 2 pages.
    expect(requests.sort()).toEqual([
      'GET /api/v1/organization/org-1/flow-executions?page=1&per_page=200',
      'GET /api/v1/organization/org-1/flow-executions?page=2&per_page=200',
    ]);
    // With the whole list read, a dataset no execution wrote has no producer.
    expect(await service(3).getProducer(dataset('ds-elsewhere'))).toBeNull();
  });

  test('requestDatasetDownload when POST answers only {id}: the download is read once more; relative presigned URLs go below {host}/presigned', async () => {
    const svc = service();
    const dl = await svc.requestDatasetDownload('ds-1');
    expect(dl).toMatchObject({ id: 'dl-1', datasetId: 'ds-1', ready: true, state: 'SUCCEEDED', files: [{ id: 'f-1', name: 'ds.zip', size: 10 }] });
    expect(await svc.getDatasetDownload('dl-1')).toBe(dl);
    expect(await svc.getFileUrl('f-1')).toBe(`${origin}/presigned/bucket/ds.zip?sig=abc`);
    expect(requests).toEqual([
      'POST /api/v1/organization/org-1/downloads?decorators=files',
      'GET /api/v1/organization/org-1/downloads/dl-1?decorators=files',
      'GET /api/v1/organization/org-1/file-downloads/f-1/download',
    ]);
  });

  test('a malformed payload over HTTP is UPSTREAM_BAD_RESPONSE; a 404 is null', async () => {
    const svc = service();
    const err = await svc.getDataset('broken').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'FLAI', message: 'Flai sent an unexpected dataset: created_at: not a Flai timestamp' });
    expect(await svc.getDataset('missing')).toBeNull();
  });
});
