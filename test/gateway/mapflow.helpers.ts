import { readFileSync } from 'node:fs';
import type { MapflowTenant } from '../../src/simulators/mapflow/index.js';
import type { Simulators } from '../../src/simulators/index.js';
import { MAPFLOW_DEMO_TENANTS } from '../../src/simulators/mapflow/index.js';
import type { Stack } from '../helpers/stack.helpers.js';

/** What the Mapflow simulator holds for a demo tenant (the records our answers must equal); takes a stack or `{ sims }`. */
export function tenantData({ sims }: { sims: Simulators }, name: 'alpha' | 'beta'): MapflowTenant['data'] {
  const t = (sims.mapflow.tenants() as MapflowTenant[]).find((x) => x.name === name);
  if (!t) throw new Error(`no tenant ${name}`);
  return t.data;
}

export const ALPHA_TOKEN = MAPFLOW_DEMO_TENANTS[0].token;
export const BETA_TOKEN = MAPFLOW_DEMO_TENANTS[1].token;

/** A documented Mapflow example payload (test/fixtures/vendor-docs/mapflow). */
export function doc<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/vendor-docs/mapflow/${file}`, import.meta.url), 'utf8')) as T;
}

/** A closed lon/lat square of `sideDeg` degrees with its south-west corner at (lon, lat). */
export function square(lon: number, lat: number, sideDeg = 0.005): { type: 'Polygon'; coordinates: number[][][] } {
  return {
    type: 'Polygon',
    coordinates: [[[lon, lat], [lon + sideDeg, lat], [lon + sideDeg, lat + sideDeg], [lon, lat + sideDeg], [lon, lat]]],
  };
}

/** A Mapflow token in every form it could leak in: as sent, URL-encoded, and its decoded `email:apiToken` parts. */
export function tokenForms(token: string): string[] {
  const [email, apiToken] = Buffer.from(token, 'base64').toString('utf8').split(':');
  return [token, encodeURIComponent(token), email, encodeURIComponent(email), apiToken].filter(Boolean);
}

/** Mapflow timestamps (µs, "Z") as our DateTime serializes them (ms). */
export const iso = (s: string | null | undefined): string | null => (s ? new Date(s).toISOString() : null);

/** Asks the Mapflow simulator directly (the oracle for exact data); call before `resetCounts()`. */
export async function vendor<T = unknown>(stack: Stack, method: string, path: string, body?: unknown, token = ALPHA_TOKEN): Promise<T> {
  const res = await fetch(stack.sims.mapflow.url + path, {
    method,
    headers: { authorization: `Basic ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

export interface VendorProcessing {
  id: string;
  name: string;
  status: string;
  percentCompleted: number;
  projectId: string;
  workflowDef: { id: string; name: string } | null;
  params: unknown;
  created: string;
}
