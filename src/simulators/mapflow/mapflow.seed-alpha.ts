import { AERIAL_ID, alphaExtraWorkflowDefs, BUILDINGS_ID, defaultDataProviders, defaultWorkflowDefs, FOREST_ID, modelJson, ROADS_ID } from './mapflow.catalog.js';
import { squareAround } from './mapflow.geometry.js';
import type { MapflowService } from './mapflow.service.js';
import { emptyTenantData, geometryNear, newProject, seedProcessings, settledProcessing, type Place, type Spec } from './mapflow.seed.js';
import {
  DOC_AOI,
  DOC_BLOG_PROCESSINGS,
  DOC_BLOG_PROJECT,
  DOC_DEFAULT_PROJECT,
  DOC_FAILED_PROCESSING,
  DOC_FOREST_MODEL,
  DOC_PROCESSING,
  DOC_PROJECT,
  DOC_RUN_REQUEST,
  DOC_STATS_ROWS,
  DOC_USER_STATUS,
} from './mapflow.seed-docs.js';
import type { Geometry, MapflowTenant, Polygon, Processing, Project, WorkflowDef } from './mapflow.types.js';
import { rng, uuid, type Rng } from './mapflow.util.js';

/** Ids the documentation uses for projects it never shows. */
export const ALPHA_IDS = {
  processingProject: DOC_PROCESSING.projectId,
  runProject: DOC_RUN_REQUEST.projectId,
  shareProject: '70f65cfd-285b-4f25-a058-1fd9103a78f9',
  statsProject: 'c77bad4b-6a2b-49ed-8af4-4d1841aec771',
} as const;

const DAY = 86_400_000;

function docProject(t: MapflowTenant['data'], doc: typeof DOC_PROJECT | typeof DOC_DEFAULT_PROJECT): Project {
  const project: Project = {
    id: doc.id,
    name: doc.name,
    description: doc.description,
    isDefault: doc.isDefault,
    created: doc.created,
    updated: doc.updated,
    user: doc.user,
    workflowDefs: doc.workflowDefs,
    shares: [],
    snapshot: { progress: doc.progress, aoiCount: doc.aoiCount, area: doc.area },
  };
  t.projects.set(project.id, project);
  return project;
}

/** A settled processing over a given geometry; `area` pins the documented area when there is one. */
function docProcessing(
  tenant: MapflowTenant,
  svc: MapflowService,
  r: Rng,
  o: { name: string; projectId: string; wdId: string; geometry: Geometry; params: unknown; createdMs: number; area?: number; spec?: Spec },
): Processing {
  const wd = tenant.data.workflowDefs.get(o.wdId) as WorkflowDef;
  const p = svc.buildProcessing(
    tenant,
    { name: o.name, description: null, projectId: o.projectId, wd, geometry: o.geometry, params: o.params, blocks: [], meta: {}, at: o.createdMs },
    () => uuid(r),
  );
  if (o.area !== undefined) {
    p.area = o.area;
    p.aois[0].area = o.area;
  }
  p.cost = Math.ceil((p.area / 1e6) * wd.pricePerSqKm);
  settledProcessing(p, o.spec ?? { status: 'OK', source: 'provider' }, o.createdMs, r);
  return p;
}

/** Side of a square of the given area, in metres. */
const side = (areaM2: number) => Math.sqrt(areaM2);

