import type { GraphQLResolveInfo } from 'graphql';
import type { Config } from '../../config.js';
import type { VendorDeps } from '../shared/vendor-deps.js';
import { badInput, gqlError, isNotFound } from '../../errors.js';
import { connectionFromPage, pageWindow, type Connection } from '../../schema/common/connection.js';
import { JobState } from '../../schema/common/job.type.js';
import { PointcloudKind, type PointcloudType } from '../../schema/cupix/pointcloud.enum.js';
import pLimit from 'p-limit';
import { scanTooLong, type ScanLimit } from '../scan-limit.js';
import * as client from './cupix.client.js';
import { DEFAULT_FIELDS, FieldMask, pointcloudConnectionNeed, pointcloudNeed } from './cupix.fields.js';
import { createCupixLoaders, type ChildrenByParentId, type PointcloudById } from './cupix.loaders.js';
import { toPointcloud, toPointcloudType, type Pointcloud, type PointcloudProp } from './cupix.mappers.js';
import { VENDOR_MAX_PER_PAGE, vendorWindow } from './cupix.pages.js';
import { finalGroupTransform, finalSubTransform } from './cupix.transform.js';
import { checkStorageUrl } from '../http/storage-urls.js';

export type { Pointcloud, PointcloudProp, CupixRef } from './cupix.mappers.js';

type MaybePromise<T> = T | Promise<T>;

export interface PointcloudFilterArgs {
  recordId?: string | null;
  clusterId?: string | null;
  captureId?: string | null;
  parentId?: string | null;
  type?: PointcloudType | null;
  kind?: PointcloudKind | null;
}

/** Cupix for one request and one credential; its loaders live and die with it. */
export interface CupixService {
  /**
   * One pointcloud or `null` on 404 (for `jobs(refs)` and subscriptions). Without `info` it asks for
   * every attribute but `meta` (all Job fields and status); with the `info` of the field that returns
   * it, only what that selection needs. Meta-based fields fetch `meta` later if it is missing.
   */
  getPointcloud(id: string, info?: GraphQLResolveInfo): Promise<Pointcloud | null>;
  pointcloud(id: string, info: GraphQLResolveInfo): MaybePromise<Pointcloud | null>;
  pointclouds(filter: PointcloudFilterArgs | null | undefined, first: number | null | undefined, after: string | null | undefined, info: GraphQLResolveInfo): Promise<Connection<Pointcloud>>;
  parent(pc: Pointcloud, info: GraphQLResolveInfo): MaybePromise<Pointcloud | null>;
  children(pc: Pointcloud, info: GraphQLResolveInfo): MaybePromise<Pointcloud[] | null>;
  /** One value of `meta.prop`; `meta` is fetched when `pc` was loaded without it. */
  propField<K extends keyof PointcloudProp>(pc: Pointcloud, key: K): MaybePromise<PointcloudProp[K] | null>;
  finalTransform(pc: Pointcloud): MaybePromise<number[] | null>;
  downloadUrl(pc: Pointcloud): MaybePromise<string | null>;
}

/** The lists the gateway reads whole (bounded by FILTER_MAX_PAGES). */
const KIND_SCAN = {
  what: 'pointclouds(filter: {kind})',
  hint: 'narrow it with recordId, clusterId, captureId or parentId, or raise FILTER_MAX_PAGES',
  field: ['filter', 'kind'],
};
const CHILDREN_SCAN = { what: 'Pointcloud.children', hint: 'list them with pointclouds(filter: {parentId}) instead, or raise FILTER_MAX_PAGES' };

const then = <T, U>(v: MaybePromise<T>, fn: (t: T) => MaybePromise<U>): MaybePromise<U> => (v instanceof Promise ? v.then(fn) : fn(v));

/** States in which a SUB has no file yet (or never will): `downloadUrl` is null without asking. */
const NO_FILE = new Set([JobState.QUEUED, JobState.RUNNING, JobState.FAILED, JobState.CANCELLED]);

class CupixServiceImpl implements CupixService {
  private readonly byId: PointcloudById;
  private readonly childrenOf: ChildrenByParentId;
  private readonly limit: <T>(task: () => Promise<T>) => Promise<T>;
  private readonly downloads = new Map<string, Promise<string | null>>();
  private readonly config: Config;
  private readonly call: client.CupixCall;

