import type { IncomingMessage } from 'node:http';
import { createSimContext, startSimServer, type SimContext, type SimHandle, type SimOptions, type SimResult, type VendorDefinition } from '../core/index.js';
import { mapflowOpenApi } from './mapflow.openapi.js';
import { mapflowErrors } from './mapflow.errors.js';
import { mapflowAdmin } from './mapflow.review.js';
import { rastersAdmin } from './mapflow.rasters.js';
import { mapflowRouter } from './mapflow.routes.js';
import { MapflowService } from './mapflow.service.js';
import { seedTenant } from './mapflow.tenants.js';
import type { MapflowTenant } from './mapflow.types.js';
import type { MapflowStaging } from './mapflow.upload-stream.js';

export type { MapflowTenant } from './mapflow.types.js';

const token = (email: string, apiToken: string) => Buffer.from(`${email}:${apiToken}`).toString('base64');

/** Demo credentials: each token is `base64(email:apiToken)`, sent as `Authorization: Basic <token>`. */
export const MAPFLOW_DEMO_TENANTS = [
  { name: 'alpha', email: 'admin@geoalert.io', token: token('admin@geoalert.io', 'mf-alpha-7c1e2f9a4b') },
  { name: 'beta', email: 'ops@northwind-survey.example', token: token('ops@northwind-survey.example', 'mf-beta-3d8b0c51e6') },
] as const;

/**
 * The simulator's own admin routes: reviews and ratings, the data catalogue's limits, and
 * `GET /__sim/rasters/staging` (the image uploads being received, staged on disk).
 */
function adminRoutes(ctx: SimContext, tenants: () => MapflowTenant[], staging: MapflowStaging) {
  const stagingAdmin = (method: string, path: string): SimResult | null =>
    method === 'GET' && path === '/__sim/rasters/staging' ? { status: 200, json: { files: staging.files() } } : null;
  const review = mapflowAdmin(ctx, tenants);
  const rasters = rastersAdmin(tenants);
  return (method: string, path: string, body: unknown): SimResult | null => review(method, path, body) ?? rasters(method, path, body) ?? stagingAdmin(method, path);
}

/** Clients pad (or not) the base64 token; both spellings are the same credential. */
const normalize = (t: string) => t.trim().replace(/=+$/, '');

export async function startMapflowSimulator(opts: SimOptions & { context?: SimContext } = {}): Promise<SimHandle<MapflowTenant>> {
  const ctx = opts.context ?? createSimContext(opts.timeScale ?? 1, { documentedVariants: opts.documentedVariants });
  const svc = new MapflowService(ctx);
  const byToken = new Map<string, MapflowTenant>();
  const tenants: MapflowTenant[] = [];

  function addTenant(name: string, tok: string): MapflowTenant {
    const key = normalize(tok);
    if (byToken.has(key)) throw new Error(`token already belongs to tenant ${byToken.get(key)?.name}`);
    if (tenants.some((t) => t.name === name)) throw new Error(`tenant ${name} already exists`);
    const tenant = seedTenant(name, tok, svc);
    byToken.set(key, tenant);
    tenants.push(tenant);
    return tenant;
  }
  for (const t of MAPFLOW_DEMO_TENANTS) addTenant(t.name, t.token);

  const def: VendorDefinition<MapflowTenant> = {
    vendor: 'mapflow',
    title: 'Mapflow processing API',
    basePath: '/rest',
    router: mapflowRouter(svc),
    openapi: mapflowOpenApi,
    // Basic is what every Mapflow client sends; the 2026 docs also show Bearer with the same token.
    authenticate(headers: IncomingMessage['headers']) {
      const m = /^(?:Basic|Bearer)\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
      return m ? (byToken.get(normalize(m[1])) ?? null) : null;
    },
    errors: mapflowErrors,
    tenants: () => tenants,
    addTenant,
    admin: adminRoutes(ctx, () => tenants, svc.staging),
  };
  const handle = await startSimServer(def, ctx, opts);
  return {
    ...handle,
    close: async (drainMs) => {
      await handle.close(drainMs);
      svc.staging.dispose();
    },
  };
}
