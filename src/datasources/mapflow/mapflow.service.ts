import { randomUUID } from 'node:crypto';
import type { VendorDeps } from '../shared/vendor-deps.js';
import { gqlError, isNotFound } from '../../errors.js';
import { connectionFromArray, connectionFromPage, MAX_PAGE_SIZE, pageWindow, type Connection } from '../../schema/common/connection.js';
import type { MapflowAccount } from '../../schema/mapflow/account.type.js';
import type { Aoi } from '../../schema/mapflow/aoi.type.js';
import { ProcessingStatus } from '../../schema/mapflow/mapflow.enum.js';
import type { ProcessingStatsFilter } from '../../schema/mapflow/processing-stats.input.js';
import type { ProcessingStats } from '../../schema/mapflow/processing-stats.type.js';
import type { CreateProcessingsInput } from '../../schema/mapflow/bulk-processing.input.js';
import type { CreateProcessingsPayload } from '../../schema/mapflow/bulk-processing.type.js';
import type { CreateProcessingInput, ProcessingCostInput, UpdateProcessingInput } from '../../schema/mapflow/processing.input.js';
import type { Processing } from '../../schema/mapflow/processing.type.js';
import type { CreateProjectInput, ShareProjectInput, UpdateProjectInput } from '../../schema/mapflow/project.input.js';
import type { Project } from '../../schema/mapflow/project.type.js';
import pLimit from 'p-limit';
import { scanTooLong } from '../scan-limit.js';
import { createProcessingsBulk, type BulkOps } from './mapflow.bulk.js';
import * as client from './mapflow.client.js';
import { authHeaders, type MapflowCall, type ProcessingCreateBody } from './mapflow.client.js';
import { createProcessingOnce, type CreateTarget } from './mapflow.create.js';
import { checkIdempotencyKey, SINGLE, stampedByIndex } from './mapflow.idempotency.js';
import { checkProjectInput, checkShareInput, checkUpdateInput, toCostBody, toCreateBody, type FieldPath } from './mapflow.input.js';
import { createMapflowLoaders, primeProcessings, primeProjects, type MapflowLoaders } from './mapflow.loaders.js';
import { toAccount, toProcessing, toProject, toStats } from './mapflow.mappers.js';
import { openResultsStream, type ResultsStream, type ResultsTarget } from './mapflow.results.js';

export type { ResultsStream, ResultsTarget } from './mapflow.results.js';

export interface ProcessingListArgs {
  first?: number | null;
  after?: string | null;
  status?: ProcessingStatus[] | null;
}

/** Page size used when the gateway reads a whole list to filter it. */
const SCAN_PAGE_SIZE = MAX_PAGE_SIZE;

/**
 * Everything the gateway does with Mapflow for one caller (one request, or one subscription event):
 * a fresh set of loaders bound to one credential. With no credential, every method fails with
 * UNAUTHENTICATED, so that only the fields that need Mapflow fail.
 */
export class MapflowService {
  private readonly call: MapflowCall | null;
  private readonly loaders: MapflowLoaders | null;

  constructor(
    private readonly deps: VendorDeps,
    private readonly credential: { token: string } | null,
  ) {
    this.call = credential ? { http: deps.http, headers: authHeaders(credential.token) } : null;
    this.loaders = this.call ? createMapflowLoaders(this.call, deps.config.UPSTREAM_CONCURRENCY) : null;
  }

  private c(): MapflowCall {
    if (!this.call) throw unauthenticated();
    return this.call;
  }

  private l(): MapflowLoaders {
    if (!this.loaders) throw unauthenticated();
    return this.loaders;
  }

  // ------------------------------------------------------------ account, cost, stats

  async account(): Promise<MapflowAccount> {
    return toAccount(await client.getUserStatus(this.c()));
  }

  /** The price in credits; the input is checked before the vendor is asked. */
  async processingCost(input: ProcessingCostInput, path: FieldPath = ['input']): Promise<number> {
    const c = this.c();
    return client.getProcessingCost(c, toCostBody(input, path));
  }

