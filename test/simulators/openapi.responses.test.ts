import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import type { SimAnswer } from '../../src/simulators/core/index.js';
import { FLAI_DEMO_TENANTS, FLAI_DOCUMENTED, FLAI_VARIANTS_TENANT, startFlaiSimulator } from '../../src/simulators/flai/index.js';
import type { Simulators } from '../../src/simulators/index.js';
import {
  DashboardDocument,
  FlowExecutionOutputsDocument,
  HardeningCreateDatasetDocument,
  HardeningCreateProcessingDocument,
  HardeningDownloadFilesDocument,
  HardeningPointcloudDownloadDocument,
  OneOfEachDocument,
  OpenApiAccountScreensDocument,
  OpenApiCreateProjectDocument,
  OpenApiDatasetDocument,
  OpenApiDeletesDocument,
  OpenApiProcessingResultsDocument,
  OpenApiProcessingWritesDocument,
  OpenApiProjectWritesDocument,
  OpenApiRestartProcessingDocument,
  PointcloudsWithParentsDocument,
  ProjectAoisDocument,
  ProjectsWithWorkflowsDocument,
  StatusRequestDatasetDownloadDocument,
  StatusRunFlowTemplateDocument,
} from '../generated/graphql.js';
import { geoTiff } from '../helpers/geotiff.helpers.js';
import { test, type GqlResponse, type Stack } from '../helpers/stack.helpers.js';
import { FIRST_CHUNK_INDEX, newSessionKey, sendChunk, syntheticLas } from './flai.upload.helpers.js';
import { AnswerChecker, isJsonMedia, recordAnswers, type AnswerRecorder } from './openapi.helpers.js';

type Vendor = keyof Simulators;
type Json = Record<string, unknown>;
const VENDORS: Vendor[] = ['mapflow', 'flai', 'cupix'];

// The documented records every simulator seeds for its `alpha` tenant.
const MAPFLOW_PROCESSING = '65285409-ac88-4fc0-a937-193cf42c2343';
const BUILDINGS = '30ddfd15-04aa-47f6-9ceb-68ce709fd710';
const ORG = `/organization/${FLAI_DEMO_TENANTS[0].orgId}`;
const CUPIX_SUB = '5310';
const CUPIX_GROUP = '5309';
const CUPIX_UPLOADED_SUB = '5351';
const CUPIX_FIELDS =
  'id,uuid,name,state,editing_state,facility,record,level,parent,kind,meta,capture,cluster,thumbnail_urls,created_at,updated_at,published_at,permission,use_georeference,georeference,constants,pointcloud_type,potree_state,error_code,points_count,filesize,resource_state,cycle_state';
const square = (lon: number, lat: number) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.009, lat], [lon + 0.009, lat + 0.004], [lon, lat + 0.004], [lon, lat]]] });

const fixture = (vendor: Vendor, name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/vendor-docs/${vendor}/${name}`, import.meta.url), 'utf8'));

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: () => Json;
}

/** One call to a simulator of the stack with its `alpha` credential (`token: null` sends none). */
async function call(stack: Stack, vendor: Vendor, method: string, path: string, opts: { body?: unknown; token?: string | null; accept?: string } = {}): Promise<Reply> {
  const sim = stack.sims[vendor];
  const token = opts.token === undefined ? sim.demoToken : opts.token;
  const headers: Record<string, string> = { accept: opts.accept ?? 'application/json' };
  if (token !== null) Object.assign(headers, vendor === 'mapflow' ? { authorization: `Basic ${token}` } : vendor === 'flai' ? { authorization: `Bearer ${token}` } : { 'x-cupix-auth': token });
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(sim.url + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Json };
}

async function expectStatus(reply: Promise<Reply>, status: number): Promise<Reply> {
  const r = await reply;
  expect(r.status, r.text).toBe(status);
  return r;
}

async function advance(stack: Stack, vendor: Vendor, ms: number): Promise<void> {
  const res = await fetch(`${stack.sims[vendor].origin}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: ms }) });
  expect(res.status).toBe(200);
}

function ok<T>(res: GqlResponse<T>): T {
  expect(res.errors).toBeUndefined();
  return res.data as T;
}

/** A JSON answer as the simulator would send it, for the checker. */
const answer = (route: string, json: unknown, status = 200): SimAnswer => ({
  route,
  status,
  headers: { 'content-type': 'application/json' },
  body: typeof json === 'string' ? json : JSON.stringify(json),
  fault: null,
});

async function checkers(stack: Stack): Promise<Record<Vendor, AnswerChecker>> {
  const [mapflow, flai, cupix] = await Promise.all(VENDORS.map((v) => AnswerChecker.load(stack.sims[v])));
  return { mapflow, flai, cupix };
}

