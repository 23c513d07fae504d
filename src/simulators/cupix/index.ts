import type { IncomingHttpHeaders } from 'node:http';
import { createSimContext, startSimServer, type SimContext, type SimHandle, type SimOptions, type SimResult, type VendorDefinition } from '../core/index.js';
import { cupixErrors } from './cupix.errors.js';
import { scheduleLifecycle } from './cupix.lifecycle.js';
import { cupixOpenApi } from './cupix.openapi.js';
import { createCupixRouter } from './cupix.routes.js';
import { CupixStore } from './cupix.store.js';
import type { CupixTenant } from './cupix.types.js';

export type { CupixTenant } from './cupix.types.js';
export * as cupixMatrix from './cupix.matrix.js';

/** Demo credentials (`x-cupix-auth`): `alpha` holds the documented pointclouds 5309/5310 plus demo data. */
export const CUPIX_DEMO_TENANTS = [
  { name: 'alpha', token: 'cupix-demo-alpha-7f3c9a1e5b2d4086' },
  { name: 'beta', token: 'cupix-demo-beta-2e8d6b0a9c4f1735' },
] as const satisfies readonly CupixTenant[];

/** The one operation whose documented sample authenticates with `?x-cupix-auth=`. */
const QUERY_AUTH_ROUTE = 'GET /pointclouds/{id}/download';

/** Starts the Cupix simulator: base path `/api/v1`, auth header `x-cupix-auth`. */
export async function startCupixSimulator(
  opts: SimOptions & { context?: SimContext } = {},
): Promise<SimHandle<CupixTenant>> {
  const ctx = opts.context ?? createSimContext(opts.timeScale ?? 1, { documentedVariants: opts.documentedVariants });
  const store = new CupixStore({ documentedVariants: ctx.documentedVariants });

  const addTenant = (name: string, token: string): CupixTenant => {
    const { tenant, plans } = store.addTenant(name, token, ctx.clock.now());
    for (const plan of plans) {
      const pc = store.get(name, plan.id);
      if (pc) scheduleLifecycle(ctx, name, pc, plan);
    }
    return tenant;
  };
  for (const t of CUPIX_DEMO_TENANTS) addTenant(t.name, t.token);

  const def: VendorDefinition<CupixTenant> = {
    vendor: 'cupix',
    title: 'CupixWorks API',
    basePath: '/api/v1',
    router: createCupixRouter(store),
    openapi: cupixOpenApi,
    authenticate: (headers: IncomingHttpHeaders, { query, route }) => {
      // Node lower-cases header names, so `X-CUPIX-AUTH` and `x-cupix-auth` both arrive here.
      const header = headers['x-cupix-auth'];
      if (typeof header === 'string') return store.byTokenValue(header.trim());
      // The vendor's HTTP sample for the download passes the token in the query
      // (`GET .../pointclouds/{id}/download?x-cupix-auth={api_key}`), which lets a browser link start
      // the download. [INFER] Only there: no other operation documents it, and accepting it more
      // widely would let a client pass here that the real API refuses.
      const inQuery = route === QUERY_AUTH_ROUTE ? query.get('x-cupix-auth') : null;
      return inQuery ? store.byTokenValue(inQuery.trim()) : null;
    },
    errors: cupixErrors,
    admin: (method, path, body) => resizeAdmin(store, method, path, body),
    tenants: () => store.tenants(),
    addTenant,
  };
  return startSimServer(def, ctx, opts);
}

/**
 * `PUT /__sim/pointclouds/{tenant}/{id}` with `{"filesize": <bytes>}`: a SUB's declared file size,
 * which its download then serves (tests of large transfers; the seeded scans are a few MB).
 */
function resizeAdmin(store: CupixStore, method: string, path: string, body: unknown): SimResult | null {
  const m = /^\/__sim\/pointclouds\/([^/]+)\/(\d+)$/.exec(path);
  if (!m || method !== 'PUT') return null;
  const pc = store.get(m[1], Number(m[2]));
  const filesize = (body as { filesize?: unknown } | undefined)?.filesize;
  if (!pc || pc.kind !== 'sub') return { status: 404, json: { error: `no sub pointcloud ${m[2]} of tenant ${m[1]}` } };
  if (typeof filesize !== 'number' || !Number.isInteger(filesize) || filesize < 1) return { status: 400, json: { error: 'filesize must be a positive integer' } };
  pc.filesize = filesize;
  return { status: 200, json: { id: pc.id, filesize } };
}
