import { randomUUID } from 'node:crypto';
import type { SimContext, SimResult } from '../core/index.js';
import { badRequest, isResult, notFound, tooLarge } from './mapflow.errors.js';
import { geometryArea, parseGeometry, polygonArea, polygonsOf } from './mapflow.geometry.js';
import { Lifecycle } from './mapflow.lifecycle.js';
import { checkMyImagery } from './mapflow.rasters.js';
import { checkParams, sourceOf } from './mapflow.sources.js';
import { MapflowStaging } from './mapflow.upload-stream.js';
import type { Geometry, JsonObject, MapflowTenant, Processing, Project, TenantData, WorkflowDef } from './mapflow.types.js';
import { projectWorkflowDefJson, type ViewOptions } from './mapflow.views.js';
import { isObject, isoMicro } from './mapflow.util.js';

type Blocks = { name: string; enabled: boolean }[];

export function defaultProject(t: TenantData): Project {
  for (const p of t.projects.values()) if (p.isDefault) return p;
  throw new Error('tenant has no default project');
}

/** wdName resolves against the user's models first, then every model the account can see. */
export function findWorkflowDef(t: TenantData, wdId: unknown, wdName: unknown): WorkflowDef | SimResult {
  if ((wdId === undefined) === (wdName === undefined)) return badRequest('Exactly one of wdId or wdName must be provided');
  if (wdId !== undefined) {
    if (typeof wdId !== 'string') return badRequest('wdId must be a string');
    return t.workflowDefs.get(wdId) ?? notFound('Workflow definition', wdId);
  }
  if (typeof wdName !== 'string') return badRequest('wdName must be a string');
  const ordered = [...t.defaultModelIds.map((id) => t.workflowDefs.get(id)), ...t.workflowDefs.values()];
  return ordered.find((wd) => wd?.name === wdName) ?? notFound(`Workflow definition named "${wdName}"`);
}

export function parseBlocks(raw: unknown, wd: WorkflowDef): Blocks | SimResult {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || !raw.every((b) => isObject(b) && typeof b.name === 'string' && typeof b.enabled === 'boolean')) {
    return badRequest('blocks must be an array of {name: string, enabled: boolean}');
  }
  const blocks = raw as Blocks;
  const unknown = blocks.filter((b) => !wd.blocks.some((wb) => wb.name === b.name));
  if (unknown.length) return badRequest(`Unknown block(s) for workflow definition ${wd.name}: ${unknown.map((b) => b.name).join(', ')}`);
  return blocks;
}

/** [INFER] credits = ceil(km² x (model price + price of every enabled or mandatory block)). */
export function costOf(areaM2: number, wd: WorkflowDef, blocks: Blocks): number {
  const blockPrice = wd.blocks.reduce((s, b) => s + (!b.optional || blocks.some((x) => x.name === b.name && x.enabled) ? b.price : 0), 0);
  return Math.ceil((areaM2 / 1e6) * (wd.pricePerSqKm + blockPrice) - 1e-9);
}

function vectorLayer(name: string, newId: () => string): JsonObject {
  const layer = newId();
  return {
    id: newId(),
    name,
    tileJsonUrl: `https://app.mapflow.ai/api/layers/${layer}.json`,
    tileUrl: `https://app.mapflow.ai/api/layers/${layer}/tiles/{z}/{x}/{y}.vector.pbf`,
  };
}

export function rasterLayerFor(params: unknown, newId: () => string): JsonObject | null {
  const { kind, source } = sourceOf(params);
  if (kind !== 'myImagery') return null;
  const key = typeof source.mosaicId === 'string' ? source.mosaicId : String((source.imageIds as unknown[])[0]);
  const uri = `s3://mapflow-rasters/${key}`;
  return {
    id: newId(),
    tileJsonUrl: `https://app.mapflow.ai/api/v0/cogs/tiles.json?uri=${uri}`,
    tileUrl: `https://app.mapflow.ai/api/v0/cogs/tiles/{z}/{x}/{y}.png?uri=${uri}`,
  };
}

export class MapflowService {
  readonly lifecycle: Lifecycle;
  /** Image uploads being received (rasters.routes.ts). */
  readonly staging = new MapflowStaging();
  /** How records are served (SimContext.documentedVariants). */
  readonly views: ViewOptions;
  constructor(private readonly ctx: SimContext) {
    this.lifecycle = new Lifecycle(ctx);
    this.views = { documentedVariants: ctx.documentedVariants };
  }

