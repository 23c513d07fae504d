import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { gqlError, isNotFound } from '../../errors.js';
import { connectionFromArray, connectionFromPage, MAX_PAGE_SIZE, pageWindow, type Connection } from '../../schema/common/connection.js';
import type { MapflowAccount } from '../../schema/mapflow/account.type.js';
import type { Aoi } from '../../schema/mapflow/aoi.type.js';
import type { CreateProcessingsInput } from '../../schema/mapflow/bulk-processing.input.js';
import type { CreateProcessingsPayload } from '../../schema/mapflow/bulk-processing.type.js';
import { ProcessingStatus } from '../../schema/mapflow/mapflow.enum.js';
import type { ProcessingStatsFilter } from '../../schema/mapflow/processing-stats.input.js';
import type { ProcessingStats } from '../../schema/mapflow/processing-stats.type.js';
import type { CreateProcessingInput, ProcessingCostInput, UpdateProcessingInput } from '../../schema/mapflow/processing.input.js';
import type { Processing } from '../../schema/mapflow/processing.type.js';
import type { CreateProjectInput, ShareProjectInput, UpdateProjectInput } from '../../schema/mapflow/project.input.js';
import type { Project } from '../../schema/mapflow/project.type.js';
import { lazyLimit } from '../shared/by-id-loader.js';
import { noCredential } from '../shared/no-credential.js';
import { scanWholeList } from '../shared/paging.js';
import type { VendorDeps } from '../shared/vendor-deps.js';
import { createProcessingsBulk, type BulkOps } from './mapflow.bulk.js';
import * as client from './mapflow.client.js';
import { authHeaders, type MapflowCall, type ProcessingCreateBody } from './mapflow.client.js';
import { createProcessingOnce, type CreateTarget } from './mapflow.create.js';
import { MapflowDataApi } from './mapflow.data-api.js';
import { SINGLE, stampedByIndex } from './mapflow.idempotency.js';
import {
  checkIdempotencyKey,
  checkProjectInput,
  checkShareInput,
  checkUpdateInput,
  toCostBody,
  toCreateBody,
  toStatsBody,
  type FieldPath,
} from './mapflow.input.js';
import { createMapflowLoaders, primeProcessings, primeProjects, type MapflowLoaders } from './mapflow.loaders.js';
import { toAccount, toCount, toProcessing, toProject, toStats } from './mapflow.mappers.js';
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
 * Everything the gateway does with Mapflow for one caller (one request, or one subscription event),
 * bound to one credential. With no credential, every method fails with `noCredential('mapflow')`,
 * so that only the fields that need Mapflow fail.
 */
export class MapflowService {
  /** Null without a credential. */
  private readonly authorizedCall: MapflowCall | null;
  private loaderSet: MapflowLoaders | undefined;
  /** The data catalogue (mosaics, images, storage, imagery search), on the same credential and loaders. */
  readonly data = new MapflowDataApi(
    () => this.call,
    () => this.loaders,
  );

  constructor(
    private readonly deps: VendorDeps,
    private readonly credential: { token: string } | null,
  ) {
    this.authorizedCall = credential ? { http: deps.http, headers: authHeaders(credential.token) } : null;
  }

  /** The caller's way to Mapflow; throws UNAUTHENTICATED without a credential. */
  private get call(): MapflowCall {
    if (!this.authorizedCall) throw noCredential('mapflow');
    return this.authorizedCall;
  }

  /** Made on first use (a request that only mutates needs none); throws UNAUTHENTICATED without a credential. */
  private get loaders(): MapflowLoaders {
    return (this.loaderSet ??= createMapflowLoaders(this.call, lazyLimit(this.deps.config.UPSTREAM_CONCURRENCY)));
  }

  // ------------------------------------------------------------ account, cost, stats

  async account(): Promise<MapflowAccount> {
    return toAccount(await client.getUserStatus(this.call));
  }

  /** The price in credits; the input is checked before the vendor is asked. */
  async processingCost(input: ProcessingCostInput, path: FieldPath = ['input']): Promise<number> {
    const call = this.call;
    return client.getProcessingCost(call, toCostBody(input, path));
  }

  async processingStats(filter: ProcessingStatsFilter | null | undefined): Promise<ProcessingStats> {
    const call = this.call;
    return toStats(await client.getProcessingStats(call, toStatsBody(filter)));
  }

  // ------------------------------------------------------------ projects

  async listProjects(first?: number | null, after?: string | null): Promise<Connection<Project>> {
    const call = this.call;
    const { offset, limit } = pageWindow(first, after);
    if (limit === 0) return connectionFromPage([], offset, toCount((await client.listProjects(call, { limit: 1, offset: 0 })).total));
    const page = await client.listProjects(call, { limit, offset });
    const items = page.results.map(toProject);
    primeProjects(this.loaders, items);
    return connectionFromPage(items, offset, toCount(page.total));
  }