  async processingStats(filter: ProcessingStatsFilter | null | undefined): Promise<ProcessingStats> {
    const c = this.c();
    const body: client.StatsBody = {};
    if (filter?.dateFrom) body.dateFrom = filter.dateFrom.toISOString();
    if (filter?.dateTo) body.dateTo = filter.dateTo.toISOString();
    if (filter?.statuses) body.statuses = filter.statuses;
    if (filter?.terms) body.terms = filter.terms;
    return toStats(await client.getProcessingStats(c, body));
  }

  // ------------------------------------------------------------ projects

  async listProjects(first?: number | null, after?: string | null): Promise<Connection<Project>> {
    const c = this.c();
    const { offset, limit } = pageWindow(first, after);
    if (limit === 0) return connectionFromPage([], offset, toCount((await client.listProjects(c, { limit: 1, offset: 0 })).total));
    const page = await client.listProjects(c, { limit, offset });
    const items = page.results.map(toProject);
    primeProjects(this.l(), items);
    return connectionFromPage(items, offset, toCount(page.total));
  }

  /** One project, or `null` when it does not exist (or is not the caller's). */
  getProject(id: string): Promise<Project | null> {
    return this.l().projectById.load(id);
  }

  async getDefaultProject(): Promise<Project> {
    const project = toProject(await client.getDefaultProject(this.c()));
    primeProjects(this.l(), [project]);
    return project;
  }

  async createProject(input: CreateProjectInput): Promise<Project> {
    const c = this.c();
    const project = toProject(await client.createProject(c, checkProjectInput(input)));
    primeProjects(this.l(), [project], true);
    return project;
  }

  async updateProject(id: string, input: UpdateProjectInput): Promise<Project> {
    const c = this.c();
    const project = toProject(await client.updateProject(c, id, checkUpdateInput(input)));
    primeProjects(this.l(), [project], true);
    return project;
  }

  async deleteProject(id: string): Promise<string> {
    await client.deleteProject(this.c(), id);
    this.l().projectById.clear(id).prime(id, null);
    return id;
  }

  async shareProject(input: ShareProjectInput): Promise<Project> {
    const c = this.c();
    const shared = await client.shareProject(c, checkShareInput(input));
    if (!shared) {
      // The vendor documents no response body: read the project back.
      this.l().projectById.clear(input.projectId);
      const project = await this.getProject(input.projectId);
      if (!project) throw gqlError('NOT_FOUND', `Mapflow project ${input.projectId} not found`, { source: 'MAPFLOW' });
      return project;
    }
    const project = toProject(shared);
    primeProjects(this.l(), [project], true);
    return project;
  }

  // ------------------------------------------------------------ processings

  /** One processing (deduplicated per request), or `null` when it does not exist. */
  getProcessing(id: string): Promise<Processing | null> {
    return this.l().processingById.load(id);
  }