function recorders(stack: Stack, checker: Record<Vendor, AnswerChecker>): Record<Vendor, AnswerRecorder> {
  return { mapflow: recordAnswers(stack.sims.mapflow, checker.mapflow), flai: recordAnswers(stack.sims.flai, checker.flai), cupix: recordAnswers(stack.sims.cupix, checker.cupix) };
}

function stopAll(recorder: Record<Vendor, AnswerRecorder>): string[] {
  return VENDORS.flatMap((v) => {
    recorder[v].stop();
    return recorder[v].violations;
  });
}

describe('each simulator declares the answers of every operation at /openapi.json', () => {
  test('every operation declares a success answer, and every JSON body it declares has a schema that compiles', async ({ stack }) => {
    for (const [vendor, checker] of Object.entries(await checkers(stack))) {
      const routes = Object.entries(checker.doc.paths);
      expect(routes.length, vendor).toBeGreaterThan(0);
      for (const [path, ops] of routes) {
        for (const [method, op] of Object.entries(ops)) {
          const route = `${method.toUpperCase()} ${path}`;
          const success = Object.keys(op.responses).filter((s) => /^[23]\d\d$/.test(s));
          expect(success, `${vendor} ${route}: a 2xx or 3xx answer`).not.toEqual([]);
          for (const [status, res] of Object.entries(op.responses)) {
            for (const [media, content] of Object.entries(res.content ?? {})) {
              expect(content.schema, `${vendor} ${route} ${status} ${media}`).toBeDefined();
              if (isJsonMedia(media)) expect(() => checker.validator(route, status, media), `${vendor} ${route} ${status}`).not.toThrow();
            }
          }
        }
      }
      // Named schemas (AnswerChecker already converted them: `nullable` only beside a `type`, as OpenAPI 3.0.3 wants).
      expect(Object.keys(checker.doc.components.schemas).length, vendor).toBeGreaterThan(5);
    }
  });

  test('the documented examples are what the schemas declare', async ({ stack }) => {
    const checker = await checkers(stack);
    const examples: [Vendor, string, string, number][] = [
      ['mapflow', 'GET /user/status', 'user-status.json', 200],
      ['mapflow', 'GET /projects/{id}', 'project.json', 200],
      ['mapflow', 'GET /projects/default', 'project-default.json', 200],
      ['mapflow', 'GET /processings/{id}/v2', 'processing-v2.json', 200],
      ['mapflow', 'POST /processings/v2', 'processing-v2-create-response.json', 200],
      ['mapflow', 'GET /processings/{id}', 'processing.json', 200],
      ['mapflow', 'GET /processings/{id}', 'processing-failed.json', 200],
      ['mapflow', 'GET /processings/{id}/aois', 'aois.json', 200],
      ['mapflow', 'POST /processings/stats', 'processing-stats-response.json', 200],
      ['mapflow', 'POST /processing/cost/v2', 'processing-cost-v2-response.json', 200],
      ['mapflow', 'GET /user/status', 'error-bad-request.json', 400],
      ['mapflow', 'POST /processings/v2', 'error-too-large.json', 400],
      ['flai', 'GET /organization/{orgId}/flow-executions/{executionId}', 'flow-execution.json', 200],
      ['flai', 'GET /oauth/me', 'oauth-me.sdk-fields.json', 200],
      ['flai', 'GET /organization/{orgId}/downloads/{downloadId}', 'download.sdk-fields.json', 200],
      ['flai', 'GET /organization/{orgId}/file-downloads/{fileId}/download', 'file-download-url.sdk-fields.json', 200],
      ['cupix', 'GET /pointclouds', 'pointcloud-list.json', 200],
      ['cupix', 'GET /pointclouds/{id}', 'pointcloud-get.json', 200],
      ['cupix', 'GET /pointclouds/{id}/meta', 'pointcloud-meta.json', 200],
    ];
    for (const [vendor, route, file, status] of examples) {
      expect(checker[vendor].check(answer(route, fixture(vendor, file), status)), file).toEqual([]);
    }
  });
});

