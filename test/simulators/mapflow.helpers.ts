import { readFileSync } from 'node:fs';
import { MAPFLOW_DEMO_TENANTS, startMapflowSimulator } from '../../src/simulators/mapflow/index.js';
import type { Polygon, ProcessingMessage, ProcessingStatus } from '../../src/simulators/mapflow/mapflow.types.js';
import { simsTest } from '../helpers/sims.helpers.js';
import type { Sim } from './sim-admin.helpers.js';

export type Json = Record<string, unknown>;
export type { Sim };

/** A documented example from test/fixtures/vendor-docs/mapflow. */
export function fixture<T = Json>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/vendor-docs/mapflow/${name}.json`, import.meta.url), 'utf8')) as T;
}

export type { Polygon, ProcessingMessage };

/** An AOI as `GET /processings/{id}/aois` serves it: the fields the tests read by name, typed (the rest stays `Json`). */
export type AoiReply = Json & { id: string; status: ProcessingStatus; messages: ProcessingMessage[] };

/** A processing as `GET /processings/{id}/v2` and the lists serve it; `params` is what the client sent, echoed (`P`). */
export type ProcessingReply<P = unknown> = AoiReply & { params: P };

/** `params` of a processing on a user-defined tile source (what `userDefined()` builds; a type, so that it is also a `Json`). */
export type UserDefinedParams = { sourceParams: { userDefined: Json } };

/** `GET /processings/{id}/result`: the processing's vectors, a GeoJSON FeatureCollection. */
export interface ResultCollection {
  type: string;
  features: { geometry: Polygon; properties: Json }[];
}

/** A page of `POST /projects/page` or `POST /projects/{id}/processings/v2/page`. */
export interface PageReply {
  results: Json[];
  total: number;
  count: number;
}

export const ALPHA = MAPFLOW_DEMO_TENANTS[0].token;
export const BETA = MAPFLOW_DEMO_TENANTS[1].token;

export interface Reply<T = Json> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** A small client for one credential; bodies are parsed as JSON when they are JSON. */
export function client(sim: Sim, token: string | null, scheme = 'Basic') {
  async function call<T = Json>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `${scheme} ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(sim.url + path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  }
  return {
    get: <T = Json>(p: string) => call<T>('GET', p),
    post: <T = Json>(p: string, b?: unknown) => call<T>('POST', p, b ?? {}),
    put: <T = Json>(p: string, b?: unknown) => call<T>('PUT', p, b ?? {}),
    del: <T = Json>(p: string) => call<T>('DELETE', p),
    call,
  };
}

/** A Mapflow simulator of a test's own (clock frozen), for tests that compare two or need a fresh one. */
export async function startFrozen(): Promise<Sim> {
  return startMapflowSimulator({ port: 0, timeScale: 0 });
}

/**
 * The test API of the Mapflow simulator tests: simsTest's simulators (one set per file, clocks
 * frozen), `sim` their Mapflow simulator and `api` a client of it with alpha's credential.
 */
export const test = simsTest
  .extend('sim', { scope: 'file' }, ({ sims }): Sim => sims.mapflow)
  .extend('api', { scope: 'file' }, ({ sim }) => client(sim, ALPHA));

/** A ~0.26 km² square polygon at a lon/lat (closed ring). */
export function square(lon = 37.2984, lat = 55.6362, d = 0.0093): Polygon {
  return { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d / 2.3], [lon, lat + d / 2.3], [lon, lat]]] };
}

export const BUILDINGS = '30ddfd15-04aa-47f6-9ceb-68ce709fd710';

export function createBody(over: Json = {}): Json {
  return { name: 't', wdId: BUILDINGS, geometry: square(), params: { sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 18 } } }, ...over };
}

export function userDefined(extra: Json): UserDefinedParams {
  return { sourceParams: { userDefined: { sourceType: 'XYZ', url: 'https://tiles.example.com/{z}/{x}/{y}.png', ...extra } } };
}
