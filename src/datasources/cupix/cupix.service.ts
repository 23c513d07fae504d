import type { GraphQLResolveInfo } from 'graphql';
import pLimit from 'p-limit';
import type { Config } from '../../config.js';
import { badInput, isNotFound } from '../../errors.js';
import { connectionFromPage, pageWindow, type Connection } from '../../schema/common/connection.js';
import { JobState } from '../../schema/common/job.type.js';
import { PointcloudKind } from '../../schema/cupix/pointcloud.enum.js';
import { checkStorageUrl } from '../http/storage-urls.js';
import { lazyLimit } from '../shared/by-id-loader.js';
import { noCredential } from '../shared/no-credential.js';
import { pagePlan, scanWholeList, type ListScan } from '../shared/paging.js';
import type { VendorDeps } from '../shared/vendor-deps.js';
import * as client from './cupix.client.js';
import { covers, DEFAULT_FIELDS, FieldMask, pointcloudConnectionNeed, pointcloudNeed } from './cupix.fields.js';
import { toPointcloudListQuery, type PointcloudFilterArgs } from './cupix.input.js';
import { createCupixLoaders, type CupixLoaders } from './cupix.loaders.js';
import { FinalTransforms } from './cupix.final-transform.js';
import { toPointcloud, toPointcloudMeta, type Pointcloud, type PointcloudMeta } from './cupix.mappers.js';
import { finalGroupTransform } from './cupix.transform.js';

export type { Pointcloud, PointcloudMeta, CupixRef } from './cupix.mappers.js';

/**
 * A value now, or later when it must be fetched: the field resolvers return a cached pointcloud's
 * values synchronously, which spares graphql-js a Promise per field.
 */
type MaybePromise<T> = T | Promise<T>;