  /** One project, or `null` when it does not exist (or is not the caller's). */
  getProject(id: string): Promise<Project | null> {
    return this.loaders.projectById.load(id);
  }

  async getDefaultProject(): Promise<Project> {
    const project = toProject(await client.getDefaultProject(this.call));
    primeProjects(this.loaders, [project]);
    return project;
  }

  async createProject(input: CreateProjectInput): Promise<Project> {
    const call = this.call;
    return this.cacheFreshProject(toProject(await client.createProject(call, checkProjectInput(input))));
  }

  async updateProject(id: string, input: UpdateProjectInput): Promise<Project> {
    const call = this.call;
    return this.cacheFreshProject(toProject(await client.updateProject(call, id, checkUpdateInput(input))));
  }

  async deleteProject(id: string): Promise<string> {
    await client.deleteProject(this.call, id);
    this.loaders.projectById.clear(id).prime(id, null);
    return id;
  }

  async shareProject(input: ShareProjectInput): Promise<Project> {
    const call = this.call;
    const shared = await client.shareProject(call, checkShareInput(input));
    if (shared) return this.cacheFreshProject(toProject(shared));
    // The vendor documents no response body: read the project back.
    this.loaders.projectById.clear(input.projectId);
    const project = await this.getProject(input.projectId);
    if (!project) throw gqlError('NOT_FOUND', `Mapflow project ${input.projectId} not found`, { source: 'MAPFLOW' });
    return project;
  }

  private cacheFreshProject(project: Project): Project {
    primeProjects(this.loaders, [project], { replace: true });
    return project;
  }

  // ------------------------------------------------------------ processings

