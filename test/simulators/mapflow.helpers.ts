import { readFileSync } from 'node:fs';
import { MAPFLOW_DEMO_TENANTS, startMapflowSimulator } from '../../src/simulators/mapflow/index.js';

export type Json = Record<string, unknown>;
export type Sim = Awaited<ReturnType<typeof startMapflowSimulator>>;

/** A documented example from test/fixtures/vendor-docs/mapflow. */
export function fixture<T = Json>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/vendor-docs/mapflow/${name}.json`, import.meta.url), 'utf8')) as T;
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

export async function startFrozen(): Promise<Sim> {
  return startMapflowSimulator({ port: 0, timeScale: 0 });
}

/** A ~0.26 km² square polygon at a lon/lat (closed ring). */
export function square(lon = 37.2984, lat = 55.6362, d = 0.0093): Json {
  return { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d / 2.3], [lon, lat + d / 2.3], [lon, lat]]] };
}

export const BUILDINGS = '30ddfd15-04aa-47f6-9ceb-68ce709fd710';

export function createBody(over: Json = {}): Json {
  return { name: 't', wdId: BUILDINGS, geometry: square(), params: { sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 18 } } }, ...over };
}

export function userDefined(extra: Json): Json {
  return { sourceParams: { userDefined: { sourceType: 'XYZ', url: 'https://tiles.example.com/{z}/{x}/{y}.png', ...extra } } };
}
