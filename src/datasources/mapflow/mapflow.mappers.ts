import { Source } from '../../schema/common/job.type.js';
import type { DataProvider, MapflowAccount, Team } from '../../schema/mapflow/account.type.js';
import type { Aoi } from '../../schema/mapflow/aoi.type.js';
import type { ProcessingStats, ProcessingStatsRow } from '../../schema/mapflow/processing-stats.type.js';
import type { Processing, ProcessingMessage, TileLayer } from '../../schema/mapflow/processing.type.js';
import type { Project, ProjectProgress } from '../../schema/mapflow/project.type.js';
import type { WorkflowDef } from '../../schema/mapflow/workflow-def.type.js';
import { renderMessage } from './mapflow.messages.js';
import type {
  AoiModel,
  LayerModel,
  MessageModel,
  ProcessingModel,
  ProjectModel,
  StatsModel,
  StatsRowModel,
  UserStatusModel,
  WorkflowDefModel,
} from './mapflow.models.js';
import { isTerminalProcessing, jobStateOf, processingStatusOf, reviewStatusOf } from './mapflow.status.js';

/** The only place vendor payloads become domain objects: camelCase, `Date`s, numbers, enums, redactions. */

type Num = number | string | null | undefined;

const toNumber = (v: Num): number | null => (v === null || v === undefined ? null : typeof v === 'number' ? v : Number(v));