  constructor(deps: VendorDeps, token: string) {
    this.config = deps.config;
    this.call = { http: deps.http, headers: client.authHeaders(token) };
    this.limit = pLimit(deps.config.UPSTREAM_CONCURRENCY);
    const loaders = createCupixLoaders(
      this.limit,
      async (id, mask) => toPointcloud(await client.getPointcloud(this.call, id, mask), mask),
      (ids, mask) => this.readAll(ids.length === 1 ? { parent_id: ids[0] } : { parent_ids: ids.join(',') }, mask, CHILDREN_SCAN),
    );
    this.byId = loaders.pointcloudById;
    this.childrenOf = loaders.childrenByParentId;
  }

  async getPointcloud(id: string, info?: GraphQLResolveInfo): Promise<Pointcloud | null> {
    return this.byId.load(id, info ? pointcloudNeed(info) : DEFAULT_FIELDS);
  }

  pointcloud(id: string, info: GraphQLResolveInfo): MaybePromise<Pointcloud | null> {
    return this.byId.load(id, pointcloudNeed(info));
  }

  async pointclouds(filter: PointcloudFilterArgs | null | undefined, first: number | null | undefined, after: string | null | undefined, info: GraphQLResolveInfo): Promise<Connection<Pointcloud>> {
    const need = pointcloudConnectionNeed(info);
    const query: Omit<client.PointcloudListQuery, 'page' | 'per_page'> = {
      record_id: filter?.recordId ?? undefined,
      cluster_id: filter?.clusterId ?? undefined,
      capture_id: filter?.captureId ?? undefined,
      parent_id: filter?.parentId ?? undefined,
      // [INFER] every vendor example passes a type; `all` is the documented "both".
      pointcloud_type: filter?.type ? toPointcloudType(filter.type) : 'all',
    };
    const { offset, limit } = pageWindow(first, after);
    if (filter?.kind) {
      // The vendor cannot filter by kind: read its whole list (bounded) and page the filtered one.
      const kind = filter.kind;
      const all = (await this.readAll(query, need | FieldMask.KIND, KIND_SCAN)).filter((pc) => pc.kind === kind);
      return connectionFromPage(all.slice(offset, offset + limit), offset, all.length);
    }
    if (limit === 0) {
      const page = await client.listPointclouds(this.call, { ...query, page: 1, per_page: 1 }, FieldMask.ID);
      return connectionFromPage([], offset, page.pagination?.total_entries ?? 0);
    }
    const { perPage, pages } = vendorWindow(offset, limit);
    const results = await Promise.all(pages.map((page) => client.listPointclouds(this.call, { ...query, page, per_page: perPage }, need)));
    const p = results[0].pagination;
    const start = p ? (p.current_page - 1) * p.per_page : (pages[0] - 1) * perPage;
    const items = results.flatMap((r) => r.items).map((item) => this.primed(toPointcloud(item, need)));
    return connectionFromPage(items.slice(offset - start, offset - start + limit), offset, p?.total_entries ?? offset + items.length);
  }

  parent(pc: Pointcloud, info: GraphQLResolveInfo): MaybePromise<Pointcloud | null> {
    return then(this.ensure(pc, FieldMask.PARENT), (p) => (p?.parentId ? this.byId.load(p.parentId, pointcloudNeed(info)) : null));
  }

  children(pc: Pointcloud, info: GraphQLResolveInfo): MaybePromise<Pointcloud[] | null> {
    return then(this.ensure(pc, FieldMask.KIND), (p) => {
      if (!p) return null;
      return p.kind === PointcloudKind.SUB ? [] : this.childrenOf.load(p.id, pointcloudNeed(info));
    });
  }

  propField<K extends keyof PointcloudProp>(pc: Pointcloud, key: K): MaybePromise<PointcloudProp[K] | null> {
    if (pc.prop !== undefined) return pc.prop?.[key] ?? null;
    return then(this.ensure(pc, FieldMask.META), (p) => p?.prop?.[key] ?? null);
  }