  now(): number {
    return this.ctx.clock.now();
  }

  /** `POST /processings/v2`: every check the API makes, then a new run. */
  createProcessing(tenant: MapflowTenant, body: unknown): Processing | SimResult {
    const t = tenant.data;
    if (!isObject(body)) return badRequest('Request body must be a JSON object');
    if (body.name !== undefined && body.name !== null && typeof body.name !== 'string') return badRequest('name must be a string');
    if (body.description !== undefined && body.description !== null && typeof body.description !== 'string') {
      return badRequest('description must be a string');
    }
    if (body.meta !== undefined && body.meta !== null && !isObject(body.meta)) return badRequest('meta must be an object');
    const wd = findWorkflowDef(t, body.wdId, body.wdName);
    if (isResult(wd)) return wd;
    const geometry = parseGeometry(body.geometry);
    if (typeof geometry === 'string') return badRequest(geometry);
    const paramsError = checkParams(body.params);
    if (paramsError) return badRequest(paramsError);
    const providerError = this.checkProvider(t, body.params) ?? checkMyImagery(t, body.params);
    if (providerError) return providerError;
    const blocks = parseBlocks(body.blocks, wd);
    if (!Array.isArray(blocks)) return blocks;
    let project = defaultProject(t);
    if (body.projectId !== undefined && body.projectId !== null) {
      const found = typeof body.projectId === 'string' ? t.projects.get(body.projectId) : undefined;
      if (!found) return notFound('Project', String(body.projectId));
      project = found;
    }
    const limits = this.checkLimits(t, geometry);
    if (limits) return limits;

    const now = this.now();
    const p = this.buildProcessing(tenant, {
      name: typeof body.name === 'string' ? body.name : wd.name,
      description: typeof body.description === 'string' ? body.description : null,
      projectId: project.id,
      wd,
      geometry,
      params: body.params ?? { sourceParams: { dataProvider: { providerName: 'Mapbox' } } },
      blocks: wd.blocks.map((b) => ({ name: b.name, enabled: !b.optional || blocks.some((x) => x.name === b.name && x.enabled) })),
      meta: isObject(body.meta) ? structuredClone(body.meta) : {},
      at: now,
    });
    p.cost = costOf(p.area, wd, blocks);
    t.processings.set(p.id, p);
    project.snapshot = null;
    t.userStatus.processedArea = Number(t.userStatus.processedArea) + p.area;
    t.userStatus.remainingArea = Number(t.userStatus.remainingArea) - p.area;
    // The projects' `user` (the owner) shows the same figure.
    t.owner.processedArea = t.userStatus.processedArea;
    this.lifecycle.created(tenant, p, now);
    this.lifecycle.start(tenant, p, now);
    return p;
  }

  buildProcessing(
    tenant: MapflowTenant,
    o: { name: string; description: string | null; projectId: string; wd: WorkflowDef; geometry: Geometry; params: unknown; blocks: Blocks; meta: JsonObject; at: number },
    newId: () => string = randomUUID,
  ): Processing {
    const id = newId();
    const aois = polygonsOf(o.geometry).map((poly) => ({
      id: newId(),
      status: 'UNPROCESSED' as const,
      percentCompleted: 0,
      geometry: poly,
      area: polygonArea(poly),
      messages: [],
    }));
    const ts = isoMicro(o.at);
    return {
      id,
      name: o.name,
      description: o.description,
      projectId: o.projectId,
      email: tenant.email,
      vectorLayer: vectorLayer(o.name, newId),
      rasterLayer: rasterLayerFor(o.params, newId),
      workflowDefId: o.wd.id,
      area: aois.reduce((s, a) => s + a.area, 0),
      cost: 0,
      status: 'UNPROCESSED',
      percentCompleted: 0,
      reviewStatus: null,
      rating: null,
      params: o.params,
      blocks: o.blocks,
      meta: o.meta,
      messages: [],
      created: ts,
      updated: ts,
      completionDate: null,
      aois,
      run: 1,
    };
  }

