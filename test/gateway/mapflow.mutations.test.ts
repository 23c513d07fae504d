import { describe, expect } from 'vitest';
import {
  GatewayDeleteProjectDocument,
  HardeningProcessingIdDocument,
  MapflowCreateProcessingDocument,
  MapflowCreateProcessingIdDocument,
  MapflowCreateProjectDescribedDocument,
  MapflowCreateProjectDocument,
  MapflowDeleteProcessingDocument,
  MapflowMoveProcessingDocument,
  MapflowMoveProcessingIdDocument,
  MapflowParamsEverywhereDocument,
  MapflowProjectAndProcessingDocument,
  MapflowRenameProjectBetweenReadsDocument,
  MapflowRestartProcessingDocument,
  MapflowRestartProcessingIdDocument,
  MapflowShareProjectDocument,
  MapflowShareProjectIdDocument,
  MapflowUpdateProcessingDocument,
  MapflowUpdateProjectDocument,
  type CreateProcessingInput,
  type MapflowCreateProcessingIdMutation,
  type MapflowCreateProcessingMutation,
} from '../generated/graphql.js';
import { jsonOf, test, type Stack } from '../helpers/stack.helpers.js';
import { doc, square, tenantData } from './mapflow.helpers.js';

/** Every Mapflow mutation over real HTTP, checked against what the simulator then holds. Time is frozen. */

test.beforeEach(({ stack }) => stack.resetCounts());

const BUILDINGS = '30ddfd15-04aa-47f6-9ceb-68ce709fd710';

/** Mapflow's error body (its refusal of a create, read straight from the simulator). */
interface VendorError {
  code: string;
  message: string;
}

async function newProject(stack: Stack, name: string): Promise<string> {
  const r = await stack.op(MapflowCreateProjectDocument, { name });
  return r.data?.createProject.id as string;
}

async function newProcessing(stack: Stack, input: CreateProcessingInput): Promise<MapflowCreateProcessingMutation['createProcessing']> {
  const r = await stack.op(MapflowCreateProcessingDocument, { input });
  expect(r.errors).toBeUndefined();
  return r.data!.createProcessing;
}

