import type { Aoi, JsonObject, Processing, ProcessingStatus, Project, TenantData, WorkflowDef } from './mapflow.types.js';
import { dataProviderOf } from './mapflow.sources.js';

/** Serializers: internal records -> the JSON the API serves (field order as in the docs). */

/** How the records are served: SimContext.documentedVariants (docs/vendors.md, "Documented variants"). */
export interface ViewOptions {
  documentedVariants: boolean;
}

export function workflowDefJson(wd: WorkflowDef, opts: ViewOptions): JsonObject {
  return {
    id: wd.id,
    name: wd.name,
    description: wd.description,
    created: wd.created,
    updated: wd.updated,
    pricePerSqKm: wd.pricePerSqKm,
    // The v2 reference names a block's label `description` and gives `optional` as 0/1; /user/status
    // says `displayName` and a boolean. Documented variants serve the v2 form alone, else both labels.
    blocks: wd.blocks.map((b) =>
      opts.documentedVariants
        ? { name: b.name, description: b.displayName, optional: b.optional ? 1 : 0, price: b.price }
        : { ...b, description: b.displayName },
    ),
  };
}

/** The short form a project lists its models in. */
export function projectWorkflowDefJson(wd: WorkflowDef): JsonObject {
  return { id: wd.id, name: wd.name, description: wd.description, created: wd.created, updated: wd.updated };
}

export function processingJson(t: TenantData, p: Processing, opts: ViewOptions): JsonObject {
  const wd = t.workflowDefs.get(p.workflowDefId);
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    projectId: p.projectId,
    vectorLayer: p.vectorLayer,
    rasterLayer: p.rasterLayer,
    workflowDef: wd ? workflowDefJson(wd, opts) : null,
    aoiCount: p.aois.length,
    area: p.area,
    cost: p.cost,
    status: p.status,
    reviewStatus: p.reviewStatus,
    rating: p.rating,
    percentCompleted: p.percentCompleted,
    params: p.params,
    blocks: p.blocks,
    meta: p.meta,
    messages: p.messages,
    created: p.created,
    updated: p.updated,
  };
}

export function aoiJson(a: Aoi): JsonObject {
  return { id: a.id, status: a.status, percentCompleted: a.percentCompleted, geometry: a.geometry, area: a.area, messages: a.messages };
}

export function processingsOf(t: TenantData, projectId: string): Processing[] {
  const out: Processing[] = [];
  for (const p of t.processings.values()) if (p.projectId === projectId) out.push(p);
  return out;
}

const TERMINAL: ReadonlySet<ProcessingStatus> = new Set(['OK', 'FAILED', 'CANCELLED', 'REFUNDED']);
export const isTerminal = (s: ProcessingStatus): boolean => TERMINAL.has(s);

/** [INFER] How a project's `progress` summarises its processings (the docs only show two samples). */
function progressOf(ps: Processing[]): JsonObject {
  if (ps.length === 0) return { status: 'UNPROCESSED', percentCompleted: 0, details: [] };
  const groups = new Map<ProcessingStatus, { status: ProcessingStatus; count: number; area: number; statusUpdateDate: string }>();
  let weighted = 0;
  let area = 0;
  for (const p of ps) {
    const g = groups.get(p.status) ?? { status: p.status, count: 0, area: 0, statusUpdateDate: p.updated };
    g.count++;
    g.area += p.area;
    if (p.updated > g.statusUpdateDate) g.statusUpdateDate = p.updated;
    groups.set(p.status, g);
    weighted += p.percentCompleted * p.area;
    area += p.area;
  }
  const open = ps.filter((p) => !isTerminal(p.status));
  let status: ProcessingStatus;
  if (open.length) status = open.every((p) => p.status === 'UNPROCESSED') ? 'UNPROCESSED' : 'IN_PROGRESS';
  else if (ps.every((p) => p.status === 'OK')) status = 'OK';
  else status = ps.some((p) => p.status === 'FAILED') ? 'FAILED' : ps.some((p) => p.status === 'OK') ? 'OK' : 'CANCELLED';
  const progress: JsonObject = {
    status,
    percentCompleted: area ? Math.round(weighted / area) : 0,
    details: [...groups.values()],
  };
  if (!open.length) progress.completionDate = ps.reduce((m, p) => ((p.completionDate ?? p.updated) > m ? (p.completionDate ?? p.updated) : m), '');
  return progress;
}

export function projectJson(t: TenantData, pr: Project): JsonObject {
  let stats = pr.snapshot;
  if (!stats) {
    const ps = processingsOf(t, pr.id);
    stats = { progress: progressOf(ps), aoiCount: ps.reduce((s, p) => s + p.aois.length, 0), area: ps.reduce((s, p) => s + p.area, 0) };
  }
  const out: JsonObject = {
    id: pr.id,
    name: pr.name,
    description: pr.description,
    progress: stats.progress,
    aoiCount: stats.aoiCount,
    area: stats.area,
    user: pr.user,
    isDefault: pr.isDefault,
    created: pr.created,
    updated: pr.updated,
    workflowDefs: pr.workflowDefs,
  };
  // [INFER] Only shared projects carry `shareProject` (the plugin treats it as optional).
  if (pr.shares.length) {
    out.shareProject = { owners: [{ role: 'owner', email: String(pr.user.email) }], users: pr.shares.map((s) => ({ ...s })) };
  }
  return out;
}

/** Sort keys of `POST /projects/{id}/processings/v2/page`. */
export function processingSortKey(t: TenantData, sortBy: string): (p: Processing) => string | number | null {
  switch (sortBy) {
    case 'SCENARIO':
      return (p) => t.workflowDefs.get(p.workflowDefId)?.name ?? null;
    case 'NAME':
      return (p) => p.name.toLowerCase();
    case 'PROJECT':
      return (p) => t.projects.get(p.projectId)?.name.toLowerCase() ?? null;
    case 'EMAIL':
      return (p) => p.email;
    case 'STATUS':
      return (p) => p.status;
    case 'PROGRESS':
      return (p) => p.percentCompleted;
    case 'COMPLETED':
      return (p) => p.completionDate;
    case 'COST':
      return (p) => p.cost;
    case 'AREA':
      return (p) => p.area;
    case 'PROVIDER':
      return (p) => dataProviderOf(p.params);
    default:
      return (p) => p.created;
  }
}

/** [INFER] Unpaginated lists come newest first. */
export function newestFirst<T extends { created: string; id: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.created === b.created ? (a.id < b.id ? -1 : 1) : a.created < b.created ? 1 : -1));
}
