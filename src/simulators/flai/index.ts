import {
  createSimContext,
  Router,
  startSimServer,
  type SimContext,
  type SimHandle,
  type SimOptions,
  type SimResult,
  type VendorDefinition,
} from '../core/index.js';
import { buildFlow, NODE_DEFINITIONS } from './flai.catalog.js';
import { flaiErrors } from './flai.errors.js';
import { type ListEnvelope, RateLimiter } from './flai.http.js';
import { FlaiLifecycle } from './flai.lifecycle.js';
import { flaiOpenApi } from './flai.openapi.js';
import { buildRouter } from './flai.routes.js';
import { FLAI_DEMO_TENANTS, seedTenant } from './flai.seed.js';
import { FlaiStore } from './flai.store.js';
import { flaiTime, uuid } from './flai.util.js';
import { FlaiUploads } from './flai.uploads.js';
import type { FlaiTenant, TenantState } from './flai.types.js';
import { FLAI_VARIANTS_TENANT } from './flai.variants.js';

export { FLAI_DEMO_TENANTS, seededDownloadId } from './flai.seed.js';
export { FLAI_TIMINGS, executionRunMs } from './flai.lifecycle.js';
export { DOCUMENTED as FLAI_DOCUMENTED } from './flai.seed-documented.js';
export { PRESIGNED_TTL_SECONDS } from './flai.download-routes.js';
export { FIRST_CHUNK_INDEX, UPLOAD_CHUNK_BYTES, UPLOAD_CHUNK_MAX_BYTES, UPLOAD_SESSION_TTL_MS, type UploadSessionView } from './flai.uploads.js';
export type { FlaiTenant } from './flai.types.js';
export type { ListEnvelope } from './flai.http.js';
export { FLAI_UNDOCUMENTED, FLAI_VARIANTS_TENANT } from './flai.variants.js';

export interface FlaiSimOptions extends SimOptions {
  context?: SimContext;
  /** Shape of the `datasets` / `flow-executions` lists (see flai.http.ts); default `paginated`. */
  listEnvelope?: ListEnvelope;
  /** Emulate Laravel's `throttle` per credential (requests per wall-clock minute); off by default. */
  rateLimitPerMinute?: number;
}

/**
 * Starts the Flai simulator (`/api/v1`), seeded with the demo tenants `alpha` and `beta`, and in
 * documented-variants mode the tenant `variants` (see flai.variants.ts).
 */
export async function startFlaiSimulator(opts: FlaiSimOptions = {}): Promise<SimHandle<FlaiTenant>> {
  const ctx = opts.context ?? createSimContext(opts.timeScale ?? 1, { documentedVariants: opts.documentedVariants });
  const store = new FlaiStore();
  const lifecycle = new FlaiLifecycle(ctx, store);
  const uploads = new FlaiUploads(ctx);

  function addTenant(name: string, token: string, opts: { orgId?: string; variants?: boolean } = {}): FlaiTenant {
    const state = seedTenant(store, { name, token, orgId: opts.orgId }, ctx.clock.now(), { variants: opts.variants });
    store.add(state);
    trackInFlight(lifecycle, state);
    return state.tenant;
  }
  for (const t of FLAI_DEMO_TENANTS) addTenant(t.name, t.token, { orgId: t.orgId });
  if (ctx.documentedVariants) addTenant(FLAI_VARIANTS_TENANT.name, FLAI_VARIANTS_TENANT.token, { orgId: FLAI_VARIANTS_TENANT.orgId, variants: true });

  let router = buildRouter({ store, lifecycle, sim: ctx, listEnvelope: opts.listEnvelope ?? 'paginated', uploads });
  if (opts.rateLimitPerMinute) {
    const limiter = new RateLimiter(opts.rateLimitPerMinute);
    const wrapped = new Router<FlaiTenant>();
    for (const route of router.list()) wrapped.add(route.public ? route : { ...route, handler: limiter.wrap(route.handler) });
    router = wrapped;
  }

  const def: VendorDefinition<FlaiTenant> = {
    vendor: 'flai',
    title: 'Flai API',
    basePath: '/api/v1',
    router,
    openapi: flaiOpenApi,
    authenticate(headers) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
      return m ? (store.byCredential(m[1])?.tenant ?? null) : null;
    },
    errors: {
      unauthorized: flaiErrors.unauthorized,
      notFound: flaiErrors.notFound,
      badRequest: flaiErrors.badRequest,
      server: flaiErrors.server,
      rateLimited: (s) => flaiErrors.rateLimited(s),
    },
    tenants: () => store.tenants(),
    addTenant: (name, token) => addTenant(name, token),
    admin: (method, path, body) => uploadsAdmin(uploads, method, path) ?? flowsAdmin(store, ctx, method, path, body),
  };
  const handle = await startSimServer(def, ctx, opts);
  return {
    ...handle,
    close: async (drainMs) => {
      await handle.close(drainMs);
      await uploads.dispose();
    },
  };
}