describe('projects', () => {
  test('createProject returns the new project with the default models linked', async ({ stack }) => {
    const r = await stack.op(MapflowCreateProjectDescribedDocument, { name: 'Survey 2026', description: 'Roofs' });
    expect(r.errors).toBeUndefined();
    const created = r.data!.createProject;
    const t = tenantData(stack, 'alpha');
    const held = t.projects.get(created.id);
    expect(held).toMatchObject({ name: 'Survey 2026', description: 'Roofs', isDefault: false });
    expect(r.data?.createProject).toEqual({
      id: created.id,
      name: 'Survey 2026',
      description: 'Roofs',
      isDefault: false,
      aoiCount: 0,
      area: 0,
      workflowDefs: t.defaultModelIds.map((id) => ({ id, name: t.workflowDefs.get(id)?.name })),
      owner: { email: 'admin@geoalert.io' },
      processings: { totalCount: 0 },
    });
    expect(stack.callsTo('mapflow', 'POST /projects')).toBe(1);
  });

  test('rejects an empty name before calling Mapflow', async ({ stack }) => {
    const r = await stack.op(MapflowCreateProjectDocument, { name: '  ' });
    expect(r.data).toBeNull();
    expect(r.errors?.[0]).toMatchObject({ message: 'name must not be empty', extensions: { code: 'BAD_USER_INPUT', field: ['input', 'name'] } });
    expect(stack.calls('mapflow')).toBe(0);
  });

  test('updateProject renames, and a later project lookup in the same request sees the new name', async ({ stack }) => {
    const id = await newProject(stack, 'Before');
    const p = await newProcessing(stack, { projectId: id, workflowDefId: BUILDINGS, geometry: square(37.31, 55.61) });
    stack.resetCounts();
    // Mutation fields run in order: `before` loads the project into this request's loader, the
    // update replaces it there, and `after` reads it back from the loader without a vendor call.
    const r = await stack.op(MapflowRenameProjectBetweenReadsDocument, { id, p: p.id });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      before: { project: { id, name: 'Before' } },
      updateProject: { id, name: 'After', description: 'now described' },
      after: { project: { id, name: 'After', description: 'now described' } },
    });
    expect(tenantData(stack, 'alpha').projects.get(id)).toMatchObject({ name: 'After', description: 'now described' });
    expect(stack.callsTo('mapflow', 'GET /projects/{id}')).toBe(1);
    expect(stack.callsTo('mapflow', 'PUT /projects/{id}')).toBe(1);
  });

  test('updateProject of an unknown project is NOT_FOUND with the vendor message', async ({ stack }) => {
    const r = await stack.op(MapflowUpdateProjectDocument, { id: '00000000-0000-4000-8000-000000000000', input: { name: 'x' } });
    expect(r.errors?.[0]).toMatchObject({
      message: 'Mapflow: Project with id 00000000-0000-4000-8000-000000000000 not found',
      path: ['updateProject'],
      extensions: { code: 'NOT_FOUND', source: 'MAPFLOW', upstreamStatus: 404, vendorCode: 'NOT_FOUND' },
    });
  });

  test('shareProject shares read-only with anyone, and reports the vendor refusal for other roles', async ({ stack }) => {
    const id = await newProject(stack, 'Shared');
    const ok = await stack.op(MapflowShareProjectDocument, { input: { projectId: id, email: 'someone@elsewhere.org', role: 'READONLY' } });
    expect(ok.data).toEqual({ shareProject: { id, name: 'Shared' } });
    expect(tenantData(stack, 'alpha').projects.get(id)?.shares).toEqual([{ email: 'someone@elsewhere.org', role: 'readonly' }]);

    const team = await stack.op(MapflowShareProjectIdDocument, { input: { projectId: id, email: 'team-user@myteam.com', role: 'CONTRIBUTOR' } });
    expect(team.errors).toBeUndefined();
    expect(tenantData(stack, 'alpha').projects.get(id)?.shares).toContainEqual({ email: 'team-user@myteam.com', role: 'contributor' });

    const refused = await stack.op(MapflowShareProjectIdDocument, { input: { projectId: id, email: 'someone@elsewhere.org', role: 'MAINTAINER' } });
    expect(refused.errors?.[0]).toMatchObject({
      message: 'Mapflow: Role maintainer can only be given to members of your team; someone@elsewhere.org is not one',
      extensions: { code: 'BAD_USER_INPUT', source: 'MAPFLOW', upstreamStatus: 400, vendorCode: 'BAD_REQUEST' },
    });
    const bad = await stack.op(MapflowShareProjectIdDocument, { input: { projectId: id, email: 'not-an-email', role: 'READONLY' } });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'email'] });
  });

  test('deleteProject returns the id; the project and its processings are gone', async ({ stack }) => {
    const id = await newProject(stack, 'Doomed');
    const p = await newProcessing(stack, { projectId: id, workflowDefId: BUILDINGS, geometry: square(37.3, 55.6) });
    const r = await stack.op(GatewayDeleteProjectDocument, { id });
    expect(r.data).toEqual({ deleteProject: id });
    expect(tenantData(stack, 'alpha').projects.has(id)).toBe(false);
    const after = await stack.op(MapflowProjectAndProcessingDocument, { id, p: p.id });
    expect(after).toMatchObject({ data: { project: null, processing: null } });
  });
});