describe('the schemas take what the docs allow beyond the examples, and nothing of another shape', () => {
  test('documented variants: bare-array lists, id-only creates, open status and type literals, new optional fields', async ({ stack }) => {
    const checker = await checkers(stack);
    const datasets = (await call(stack, 'flai', 'GET', `${ORG}/datasets`)).json() as { items: Json[] };
    const executions = (await call(stack, 'flai', 'GET', `${ORG}/flow-executions`)).json() as { items: Json[] };
    const flai: [string, unknown][] = [
      ['GET /organization/{orgId}/datasets', datasets.items.map((d, i) => (i === 0 ? { ...d, dataset_type_key: 'mesh', dataset_status: 'archived' } : d))],
      ['GET /organization/{orgId}/flow-executions', executions.items.map((e, i) => (i === 0 ? { ...e, status: 'finish' } : e))],
      ['POST /organization/{orgId}/datasets', { id: 'f00d5e1e-0000-4000-8000-000000000001' }],
      ['POST /organization/{orgId}/flow-template-execution', { id: 'f00d5e1e-0000-4000-8000-000000000002' }],
    ];
    for (const [route, body] of flai) expect(checker.flai.check(answer(route, body)), route).toEqual([]);

    const processing = (await call(stack, 'mapflow', 'GET', `/processings/${MAPFLOW_PROCESSING}/v2`)).json();
    const project = (await call(stack, 'mapflow', 'GET', '/projects/default')).json();
    const stats = (await call(stack, 'mapflow', 'POST', '/processings/stats?type=JSON', { body: {} })).json() as { results: Json[] };
    const mapflow: [string, unknown][] = [
      [
        'GET /processings/{id}/v2',
        {
          ...processing,
          status: 'IN_REVIEW',
          rating: { rating: 4, feedback: 'Roofs merged in places' },
          workflowDef: { ...(processing.workflowDef as Json), blocks: [{ name: 'Classification', description: 'Classification', optional: true, price: 3 }] },
        },
      ],
      ['GET /projects/default', { ...project, user: { ...(project.user as Json), areaLimit: 5e7, aoiAreaLimit: 2.5e6, processedArea: 1e6, isPremium: true } }],
      ['POST /processings/stats', { ...stats, results: stats.results.map((r) => ({ ...r, archived: 'true', dataProvider: 'Mapbox' })) }],
    ];
    for (const [route, body] of mapflow) expect(checker.mapflow.check(answer(route, body)), route).toEqual([]);

    const list = (await call(stack, 'cupix', 'GET', `/pointclouds?fields=${CUPIX_FIELDS}&per_page=5`)).json() as { result: { data: { attributes: Json }[] } };
    const group = (await call(stack, 'cupix', 'GET', `/pointclouds/${CUPIX_GROUP}/meta?fields=id`)).json() as { result: { prop: Json } };
    list.result.data[0].attributes.pointcloud_type = 'mobile_scan';
    list.result.data[0].attributes.facility = { id: 4102, type: 'Facility' };
    const meta = { ...group, result: { ...group.result, prop: { ...group.result.prop, scale: [2, 2, 2], wscale: [2, 2, 2] }, processor_version: '190\tabc\t20240101_000000' } };
    expect(checker.cupix.check(answer('GET /pointclouds', list))).toEqual([]);
    expect(checker.cupix.check(answer('GET /pointclouds/{id}/meta', meta))).toEqual([]);
  });

  test('an answer of another shape, type or status is reported with its route and the failing path', async ({ stack }) => {
    const checker = await checkers(stack);
    const processing = (await call(stack, 'mapflow', 'GET', `/processings/${MAPFLOW_PROCESSING}/v2`)).json();
    expect(checker.mapflow.check(answer('GET /processings/{id}/v2', { ...processing, status: 3, aoiCount: '1' }))).toEqual([
      'mapflow GET /processings/{id}/v2 -> 200: /aoiCount must be integer',
      'mapflow GET /processings/{id}/v2 -> 200: /status must be string',
    ]);
    expect(checker.mapflow.check(answer('GET /processings/{id}/v2', { name: 'no id' }))).toEqual([
      "mapflow GET /processings/{id}/v2 -> 200: (body) must have required property 'id'",
      "mapflow GET /processings/{id}/v2 -> 200: (body) must have required property 'status'",
    ]);
    expect(checker.mapflow.check(answer('GET /processings/{id}/result', { type: 'FeatureCollection', features: [] }))).toEqual([
      'mapflow GET /processings/{id}/result -> 200: content type application/json not declared (declared: application/octet-stream)',
    ]);
    expect(checker.mapflow.check({ ...answer('DELETE /processings/{id}', {}), status: 200 })).toEqual(['mapflow DELETE /processings/{id} -> 200: a body, where the document declares none']);
    expect(checker.flai.check(answer('GET /organization/{orgId}/datasets', { items: [{ id: 7 }] }))).toEqual([
      'flai GET /organization/{orgId}/datasets -> 200: /items/0/id must be string',
      'flai GET /organization/{orgId}/datasets -> 200: (body) must be array',
      'flai GET /organization/{orgId}/datasets -> 200: (body) must match a schema in anyOf',
    ]);
    expect(checker.flai.check(answer('GET /organization/{orgId}/flow-executions/{executionId}', { message: 'Server Error' }, 503))).toEqual([]);
    expect(checker.flai.check(answer('GET /organization/{orgId}/flow-executions/{executionId}', { error: 'x' }, 503))).toEqual([
      "flai GET /organization/{orgId}/flow-executions/{executionId} -> 503: (body) must have required property 'message'",
    ]);
    expect(checker.cupix.check(answer('GET /pointclouds/{id}', { result: { data: { id: 'x5310', type: 'pointcloud', attributes: {} } }, session: null }))).toEqual([
      'cupix GET /pointclouds/{id} -> 200: /result/data/id must be integer',
      'cupix GET /pointclouds/{id} -> 200: /result/data/id must match pattern "^\\d+$"',
      'cupix GET /pointclouds/{id} -> 200: /result/data/id must match a schema in anyOf',
    ]);
    expect(checker.cupix.check({ ...answer('GET /pointclouds/{id}/download', ''), status: 200 })).toEqual([
      'cupix GET /pointclouds/{id}/download -> 200: no body, where the document declares application/json',
    ]);
  });
});