function seedDocProcessings(tenant: MapflowTenant, svc: MapflowService, r: Rng): void {
  const t = tenant.data;
  // The processing example, verbatim, over one AOI of its documented area.
  const docP = docProcessing(tenant, svc, r, {
    name: DOC_PROCESSING.name, projectId: DOC_PROCESSING.projectId, wdId: AERIAL_ID,
    geometry: squareAround(37.5512, 55.7033, side(DOC_PROCESSING.area)), params: DOC_PROCESSING.params, createdMs: Date.parse(DOC_PROCESSING.created), area: DOC_PROCESSING.area,
  });
  Object.assign(docP, {
    id: DOC_PROCESSING.id, description: DOC_PROCESSING.description, vectorLayer: DOC_PROCESSING.vectorLayer, rasterLayer: DOC_PROCESSING.rasterLayer,
    cost: DOC_PROCESSING.cost, reviewStatus: DOC_PROCESSING.reviewStatus, rating: DOC_PROCESSING.rating, blocks: DOC_PROCESSING.blocks,
    meta: DOC_PROCESSING.meta, messages: DOC_PROCESSING.messages, created: DOC_PROCESSING.created, updated: DOC_PROCESSING.updated, completionDate: DOC_PROCESSING.updated,
  });
  t.processings.set(docP.id, docP);

  // The failed example: only id, status, percentCompleted and messages are documented.
  const failed = docProcessing(tenant, svc, r, {
    name: 'Orthophoto 2023 (5 m/px)', projectId: DOC_PROCESSING.projectId, wdId: AERIAL_ID, geometry: squareAround(37.6121, 55.7421, 1400),
    params: { sourceParams: { myImagery: { imageIds: [uuid(r)] } } }, createdMs: Date.parse('2023-04-02T09:12:44Z'),
    spec: { status: 'FAILED', source: 'mine', failure: DOC_FAILED_PROCESSING.messages[0], percent: DOC_FAILED_PROCESSING.percentCompleted },
  });
  failed.id = DOC_FAILED_PROCESSING.id;
  t.processings.set(failed.id, failed);

  // The stats example's two processings (team members' work, shown in the owner's stats).
  const nspd = newProject(t, uuid(r), DOC_STATS_ROWS[1].projectName, null, Date.parse('2025-02-20T10:00:00Z'));
  const statsProjects = [ALPHA_IDS.statsProject, nspd.id];
  DOC_STATS_ROWS.forEach((row, i) => {
    const id = /processings\/([0-9a-f-]{36})$/.exec(row.linkToMap)?.[1] as string;
    const p = docProcessing(tenant, svc, r, {
      name: row.name, projectId: statsProjects[i], wdId: BUILDINGS_ID, geometry: squareAround(37.41 + i * 0.05, 55.81, side(Number(row.area))),
      params: { sourceParams: { myImagery: { imageIds: [uuid(r)] } } }, createdMs: Date.parse(row.created), area: Number(row.area),
    });
    Object.assign(p, { id, email: row.email, cost: Number(row.cost), created: row.created, updated: row.completionDate, completionDate: row.completionDate });
    t.processings.set(id, p);
  });

  // The bulk-processing guide: one processing per settlement of a GeoJSON file.
  const uz: Place = { name: 'Samarkand', lon: 66.96, lat: 39.65 };
  DOC_BLOG_PROCESSINGS.forEach((row, i) => {
    const p = docProcessing(tenant, svc, r, {
      name: row.name, projectId: DOC_BLOG_PROJECT.id, wdId: BUILDINGS_ID, geometry: geometryNear(uz, r),
      params: { sourceParams: { dataProvider: { providerName: 'Mapbox' } } }, createdMs: Date.parse('2023-09-05T09:30:00Z') + i * 47_000,
    });
    p.id = row.id;
    t.processings.set(p.id, p);
  });
}

/** The run-request example, still running: its AOI is the documented one. */
function seedRunExample(tenant: MapflowTenant, svc: MapflowService, r: Rng): void {
  const wd = tenant.data.workflowDefs.get(BUILDINGS_ID) as WorkflowDef;
  const now = svc.now();
  const p = svc.buildProcessing(
    tenant,
    { name: DOC_RUN_REQUEST.name, description: DOC_RUN_REQUEST.description, projectId: DOC_RUN_REQUEST.projectId, wd, geometry: DOC_AOI.geometry as Polygon, params: DOC_RUN_REQUEST.params, blocks: [], meta: DOC_RUN_REQUEST.meta, at: now - 1_500 },
    () => uuid(r),
  );
  Object.assign(p.aois[0], { id: DOC_AOI.id, area: DOC_AOI.area });
  p.area = DOC_AOI.area;
  p.cost = Math.ceil((p.area / 1e6) * wd.pricePerSqKm);
  tenant.data.processings.set(p.id, p);
  svc.lifecycle.start(tenant, p, now - 1_500, 1_500);
}