  /**
   * A page of a project's processings (the default project when `projectId` is null), optionally
   * filtered by status; `null` when the project does not exist.
   */
  async listProcessings(projectId: string | null | undefined, args: ProcessingListArgs): Promise<Connection<Processing> | null> {
    pageWindow(args.first, args.after); // a bad window fails before any call
    try {
      if (projectId == null) {
        // The default project's processings come in one call, without knowing its id.
        const all = (await client.listDefaultProcessings(this.c())).map(toProcessing);
        primeProcessings(this.l(), all);
        return connectionFromArray(filterByStatus(all, args.status), args.first, args.after);
      }
      return await this.projectProcessings(projectId, args);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /**
   * `Project.processings`. Without a status filter: one page call with the caller's window. With
   * one: the vendor cannot filter, so the gateway reads the whole list and pages the filtered result
   * itself, so that `totalCount` and the cursors describe the filtered list. A list longer than
   * FILTER_MAX_PAGES pages fails with BAD_USER_INPUT (see `scanTooLong`), never a silent cut.
   */
  async projectProcessings(projectId: string, args: ProcessingListArgs): Promise<Connection<Processing>> {
    const c = this.c();
    const window = pageWindow(args.first, args.after);
    if (!args.status?.length) {
      const page = await client.listProjectProcessingsPage(c, projectId, { limit: Math.max(window.limit, 1), offset: window.offset });
      const items = page.results.map(toProcessing);
      primeProcessings(this.l(), items);
      return connectionFromPage(items.slice(0, window.limit), window.offset, toCount(page.total));
    }
    const all = await this.scanProjectProcessings(projectId);
    return connectionFromArray(filterByStatus(all, args.status), args.first, args.after);
  }

  /** Every page of a project's processings: the first (it tells how many), then the rest in parallel. */
  private async scanProjectProcessings(projectId: string): Promise<Processing[]> {
    const c = this.c();
    const first = await client.listProjectProcessingsPage(c, projectId, { limit: SCAN_PAGE_SIZE, offset: 0 });
    const total = toCount(first.total);
    const pages = Math.ceil(total / SCAN_PAGE_SIZE);
    const maxPages = this.deps.config.FILTER_MAX_PAGES;
    if (pages > maxPages) {
      throw scanTooLong({
        source: 'MAPFLOW',
        what: 'processings(status:)',
        pages,
        total,
        maxPages,
        perPage: SCAN_PAGE_SIZE,
        hint: 'page through it without status, or raise FILTER_MAX_PAGES',
        field: ['status'],
      });
    }
    const offsets = Array.from({ length: Math.max(pages - 1, 0) }, (_, i) => (i + 1) * SCAN_PAGE_SIZE);
    const rest = await pLimit(this.deps.config.UPSTREAM_CONCURRENCY).map(offsets, (offset) =>
      client.listProjectProcessingsPage(c, projectId, { limit: SCAN_PAGE_SIZE, offset }),
    );
    const items = [first, ...rest].flatMap((p) => p.results.map(toProcessing));
    primeProcessings(this.l(), items);
    return items;
  }

  /**
   * Every processing of a project in one unpaginated call (`GET /projects/{id}/processings/v2`);
   * with `null`, of the default project (`GET /processings/v2`). Refreshes the by-id loader.
   */
  async listProjectProcessingsAll(projectId: string | null): Promise<Processing[]> {
    const c = this.c();
    const raw = projectId === null ? await client.listDefaultProcessings(c) : await client.listProjectProcessings(c, projectId);
    const items = raw.map(toProcessing);
    primeProcessings(this.l(), items, true);
    return items;
  }

  /**
   * Creates and starts one processing; the input is checked before the vendor is asked. `path` is
   * where the input sits in the operation, for the field of a BAD_USER_INPUT. With an
   * `idempotencyKey`, the target project's list is read first and a processing already made with
   * that key is returned instead (see mapflow.idempotency.ts). A create whose outcome is unclear is
   * looked up before it is sent again (mapflow.create.ts).
   */
  async createProcessing(input: CreateProcessingInput, path: FieldPath = ['input']): Promise<Processing> {
    this.c();
    const body = toCreateBody(input, path);
    const key = checkIdempotencyKey(input.idempotencyKey, [...path, 'idempotencyKey']);
    if (key !== null) {
      const made = stampedByIndex(await this.listProjectProcessingsAll(input.projectId ?? null), key).get(SINGLE);
      if (made) return made;
    }
    return this.createOnce(body, { key, index: SINGLE }, randomUUID());
  }

  /** One processing per feature of a FeatureCollection (see mapflow.bulk.ts). */
  createProcessings(input: CreateProcessingsInput): Promise<CreateProcessingsPayload> {
    const c = this.c();
    const requestKey = randomUUID();
    const ops: BulkOps = {
      create: (body, target) => this.createOnce(body, target, requestKey),
      cost: (body) => client.getProcessingCost(c, body),
      listAll: (projectId) => this.listProjectProcessingsAll(projectId),
      modelId: async (name) => (await this.account()).models.find((m) => m.name === name)?.id ?? null,
    };
    return createProcessingsBulk(ops, input, this.deps.config.BULK_CONCURRENCY);
  }

  private createOnce(body: ProcessingCreateBody, target: CreateTarget, requestKey: string): Promise<Processing> {
    const c = this.c();
    const ops = {
      http: c.http,
      send: async (b: ProcessingCreateBody) => this.fresh(toProcessing(await client.createProcessing(c, b))),
      listAll: (projectId: string | null) => this.listProjectProcessingsAll(projectId),
    };
    return createProcessingOnce(ops, body, target, requestKey);
  }

  async updateProcessing(id: string, input: UpdateProcessingInput): Promise<Processing> {
    const c = this.c();
    return this.fresh(toProcessing(await client.updateProcessing(c, id, checkUpdateInput(input))));
  }

  async moveProcessing(id: string, projectId: string): Promise<Processing> {
    const c = this.c();
    const moved = await client.moveProcessing(c, id, projectId);
    if (moved) return this.fresh(toProcessing(moved));
    this.l().processingById.clear(id);
    const p = await this.getProcessing(id);
    if (!p) throw gqlError('NOT_FOUND', `Mapflow processing ${id} not found`, { source: 'MAPFLOW' });
    return p;
  }

  async restartProcessing(id: string): Promise<Processing> {
    return this.fresh(toProcessing(await client.restartProcessing(this.c(), id)));
  }

  async deleteProcessing(id: string): Promise<string> {
    await client.deleteProcessing(this.c(), id);
    this.l().processingById.clear(id).prime(id, null);
    return id;
  }

  private fresh(p: Processing): Processing {
    primeProcessings(this.l(), [p], true);
    return p;
  }

  // ------------------------------------------------------------ AOIs and results

  aois(processingId: string): Promise<Aoi[]> {
    return this.l().aoisByProcessingId.load(processingId);
  }

  /** One AOI by its key (`_entities`): one list call per processing, shared by its AOIs; `null` when either is gone. */
  async getAoi(processingId: string, id: string): Promise<Aoi | null> {
    try {
      return (await this.aois(processingId)).find((a) => a.id === id) ?? null;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** The processing of an AOI (non-null in the contract: a vanished one is NOT_FOUND). */
  async aoiProcessing(aoi: Aoi): Promise<Processing> {
    const p = await this.getProcessing(aoi.processingId);
    if (!p) throw gqlError('NOT_FOUND', `Mapflow processing ${aoi.processingId} no longer exists`, { source: 'MAPFLOW' });
    return p;
  }

  /** The result FeatureCollection inline; `null` until the processing is OK. */
  async results(p: Processing): Promise<unknown> {
    if (p.status !== ProcessingStatus.OK) return null;
    return this.l().resultsByProcessingId.load(p.id);
  }

  /**
   * A signed, expiring gateway URL streaming the target's results (`/results/{kind}/{id}`): it names
   * a reference to this caller's credential, held by the server, never the token. A processing has
   * one only once it is OK; a project always has one (its OK processings, merged; maybe none).
   */
  processingResultsUrl(p: Processing): Promise<string> | null {
    return p.status === ProcessingStatus.OK ? this.resultsUrl({ kind: 'processing', id: p.id }) : null;
  }

  projectResultsUrl(project: Project): Promise<string> {
    return this.resultsUrl({ kind: 'project', id: project.id });
  }

  private async resultsUrl(target: ResultsTarget): Promise<string> {
    if (!this.credential) throw unauthenticated();
    try {
      return await this.deps.links.make(target, this.credential.token);
    } catch {
      // Only the vault can fail here (Redis unreachable); nothing about the credential is in the message.
      throw gqlError('INTERNAL_SERVER_ERROR', 'resultsUrl is unavailable: the results-link store does not answer; try again shortly');
    }
  }

  /** The body behind a `resultsUrl` (see `openResultsStream`). */
  openResults(target: ResultsTarget): Promise<ResultsStream> {
    if (!this.call) return Promise.resolve({ status: 401, error: 'Mapflow credentials missing' });
    return openResultsStream(this.call, target);
  }
}

function filterByStatus(items: Processing[], status: ProcessingStatus[] | null | undefined): Processing[] {
  if (!status?.length) return items;
  const keep = new Set(status);
  return items.filter((p) => keep.has(p.status));
}

const toCount = (v: number | string): number => (typeof v === 'number' ? v : Number(v));

export const unauthenticated = () =>
  gqlError('UNAUTHENTICATED', 'Mapflow credentials missing: set MAPFLOW_TOKEN or send x-mapflow-token', { source: 'MAPFLOW' });

export function createMapflowService(deps: VendorDeps, credential: { token: string } | null): MapflowService {
  return new MapflowService(deps, credential);
}