describe('every answer the simulators send while a realistic run goes on is what their /openapi.json declares', () => {
  test('the gateway\'s dashboards, screens, writes and downloads, through a stack', async ({ stack }) => {
    const recorder = recorders(stack, await checkers(stack));
    try {
      ok(await stack.op(DashboardDocument));
      ok(await stack.op(OneOfEachDocument, { processingId: MAPFLOW_PROCESSING, flowExecutionId: FLAI_DOCUMENTED.executionId, pointcloudId: CUPIX_SUB }));
      const screens = ok(await stack.op(OpenApiAccountScreensDocument, { flowId: FLAI_DOCUMENTED.templateFlowId, cost: { workflowDefId: BUILDINGS, areaSqKm: 2.5 } }));
      const projects = ok(await stack.op(ProjectsWithWorkflowsDocument)).projects?.nodes ?? [];
      expect(projects.length).toBeGreaterThan(0);
      ok(await stack.op(ProjectAoisDocument, { id: projects[0].id }));
      ok(await stack.op(FlowExecutionOutputsDocument, { id: FLAI_DOCUMENTED.executionId }));
      ok(await stack.op(PointcloudsWithParentsDocument, { captureId: '1201' }));
      expect(ok(await stack.op(OpenApiProcessingResultsDocument, { id: MAPFLOW_PROCESSING })).processing?.results).toMatchObject({ type: 'FeatureCollection' });
      ok(await stack.op(OpenApiDatasetDocument, { id: FLAI_DOCUMENTED.inputDatasetId }));
      ok(await stack.op(HardeningPointcloudDownloadDocument, { id: CUPIX_SUB }));

      const project = ok(await stack.op(OpenApiCreateProjectDocument, { input: { name: 'OpenAPI check', description: 'Answers checked against /openapi.json' } })).createProject.id;
      ok(await stack.op(OpenApiProjectWritesDocument, { id: project, update: { name: 'OpenAPI check (renamed)' }, share: { projectId: project, email: 'viewer@example.com', role: 'READONLY' } }));
      // Its tile server does not resolve: the run fails at 40 %, and can be restarted.
      const failing = { userDefined: { sourceType: 'XYZ', url: 'https://tiles.example.invalid/{z}/{x}/{y}.png' } };
      const created = ok(await stack.op(HardeningCreateProcessingDocument, { input: { name: 'OpenAPI check', workflowDefId: BUILDINGS, geometry: square(37.2984, 55.6362), projectId: project, sourceParams: failing } }));
      const processing = created.createProcessing.id;
      ok(await stack.op(OpenApiProcessingWritesDocument, { id: processing, update: { name: 'OpenAPI check run' }, projectId: screens.defaultProject?.id as string }));
      await advance(stack, 'mapflow', 60_000);
      ok(await stack.op(OpenApiRestartProcessingDocument, { id: processing }));
      ok(await stack.op(OpenApiDeletesDocument, { processingId: processing, projectId: project }));

      const ftp = { host: 'ftp.example.com', port: 21, username: 'surveyor', password: 'ftp-secret-openapi', path: '/scan' };
      const dataset = ok(await stack.op(HardeningCreateDatasetDocument, { input: { name: 'OpenAPI check', type: 'POINTCLOUD', importFrom: { ftp } } })).createDataset.id;
      ok(await stack.op(OpenApiDatasetDocument, { id: dataset }));
      const nodeOptions = { point_cloud_reader_1: { dataset_id: FLAI_DOCUMENTED.inputDatasetId }, point_cloud_writer_1: { dataset_name: 'OpenAPI check' } };
      const run = ok(await stack.op(StatusRunFlowTemplateDocument, { input: { flowId: FLAI_DOCUMENTED.templateFlowId, nodeOptions } })).runFlowTemplate.id;
      const download = ok(await stack.op(StatusRequestDatasetDownloadDocument, { d: FLAI_DOCUMENTED.inputDatasetId })).requestDatasetDownload.id;
      await advance(stack, 'flai', 15 * 60_000);
      ok(await stack.op(FlowExecutionOutputsDocument, { id: run }));
      expect(ok(await stack.op(HardeningDownloadFilesDocument, { id: download })).datasetDownload?.files.length).toBeGreaterThan(0);
      ok(await stack.op(DashboardDocument));
    } finally {
      expect(stopAll(recorder)).toEqual([]);
    }
    for (const vendor of VENDORS) expect(recorder[vendor].checked.size, vendor).toBeGreaterThanOrEqual(3);
  });

  test('every operation of every simulator, called directly with good and bad requests and injected faults', async ({ stack }) => {
    const checker = await checkers(stack);
    const recorder = recorders(stack, checker);
    try {
      await mapflowCalls(stack);
      await flaiCalls(stack);
      await cupixCalls(stack);
      // Injected faults: a 500 and a 429 in the vendor's error body, a 503 from Mapflow's proxy (HTML).
      for (const vendor of VENDORS) {
        const probe = vendor === 'mapflow' ? '/user/status' : vendor === 'flai' ? '/oauth/me' : `/pointclouds/${CUPIX_SUB}?fields=id`;
        for (const fault of [{ errorRate: 1, errorStatuses: [500 as const], count: 1 }, { errorRate: 1, errorStatuses: [503 as const], count: 1 }, { rateLimitRate: 1, count: 1 }]) {
          stack.sims[vendor].faults.set(fault);
          expect((await call(stack, vendor, 'GET', probe)).status).toBeGreaterThanOrEqual(429);
        }
      }
    } finally {
      expect(stopAll(recorder)).toEqual([]);
    }
    // Every operation answered at least once with success, and every such answer was checked.
    for (const vendor of VENDORS) {
      for (const [path, ops] of Object.entries(checker[vendor].doc.paths)) {
        for (const method of Object.keys(ops)) {
          const route = `${method.toUpperCase()} ${path}`;
          expect([...(recorder[vendor].checked.get(route) ?? [])].some((s) => s >= 200 && s < 400), `${vendor} ${route}`).toBe(true);
        }
      }
    }
  });

  test('a Flai that lists as bare arrays answers what /openapi.json declares too', async () => {
    const sim = await startFlaiSimulator({ timeScale: 0, listEnvelope: 'array' });
    try {
      const recorder = recordAnswers(sim, await AnswerChecker.load(sim));
      const headers = { authorization: `Bearer ${FLAI_DEMO_TENANTS[0].token}` };
      for (const list of ['datasets', 'flow-executions']) {
        const res = await fetch(`${sim.url}${ORG}/${list}`, { headers });
        expect(Array.isArray(await res.json()), list).toBe(true);
      }
      recorder.stop();
      expect(recorder.violations).toEqual([]);
      expect([...recorder.checked.keys()].sort()).toEqual(['GET /organization/{orgId}/datasets', 'GET /organization/{orgId}/flow-executions']);
    } finally {
      await sim.close();
    }
  });
});

