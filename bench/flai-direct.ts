/**
 * What the transfer benchmarks share (bench/uploads.ts, bench/classify.ts): Flai's direct upload
 * spoken straight to the simulator (the 8 MB `POST /tools/upload` chunks, then the dataset from
 * `upload_storage_tmp`), the clock of those chunks as the simulator serves them, the gateway watched
 * over a run (RSS, CPU, other jobs) and the run's log line, the per-round statistics, and writing one
 * part's rows into the results when it runs alone.
 */
import { spawnSync } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { GatewaySampler } from './gateway-sampler.js';
import { cpuMs, loadMeter, median, percentile, rssBytes, type Load } from './measure.js';
import { syncReadme } from './readme.js';
import { DEMO_TENANTS, ROOT, type Stack } from './soak-stack.js';

/** A positive number from the environment (a BENCH_* setting), else `def`. */
export const setting = (name: string, def: number): number => {
  const v = Number(process.env[name]);
  return process.env[name] && Number.isFinite(v) && v > 0 ? v : def;
};

/** Flai's chunk, as the gateway sends it (src/datasources/uploads/flai-chunker.ts). */
export const CHUNK = 8_000_000;
/** The first `chunk_index` (Flai's SDK starts its chunks there). */
const FIRST_CHUNK_INDEX = 10_000;

export const mean = (xs: number[]): number => xs.reduce((sum, x) => sum + x, 0) / xs.length;
export const fmt = (n: number, d = 2): string => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
/** Bytes as MiB. */
export const mb = (b: number): number => b / 2 ** 20;

/** A per-round figure: its median, spread and every round's value. */
export type Stats = { median: number; min: number; max: number; rounds: number[] };
export const stats = (xs: number[]): Stats => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), rounds: xs });

/**
 * Per chunk, means (what throughput depends on; a few long stalls count as they cost): `atFlaiMs` from the request's headers arriving at the simulator to its answer sent (the
 * body over loopback, staged to disk, appended to the session's file); `betweenMs` from one chunk's
 * answer to the next chunk's request (what the sender does meanwhile: straight, building the next
 * request; through the gateway, taking Flai's answer and sending the chunk it has read meanwhile);
 * `firstMs` from the first byte sent to the first chunk's request; `lastMs` from the last chunk's
 * answer to the dataset made.
 */
export interface ChunkProfile {
  count: number;
  atFlaiMs: number;
  betweenMs: number;
  betweenP90Ms: number;
  firstMs: number;
  lastMs: number;
}

const DATASETS = /\/organization\/[^/]+\/datasets$/;

/**
 * Times of the `/tools/upload` requests served by the simulators in this process (node:http's
 * diagnostics channels), and of the last `POST …/datasets` answered (`datasetAt`, performance.now()).
 */
export class ChunkClock {
  private starts = new Map<object, number>();
  spans: { start: number; finish: number }[] = [];
  datasetAt: number | null = null;
  private datasetWaiters: ((at: number) => void)[] = [];
  private readonly onStart = (message: unknown) => {
    const { request } = message as { request: { url?: string } };
    if (request.url?.endsWith('/tools/upload')) this.starts.set(request, performance.now());
  };
  private readonly onFinish = (message: unknown) => {
    const { request } = message as { request: { url?: string; method?: string } };
    if (request.method === 'POST' && DATASETS.test(request.url?.split('?')[0] ?? '')) {
      const at = performance.now();
      this.datasetAt = at;
      for (const resolve of this.datasetWaiters.splice(0)) resolve(at);
    }
    const start = this.starts.get(request);
    if (start === undefined) return;
    this.starts.delete(request);
    this.spans.push({ start, finish: performance.now() });
  };
  constructor() {
    subscribe('http.server.request.start', this.onStart);
    subscribe('http.server.response.finish', this.onFinish);
  }
  reset(): void {
    this.starts = new Map();
    this.spans = [];
    this.datasetAt = null;
  }
  /** Resolves with the time the simulator answers the next `POST …/datasets`. */
  nextDataset(): Promise<number> {
    return new Promise((resolve) => this.datasetWaiters.push(resolve));
  }
  profile(t0: number, end: number): ChunkProfile {
    const spans = [...this.spans].sort((a, b) => a.start - b.start);
    if (!spans.length) return { count: 0, atFlaiMs: Number.NaN, betweenMs: Number.NaN, betweenP90Ms: Number.NaN, firstMs: Number.NaN, lastMs: Number.NaN };
    return {
      count: spans.length,
      atFlaiMs: mean(spans.map((s) => s.finish - s.start)),
      betweenMs: spans.length > 1 ? mean(spans.slice(1).map((s, i) => s.start - spans[i].finish)) : Number.NaN,
      betweenP90Ms: spans.length > 1 ? percentile(spans.slice(1).map((s, i) => s.start - spans[i].finish), 90) : Number.NaN,
      firstMs: spans[0].start - t0,
      lastMs: end - spans[spans.length - 1].finish,
    };
  }
  close(): void {
    unsubscribe('http.server.request.start', this.onStart);
    unsubscribe('http.server.response.finish', this.onFinish);
  }
}