/** Tenant `alpha`: every documented record verbatim, plus demo projects and live processings. */
export function seedAlpha(name: string, token: string, svc: MapflowService): MapflowTenant {
  const r = rng(`mapflow:${name}`);
  const email = DOC_USER_STATUS.email;
  const owner = {
    id: uuid(r), login: email, email, role: 'USER', areaLimit: DOC_USER_STATUS.areaLimit, aoiAreaLimit: 50_000_000, processedArea: DOC_USER_STATUS.processedArea,
    created: '2021-03-15T09:21:40.114052Z', updated: '2024-11-02T12:00:31.870104Z', isPremium: true,
  };
  const wds = [...defaultWorkflowDefs(), ...alphaExtraWorkflowDefs()];
  const userStatus = {
    ...structuredClone(DOC_USER_STATUS),
    models: [...structuredClone(DOC_USER_STATUS.models), structuredClone(DOC_FOREST_MODEL), modelJson(wds.find((w) => w.id === AERIAL_ID) as WorkflowDef)],
    remainingCredits: 12_500,
    maxAoisPerProcessing: 10,
    reviewWorkflowEnabled: true,
    dataProviders: defaultDataProviders(),
  };
  const data = emptyTenantData(email, owner, userStatus, wds);
  ['user1@geoalert.io', 'user2@geoalert.io', 'team-user@myteam.com'].forEach((e) => data.teamEmails.add(e));
  const tenant: MapflowTenant = { name, token, email, data };

  const def = docProject(data, DOC_DEFAULT_PROJECT);
  docProject(data, DOC_PROJECT);
  const base = Date.parse('2023-03-20T08:00:00Z');
  newProject(data, ALPHA_IDS.processingProject, 'QGIS uploads', 'Orthophotos uploaded from the QGIS plugin', base);
  newProject(data, ALPHA_IDS.runProject, 'API quick start', 'Processings started from the API docs examples', base + 200 * DAY);
  newProject(data, ALPHA_IDS.shareProject, 'Team survey 2024', null, base + 400 * DAY);
  newProject(data, ALPHA_IDS.statsProject, DOC_STATS_ROWS[0].projectName, null, Date.parse('2025-02-20T09:00:00Z'));
  newProject(data, DOC_BLOG_PROJECT.id, DOC_BLOG_PROJECT.name, DOC_BLOG_PROJECT.description, Date.parse('2023-09-05T09:00:00Z'));
  seedDocProcessings(tenant, svc, r);
  seedRunExample(tenant, svc, r);

  const demo = [
    { name: 'Almaty buildings 2025', description: 'Building footprints for the city cadastre update', wdId: BUILDINGS_ID, place: { name: 'Almaty', lon: 76.9286, lat: 43.2567 } },
    { name: 'Karelia forest inventory', description: null, wdId: FOREST_ID, place: { name: 'Petrozavodsk', lon: 34.3469, lat: 61.7849 } },
    { name: 'Tashkent road network', description: 'Roads as polygons for the transport model', wdId: ROADS_ID, place: { name: 'Tashkent', lon: 69.2401, lat: 41.2995 } },
  ];
  const projects = demo.map((spec, i) => ({ project: newProject(data, uuid(r), spec.name, spec.description, Date.parse('2025-02-26T10:00:00Z') + i * DAY), spec }));
  projects.push({ project: def, spec: { ...demo[0], place: { name: 'Kazan', lon: 49.1221, lat: 55.7887 } } });
  seedProcessings(tenant, svc, r, projects, 26, Date.parse('2025-03-03T08:00:00Z'));
  return tenant;
}