async function mapflowCalls(stack: Stack): Promise<void> {
  const mf = (method: string, path: string, body?: unknown) => call(stack, 'mapflow', method, path, { body });
  // The GeoJSON download is an octet stream; an Accept that admits none of it is refused (406).
  const download = (path: string, accept = 'application/octet-stream') => call(stack, 'mapflow', 'GET', path, { accept });
  await expectStatus(mf('GET', '/user/status'), 200);
  await expectStatus(mf('POST', '/processing/cost/v2', { wdId: BUILDINGS, areaSqKm: 2.5 }), 200);
  await expectStatus(mf('POST', '/processings/stats?type=JSON', {}), 200);
  await expectStatus(mf('POST', '/processings/stats?type=CSV', {}), 200);
  await expectStatus(mf('GET', '/projects'), 200);
  const def = (await expectStatus(mf('GET', '/projects/default'), 200)).json().id as string;
  await expectStatus(mf('POST', '/projects/page', { limit: 5, offset: 0 }), 200);
  const project = (await expectStatus(mf('POST', '/projects', { name: 'OpenAPI direct', description: 'checked' }), 200)).json().id as string;
  await expectStatus(mf('GET', `/projects/${project}`), 200);
  await expectStatus(mf('PUT', `/projects/${project}`, { name: 'OpenAPI direct (renamed)' }), 200);
  await expectStatus(mf('POST', '/projects/share', { projectId: project, email: 'viewer@example.com', role: 'readonly' }), 200);
  const body = (over: Json) => ({ name: 'OpenAPI direct', wdId: BUILDINGS, geometry: square(37.2984, 55.6362), projectId: project, ...over });
  const ok1 = (await expectStatus(mf('POST', '/processings/v2', body({ params: { sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 18 } } } })), 200)).json().id as string;
  const failing = (await expectStatus(mf('POST', '/processings/v2', body({ params: { sourceParams: { userDefined: { sourceType: 'XYZ', url: 'https://tiles.example.invalid/{z}/{x}/{y}.png' } } } })), 200)).json().id as string;
  for (const path of ['/processings/v2', '/processings', `/processings/${ok1}/v2`, `/processings/${ok1}`, `/processings/${ok1}/aois`, `/projects/${project}/processings/v2`, `/projects/${project}/processings`]) {
    await expectStatus(mf('GET', path), 200);
  }
  await expectStatus(mf('POST', `/projects/${project}/processings/v2/page`, { limit: 5, offset: 0 }), 200);
  await expectStatus(mf('PUT', `/processings/${ok1}/v2`, { name: 'OpenAPI direct run' }), 200);
  await expectStatus(mf('PUT', `/processings/${ok1}`, { projectId: def }), 200);
  await advance(stack, 'mapflow', 60_000);
  for (const path of [`/processings/${ok1}/v2`, `/projects/${project}`, `/projects/${project}/processings/v2`]) await expectStatus(mf('GET', path), 200);
  await expectStatus(mf('POST', `/processings/${failing}/restart/v2`), 200);
  await expectStatus(download(`/processings/${ok1}/result`), 200);
  await expectStatus(download(`/processings/${MAPFLOW_PROCESSING}/result`), 200);
  await expectStatus(download(`/processings/${failing}/result`), 400);
  await expectStatus(download(`/processings/${ok1}/result`, 'application/json'), 406);
  // The documented paths beside the plugin's.
  await expectStatus(mf('GET', '/projects'), 200);
  await expectStatus(mf('PUT', `/processing/${ok1}`, { name: 'OpenAPI direct run (documented path)' }), 200);
  const failingAgain = (await expectStatus(mf('POST', '/processings/v2', body({ params: { sourceParams: { userDefined: { sourceType: 'XYZ', url: 'https://tiles.example.invalid/{z}/{x}/{y}.png' } } } })), 200)).json().id as string;
  await advance(stack, 'mapflow', 60_000);
  await expectStatus(mf('POST', `/processings/${failingAgain}/restart`), 200);
  await expectStatus(mf('DELETE', `/processings/${ok1}`), 200);
  await expectStatus(mf('DELETE', `/projects/${project}`), 200);
  await mapflowDataApiCalls(stack);
  // Errors in the API's error body.
  await expectStatus(mf('GET', '/processings/00000000-0000-4000-8000-000000000000/v2'), 404);
  await expectStatus(mf('POST', '/processings/v2', {}), 400);
  await expectStatus(call(stack, 'mapflow', 'GET', '/user/status', { token: null }), 401);
}