/**
 * `GET /__sim/uploads`: the direct-upload sessions being staged; `DELETE /__sim/uploads/{session_key}`:
 * discards one and its staged bytes (Flai documents no way to; docs/vendors.md, "Flai: direct upload").
 */
function uploadsAdmin(uploads: FlaiUploads, method: string, path: string): SimResult | null {
  if (path === '/__sim/uploads' && method === 'GET') return { status: 200, json: { sessions: uploads.list() } };
  const key = /^\/__sim\/uploads\/([^/]+)$/.exec(path)?.[1];
  if (key === undefined || method !== 'DELETE') return null;
  const sessionKey = decodeURIComponent(key);
  return uploads.discard(sessionKey) ? { status: 200, json: { discarded: sessionKey } } : { status: 404, json: { error: `no upload session ${sessionKey}` } };
}

/**
 * `POST /__sim/flows` with `{"tenant": "alpha", "title": "...", "nodes": ["vector_reader_1:vector_reader", ...]}`:
 * adds a template flow built from the catalog's node definitions (tests of flows the seed has none of,
 * e.g. one without a point-cloud reader).
 */
function flowsAdmin(store: FlaiStore, ctx: SimContext, method: string, path: string, body: unknown): SimResult | null {
  if (path !== '/__sim/flows' || method !== 'POST') return null;
  const b = (body ?? {}) as { tenant?: unknown; title?: unknown; nodes?: unknown };
  const state = store.tenants().find((t) => t.name === b.tenant);
  if (!state || typeof b.title !== 'string' || !Array.isArray(b.nodes) || !b.nodes.every((n) => typeof n === 'string' && n.includes(':'))) {
    return { status: 400, json: { error: 'tenant (a tenant name), title and nodes (["<key>:<definition>", ...]) are required' } };
  }
  const tenant = store.state(state);
  const unknown = (b.nodes as string[]).find((n) => !Object.hasOwn(NODE_DEFINITIONS, n.split(':')[1]));
  if (unknown) return { status: 400, json: { error: `no node definition ${unknown.split(':')[1]}` } };
  const flow = buildFlow(tenant.rng, { title: b.title, description: b.title, nodes: b.nodes as string[] }, {
    id: uuid(tenant.rng),
    orgId: tenant.organization.id,
    userId: tenant.user.id,
    at: flaiTime(ctx.clock.now()),
    isTemplate: true,
  });
  tenant.flows.set(flow.wire.id, flow);
  return { status: 201, json: { id: flow.wire.id } };
}

/** Seeded records that are still moving (queued/processing executions, importing datasets, pending downloads). */
function trackInFlight(lifecycle: FlaiLifecycle, state: TenantState): void {
  const outputs = new Set<string>();
  for (const rec of state.executions.values()) {
    for (const o of rec.outputs) outputs.add(o.dataset_id);
    lifecycle.track(state, rec);
  }
  for (const ds of state.datasets.values()) {
    if (!outputs.has(ds.id) && (ds.dataset_status === 'created' || ds.dataset_status === 'processing')) {
      lifecycle.importDataset(state, ds, { fails: false });
    }
  }
  for (const dl of state.downloads.values()) {
    if (dl.wire.status === 'pending' || dl.wire.status === 'processing') lifecycle.prepareDownload(state, dl);
  }
}