  finalTransform(pc: Pointcloud): MaybePromise<number[] | null> {
    const order = this.config.CUPIX_TRANSFORM_ORDER;
    return then(this.ensure(pc, FieldMask.META | FieldMask.KIND | FieldMask.PARENT), (p) => {
      if (!p?.prop) return null;
      if (p.kind === PointcloudKind.GROUP) return p.prop.wtm ? finalGroupTransform(p.prop.wtm) : null;
      const tm = p.prop.tm;
      if (!tm) return null;
      if (!p.parentId) return finalSubTransform(null, tm, order);
      return then(this.byId.load(p.parentId, FieldMask.META), (group) => {
        const wtm = group?.prop?.wtm;
        return wtm ? finalSubTransform(wtm, tm, order) : null;
      });
    });
  }

  downloadUrl(pc: Pointcloud): MaybePromise<string | null> {
    return then(this.ensure(pc, FieldMask.KIND | FieldMask.STATE), (p) => {
      if (!p) return null;
      if (p.kind === PointcloudKind.GROUP) {
        throw badInput(`download is only for SUB point clouds: pointcloud ${p.id} is a GROUP; download its children`, ['downloadUrl']);
      }
      if (NO_FILE.has(p.state)) return null;
      let url = this.downloads.get(p.id);
      if (!url) {
        url = client.getPointcloudDownload(this.call, p.id).then(
          (location) => checkStorageUrl('CUPIX', location, this.config.CUPIX_URL ?? '', this.config.CUPIX_STORAGE_HOSTS),
          (err: unknown) => {
            if (isNotFound(err)) return null;
            throw err;
          },
        );
        this.downloads.set(p.id, url);
      }
      return url;
    });
  }

  /** `pc` itself when it was fetched with `need`, else the same pointcloud fetched with more. */
  private ensure(pc: Pointcloud, need: number): MaybePromise<Pointcloud | null> {
    return (pc.fields & need) === need ? pc : this.byId.load(pc.id, pc.fields | need);
  }

  private primed(pc: Pointcloud): Pointcloud {
    this.byId.prime(pc);
    return pc;
  }

  /**
   * Every page of a list (100 a time), each item primed; longer than FILTER_MAX_PAGES pages, it fails
   * with BAD_USER_INPUT after the first page (see `scanTooLong`).
   */
  private async readAll(query: Omit<client.PointcloudListQuery, 'page' | 'per_page'>, mask: number, scan: Pick<ScanLimit, 'what' | 'hint' | 'field'>): Promise<Pointcloud[]> {
    const list = (page: number) => client.listPointclouds(this.call, { ...query, page, per_page: VENDOR_MAX_PER_PAGE }, mask);
    const first = await list(1);
    const pages = first.pagination?.total_pages ?? 1;
    const maxPages = this.config.FILTER_MAX_PAGES;
    if (pages > maxPages) {
      throw scanTooLong({ ...scan, source: 'CUPIX', pages, total: first.pagination?.total_entries, maxPages, perPage: VENDOR_MAX_PER_PAGE });
    }
    const rest = await pLimit(this.config.UPSTREAM_CONCURRENCY).map(
      Array.from({ length: pages - 1 }, (_, i) => i + 2),
      (page) => list(page),
    );
    return [first, ...rest].flatMap((p) => p.items).map((item) => this.primed(toPointcloud(item, mask)));
  }
}

function unauthenticated(): never {
  throw gqlError('UNAUTHENTICATED', 'Cupix credentials missing: set CUPIX_TOKEN or send x-cupix-token', { source: 'CUPIX' });
}

/** Every method fails with UNAUTHENTICATED, so only the fields that need Cupix fail. */
const UNAUTHENTICATED_SERVICE: CupixService = {
  getPointcloud: async () => unauthenticated(),
  pointcloud: unauthenticated,
  pointclouds: async () => unauthenticated(),
  parent: unauthenticated,
  children: unauthenticated,
  propField: unauthenticated,
  finalTransform: unauthenticated,
  downloadUrl: unauthenticated,
};

export function createCupixService(deps: VendorDeps, credential: { token: string } | null): CupixService {
  return credential ? new CupixServiceImpl(deps, credential.token) : UNAUTHENTICATED_SERVICE;
}