/** One timed run of a transfer benchmark; the gateway's figures are null on the runs without it. */
export interface TransferRun {
  round: number;
  bytes: number;
  ms: number;
  /** MB/s (10^6 bytes). */
  rate: number;
  /** Gateway RSS just before the run, and the most seen while the bytes passed (gateway runs only). */
  rssBefore: number | null;
  rssMax: number | null;
  /** Gateway CPU over the run, ms (gateway runs only). */
  gatewayCpuMs: number | null;
  load: Load;
  /** Flai: where the time went, per 8 MB chunk, as the Flai simulator saw its `/tools/upload` requests (null where Flai is not the target). */
  chunks: ChunkProfile | null;
}

export interface GatewayWatch {
  rssBefore: number;
  rssMax: number;
  cpuMs: number;
  load: Load;
}

/**
 * Starts watching the gateway for one run: its RSS (VmRSS from /proc every 100 ms, no /metrics
 * scrape), its CPU, and other jobs' CPU on the machine; the function returned stops and gives the
 * RSS just before, the most seen (growth = most − before), the CPU ms spent and the load.
 */
export async function watchGateway(stack: Stack): Promise<() => GatewayWatch> {
  const pid = stack.gateway.pid;
  const sampler = new GatewaySampler(stack.gateway.origin, pid);
  sampler.scrape = false;
  const rssBefore = rssBytes(pid);
  const load = loadMeter([pid]);
  await sampler.start(100);
  const cpu0 = cpuMs(pid);
  return () => {
    sampler.stop();
    const measured = load();
    const rssMax = Math.max(rssBefore, rssBytes(pid), ...sampler.samples.map((s) => s.rss));
    return { rssBefore, rssMax, cpuMs: cpuMs(pid) - cpu0, load: measured };
  };
}

