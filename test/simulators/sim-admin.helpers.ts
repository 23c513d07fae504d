/**
 * What every vendor simulator serves besides its vendor's API (src/simulators/core/sim-server.ts):
 * the admin routes `/__sim/*` and `/openapi.json`, their answers as named types, and one way to
 * call them.
 */
import type { Change, FaultSpec, SimHandle, Tenant } from '../../src/simulators/core/index.js';
import type { StatsSnapshot } from '../../src/simulators/core/stats.js';

export type { Change, StatsSnapshot };

/** Any running vendor simulator: one of the file's (simsTest) or one a test starts of its own. */
export type Sim = SimHandle<Tenant>;

type Json = Record<string, unknown>;

/** `GET` and `POST /__sim/clock`. */
export interface ClockState {
  timeScale: number;
  /** ISO-8601. */
  now: string;
  pending: number;
}

/** `GET /__sim/changes?since=&entity=&id=&tenant=`. */
export interface ChangesPage {
  lastSeq: number;
  changes: Change[];
}

/** `GET`, `PUT` and `DELETE /__sim/faults`. */
export interface FaultsState {
  faults: FaultSpec | null;
}

/** `GET /__sim/tenants`. */
export interface TenantList {
  tenants: Tenant[];
}

/** What an admin route answers a request it refuses (400, 404). */
export interface AdminError {
  error: string;
}

/** One operation of `/openapi.json`: what the tests read of it. */
export interface OpenApiOperation {
  parameters: Json[];
  security?: unknown[];
  responses?: Json;
}

/** `GET /openapi.json`: the routes a simulator implements. */
export interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  servers: { url: string }[];
  components: { securitySchemes: Json; schemas?: Json };
}

/** Where a simulator's admin API is: a simulator in this process, or the origin of one a process printed. */
type AdminOrigin = Pick<Sim, 'origin'>;

/** One call to a simulator's admin API (`/__sim/*`, `/openapi.json`), with a JSON body when one is given. */
export function admin(sim: AdminOrigin, path: string, method = 'GET', body?: unknown): Promise<Response> {
  return fetch(`${sim.origin}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** An admin route's status and JSON answer, read as `T` (what the route serves, above). */
export async function adminCall<T>(sim: AdminOrigin, path: string, method = 'GET', body?: unknown): Promise<{ status: number; body: T }> {
  const res = await admin(sim, path, method, body);
  return { status: res.status, body: (await res.json()) as T };
}

/** An admin route's JSON answer, read as `T`. */
export async function adminJson<T>(sim: AdminOrigin, path: string, method = 'GET', body?: unknown): Promise<T> {
  return (await adminCall<T>(sim, path, method, body)).body;
}

/** The simulator's change log after `query` (e.g. `entity=processing&id=...&since=3`). */
export async function simChanges(sim: AdminOrigin, query: string): Promise<Change[]> {
  return (await adminJson<ChangesPage>(sim, `/__sim/changes?${query}`)).changes;
}
