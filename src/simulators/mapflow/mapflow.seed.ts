import { emptyRasters } from './mapflow.rasters.js';
import { defaultDataProviders, DEFAULT_MODEL_IDS, modelJson } from './mapflow.catalog.js';
import { squareAround } from './mapflow.geometry.js';
import { message } from './mapflow.messages.js';
import type { MapflowService } from './mapflow.service.js';
import type { Geometry, JsonObject, MapflowTenant, Processing, ProcessingMessage, ProcessingStatus, Project, TenantData, WorkflowDef } from './mapflow.types.js';
import { showsInReview, statusAfterReview } from './mapflow.review.js';
import { projectWorkflowDefJson } from './mapflow.views.js';
import { intBetween, isoMicro, pick, uuid, type Rng } from './mapflow.util.js';

export interface Place {
  name: string;
  lon: number;
  lat: number;
}

type Source = 'provider' | 'user' | 'mine' | 'mosaic' | 'search' | 'badurl';
export interface Spec {
  status: ProcessingStatus;
  source: Source;
  /** queued: starts later; running / awaiting: half-way through a run that keeps going. */
  live?: 'queued' | 'running' | 'awaiting';
  review?: 'NOT_ACCEPTED' | 'IN_REVIEW' | 'ACCEPTED' | 'REFUNDED';
  failure?: ProcessingMessage;
  percent?: number;
}

/** Every status, with reviews, live runs and documented failures; seeds take a prefix of it. */
export const STATUS_MIX: Spec[] = [
  { status: 'OK', source: 'provider' },
  { status: 'IN_PROGRESS', source: 'provider', live: 'running' },
  { status: 'FAILED', source: 'provider', failure: message('dataloader.TileNotLoaded', { tile_location: '18/183122/95344', status: 503 }), percent: 35 },
  { status: 'OK', source: 'user', review: 'NOT_ACCEPTED' },
  { status: 'UNPROCESSED', source: 'provider', live: 'queued' },
  { status: 'AWAITING', source: 'search', live: 'awaiting' },
  { status: 'CANCELLED', source: 'provider', percent: 20 },
  { status: 'REFUNDED', source: 'mine', review: 'REFUNDED', percent: 100 },
  { status: 'FAILED', source: 'badurl', failure: message('source-validator.UrlMustBeLink'), percent: 0 },
  { status: 'OK', source: 'mosaic', review: 'ACCEPTED' },
  { status: 'IN_PROGRESS', source: 'user', live: 'running' },
  { status: 'OK', source: 'provider', review: 'IN_REVIEW' },
  { status: 'FAILED', source: 'mine', failure: message('source-validator.PixelSizeTooLow', { actual_res: '0.04', min_res: '0.1' }), percent: 0 },
  { status: 'OK', source: 'mine' },
  { status: 'IN_PROGRESS', source: 'mine', live: 'running' },
  { status: 'UNPROCESSED', source: 'user', live: 'queued' },
  { status: 'OK', source: 'provider' },
  { status: 'FAILED', source: 'provider', failure: message('inference.internalError'), percent: 60 },
  { status: 'CANCELLED', source: 'user', percent: 0 },
  { status: 'OK', source: 'user' },
  { status: 'AWAITING', source: 'search', live: 'awaiting' },
  { status: 'REFUNDED', source: 'provider', percent: 0 },
  { status: 'IN_PROGRESS', source: 'provider', live: 'running' },
  { status: 'OK', source: 'provider' },
  { status: 'OK', source: 'mosaic' },
  { status: 'OK', source: 'provider' },
];

export interface ProjectSpec {
  name: string;
  description: string | null;
  wdId: string;
  place: Place;
}

export function paramsFor(source: Source, r: Rng, tenantName: string): JsonObject {
  switch (source) {
    case 'provider':
      return { sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 18 } } };
    case 'user':
      return {
        sourceParams: {
          userDefined: { sourceType: 'XYZ', url: 'https://tiles.aerial-survey.example/{z}/{x}/{y}.jpg', zoom: 19, crs: 'EPSG:3857', rasterLogin: 'survey', rasterPassword: `pw-${tenantName}-${intBetween(r, 1000, 9999)}` },
        },
        inferenceParams: null,
      };
    case 'mine':
      return { sourceParams: { myImagery: { imageIds: [uuid(r)] } } };
    case 'mosaic':
      return { sourceParams: { myImagery: { mosaicId: uuid(r) } } };
    case 'search':
      return { sourceParams: { imagerySearch: { dataProvider: 'orbview', imageIds: [`1030010${intBetween(r, 100000000, 999999999)}`], zoom: 18 } } };
    case 'badurl':
      return { sourceParams: { userDefined: { sourceType: 'XYZ', url: 'ftp://imagery.local/{z}/{x}/{y}.png', rasterLogin: 'gis', rasterPassword: `ftp-${tenantName}` } } };
  }
}

/** 1-3 AOIs of 0.4-4 km² near a place. */
export function geometryNear(place: Place, r: Rng): Geometry {
  const n = intBetween(r, 1, 3);
  const polys = Array.from({ length: n }, () =>
    squareAround(place.lon + (r() - 0.5) * 0.12, place.lat + (r() - 0.5) * 0.08, intBetween(r, 650, 2000), intBetween(r, 650, 2000)),
  );
  return n === 1 ? polys[0] : { type: 'MultiPolygon', coordinates: polys.map((p) => p.coordinates) };
}