/** The Data API (mosaics, images, storage, catalogue), with its documented refusals. */
async function mapflowDataApiCalls(stack: Stack): Promise<void> {
  const mf = (method: string, path: string, body?: unknown) => call(stack, 'mapflow', method, path, { body });
  const sim = stack.sims.mapflow;
  const send = (path: string, file: Buffer, query = '') => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)], { type: 'image/tiff' }), 'openapi.tif');
    return fetch(`${sim.url}${path}${query}`, { method: 'POST', headers: { authorization: `Basic ${sim.demoToken}` }, body: form });
  };
  await expectStatus(mf('GET', '/rasters/memory'), 200);
  const mosaic = (await expectStatus(mf('POST', '/rasters/mosaic', { name: 'OpenAPI mosaic', tags: ['a'] }), 200)).json().id as string;
  await expectStatus(mf('GET', '/rasters/mosaic'), 200);
  await expectStatus(mf('PUT', `/rasters/mosaic/${mosaic}`, { tags: ['b'] }), 200);
  expect((await send(`/rasters/mosaic/${mosaic}/image`, geoTiff())).status).toBe(200);
  expect((await send(`/rasters/mosaic/${mosaic}/image`, Buffer.from('not a tiff'))).status).toBe(400);
  expect((await send('/rasters/mosaic/image', geoTiff(), '?name=OpenAPI%20first&tags=x')).status).toBe(200);
  const images = (await expectStatus(mf('GET', `/rasters/mosaic/${mosaic}/image`), 200)).json() as unknown as { id: string }[];
  await expectStatus(mf('GET', `/rasters/mosaic/${mosaic}`), 200);
  await expectStatus(mf('GET', `/rasters/image/${images[0].id}`), 200);
  await expectStatus(mf('PUT', `/rasters/image/${images[0].id}?name=renamed.tif`), 200);
  await expectStatus(mf('POST', '/rasters/mosaic', {}), 400);
  const linked = (await expectStatus(mf('POST', '/rasters/mosaic', { name: 'OpenAPI linked' }), 200)).json().id as string;
  await expectStatus(mf('POST', `/rasters/mosaic/${linked}/link-image`, { url: 's3://mapflow-user-storage/samples/moscow-rgb.tif' }), 200);
  await expectStatus(mf('POST', `/rasters/mosaic/${linked}/link-image`, { url: 's3://nowhere/a.tif' }), 400);
  await expectStatus(mf('DELETE', `/rasters/image/${images[0].id}`), 200);
  await expectStatus(mf('GET', `/rasters/image/${images[0].id}`), 404);
  await expectStatus(mf('DELETE', `/rasters/mosaic/${mosaic}`), 200);
  await expectStatus(mf('POST', '/catalog/meta', { aoi: square(37.42, 55.69), maxCloudCover: 0.5, limit: 3 }), 200);
}