/** Mapflow instants are UTC; one without a zone is read as UTC too. */
export function toDate(v: string | null | undefined): Date | null {
  if (!v) return null;
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`);
}

export function toWorkflowDef(m: WorkflowDefModel): WorkflowDef {
  return {
    id: m.id,
    name: m.name,
    description: m.description ?? null,
    pricePerSqKm: toNumber(m.pricePerSqKm),
    blocks: (m.blocks ?? []).map((b) => ({
      name: b.name,
      displayName: b.displayName ?? null,
      optional: Boolean(b.optional),
      price: toNumber(b.price),
    })),
    createdAt: toDate(m.created),
    updatedAt: toDate(m.updated),
  };
}

export function toMessage(m: MessageModel): ProcessingMessage {
  const parameters = m.parameters ?? null;
  return { code: m.code, parameters, description: renderMessage(m.code, parameters) };
}

const toMessages = (ms: MessageModel[] | null | undefined): ProcessingMessage[] => (ms && ms.length ? ms.map(toMessage) : []);

function toLayer(m: LayerModel | null | undefined): TileLayer | null {
  if (!m || !m.tileUrl) return null;
  return { id: m.id ?? null, name: m.name ?? null, tileUrl: m.tileUrl, tileJsonUrl: m.tileJsonUrl ?? null };
}

/** Keys whose values are secrets a caller sent (`userDefined.rasterPassword`); they never leave the gateway. */
const SECRET_KEY = /password|secret/i;
export const REDACTED = '[REDACTED]';

/** A copy of `params` with every secret value replaced; the same object when there is none. */
export function redactParams(value: unknown): unknown {
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const r = redactParams(v);
      if (r !== v) changed = true;
      return r;
    });
    return changed ? out : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(value)) {
    const r = SECRET_KEY.test(k) && v !== null && v !== undefined ? REDACTED : redactParams(v);
    if (r !== v) {
      out ??= { ...(value as Record<string, unknown>) };
      out[k] = r;
    }
  }
  return out ?? value;
}

export function toProcessing(m: ProcessingModel): Processing {
  const status = processingStatusOf(m.status);
  const reviewStatus = reviewStatusOf(m.reviewStatus ? (m.reviewStatus.reviewStatus ?? m.reviewStatus.status) : null);
  const percentCompleted = toNumber(m.percentCompleted) ?? 0;
  const updatedAt = toDate(m.updated);
  return {
    __typename: 'Processing',
    id: m.id,
    source: Source.MAPFLOW,
    state: jobStateOf(status),
    upstreamStatus: m.status,
    progress: percentCompleted,
    isTerminal: isTerminalProcessing(status, reviewStatus),
    updatedAt,
    createdAt: toDate(m.created),
    projectId: m.projectId ?? null,
    name: m.name ?? null,
    description: m.description ?? null,
    status,
    reviewStatus,
    percentCompleted,
    workflowDef: m.workflowDef ? toWorkflowDef(m.workflowDef) : null,
    aoiCount: toNumber(m.aoiCount),
    area: toNumber(m.area),
    cost: toNumber(m.cost),
    vectorLayer: toLayer(m.vectorLayer),
    rasterLayer: toLayer(m.rasterLayer),
    params: redactParams(m.params ?? null),
    blocks: (m.blocks ?? []).map((b) => ({ name: b.name, enabled: b.enabled })),
    meta: m.meta ?? null,
    messages: toMessages(m.messages),
  };
}

export function toAoi(m: AoiModel, processingId: string): Aoi {
  return {
    id: m.id,
    processingId,
    status: processingStatusOf(m.status),
    percentCompleted: toNumber(m.percentCompleted) ?? 0,
    geometry: m.geometry,
    area: toNumber(m.area),
    messages: toMessages(m.messages),
  };
}

function toProgress(m: NonNullable<ProjectModel['progress']>): ProjectProgress {
  return {
    status: processingStatusOf(m.status),
    percentCompleted: toNumber(m.percentCompleted) ?? 0,
    details: (m.details ?? []).map((d) => ({
      status: processingStatusOf(d.status),
      count: toNumber(d.count) ?? 0,
      area: toNumber(d.area),
      statusUpdatedAt: toDate(d.statusUpdateDate),
    })),
    completedAt: toDate(m.completionDate),
  };
}

export function toProject(m: ProjectModel): Project {
  return {
    id: m.id,
    name: m.name,
    description: m.description ?? null,
    isDefault: m.isDefault ?? false,
    aoiCount: toNumber(m.aoiCount),
    area: toNumber(m.area),
    progress: m.progress ? toProgress(m.progress) : null,
    owner: m.user ? { id: m.user.id, email: m.user.email, login: m.user.login ?? null, role: m.user.role ?? null } : null,
    workflowDefs: (m.workflowDefs ?? []).map(toWorkflowDef),
    createdAt: toDate(m.created),
    updatedAt: toDate(m.updated),
  };
}

export function toAccount(m: UserStatusModel): MapflowAccount {
  return {
    email: m.email,
    processedArea: toNumber(m.processedArea),
    remainingArea: toNumber(m.remainingArea),
    remainingCredits: toNumber(m.remainingCredits),
    areaLimit: toNumber(m.areaLimit),
    memoryLimit: toNumber(m.memoryLimit),
    models: (m.models ?? []).map(toWorkflowDef),
    teams: (m.teams ?? []).map(
      (t): Team => ({ id: t.teamId, name: t.name, role: t.role, activeUntil: toDate(t.activeUntil), creditsLimit: toNumber(t.creditsLimit) }),
    ),
    dataProviders: (m.dataProviders ?? []).map(
      (d): DataProvider => ({
        id: d.id ?? null,
        name: d.name,
        displayName: d.displayName ?? null,
        previewUrl: d.previewUrl ?? null,
        prices: (d.price ?? []).map((p) => ({ zoom: toNumber(p.zoom), pricePerSqKm: toNumber(p.priceSqKm) })),
      }),
    ),
  };
}

function toStatsRow(r: StatsRowModel): ProcessingStatsRow {
  return {
    projectName: r.projectName ?? null,
    name: r.name ?? null,
    email: r.email ?? null,
    area: toNumber(r.area),
    cost: toNumber(r.cost),
    status: r.status ?? null,
    percentCompleted: toNumber(r.percentCompleted),
    createdAt: toDate(r.created),
    completedAt: toDate(r.completionDate),
    scenario: r.scenario ?? null,
    linkToMap: r.linkToMap ?? null,
  };
}

export function toStats(m: StatsModel): ProcessingStats {
  return {
    results: m.results.map(toStatsRow),
    total: toNumber(m.total) ?? 0,
    totalCost: toNumber(m.totalCost) ?? 0,
    totalArea: toNumber(m.totalArea) ?? 0,
  };
}