  /** One processing (deduplicated per request), or `null` when it does not exist. */
  getProcessing(id: string): Promise<Processing | null> {
    return this.loaders.processingById.load(id);
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
        const all = (await client.listDefaultProcessings(this.call)).map(toProcessing);
        primeProcessings(this.loaders, all);
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
   * one: the vendor cannot filter, so the gateway reads the whole list (`scanWholeList`) and pages
   * the filtered result itself, so that `totalCount` and the cursors describe the filtered list.
   */
  async projectProcessings(projectId: string, args: ProcessingListArgs): Promise<Connection<Processing>> {
    const call = this.call;
    const window = pageWindow(args.first, args.after);
    if (!args.status?.length) {
      const page = await client.listProjectProcessingsPage(call, projectId, { limit: Math.max(window.limit, 1), offset: window.offset });
      const items = page.results.map(toProcessing);
      primeProcessings(this.loaders, items);
      return connectionFromPage(items.slice(0, window.limit), window.offset, toCount(page.total));
    }
    const all = await this.scanProjectProcessings(call, projectId);
    return connectionFromArray(filterByStatus(all, args.status), args.first, args.after);
  }

  private async scanProjectProcessings(call: MapflowCall, projectId: string): Promise<Processing[]> {
    const { FILTER_MAX_PAGES, UPSTREAM_CONCURRENCY } = this.deps.config;
    const items = await scanWholeList({
      source: 'MAPFLOW',
      what: 'processings(status:)',
      hint: 'page through it without status, or raise FILTER_MAX_PAGES',
      field: ['status'],
      perPage: SCAN_PAGE_SIZE,
      maxPages: FILTER_MAX_PAGES,
      limit: pLimit(UPSTREAM_CONCURRENCY),
      readPage: async (index) => {
        const page = await client.listProjectProcessingsPage(call, projectId, { limit: SCAN_PAGE_SIZE, offset: index * SCAN_PAGE_SIZE });
        return { items: page.results.map(toProcessing), total: toCount(page.total) };
      },
    });
    primeProcessings(this.loaders, items);
    return items;
  }

  /**
   * Every processing of a project in one unpaginated call (`GET /projects/{id}/processings/v2`);
   * with `null`, of the default project (`GET /processings/v2`). Refreshes the by-id loader.
   */
  async listProjectProcessingsAll(projectId: string | null): Promise<Processing[]> {
    const call = this.call;
    const raw = projectId === null ? await client.listDefaultProcessings(call) : await client.listProjectProcessings(call, projectId);
    const items = raw.map(toProcessing);
    primeProcessings(this.loaders, items, { replace: true });
    return items;
  }

  /**
   * Creates and starts one processing; the input is checked before the vendor is asked. `path` is
   * where the input sits in the operation, for the field of a BAD_USER_INPUT. With an
   * `idempotencyKey`, a processing already made with that key is returned instead, and a create
   * whose outcome is unclear is looked up before it is sent again (mapflow.create.ts).
   */
  async createProcessing(input: CreateProcessingInput, path: FieldPath = ['input']): Promise<Processing> {
    const call = this.call;
    const body = toCreateBody(input, path);
    const key = checkIdempotencyKey(input.idempotencyKey, [...path, 'idempotencyKey']);
    if (key !== null) {
      const made = stampedByIndex(await this.listProjectProcessingsAll(input.projectId ?? null), key).get(SINGLE);
      if (made) return made;
    }
    return this.createOnce(call, body, { key, index: SINGLE }, randomUUID());
  }

  /** One processing per feature of a FeatureCollection (see mapflow.bulk.ts). */
  createProcessings(input: CreateProcessingsInput): Promise<CreateProcessingsPayload> {
    const call = this.call;
    const requestKey = randomUUID();
    const ops: BulkOps = {
      create: (body, target) => this.createOnce(call, body, target, requestKey),
      cost: (body) => client.getProcessingCost(call, body),
      listAll: (projectId) => this.listProjectProcessingsAll(projectId),
      modelId: async (name) => (await this.account()).models.find((m) => m.name === name)?.id ?? null,
    };
    return createProcessingsBulk(ops, input, this.deps.config.BULK_CONCURRENCY);
  }

  private createOnce(call: MapflowCall, body: ProcessingCreateBody, target: CreateTarget, requestKey: string): Promise<Processing> {
    const ops = {
      http: call.http,
      send: async (stamped: ProcessingCreateBody) => this.cacheFreshProcessing(toProcessing(await client.createProcessing(call, stamped))),
      listAll: (projectId: string | null) => this.listProjectProcessingsAll(projectId),
    };
    return createProcessingOnce(ops, body, target, requestKey);
  }

  async updateProcessing(id: string, input: UpdateProcessingInput): Promise<Processing> {
    const call = this.call;
    return this.cacheFreshProcessing(toProcessing(await client.updateProcessing(call, id, checkUpdateInput(input))));
  }

  async moveProcessing(id: string, projectId: string): Promise<Processing> {
    const moved = await client.moveProcessing(this.call, id, projectId);
    if (moved) return this.cacheFreshProcessing(toProcessing(moved));
    this.loaders.processingById.clear(id);
    const processing = await this.getProcessing(id);
    if (!processing) throw gqlError('NOT_FOUND', `Mapflow processing ${id} not found`, { source: 'MAPFLOW' });
    return processing;
  }

  async restartProcessing(id: string): Promise<Processing> {
    return this.cacheFreshProcessing(toProcessing(await client.restartProcessing(this.call, id)));
  }

  async deleteProcessing(id: string): Promise<string> {
    await client.deleteProcessing(this.call, id);
    this.loaders.processingById.clear(id).prime(id, null);
    return id;
  }

  private cacheFreshProcessing(processing: Processing): Processing {
    primeProcessings(this.loaders, [processing], { replace: true });
    return processing;
  }

  // ------------------------------------------------------------ AOIs and results

  aois(processingId: string): Promise<Aoi[]> {
    return this.loaders.aoisByProcessingId.load(processingId);
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
    const processing = await this.getProcessing(aoi.processingId);
    if (!processing) throw gqlError('NOT_FOUND', `Mapflow processing ${aoi.processingId} no longer exists`, { source: 'MAPFLOW' });
    return processing;
  }

  /** The result FeatureCollection inline; `null` until the processing is OK. */
  async results(processing: Processing): Promise<unknown> {
    if (processing.status !== ProcessingStatus.OK) return null;
    return this.loaders.resultsByProcessingId.load(processing.id);
  }

  /**
   * A signed, expiring gateway URL streaming the target's results (`/results/{kind}/{id}`): it names
   * a reference to this caller's credential, held by the server, never the token. A processing has
   * one only once it is OK; a project always has one (its OK processings, merged; maybe none).
   */
  processingResultsUrl(processing: Processing): Promise<string> | null {
    return processing.status === ProcessingStatus.OK ? this.resultsUrl({ kind: 'processing', id: processing.id }) : null;
  }

  projectResultsUrl(project: Project): Promise<string> {
    return this.resultsUrl({ kind: 'project', id: project.id });
  }

  private async resultsUrl(target: ResultsTarget): Promise<string> {
    if (!this.credential) throw noCredential('mapflow');
    try {
      return await this.deps.links.make(target, this.credential.token);
    } catch {
      // Only the vault can fail here (Redis unreachable); nothing about the credential is in the message.
      throw gqlError('INTERNAL_SERVER_ERROR', 'resultsUrl is unavailable: the results-link store does not answer; try again shortly');
    }
  }

  /**
   * The body behind a `resultsUrl` (see `openResultsStream`), for the /results HTTP route: without a
   * credential it answers an HTTP 401, not a GraphQL error.
   */
  openResults(target: ResultsTarget): Promise<ResultsStream> {
    if (!this.authorizedCall) return Promise.resolve({ status: 401, error: 'Mapflow credentials missing' });
    return openResultsStream(this.authorizedCall, target);
  }
}

function filterByStatus(items: Processing[], status: ProcessingStatus[] | null | undefined): Processing[] {
  if (!status?.length) return items;
  const keep = new Set(status);
  return items.filter((p) => keep.has(p.status));
}

export function createMapflowService(deps: VendorDeps, credential: { token: string } | null): MapflowService {
  return new MapflowService(deps, credential);
}