export function emptyTenantData(email: string, owner: JsonObject, userStatus: JsonObject, wds: WorkflowDef[]): TenantData {
  return {
    email,
    owner,
    userStatus,
    workflowDefs: new Map(wds.map((w) => [w.id, w])),
    defaultModelIds: [...DEFAULT_MODEL_IDS],
    dataProviders: defaultDataProviders(),
    teamEmails: new Set(),
    aoiAreaLimit: 50_000_000,
    maxAoisPerProcessing: 10,
    projects: new Map(),
    processings: new Map(),
    archivedProcessings: [],
    results: new Map(),
    rasters: emptyRasters(),
  };
}

export function newProject(t: TenantData, id: string, name: string, description: string | null, createdMs: number, isDefault = false): Project {
  const ts = isoMicro(createdMs);
  const project: Project = {
    id,
    name,
    description,
    isDefault,
    created: ts,
    updated: ts,
    user: t.owner,
    workflowDefs: t.defaultModelIds.map((w) => projectWorkflowDefJson(t.workflowDefs.get(w) as WorkflowDef)),
    shares: [],
    snapshot: null,
  };
  t.projects.set(id, project);
  return project;
}

/** A finished (or failed / cancelled) processing as if it had run at `createdMs`. */
export function settledProcessing(p: Processing, spec: Spec, createdMs: number, r: Rng): void {
  const doneMs = createdMs + intBetween(r, 25_000, 40 * 60_000);
  p.created = isoMicro(createdMs + r());
  p.updated = isoMicro(doneMs + r());
  p.status = spec.status;
  p.percentCompleted = spec.status === 'OK' ? 100 : (spec.percent ?? 0);
  p.messages = spec.failure ? [spec.failure] : [];
  p.completionDate = spec.status === 'OK' ? p.updated : null;
  if (spec.review) {
    const until = isoMicro(doneMs + 7 * 86_400_000);
    // [INFER] The plugin reads `inReviewUntil`; the v2 reference types `feedback` as a date-time. Both are sent.
    p.reviewStatus = { reviewStatus: spec.review, inReviewUntil: until, feedback: until };
  }
  if (spec.review === 'ACCEPTED') p.rating = { rating: 5, feedback: 'Accurate footprints' };
  for (const a of p.aois) {
    a.status = p.status;
    a.percentCompleted = p.percentCompleted;
    a.messages = p.messages;
  }
}

/** Adds `count` processings from the status mix to the projects; live ones keep moving. */
export function seedProcessings(tenant: MapflowTenant, svc: MapflowService, r: Rng, projects: { project: Project; spec: ProjectSpec }[], count: number, baseMs: number): void {
  const t = tenant.data;
  const now = svc.now();
  for (let i = 0; i < count; i++) {
    const spec = STATUS_MIX[i % STATUS_MIX.length];
    const { project, spec: ps } = projects[i % projects.length];
    const wd = t.workflowDefs.get(ps.wdId) as WorkflowDef;
    const name = `${ps.place.name} ${pick(r, ['block', 'district', 'sector', 'tile'])} ${String.fromCharCode(65 + (i % 26))}${intBetween(r, 1, 40)}`;
    const params = paramsFor(spec.source, r, tenant.name);
    const p = svc.buildProcessing(tenant, {
      name,
      description: i % 3 === 0 ? `${wd.name} over ${ps.place.name}` : null,
      projectId: project.id,
      wd,
      geometry: geometryNear(ps.place, r),
      params,
      blocks: wd.blocks.map((b) => ({ name: b.name, enabled: !b.optional || r() < 0.5 })),
      meta: { 'source-app': pick(r, ['api', 'qgis', 'web']), batch: `b${(i % 4) + 1}` },
      at: baseMs,
    }, () => uuid(r));
    p.cost = Math.ceil((p.area / 1e6) * wd.pricePerSqKm);
    if (i % 7 === 3) p.email = [...t.teamEmails][0] ?? p.email;
    t.processings.set(p.id, p);
    if (!spec.live) {
      settledProcessing(p, spec, baseMs + i * 61 * 3_600_000 + intBetween(r, 0, 3_600_000), r);
      showVariants(svc, t, p);
      continue;
    }
    // Live: created a little while ago; the lifecycle carries it on from where it is.
    if (spec.live === 'queued') {
      p.created = p.updated = isoMicro(now - intBetween(r, 2_000, 20_000));
      svc.lifecycle.start(tenant, p, now + intBetween(r, 4_000, 30_000));
    } else {
      const elapsed = spec.live === 'awaiting' ? intBetween(r, 1_600, 5_500) : intBetween(r, 5_000, 18_000);
      p.created = p.updated = isoMicro(now - elapsed);
      svc.lifecycle.start(tenant, p, now - elapsed, elapsed);
    }
  }
}

/**
 * What documented variants change in a settled seed: results under review have the IN_REVIEW status
 * where the account shows it, and a rating is the string the v2 reference types it as (the QGIS
 * plugin reads a number, which is what the seeds hold otherwise).
 */
export function showVariants(svc: MapflowService, t: TenantData, p: Processing): void {
  p.status = statusAfterReview(p, showsInReview(svc.views, t));
  if (svc.views.documentedVariants && p.rating) p.rating = { ...p.rating, rating: String(p.rating.rating) };
}

export function userStatusJson(email: string, r: Rng, wds: WorkflowDef[], t: Pick<TenantData, 'dataProviders' | 'maxAoisPerProcessing'>): JsonObject {
  const areaLimit = 20_000_000_000;
  const processedArea = intBetween(r, 100_000_000, 2_000_000_000);
  return {
    email,
    processedArea,
    remainingArea: areaLimit - processedArea,
    areaLimit,
    memoryLimit: 5_000_000_000,
    models: wds.map(modelJson),
    teams: [],
    remainingCredits: intBetween(r, 500, 20_000),
    maxAoisPerProcessing: t.maxAoisPerProcessing,
    reviewWorkflowEnabled: false,
    dataProviders: t.dataProviders,
  };
}