/** The keys of Flai's list rows these calls read. */
interface FlaiTemplateRow {
  id: string;
  title: string;
}
interface FlaiDatasetRow {
  id: string;
  dataset_type_key: string;
  dataset_status: string;
}

async function flaiCalls(stack: Stack): Promise<void> {
  const fl = (method: string, path: string, body?: unknown) => call(stack, 'flai', method, path, { body });
  await expectStatus(fl('GET', '/oauth/me'), 200);
  await expectStatus(fl('GET', '/organizations'), 200);
  await expectStatus(fl('GET', `${ORG}/datasets`), 200);
  await expectStatus(fl('GET', `${ORG}/datasets?per_page=3&page=2&order_by=dataset_name&order_direction=asc`), 200);
  await expectStatus(fl('GET', `${ORG}/datasets/${FLAI_DOCUMENTED.inputDatasetId}`), 200);
  const created = (await expectStatus(fl('POST', `${ORG}/datasets`, fixture('flai', 'create-dataset-request.json')), 200)).json().id as string;
  await expectStatus(fl('GET', `${ORG}/datasets/${created}`), 200);
  await expectStatus(fl('GET', `${ORG}/flow-templates`), 200);
  await expectStatus(fl('GET', `${ORG}/flows/${FLAI_DOCUMENTED.templateFlowId}`), 200);
  await expectStatus(fl('GET', `${ORG}/flows/${FLAI_DOCUMENTED.templateFlowId}?decorators=flow_nodes,flow_edges`), 200);
  const run = (await expectStatus(fl('POST', `${ORG}/flow-template-execution`, fixture('flai', 'flow-template-execution-request.json')), 200)).json().id as string;
  const stopped = (await expectStatus(fl('POST', `${ORG}/flow-template-execution`, fixture('flai', 'flow-template-execution-request.json')), 200)).json().id as string;
  await expectStatus(fl('POST', `${ORG}/flow-executions/${stopped}/stop`), 200);
  await expectStatus(fl('GET', `${ORG}/flow-executions`), 200);
  await expectStatus(fl('GET', `${ORG}/flow-executions/${run}`), 200);
  const download = (await expectStatus(fl('POST', `${ORG}/downloads`, { items: [{ model_name: 'datasets', model_id: FLAI_DOCUMENTED.inputDatasetId }] }), 200)).json().id as string;
  await advance(stack, 'flai', 15 * 60_000);
  await expectStatus(fl('GET', `${ORG}/flow-executions/${run}`), 200);
  await expectStatus(fl('GET', `${ORG}/flow-executions?filter[status]=finished`), 200);
  const files = (await expectStatus(fl('GET', `${ORG}/downloads/${download}?decorators=files`), 200)).json().files as { id: string }[];
  await expectStatus(fl('GET', `${ORG}/downloads/${download}`), 200);
  const url = (await expectStatus(fl('GET', `${ORG}/file-downloads/${files[0].id}/download`), 200)).json().url as string;
  expect((await fetch(url)).status).toBe(200);
  expect((await fetch(url.replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=0000'))).status).toBe(403);
  // A direct upload in two chunks (multipart; the last answer has end_filename), a chunk out of order, and a dataset from it.
  const flaiSim = stack.sims.flai;
  const las = syntheticLas(3000);
  const upload = { sessionKey: newSessionKey(), fileName: 'openapi.las', totalSize: las.length };
  expect((await sendChunk(flaiSim, flaiSim.demoToken, { ...upload, bytes: las.subarray(0, 2000), start: 0, index: FIRST_CHUNK_INDEX })).status).toBe(200);
  expect((await sendChunk(flaiSim, flaiSim.demoToken, { ...upload, bytes: las.subarray(2000), start: 2000, index: FIRST_CHUNK_INDEX + 5 })).status).toBe(422);
  const last = await sendChunk(flaiSim, flaiSim.demoToken, { ...upload, bytes: las.subarray(2000), start: 2000, index: FIRST_CHUNK_INDEX + 1 });
  const fromUpload = { ...(fixture('flai', 'create-dataset-request.json') as Json), import_datasource: { datasource_type: 'upload_storage_tmp', datasource_address: '/', path: last.body.end_filename } };
  await expectStatus(fl('POST', `${ORG}/datasets`, fromUpload), 200);
  // Errors in Laravel's bodies.
  await expectStatus(fl('GET', `${ORG}/datasets/00000000-0000-4000-8000-000000000000`), 404);
  await expectStatus(fl('POST', `${ORG}/datasets`, {}), 422);
  await expectStatus(fl('GET', `/organization/${FLAI_DEMO_TENANTS[1].orgId}/datasets`), 403);
  await expectStatus(call(stack, 'flai', 'GET', '/oauth/me', { token: null }), 401);
  // The documented variants' tenant: bare-array lists, id-only create answers, `finish`, `mesh`, `paused`.
  const variants = (method: string, path: string, body?: unknown) => call(stack, 'flai', method, `/organization/${FLAI_VARIANTS_TENANT.orgId}${path}`, { body, token: FLAI_VARIANTS_TENANT.token });
  expect((await expectStatus(variants('GET', '/datasets'), 200)).json()).toBeInstanceOf(Array);
  const idOnly = (await expectStatus(variants('POST', '/datasets', fixture('flai', 'create-dataset-request.json')), 200)).json();
  expect(Object.keys(idOnly as object)).toEqual(['id']);
  await expectStatus(variants('POST', '/datasets', fixture('flai', 'create-dataset-request.json')), 200);
  const templates = JSON.parse((await expectStatus(call(stack, 'flai', 'GET', `/organization/${FLAI_VARIANTS_TENANT.orgId}/flow-templates`, { token: FLAI_VARIANTS_TENANT.token }), 200)).text) as FlaiTemplateRow[];
  const template = templates.find((t) => t.title === 'Aerial mapping classification');
  const inputs = JSON.parse((await variants('GET', '/datasets')).text) as FlaiDatasetRow[];
  const input = inputs.find((d) => d.dataset_type_key === 'pointcloud' && d.dataset_status === 'ready');
  const runBody = { flow_id: template?.id, flow_node_options: { point_cloud_reader_1: { dataset_id: input?.id }, point_cloud_writer_1: { dataset_name: 'OpenAPI W1' } } };
  const variantRuns: string[] = [];
  for (let i = 0; i < 2; i++) variantRuns.push((await expectStatus(variants('POST', '/flow-template-execution', runBody), 200)).json().id as string);
  await advance(stack, 'flai', 15 * 60_000);
  for (const id of variantRuns) await expectStatus(variants('GET', `/flow-executions/${id}`), 200);
  expect((await expectStatus(variants('GET', '/flow-executions'), 200)).json()).toBeInstanceOf(Array);
}

async function cupixCalls(stack: Stack): Promise<void> {
  const cx = (path: string) => call(stack, 'cupix', 'GET', path);
  for (const page of [1, 2, 3]) await expectStatus(cx(`/pointclouds?fields=${CUPIX_FIELDS}&per_page=10&page=${page}`), 200);
  await expectStatus(cx(`/pointclouds?fields=id,name&capture_id=1201&pointcloud_type=3d_reconstructed`), 200);
  for (const id of [CUPIX_SUB, CUPIX_GROUP, CUPIX_UPLOADED_SUB]) {
    await expectStatus(cx(`/pointclouds/${id}?fields=${CUPIX_FIELDS}`), 200);
    await expectStatus(cx(`/pointclouds/${id}/meta?fields=id`), 200);
  }
  for (const id of [CUPIX_SUB, CUPIX_UPLOADED_SUB]) {
    const location = (await expectStatus(cx(`/pointclouds/${id}/download`), 302)).headers.get('location') as string;
    expect((await fetch(location)).status).toBe(200);
  }
  // Errors in the envelope, and S3's XML for a bad signature.
  await expectStatus(cx('/pointclouds'), 400);
  await expectStatus(cx(`/pointclouds/${CUPIX_GROUP}/download`), 400);
  await expectStatus(cx('/pointclouds/99999999?fields=id'), 404);
  await expectStatus(call(stack, 'cupix', 'GET', '/pointclouds?fields=id', { token: null }), 401);
  const location = (await cx(`/pointclouds/${CUPIX_SUB}/download`)).headers.get('location') as string;
  expect((await fetch(location.replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=0000'))).status).toBe(403);
}
