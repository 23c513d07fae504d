import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { FLAI_DEMO_TENANTS, startFlaiSimulator, type FlaiSimOptions } from '../../src/simulators/flai/index.js';
import type { DownloadFileRecord, DownloadRecord } from '../../src/simulators/flai/flai.types.js';
import { simsTest } from '../helpers/sims.helpers.js';
import { admin, simChanges, type Change, type Sim } from './sim-admin.helpers.js';

export const ALPHA = FLAI_DEMO_TENANTS[0];
export const BETA = FLAI_DEMO_TENANTS[1];
export const ORG_A = `/organization/${ALPHA.orgId}`;
export const ORG_B = `/organization/${BETA.orgId}`;

export type { Change, Sim };
export type Json = Record<string, unknown>;

/** A prepared download's file as `?decorators=files` lists it. */
export type DownloadFile = Omit<DownloadFileRecord, 'key'>;

/** `GET /organization/{orgId}/downloads/{id}?decorators=files`: a download and its files (none until it is prepared). */
export type DownloadReply = DownloadRecord['wire'] & { files: DownloadFile[] };

export function fixture<T = Json>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/vendor-docs/flai/${name}`, import.meta.url), 'utf8')) as T;
}

/** A Flai simulator of a test's own (clock frozen), for tests that compare two or need other options. */
export function startFrozen(opts: FlaiSimOptions = {}): Promise<Sim> {
  return startFlaiSimulator({ timeScale: 0, ...opts });
}

/** The test API of the Flai simulator tests: simsTest's simulators (one set per file, clocks frozen), `sim` their Flai simulator. */
export const test = simsTest.extend('sim', { scope: 'file' }, ({ sims }): Sim => sims.flai);

export interface Res<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

/** One call to the simulator's `/api/v1` with a Bearer token (`null` sends none). */
export async function api<T = Json>(
  sim: Sim,
  path: string,
  init: { method?: string; body?: unknown; token?: string | null } = {},
): Promise<Res<T>> {
  const token = init.token === undefined ? ALPHA.token : init.token;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(sim.url + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

export async function advance(sim: Sim, ms: number): Promise<void> {
  const res = await admin(sim, '/__sim/clock', 'POST', { advanceMs: ms });
  if (res.status !== 200) throw new Error(`clock advance failed: ${res.status}`);
}

/** The simulator's change log after a query (`since=`, `entity=`, `id=`, `tenant=`). */
export const changes = simChanges;

/** Reads a zip archive (stored or deflated entries) into name -> bytes, via its central directory. */
export function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = zip.readUInt16LE(p + 10);
    const csize = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + csize);
    out.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