describe('createProcessing', () => {
  test('creates and starts a processing with every input mapped to the vendor body', async ({ stack }) => {
    const projectId = await newProject(stack, 'Create test');
    stack.resetCounts();
    const geometry = square(37.29, 55.63, 0.01);
    const p = await newProcessing(stack, {
      name: 'Roofs block A',
      description: 'first pass',
      projectId,
      workflowDefName: '🏠 Buildings',
      geometry,
      sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 18 } },
      blocks: [{ name: 'Classification', enabled: true }],
      meta: { ticket: 'GIS-42' },
    });
    const held = tenantData(stack, 'alpha').processings.get(p.id);
    expect(held).toBeDefined();
    expect(held).toMatchObject({
      name: 'Roofs block A',
      description: 'first pass',
      projectId,
      workflowDefId: BUILDINGS,
      params: { sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 18 } } },
      meta: { ticket: 'GIS-42' },
    });
    expect(p).toMatchObject({
      id: held?.id,
      source: 'MAPFLOW',
      state: 'QUEUED',
      upstreamStatus: 'UNPROCESSED',
      status: 'UNPROCESSED',
      isTerminal: false,
      progress: 0,
      percentCompleted: 0,
      name: 'Roofs block A',
      description: 'first pass',
      aoiCount: 1,
      area: held?.area,
      cost: held?.cost,
      params: { sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 18 } } },
      meta: { ticket: 'GIS-42' },
      blocks: [
        { name: 'Classification', enabled: true },
        { name: 'Simplification', enabled: false },
        { name: 'OSM', enabled: false },
      ],
      messages: [],
      workflowDef: { id: BUILDINGS, name: '🏠 Buildings' },
      project: { id: projectId, isDefault: false },
    });
    expect(held?.aois.map((a) => a.geometry)).toEqual([geometry]);
    expect(stack.callsTo('mapflow', 'POST /processings/v2')).toBe(1);
  });

  test('goes to the default project when projectId is absent', async ({ stack }) => {
    const p = await newProcessing(stack, { workflowDefId: BUILDINGS, geometry: square(37.31, 55.6) });
    const def = [...tenantData(stack, 'alpha').projects.values()].find((x) => x.isDefault);
    expect(p.project).toEqual({ id: def?.id, isDefault: true });
    expect(p.name).toBe('🏠 Buildings');
  });

  test('never echoes rasterPassword, while Mapflow gets it', async ({ stack }) => {
    const userDefined = { sourceType: 'XYZ', url: 'https://tiles.example.com/{z}/{x}/{y}.png', zoom: 18, rasterLogin: 'me', rasterPassword: 's3cr3t-pass' };
    const p = await newProcessing(stack, { workflowDefId: BUILDINGS, geometry: square(37.32, 55.6), sourceParams: { userDefined } });
    expect(p.params).toEqual({ sourceParams: { userDefined: { ...userDefined, rasterPassword: '[REDACTED]' } } });
    expect(tenantData(stack, 'alpha').processings.get(p.id)?.params).toEqual({ sourceParams: { userDefined } });
    const again = await stack.op(MapflowParamsEverywhereDocument, { id: p.id });
    expect(JSON.stringify(again)).not.toContain('s3cr3t-pass');
  });

  const invalid: [string, Partial<CreateProcessingInput>, string, string[]][] = [
    [
      'two sources',
      { sourceParams: { dataProvider: { providerName: 'Mapbox' }, userDefined: { sourceType: 'XYZ', url: 'https://t/{z}/{x}/{y}' } } },
      'sourceParams must set exactly one of dataProvider, myImagery, imagerySearch, userDefined; got dataProvider and userDefined',
      ['input', 'sourceParams'],
    ],
    [
      'no source member',
      { sourceParams: {} },
      'sourceParams must set exactly one of dataProvider, myImagery, imagerySearch, userDefined; got none',
      ['input', 'sourceParams'],
    ],
    ['an empty myImagery', { sourceParams: { myImagery: {} } }, 'sourceParams.myImagery needs imageIds or mosaicId', ['input', 'sourceParams', 'myImagery']],
    ['a point', { geometry: { type: 'Point', coordinates: [37, 55] } }, 'geometry must be a GeoJSON Polygon or MultiPolygon, got a Point', ['input', 'geometry']],
    [
      'an open ring',
      { geometry: { type: 'Polygon', coordinates: [[[37, 55], [37.01, 55], [37.01, 55.01], [37, 55.01]]] } },
      'geometry: polygon ring 0 is not closed: its last position must equal its first',
      ['input', 'geometry'],
    ],
    [
      'lat/lon swapped out of range',
      { geometry: { type: 'MultiPolygon', coordinates: [[[[55, 137], [55, 137.01], [55.01, 137.01], [55, 137]]]] } },
      'geometry: position 0 of polygon 0 ring 0 [55, 137] is out of range: longitude must be within -180..180 and latitude within -90..90 (lon/lat order)',
      ['input', 'geometry'],
    ],
    ['both model refs', { workflowDefName: '🏠 Buildings' }, 'Give exactly one of workflowDefId and workflowDefName; got both', ['input', 'workflowDefId']],
    ['inference params without a source', { inferenceParams: { threshold: 0.5 } }, 'inferenceParams needs sourceParams (Mapflow requires the imagery source with them)', ['input', 'sourceParams']],
    ['a non-object meta', { meta: ['a'] }, 'meta must be a JSON object, got an array', ['input', 'meta']],
  ];
  test.for(invalid)('rejects %s with BAD_USER_INPUT on the field, before any vendor call', async ([_what, patch, message, field], { stack }) => {
    const input: CreateProcessingInput = { workflowDefId: BUILDINGS, geometry: square(37.3, 55.6), ...patch };
    const r = await stack.op(MapflowCreateProcessingIdDocument, { input });
    expect(r.data).toBeNull();
    expect(r.errors).toEqual([expect.objectContaining({ message, path: ['createProcessing'], extensions: { code: 'BAD_USER_INPUT', field } })]);
    expect(stack.calls('mapflow')).toBe(0);
  });

  test("passes the vendor's TOO_LARGE_PROCESSING refusal on as BAD_USER_INPUT with its message", async ({ stack }) => {
    const geometry = square(37, 55, 0.2);
    const raw = await fetch(`${stack.sims.mapflow.url}/processings/v2`, {
      method: 'POST',
      headers: { authorization: `Basic ${stack.sims.mapflow.demoToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ wdId: BUILDINGS, geometry }),
    });
    const vendorBody = await jsonOf<VendorError>(raw);
    expect(vendorBody.code).toBe('TOO_LARGE_PROCESSING');
    stack.resetCounts();
    // Raw on purpose: the test checks the error's exact location in this one-line operation.
    const r = await stack.gql<MapflowCreateProcessingIdMutation>(`mutation($g: GeoJSON!) { createProcessing(input: { workflowDefId: "${BUILDINGS}", geometry: $g }) { id } }`, { g: geometry });
    expect(r.errors).toEqual([
      {
        message: `Mapflow: ${vendorBody.message}`,
        locations: [{ line: 1, column: 26 }],
        path: ['createProcessing'],
        extensions: { code: 'BAD_USER_INPUT', source: 'MAPFLOW', upstreamStatus: 400, vendorCode: 'TOO_LARGE_PROCESSING' },
      },
    ]);
    expect(vendorBody.message).toMatch(/^Processings larger than 50000000 sq\.m\. are prohibited\. Area: \d+ sq\.m\.$/);
    expect(stack.calls('mapflow')).toBe(1);
  });

  test('passes an unknown model name on as NOT_FOUND with the vendor message', async ({ stack }) => {
    const r = await stack.op(MapflowCreateProcessingIdDocument, { input: { workflowDefName: 'Dragons', geometry: square(37, 55) } });
    expect(r.errors?.[0]).toMatchObject({
      message: 'Mapflow: Workflow definition named "Dragons" not found',
      extensions: { code: 'NOT_FOUND', source: 'MAPFLOW', upstreamStatus: 404 },
    });
  });
});

describe('updating, moving, restarting, deleting processings', () => {
  test('updateProcessing renames', async ({ stack }) => {
    const p = await newProcessing(stack, { workflowDefId: BUILDINGS, geometry: square(37.33, 55.6) });
    const r = await stack.op(MapflowUpdateProcessingDocument, { id: p.id, input: { name: 'Renamed', description: 'desc' } });
    expect(r.data).toEqual({ updateProcessing: { id: p.id, name: 'Renamed', description: 'desc' } });
    expect(tenantData(stack, 'alpha').processings.get(p.id)).toMatchObject({ name: 'Renamed', description: 'desc' });
  });

  test('moveProcessing links it to another project', async ({ stack }) => {
    const target = await newProject(stack, 'Move target');
    const p = await newProcessing(stack, { workflowDefId: BUILDINGS, geometry: square(37.34, 55.6) });
    const r = await stack.op(MapflowMoveProcessingDocument, { id: p.id, to: target });
    expect(r.data).toEqual({ moveProcessing: { id: p.id, project: { id: target, name: 'Move target' } } });
    expect(tenantData(stack, 'alpha').processings.get(p.id)?.projectId).toBe(target);
    const missing = await stack.op(MapflowMoveProcessingIdDocument, { id: p.id, to: '00000000-0000-4000-8000-000000000000' });
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', source: 'MAPFLOW', upstreamStatus: 404 });
  });

  test('restartProcessing restarts a FAILED one; the vendor refuses a running one', async ({ stack }) => {
    const failedId = doc<{ id: string }>('processing-failed.json').id;
    const r = await stack.op(MapflowRestartProcessingDocument, { id: failedId });
    expect(r.data).toEqual({ restartProcessing: { id: failedId, status: 'UNPROCESSED', state: 'QUEUED', isTerminal: false, messages: [] } });
    expect(tenantData(stack, 'alpha').processings.get(failedId)?.status).toBe('UNPROCESSED');

    const running = await stack.op(MapflowRestartProcessingIdDocument, { id: failedId });
    expect(running.errors?.[0]).toMatchObject({
      message: 'Mapflow: Only FAILED or CANCELLED processings can be restarted; this one is UNPROCESSED',
      extensions: { code: 'BAD_USER_INPUT', upstreamStatus: 400 },
    });
  });

  test('deleteProcessing returns the id, and processing(id) is then null', async ({ stack }) => {
    const p = await newProcessing(stack, { workflowDefId: BUILDINGS, geometry: square(37.35, 55.6) });
    const r = await stack.op(MapflowDeleteProcessingDocument, { id: p.id });
    expect(r.data).toEqual({ deleteProcessing: p.id });
    expect(tenantData(stack, 'alpha').processings.has(p.id)).toBe(false);
    expect(await stack.op(HardeningProcessingIdDocument, { id: p.id })).toMatchObject({ data: { processing: null } });
  });
});