  private checkProvider(t: TenantData, params: unknown): SimResult | null {
    const { kind, source } = sourceOf(params);
    if (kind !== 'dataProvider') return null;
    const name = String(source.providerName).toLowerCase();
    if (t.dataProviders.some((d) => d.name.toLowerCase() === name)) return null;
    return badRequest(`Data provider ${String(source.providerName)} is not available for this account`);
  }

  /** [INFER] aoiAreaLimit bounds the whole processing (the documented message says "Processings larger than"). */
  checkLimits(t: TenantData, g: Geometry): SimResult | null {
    const count = polygonsOf(g).length;
    if (count > t.maxAoisPerProcessing) {
      return badRequest(`Maximum number of AOIs per processing is ${t.maxAoisPerProcessing}, got ${count}`, {
        maxAoisPerProcessing: String(t.maxAoisPerProcessing),
        aoiCount: String(count),
      });
    }
    const area = geometryArea(g);
    if (area > t.aoiAreaLimit) return tooLarge(area, t.aoiAreaLimit);
    if (area > Number(t.userStatus.remainingArea)) return badRequest("You don't have enough limit, please contact admin!");
    return null;
  }

  createProject(t: TenantData, body: unknown): Project | SimResult {
    if (!isObject(body)) return badRequest('Request body must be a JSON object');
    if (typeof body.name !== 'string' || !body.name.trim()) return badRequest('name is required');
    if (body.description !== undefined && body.description !== null && typeof body.description !== 'string') {
      return badRequest('description must be a string');
    }
    const ts = isoMicro(this.now());
    const project: Project = {
      id: randomUUID(),
      name: body.name,
      description: typeof body.description === 'string' ? body.description : null,
      isDefault: false,
      created: ts,
      updated: ts,
      user: t.owner,
      workflowDefs: t.defaultModelIds.map((id) => projectWorkflowDefJson(t.workflowDefs.get(id) as WorkflowDef)),
      shares: [],
      snapshot: null,
    };
    t.projects.set(project.id, project);
    return project;
  }

  updateProject(project: Project, body: unknown): Project | SimResult {
    if (!isObject(body)) return badRequest('Request body must be a JSON object');
    if (body.name !== undefined && (typeof body.name !== 'string' || !body.name.trim())) return badRequest('name must be a non-empty string');
    if (body.description !== undefined && body.description !== null && typeof body.description !== 'string') {
      return badRequest('description must be a string');
    }
    if (typeof body.name === 'string') project.name = body.name;
    if (body.description !== undefined) project.description = body.description as string | null;
    project.updated = isoMicro(this.now());
    return project;
  }

  /** Cascade: the project's processings go with it. */
  deleteProject(t: TenantData, project: Project): SimResult | null {
    if (project.isDefault) return badRequest('The default project cannot be deleted');
    for (const p of [...t.processings.values()]) if (p.projectId === project.id) this.deleteProcessing(t, p);
    t.projects.delete(project.id);
    return null;
  }

  /**
   * [INFER] The stats report is the account's processing history (what it was billed for), so a
   * deleted processing stays in it as `archived: "true"`; only with documented variants, since the
   * docs show `archived` but never say when it is "true".
   */
  deleteProcessing(t: TenantData, p: Processing): void {
    t.processings.delete(p.id);
    if (this.views.documentedVariants) t.archivedProcessings.push(p);
    const project = t.projects.get(p.projectId);
    if (project) project.snapshot = null;
  }

  /** [INFER] The docs give no response for share; it answers with the updated project. */
  share(t: TenantData, body: unknown): Project | SimResult {
    if (!isObject(body)) return badRequest('Request body must be a JSON object');
    const roles = ['readonly', 'contributor', 'maintainer', 'owner'];
    if (typeof body.projectId !== 'string') return badRequest('projectId is required');
    if (typeof body.email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email)) return badRequest('email must be a valid e-mail address');
    if (typeof body.role !== 'string' || !roles.includes(body.role)) return badRequest(`role must be one of ${roles.join(', ')}`);
    const project = t.projects.get(body.projectId);
    if (!project) return notFound('Project', body.projectId);
    const email = body.email.trim().toLowerCase();
    if (body.role !== 'readonly' && !t.teamEmails.has(email)) {
      return badRequest(`Role ${body.role} can only be given to members of your team; ${body.email} is not one`);
    }
    const existing = project.shares.find((s) => s.email === email);
    if (existing) existing.role = body.role;
    else project.shares.push({ email, role: body.role });
    return project;
  }
}