/** `fn` applied to `value`: at once when it is a value, once it resolves when it is a Promise. */
function whenResolved<T, U>(value: MaybePromise<T>, fn: (resolved: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
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
  /** One value of `meta`; `meta` is fetched (alone) when `pc` was loaded without it. */
  metaField<K extends keyof PointcloudMeta>(pc: Pointcloud, key: K): MaybePromise<PointcloudMeta[K] | null>;
  finalTransform(pc: Pointcloud): MaybePromise<number[] | null>;
  downloadUrl(pc: Pointcloud): MaybePromise<string | null>;
}

/** What a list read whole is for, and what to do instead when it is too long. */
type ScanPurpose = Pick<ListScan<unknown>, 'what' | 'hint' | 'field'>;

const KIND_SCAN: ScanPurpose = {
  what: 'pointclouds(filter: {kind})',
  hint: 'narrow it with recordId, clusterId, captureId or parentId, or raise FILTER_MAX_PAGES',
  field: ['filter', 'kind'],
};
const CHILDREN_SCAN: ScanPurpose = { what: 'Pointcloud.children', hint: 'list them with pointclouds(filter: {parentId}) instead, or raise FILTER_MAX_PAGES' };

/** States in which a SUB has no file yet (or never will): `downloadUrl` is null without asking. */
const NO_FILE = new Set([JobState.QUEUED, JobState.RUNNING, JobState.FAILED, JobState.CANCELLED]);

/** Only `meta` (and the id): what `GET /pointclouds/{id}/meta` answers. */
const META_ALONE = FieldMask.ID | FieldMask.META;

/** A service bound to one credential, or to none: then every method that needs the vendor fails with `noCredential`. */
export function createCupixService(deps: VendorDeps, credential: { token: string } | null): CupixService {
  return new CupixServiceImpl(deps, credential);
}

class CupixServiceImpl implements CupixService {
  private readonly config: Config;
  /** Both null without a credential (see `call` and `loaders`). */
  private readonly callOrNull: client.CupixCall | null;
  private readonly loadersOrNull: CupixLoaders | null;
  private readonly downloads = new Map<string, Promise<string | null>>();
  private readonly transforms: FinalTransforms;

  constructor(deps: VendorDeps, credential: { token: string } | null) {
    this.config = deps.config;
    this.transforms = new FinalTransforms(deps.http, deps.config.CUPIX_TRANSFORM_ORDER, deps.log);
    this.callOrNull = credential ? { http: deps.http, headers: client.authHeaders(credential.token) } : null;
    this.loadersOrNull = credential
      ? createCupixLoaders({
          limit: lazyLimit(deps.config.UPSTREAM_CONCURRENCY),
          pointcloud: (id, mask) => this.fetchPointcloud(id, mask),
          children: (parentIds, mask) => this.scan(parentIds.length === 1 ? { parent_id: parentIds[0] } : { parent_ids: parentIds.join(',') }, mask, CHILDREN_SCAN),
        })
      : null;
  }

  /** The caller's way to Cupix; without a credential, UNAUTHENTICATED on the field that asked. */
  private get call(): client.CupixCall {
    if (!this.callOrNull) throw noCredential('cupix');
    return this.callOrNull;
  }

  private get loaders(): CupixLoaders {
    if (!this.loadersOrNull) throw noCredential('cupix');
    return this.loadersOrNull;
  }

  async getPointcloud(id: string, info?: GraphQLResolveInfo): Promise<Pointcloud | null> {
    return this.loaders.pointcloudById.load(id, info ? pointcloudNeed(info) : DEFAULT_FIELDS);
  }

  pointcloud(id: string, info: GraphQLResolveInfo): MaybePromise<Pointcloud | null> {
    return this.loaders.pointcloudById.load(id, pointcloudNeed(info));
  }

  async pointclouds(filter: PointcloudFilterArgs | null | undefined, first: number | null | undefined, after: string | null | undefined, info: GraphQLResolveInfo): Promise<Connection<Pointcloud>> {
    // The credential first: without one, that is the answer, whatever the arguments.
    const call = this.call;
    const need = pointcloudConnectionNeed(info);
    const query = toPointcloudListQuery(filter);
    const { offset, limit } = pageWindow(first, after);
    if (filter?.kind) {
      // The vendor cannot filter by kind: read its whole list (bounded) and page the filtered one.
      const kind = filter.kind;
      const all = (await this.scan(query, need | FieldMask.KIND, KIND_SCAN)).filter((pc) => pc.kind === kind);
      return connectionFromPage(all.slice(offset, offset + limit), offset, all.length);
    }
    if (limit === 0) {
      const page = await client.listPointclouds(call, { ...query, page: 1, per_page: 1 }, FieldMask.ID);
      return connectionFromPage([], offset, page.pagination?.total_entries ?? 0);
    }
    const plan = pagePlan(offset, limit, client.MAX_PER_PAGE);
    const results = await Promise.all(plan.pages.map((page) => client.listPointclouds(call, { ...query, page, per_page: plan.perPage }, need)));
    // Where the window starts in what came back, by the vendor's own account of the page when it gives one.
    const pagination = results[0].pagination;
    const skip = pagination ? offset - (pagination.current_page - 1) * pagination.per_page : plan.skip;
    const items = results.flatMap((r) => r.items).map((item) => this.primed(toPointcloud(item, need)));
    return connectionFromPage(items.slice(skip, skip + limit), offset, pagination?.total_entries ?? offset + items.length);
  }

  parent(pc: Pointcloud, info: GraphQLResolveInfo): MaybePromise<Pointcloud | null> {
    return whenResolved(this.ensure(pc, FieldMask.PARENT), (full) => (full?.parentId ? this.loaders.pointcloudById.load(full.parentId, pointcloudNeed(info)) : null));
  }

  children(pc: Pointcloud, info: GraphQLResolveInfo): MaybePromise<Pointcloud[] | null> {
    return whenResolved(this.ensure(pc, FieldMask.KIND), (full) => {
      if (!full) return null;
      return full.kind === PointcloudKind.SUB ? [] : this.loaders.childrenByParentId.load(full.id, pointcloudNeed(info));
    });
  }

  metaField<K extends keyof PointcloudMeta>(pc: Pointcloud, key: K): MaybePromise<PointcloudMeta[K] | null> {
    if (pc.meta !== undefined) return pc.meta?.[key] ?? null;
    return whenResolved(this.ensure(pc, FieldMask.META), (full) => full?.meta?.[key] ?? null);
  }

  finalTransform(pc: Pointcloud): MaybePromise<number[] | null> {
    return whenResolved(this.ensure(pc, FieldMask.META | FieldMask.KIND | FieldMask.PARENT), (full) => {
      const meta = full?.meta;
      if (!meta) return null;
      if (full.kind === PointcloudKind.GROUP) return meta.wtm ? finalGroupTransform(meta.wtm) : null;
      const sub = { subId: full.id, tm: meta.tm, wtm: meta.wtm };
      if (!full.parentId) return this.transforms.sub({ ...sub, groupId: null, groupWtm: null });
      const groupId = full.parentId;
      // The group's meta alone: `GET /pointclouds/{id}/meta`, unless the group is at hand with it.
      return whenResolved(this.loaders.pointcloudById.load(groupId, FieldMask.META), (group) => this.transforms.sub({ ...sub, groupId, groupWtm: group?.meta?.wtm ?? null }));
    });
  }

  downloadUrl(pc: Pointcloud): MaybePromise<string | null> {
    return whenResolved(this.ensure(pc, FieldMask.KIND | FieldMask.STATE), (full) => {
      if (!full) return null;
      if (full.kind === PointcloudKind.GROUP) {
        throw badInput(`download is only for SUB point clouds: pointcloud ${full.id} is a GROUP; download its children`, ['downloadUrl']);
      }
      if (NO_FILE.has(full.state)) return null;
      let url = this.downloads.get(full.id);
      if (!url) {
        url = client.getPointcloudDownload(this.call, full.id).then(
          (location) => checkStorageUrl('CUPIX', location, this.config.CUPIX_URL ?? '', this.config.CUPIX_STORAGE_HOSTS),
          (err: unknown) => {
            if (isNotFound(err)) return null;
            throw err;
          },
        );
        this.downloads.set(full.id, url);
      }
      return url;
    });
  }

  /**
   * `pc` itself when it was fetched with `need`; `pc` with its meta when only the meta is missing
   * (read alone, `GET /pointclouds/{id}/meta`); else the same pointcloud fetched with more.
   */
  private ensure(pc: Pointcloud, need: FieldMask): MaybePromise<Pointcloud | null> {
    if (covers(pc.fields, need)) return pc;
    if ((need & ~pc.fields) !== FieldMask.META) return this.loaders.pointcloudById.load(pc.id, pc.fields | need);
    return whenResolved(this.loaders.pointcloudById.load(pc.id, FieldMask.META), (found) => found && { ...pc, fields: pc.fields | FieldMask.META, meta: found.meta });
  }

  /**
   * One pointcloud by id with `mask`: its meta alone from the documented `GET /pointclouds/{id}/meta`
   * when that is all `mask` holds, else `GET /pointclouds/{id}?fields=…` (docs/vendors.md, "Cupix: sparse fieldsets").
   */
  private async fetchPointcloud(id: string, mask: FieldMask): Promise<Pointcloud> {
    if (mask & FieldMask.META && covers(META_ALONE, mask)) {
      const pc = toPointcloud({ id, attributes: {} }, META_ALONE);
      return { ...pc, meta: toPointcloudMeta(await client.getPointcloudMeta(this.call, id)) };
    }
    return toPointcloud(await client.getPointcloud(this.call, id, mask), mask);
  }

  private primed(pc: Pointcloud): Pointcloud {
    this.loaders.pointcloudById.prime(pc);
    return pc;
  }

  /** Every item of a list the gateway filters itself, each primed; bounded by FILTER_MAX_PAGES (`scanWholeList`). */
  private async scan(query: Omit<client.PointcloudListQuery, 'page' | 'per_page'>, mask: FieldMask, purpose: ScanPurpose): Promise<Pointcloud[]> {
    const call = this.call;
    const items = await scanWholeList({
      ...purpose,
      source: 'CUPIX',
      perPage: client.MAX_PER_PAGE,
      maxPages: this.config.FILTER_MAX_PAGES,
      // Its own UPSTREAM_CONCURRENCY, not the by-id calls': a scan's pages neither wait behind them nor hold them up.
      limit: pLimit(this.config.UPSTREAM_CONCURRENCY),
      readPage: async (index) => {
        const { items, pagination } = await client.listPointclouds(call, { ...query, page: index + 1, per_page: client.MAX_PER_PAGE }, mask);
        // A list without `pagination` (the vendor sends null on some) is one page.
        return { items, total: pagination?.total_entries, totalPages: pagination?.total_pages ?? 1 };
      },
    });
    return items.map((item) => this.primed(toPointcloud(item, mask)));
  }
}