/** A run's log line: its time and rate, the gateway's RSS and CPU, the chunk profile, and other jobs when they used over 0.1 cores. */
export function runLine(label: string, r: TransferRun): string {
  const { chunks } = r;
  return (
    `  round ${r.round + 1} ${label} ${fmt(r.ms, 0).padStart(6)} ms  ${fmt(r.rate, 1).padStart(6)} MB/s` +
    (r.rssBefore !== null && r.rssMax !== null
      ? `  gateway RSS ${fmt(mb(r.rssBefore), 1)} → max ${fmt(mb(r.rssMax), 1)} MB (+${fmt(mb(r.rssMax - r.rssBefore), 1)}), CPU ${fmt(r.gatewayCpuMs ?? Number.NaN, 0)} ms`
      : '') +
    (chunks
      ? `  per chunk (mean): at Flai ${fmt(chunks.atFlaiMs, 1)} ms, between ${fmt(chunks.betweenMs, 1)} ms (p90 ${fmt(chunks.betweenP90Ms, 1)}; ${chunks.count} chunks, first after ${fmt(chunks.firstMs, 0)} ms, dataset ${fmt(chunks.lastMs, 0)} ms after the last)`
      : '') +
    (r.load.foreignCores > 0.1 ? `  other jobs ${fmt(r.load.foreignCores, 2)} cores` : '')
  );
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One HTTP request whose body is `head`, then `size` bytes taken from `pieces`, then `tail`; written
 * with backpressure.
 */
export async function send(url: string, method: string, headers: Record<string, string>, body: { head?: Buffer; size: number; pieces: Iterable<Buffer>; tail?: Buffer }): Promise<Answer> {
  const head = body.head ?? Buffer.alloc(0);
  const tail = body.tail ?? Buffer.alloc(0);
  const req = request(url, { method, headers: { ...headers, 'content-length': String(head.length + body.size + tail.length) } });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (text += part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  const failed = answer.then(
    () => new Promise<never>(() => {}),
    (err: unknown) => Promise.reject(err instanceof Error ? err : new Error(String(err))),
  );
  if (head.length) req.write(head);
  let sent = 0;
  for (const piece of body.pieces) {
    const take = piece.subarray(0, body.size - sent);
    const drained = req.write(take);
    sent += take.length;
    // A server that answers early (an error) stops reading: the answer ends the wait.
    if (!drained) await Promise.race([once(req, 'drain'), failed, answer]);
    if (sent >= body.size) break;
  }
  if (tail.length) req.write(tail);
  req.end();
  return answer;
}

/** The Flai demo tenant the benchmarks upload as (`alpha`), its organization and auth header. */
export const flaiTenant = () => {
  const flai = DEMO_TENANTS[0].flai!;
  return { orgId: flai.orgId, auth: { authorization: `Bearer ${flai.token}` } };
};

export interface ChunkPlace {
  sessionKey: string;
  fileName: string;
  /** The whole file's size. */
  size: number;
  /** The chunk's first byte and its length. */
  start: number;
  length: number;
  /** Its order in the session (0 for the first chunk). */
  n: number;
}

/** One chunk straight to the simulator's `POST /tools/upload`, its bytes from `pieces`; resolves with `end_filename` once Flai names it (the last chunk). */
export async function postChunk(stack: Stack, at: ChunkPlace, pieces: Iterable<Buffer>): Promise<string | undefined> {
  const index = FIRST_CHUNK_INDEX + at.n;
  const boundary = `----bench-${at.sessionKey}-${index}`;
  const fields: Record<string, string> = {
    file_name: at.fileName,
    total_file_size: String(at.size),
    session_key: at.sessionKey,
    dataset_type: 'pointcloud',
    chunk_start_byte: String(at.start),
    chunk_end_byte: String(at.start + at.length),
    chunk_index: String(index),
  };
  const head = Buffer.from(
    Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') + `--${boundary}\r\ncontent-disposition: form-data; name="file_chunk"; filename="blob"\r\ncontent-type: application/octet-stream\r\n\r\n`,
  );
  const headers = { ...flaiTenant().auth, 'content-type': `multipart/form-data; boundary=${boundary}` };
  const res = await send(`${stack.sims.flai.url}/tools/upload`, 'POST', headers, { head, size: at.length, pieces, tail: Buffer.from(`\r\n--${boundary}--\r\n`) });
  if (res.status !== 200) throw new Error(`bench: chunk ${index} straight to Flai got ${res.status}: ${res.text.slice(0, 300)}`);
  return (JSON.parse(res.text) as { end_filename?: string }).end_filename;
}

/** The dataset made straight from an uploaded file (`upload_storage_tmp`), as the gateway makes it. */
export async function createUploadedDataset(stack: Stack, endFilename: string | undefined, name: string): Promise<void> {
  if (!endFilename) throw new Error('bench: Flai named no end_filename after the last chunk');
  const { orgId, auth } = flaiTenant();
  const created = await fetch(`${stack.sims.flai.url}/organization/${orgId}/datasets`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ dataset_name: name, dataset_type_key: 'pointcloud', import_datasource: { datasource_type: 'upload_storage_tmp', datasource_address: '/', path: endFilename } }),
  });
  if (created.status >= 300) throw new Error(`bench: the dataset straight from Flai got ${created.status}: ${(await created.text()).slice(0, 300)}`);
}

