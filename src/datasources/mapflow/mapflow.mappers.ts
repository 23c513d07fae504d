import { Source } from '../../schema/common/job.type.js';
import type { DataProvider, MapflowAccount, Team } from '../../schema/mapflow/account.type.js';
import type { Aoi } from '../../schema/mapflow/aoi.type.js';
import type { ProcessingStats, ProcessingStatsRow } from '../../schema/mapflow/processing-stats.type.js';
import type { Processing, ProcessingMessage, ProcessingRating, TileLayer } from '../../schema/mapflow/processing.type.js';
import type { Project, ProjectProgress } from '../../schema/mapflow/project.type.js';
import type { WorkflowDef } from '../../schema/mapflow/workflow-def.type.js';
import { isRecord } from '../shared/records.js';
import { REQUEST_KEY_STAMP } from './mapflow.idempotency.js';
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

/** A vendor figure: a number, or a numeric string (see mapflow.models.ts). */
type VendorNumber = number | string | null | undefined;

const toNumber = (v: VendorNumber): number | null => (v === null || v === undefined ? null : typeof v === 'number' ? v : Number(v));

/** A page's `total`: a vendor figure that is never absent. */
export const toCount = (v: number | string): number => (typeof v === 'number' ? v : Number(v));

/** Mapflow instants are UTC; one without a zone is read as UTC too. */
export function toDate(v: string | null | undefined): Date | null {
  if (!v) return null;
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`);
}

/**
 * Cheap fields are mapped at once, the rest on first read through prototype getters over the private
 * raw model; `toJSON` gives the whole object (docs/decisions.md, "Mapflow objects mapped lazily").
 */
class MappedWorkflowDef implements WorkflowDef {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly pricePerSqKm: number | null;
  readonly #model: WorkflowDefModel;
  #blocks: WorkflowDef['blocks'] | undefined;

  constructor(model: WorkflowDefModel) {
    this.#model = model;
    this.id = model.id;
    this.name = model.name;
    this.description = model.description ?? null;
    this.pricePerSqKm = toNumber(model.pricePerSqKm);
  }

  get blocks(): WorkflowDef['blocks'] {
    return (this.#blocks ??= (this.#model.blocks ?? []).map((b) => ({
      name: b.name,
      displayName: blockLabel(b),
      optional: Boolean(b.optional),
      price: toNumber(b.price),
    })));
  }

  get createdAt(): Date | null {
    return toDate(this.#model.created);
  }

  get updatedAt(): Date | null {
    return toDate(this.#model.updated);
  }

  toJSON(): WorkflowDef {
    return { ...this, blocks: this.blocks, createdAt: this.createdAt, updatedAt: this.updatedAt };
  }
}

/** A block's label: `displayName` (/user/status, the QGIS plugin) or `description` (the v2 processing reference). */
const blockLabel = (b: { displayName?: string | null; description?: string | null }): string | null => b.displayName ?? b.description ?? null;

export function toWorkflowDef(m: WorkflowDefModel): WorkflowDef {
  return new MappedWorkflowDef(m);
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

/** A processing (see MappedWorkflowDef for what is mapped when). `params` is only ever reachable redacted. */
class MappedProcessing implements Processing {
  readonly __typename = 'Processing' as const;
  readonly source = Source.MAPFLOW;
  readonly id: string;
  readonly state: Processing['state'];
  readonly upstreamStatus: string;
  readonly progress: number;
  readonly isTerminal: boolean;
  readonly projectId: string | null;
  readonly name: string | null;
  readonly description: string | null;
  readonly status: Processing['status'];
  readonly reviewStatus: Processing['reviewStatus'];
  readonly percentCompleted: number;
  readonly aoiCount: number | null;
  readonly area: number | null;
  readonly cost: number | null;
  readonly meta: unknown;
  readonly #model: ProcessingModel;
  #workflowDef: WorkflowDef | null | undefined;
  #params: { value: unknown } | undefined;
  #blocks: Processing['blocks'] | undefined;
  #messages: ProcessingMessage[] | undefined;

  constructor(model: ProcessingModel) {
    this.#model = model;
    const status = processingStatusOf(model.status);
    const reviewStatus = reviewStatusOf(model.reviewStatus ? (model.reviewStatus.reviewStatus ?? model.reviewStatus.status) : null);
    const percentCompleted = toNumber(model.percentCompleted) ?? 0;
    this.id = model.id;
    this.state = jobStateOf(status);
    this.upstreamStatus = model.status;
    this.progress = percentCompleted;
    this.isTerminal = isTerminalProcessing(status, reviewStatus);
    this.projectId = model.projectId ?? null;
    this.name = model.name ?? null;
    this.description = model.description ?? null;
    this.status = status;
    this.reviewStatus = reviewStatus;
    this.percentCompleted = percentCompleted;
    this.aoiCount = toNumber(model.aoiCount);
    this.area = toNumber(model.area);
    this.cost = toNumber(model.cost);
    this.meta = visibleMeta(model.meta);
  }

  /** The key the gateway stamped on a create made without an idempotencyKey (hidden from `meta`). */
  static requestKey(p: Processing): string | null {
    if (!(p instanceof MappedProcessing)) return null;
    const v = isRecord(p.#model.meta) ? p.#model.meta[REQUEST_KEY_STAMP] : undefined;
    return typeof v === 'string' ? v : null;
  }

  get updatedAt(): Date | null {
    return toDate(this.#model.updated);
  }

  get createdAt(): Date | null {
    return toDate(this.#model.created);
  }

  get workflowDef(): WorkflowDef | null {
    if (this.#workflowDef === undefined) this.#workflowDef = this.#model.workflowDef ? toWorkflowDef(this.#model.workflowDef) : null;
    return this.#workflowDef;
  }

  get vectorLayer(): TileLayer | null {
    return toLayer(this.#model.vectorLayer);
  }

  get rasterLayer(): TileLayer | null {
    return toLayer(this.#model.rasterLayer);
  }

  get params(): unknown {
    return (this.#params ??= { value: redactParams(this.#model.params ?? null) }).value;
  }

  /** Each option with its label: its own when it has one, else the one its model gives the option of that name. */
  get blocks(): Processing['blocks'] {
    if (this.#blocks) return this.#blocks;
    const labels = new Map((this.#model.workflowDef?.blocks ?? []).map((b) => [b.name, blockLabel(b)]));
    return (this.#blocks = (this.#model.blocks ?? []).map((b) => ({ name: b.name, enabled: b.enabled, displayName: blockLabel(b) ?? labels.get(b.name) ?? null })));
  }

  get rating(): ProcessingRating | null {
    const r = this.#model.rating;
    if (!r || ((r.rating === null || r.rating === undefined) && !r.feedback)) return null;
    return { rating: r.rating === null || r.rating === undefined ? null : String(r.rating), feedback: r.feedback ?? null };
  }

  get messages(): ProcessingMessage[] {
    return (this.#messages ??= toMessages(this.#model.messages));
  }

  toJSON(): Processing {
    return {
      ...this,
      updatedAt: this.updatedAt,
      createdAt: this.createdAt,
      workflowDef: this.workflowDef,
      vectorLayer: this.vectorLayer,
      rasterLayer: this.rasterLayer,
      params: this.params,
      blocks: this.blocks,
      rating: this.rating,
      messages: this.messages,
    };
  }
}

export function toProcessing(m: ProcessingModel): Processing {
  return new MappedProcessing(m);
}

export const requestKeyOf = (p: Processing): string | null => MappedProcessing.requestKey(p);

/** `meta` as the caller wrote it: without the gateway's own request key (see mapflow.idempotency.ts). */
function visibleMeta(meta: unknown): unknown {
  if (!isRecord(meta) || !(REQUEST_KEY_STAMP in meta)) return meta ?? null;
  const { [REQUEST_KEY_STAMP]: _key, ...rest } = meta;
  return rest;
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

/** A project (see MappedWorkflowDef for what is mapped when). */
class MappedProject implements Project {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly isDefault: boolean;
  readonly aoiCount: number | null;
  readonly area: number | null;
  readonly #model: ProjectModel;
  #progress: ProjectProgress | null | undefined;
  #owner: Project['owner'] | undefined;
  #workflowDefs: WorkflowDef[] | undefined;

  constructor(model: ProjectModel) {
    this.#model = model;
    this.id = model.id;
    this.name = model.name;
    this.description = model.description ?? null;
    this.isDefault = model.isDefault ?? false;
    this.aoiCount = toNumber(model.aoiCount);
    this.area = toNumber(model.area);
  }

  get progress(): ProjectProgress | null {
    if (this.#progress === undefined) this.#progress = this.#model.progress ? toProgress(this.#model.progress) : null;
    return this.#progress;
  }

  get owner(): Project['owner'] {
    if (this.#owner === undefined) {
      const u = this.#model.user;
      this.#owner = u ? toUser(u) : null;
    }
    return this.#owner;
  }

  get workflowDefs(): WorkflowDef[] {
    return (this.#workflowDefs ??= (this.#model.workflowDefs ?? []).map(toWorkflowDef));
  }

  get createdAt(): Date | null {
    return toDate(this.#model.created);
  }

  get updatedAt(): Date | null {
    return toDate(this.#model.updated);
  }

  toJSON(): Project {
    return { ...this, progress: this.progress, owner: this.owner, workflowDefs: this.workflowDefs, createdAt: this.createdAt, updatedAt: this.updatedAt };
  }
}

/** A project's `user` (its owner; areas in m²). */
function toUser(u: NonNullable<ProjectModel['user']>): NonNullable<Project['owner']> {
  const figures = { areaLimit: toNumber(u.areaLimit), aoiAreaLimit: toNumber(u.aoiAreaLimit), processedArea: toNumber(u.processedArea) };
  return { id: u.id, email: u.email, login: u.login ?? null, role: u.role ?? null, ...figures, isPremium: u.isPremium ?? null };
}

export function toProject(m: ProjectModel): Project {
  return new MappedProject(m);
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
    archived: ARCHIVED.get(r.archived) ?? null,
    dataProvider: r.dataProvider ?? null,
  };
}

/** `archived` is documented as the string "false"; "true" and real booleans read the same way, anything else as unknown. */
const ARCHIVED = new Map<unknown, boolean>([['true', true], ['false', false], [true, true], [false, false]]);

export function toStats(m: StatsModel): ProcessingStats {
  return {
    results: m.results.map(toStatsRow),
    total: toNumber(m.total) ?? 0,
    totalCost: toNumber(m.totalCost) ?? 0,
    totalArea: toNumber(m.totalArea) ?? 0,
  };
}