/** Flai upload sessions the simulator still stages (none once every dataset is made). */
export async function stagedSessions(stack: Stack): Promise<number> {
  return ((await (await fetch(`${stack.sims.flai.origin}/__sim/uploads`)).json()) as { sessions: unknown[] }).sessions.length;
}

export interface AlonePart {
  /** The start of this part's table rows (`| Upload `) and of its note (`Uploads: `). */
  rowPrefix: string;
  notePrefix: string;
  /** Its key in bench/results.json. */
  jsonKey: string;
  /** How it runs alone, e.g. `npx tsx bench/uploads.ts`. */
  command: string;
}

/**
 * Puts one part's rows and note into bench/results.md (in place of its rows and note of an earlier
 * run, the other figures kept), its result into bench/results.json, and the table into README.md.
 */
export function writeAloneResults(part: AlonePart, rows: string[][], notes: string[], result: unknown): void {
  const mdPath = join(ROOT, 'bench/results.md');
  const lines = readFileSync(mdPath, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith(part.rowPrefix) && !line.startsWith(part.notePrefix));
  const lastRow = lines.findLastIndex((line) => line.startsWith('|'));
  lines.splice(lastRow + 1, 0, ...rows.map((row) => `| ${row.join(' | ')} |`));
  const at = lines.length && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  const date = new Date().toISOString();
  lines.splice(at, 0, ...notes.map((note) => `${note} (These rows: \`${part.command}\` alone, ${date}; the rest of the table is from the date above.)`));
  writeFileSync(mdPath, lines.join('\n'));
  const jsonPath = join(ROOT, 'bench/results.json');
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(jsonPath, JSON.stringify({ ...json, [part.jsonKey]: { ...(result as object), date, alone: true } }, null, 2) + '\n');
  syncReadme(ROOT);
}

export interface PartOptions {
  /** Rounds (at least 3 unless the part's setting says otherwise). */
  rounds: number;
  /** Whether the gateway runs on core 0 and this process on core 1. */
  pinned: boolean;
  /** `cmd args` on the server core. */
  onServerCore: (args: string[]) => [string, string[]];
}

export interface PartResult {
  rows: string[][];
  notes: string[];
  result: unknown;
}

/**
 * A part run alone (`npx tsx bench/<part>.ts [--write]`): this process re-run on core 1 with the
 * gateway on core 0 when `taskset` is there, 3 rounds; `--write` puts the figures into the results
 * unless BENCH_* settings make it a quick run.
 */
export async function runAlone(part: AlonePart, run: (o: PartOptions) => Promise<PartResult>): Promise<never> {
  const pinned = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).error === undefined && cpus().length >= 2;
  if (pinned && process.env.BENCH_PINNED !== '1') {
    const r = spawnSync('taskset', ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' } });
    process.exit(r.status ?? 1);
  }
  const { rows, notes, result } = await run({ rounds: 3, pinned, onServerCore: (args) => (pinned ? ['taskset', ['-c', '0', ...args]] : [args[0], args.slice(1)]) });
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  for (const note of notes) console.log(note);
  const overrides = Object.keys(process.env).filter((k) => k.startsWith('BENCH_') && k !== 'BENCH_PINNED');
  if (process.argv.includes('--write')) {
    if (overrides.length) console.log(`not written: ${overrides.join(', ')} make this a quick run`);
    else {
      writeAloneResults(part, rows, notes, result);
      console.log(`wrote the ${part.jsonKey} rows into bench/results.md, bench/results.json and README.md`);
    }
  }
  process.exit(0);
}
