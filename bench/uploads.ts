/**
 * `npm run bench`, uploads (issue 15, "Benchmarks"): a BENCH_UPLOAD_BYTES file (1 GB) through the
 * gateway and straight to the simulator, to a new Flai dataset and to a new Mapflow mosaic, in
 * alternating rounds (each round runs every way of each target, in turn in each place of the order):
 *   - Flai straight: the bench itself speaks Flai's direct upload to the simulator, the same 8 MB
 *     chunks of `POST /tools/upload` the gateway sends (one after the other, each a multipart request
 *     written from the byte stream), then `POST /organization/{org}/datasets`;
 *   - Mapflow straight: the bench sends the same multipart body the gateway sends (one part `file`,
 *     framed by the gateway's own `multipartFrame`) as one `POST /rasters/mosaic/image?name=` to the
 *     simulator, which makes the mosaic and the image;
 *   - PUT: `createUpload`, then one plain `PUT` of the whole file to its `uploadUrl` (what `curl -T`
 *     does), answered once the dataset or image is made;
 *   - tus: the same through tus 1.0, one `PATCH` of the whole file from offset 0 (what tus-js-client
 *     sends with its default `chunkSize: Infinity`), answered once the dataset or image is made. To
 *     Mapflow that is the file staged whole on the gateway's disk (UPLOAD_DIR), then sent: the tus
 *     row measures that design, it cannot approach straight.
 * Each time runs from the first byte sent to the dataset or image made; throughput = bytes ÷ time;
 * reported the median ratio gateway ÷ straight over rounds (each round's runs side by side) and its
 * spread. While the bytes pass the gateway, its RSS (VmRSS from /proc, every 100 ms, no /metrics
 * scrape) is sampled: growth = the most seen − the RSS just before the upload.
 *
 * The bytes are made on the fly (one 1 MiB piece sent again and again), no file, and never the whole
 * upload in memory. To Flai the piece begins with `LASF`, so the simulator takes it as a point cloud;
 * to Mapflow the file is a synthetic GeoTIFF: its tags (test/helpers/geotiff.helpers.ts, three bands
 * of as many pixels as the file has bytes ÷ 3), then the piece again and again as its pixels (the
 * simulator reads the tags, stages the rest on disk and sums it). Both simulators stage uploads on
 * disk and delete them; after every run the bench checks that no Flai session, no Mapflow staged
 * upload and nothing under the gateway's UPLOAD_DIR is left, and deletes the Mapflow mosaic made.
 *
 * The simulators run in this process (core 1 when pinned, with the client), the gateway as its own
 * process (`npm start`'s flags, core 0 when pinned). Settings: BENCH_UPLOAD_BYTES (1e9),
 * BENCH_UPLOAD_ROUNDS (3; at least 3 in a full run), BENCH_UPLOADS=0 skips it. Alone:
 * `npm run build && npx tsx bench/uploads.ts` (e.g. with BENCH_UPLOAD_BYTES=100000000 for a quick check).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { multipartFrame } from '../src/datasources/uploads/upload-mapflow.js';
import { UploadByIdDocument, UploadCreateDocument } from '../test/generated/graphql.js';
import { geoTiff } from '../test/helpers/geotiff.helpers.js';
import { GatewaySampler } from './gateway-sampler.js';
import { cpuMs, loadMeter, median, percentile, rssBytes, type Load } from './measure.js';
import { syncReadme } from './readme.js';
import { DEMO_TENANTS, gql, ROOT, startStack, type Stack } from './soak-stack.js';

const mean = (xs: number[]): number => xs.reduce((sum, x) => sum + x, 0) / xs.length;

const setting = (name: string, def: number): number => {
  const v = Number(process.env[name]);
  return process.env[name] && Number.isFinite(v) && v > 0 ? v : def;
};

/** Flai's chunk, as the gateway sends it (src/datasources/uploads/flai-chunker.ts). */
const CHUNK = 8_000_000;
/** The piece of bytes written again and again. */
const PIECE = 1024 * 1024;
const FIRST_CHUNK_INDEX = 10_000;
const TUS = { 'tus-resumable': '1.0.0' };
const TARGET_RATIO = 0.8;
const TARGET_RSS_MB = 64;

type Target = 'flai' | 'mapflow';
type Way = 'straight' | 'put' | 'tus';
const TARGETS: Target[] = ['flai', 'mapflow'];
const WAYS: Way[] = ['straight', 'put', 'tus'];
const VENDOR_NAME: Record<Target, string> = { flai: 'Flai', mapflow: 'Mapflow' };

export interface UploadRun {
  target: Target;
  way: Way;
  round: number;
  bytes: number;
  ms: number;
  /** MB/s (10^6 bytes). */
  rate: number;
  /** Gateway RSS just before the upload, and the most seen while it passed (gateway runs only). */
  rssBefore: number | null;
  rssMax: number | null;
  /** Gateway CPU over the run, ms (gateway runs only). */
  gatewayCpuMs: number | null;
  load: Load;
  /** Flai: where the time went, per 8 MB chunk, as the Flai simulator saw its `/tools/upload` requests (null for Mapflow: one request). */
  chunks: ChunkProfile | null;
}

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

/** Times of the `/tools/upload` requests served by the simulators in this process (node:http's diagnostics channels). */
class ChunkClock {
  private starts = new Map<object, number>();
  spans: { start: number; finish: number }[] = [];
  private readonly onStart = (message: unknown) => {
    const { request } = message as { request: { url?: string } };
    if (request.url?.endsWith('/tools/upload')) this.starts.set(request, performance.now());
  };
  private readonly onFinish = (message: unknown) => {
    const { request } = message as { request: object };
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
type Stats = { median: number; min: number; max: number; rounds: number[] };
/** One target's figures: gateway ÷ straight per way, and the gateway's RSS growth (MB) per way. */
export interface TargetResult {
  put: Stats;
  tus: Stats;
  rssGrowthMb: { put: Stats; tus: Stats };
}
export interface UploadResult {
  bytes: number;
  rounds: number;
  runs: UploadRun[];
  flai: TargetResult;
  mapflow: TargetResult;
  /** Other jobs' CPU during the runs (median), in cores. */
  foreignCores: number;
}

const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const mb = (b: number) => b / 2 ** 20;
const stats = (xs: number[]): Stats => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), rounds: xs });

/** The bytes of the upload: `size` bytes in pieces of one reused 1 MiB buffer. */
const piece = (() => {
  const buf = Buffer.alloc(PIECE);
  for (let offset = 0; offset < PIECE; offset++) buf[offset] = (offset * 31 + (offset >> 13)) & 0xff;
  buf.write('LASF', 0, 'latin1');
  return buf;
})();

/** The first bytes of the file to each target: to Flai the piece itself (it begins `LASF`); to Mapflow the GeoTIFF's tags. */
function fileHead(target: Target, size: number): Buffer {
  if (target === 'flai') return Buffer.alloc(0);
  const side = Math.max(1, Math.floor(Math.sqrt(size / 3)));
  return geoTiff({ width: side, height: side, bands: 3 });
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One HTTP request whose body is `head`, then `size` bytes of the piece sent again and again
 * (aligned to the piece, as a stream read from a file would be), then `tail`; written with backpressure.
 */
async function send(url: string, method: string, headers: Record<string, string>, body: { head?: Buffer; size: number; tail?: Buffer }): Promise<Answer> {
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
  for (let sent = 0; sent < body.size; ) {
    const take = Math.min(PIECE, body.size - sent);
    const drained = req.write(take === PIECE ? piece : piece.subarray(0, take));
    sent += take;
    // A server that answers early (an error) stops reading: the answer ends the wait.
    if (!drained) await Promise.race([once(req, 'drain'), failed, answer]);
  }
  if (tail.length) req.write(tail);
  req.end();
  return answer;
}

/** Flai straight: its chunk protocol to the simulator, then the dataset. */
async function straightToFlai(stack: Stack, size: number): Promise<void> {
  const tenant = DEMO_TENANTS[0];
  const auth = { authorization: `Bearer ${tenant.flai!.token}` };
  const sessionKey = randomUUID();
  let endFilename: string | undefined;
  for (let start = 0, index = FIRST_CHUNK_INDEX; start < size; start += CHUNK, index++) {
    const length = Math.min(CHUNK, size - start);
    const boundary = `----bench-${sessionKey}-${index}`;
    const fields: Record<string, string> = {
      file_name: 'bench.las',
      total_file_size: String(size),
      session_key: sessionKey,
      dataset_type: 'pointcloud',
      chunk_start_byte: String(start),
      chunk_end_byte: String(start + length),
      chunk_index: String(index),
    };
    const head = Buffer.from(
      Object.entries(fields)
        .map(([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
        .join('') + `--${boundary}\r\ncontent-disposition: form-data; name="file_chunk"; filename="blob"\r\ncontent-type: application/octet-stream\r\n\r\n`,
    );
    const res = await send(`${stack.sims.flai.url}/tools/upload`, 'POST', { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, { head, size: length, tail: Buffer.from(`\r\n--${boundary}--\r\n`) });
    if (res.status !== 200) throw new Error(`bench/uploads: chunk ${index} straight to Flai got ${res.status}: ${res.text.slice(0, 300)}`);
    endFilename = (JSON.parse(res.text) as { end_filename?: string }).end_filename;
  }
  if (!endFilename) throw new Error('bench/uploads: Flai named no end_filename after the last chunk');
  const created = await fetch(`${stack.sims.flai.url}/organization/${tenant.flai!.orgId}/datasets`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ dataset_name: 'bench upload', dataset_type_key: 'pointcloud', import_datasource: { datasource_type: 'upload_storage_tmp', datasource_address: '/', path: endFilename } }),
  });
  if (created.status >= 300) throw new Error(`bench/uploads: the dataset straight from Flai got ${created.status}: ${(await created.text()).slice(0, 300)}`);
}

const mapflowAuth = () => ({ authorization: `Basic ${DEMO_TENANTS[0].mapflow!}` });

/** Mapflow straight: the gateway's multipart body, as one request that makes a new mosaic with the image. */
async function straightToMapflow(stack: Stack, size: number): Promise<void> {
  const boundary = `----bench-${randomUUID()}`;
  const { head, tail } = multipartFrame('bench.tif', boundary);
  const tiff = fileHead('mapflow', size);
  const res = await send(
    `${stack.sims.mapflow.url}/rasters/mosaic/image?name=bench`,
    'POST',
    { ...mapflowAuth(), 'content-type': `multipart/form-data; boundary=${boundary}` },
    { head: Buffer.concat([head, tiff]), size: size - tiff.length, tail },
  );
  if (res.status !== 200) throw new Error(`bench/uploads: the image straight to Mapflow got ${res.status}: ${res.text.slice(0, 300)}`);
}

interface CreatedUpload {
  id: string;
  uploadUrl: string;
}

async function createUpload(stack: Stack, target: Target, size: number): Promise<CreatedUpload> {
  const input =
    target === 'flai'
      ? { target: 'FLAI_DATASET', fileName: 'bench.las', size, dataset: { name: 'bench upload', type: 'POINTCLOUD' } }
      : { target: 'MAPFLOW_MOSAIC', fileName: 'bench.tif', size };
  const answer = await gql<{ createUpload: CreatedUpload }>(stack, DEMO_TENANTS[0], UploadCreateDocument, { input });
  if (!answer.data?.createUpload.uploadUrl) throw new Error(`bench/uploads: createUpload failed: ${JSON.stringify(answer.errors).slice(0, 300)}`);
  return answer.data.createUpload;
}

/** Through the gateway, by PUT or tus; resolves once the gateway answered (the dataset or image made). */
async function throughGateway(target: Target, way: 'put' | 'tus', upload: CreatedUpload, size: number): Promise<void> {
  const head = fileHead(target, size);
  const body = { head, size: size - head.length };
  const res =
    way === 'put'
      ? await send(upload.uploadUrl, 'PUT', {}, body)
      : await send(upload.uploadUrl, 'PATCH', { ...TUS, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body);
  const ok = way === 'put' ? res.status === 200 : res.status === 204 && Number(res.headers['upload-offset']) === size;
  if (!ok) throw new Error(`bench/uploads: ${way} to ${VENDOR_NAME[target]} through the gateway got ${res.status}: ${res.text.slice(0, 300)}`);
}

/** What is left on disk: Flai sessions, Mapflow's staged uploads, and bytes under the gateway's UPLOAD_DIR. */
async function leftovers(stack: Stack, uploadDir: string): Promise<string[]> {
  const left: string[] = [];
  const sessions = ((await (await fetch(`${stack.sims.flai.origin}/__sim/uploads`)).json()) as { sessions: unknown[] }).sessions;
  if (sessions.length) left.push(`${sessions.length} Flai upload session(s) still staged`);
  const files = ((await (await fetch(`${stack.sims.mapflow.origin}/__sim/rasters/staging`)).json()) as { files: unknown[] }).files;
  if (files.length) left.push(`${files.length} Mapflow upload(s) still staged`);
  const staged = readdirSync(uploadDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
  if (staged) left.push(`${staged} bytes under UPLOAD_DIR`);
  return left;
}

/** Deletes the bench's mosaics at the Mapflow simulator (its storage stays as it was); how many images they held. */
async function dropBenchMosaics(stack: Stack): Promise<number> {
  const list = (await (await fetch(`${stack.sims.mapflow.url}/rasters/mosaic`, { headers: mapflowAuth() })).json()) as { id: string; name: string }[];
  let images = 0;
  for (const mosaic of list.filter((m) => m.name === 'bench')) {
    const held = (await (await fetch(`${stack.sims.mapflow.url}/rasters/mosaic/${mosaic.id}/image`, { headers: mapflowAuth() })).json()) as unknown[];
    images += held.length;
    const res = await fetch(`${stack.sims.mapflow.url}/rasters/mosaic/${mosaic.id}`, { method: 'DELETE', headers: mapflowAuth() });
    if (res.status >= 300) throw new Error(`bench/uploads: deleting a bench mosaic got ${res.status}`);
  }
  return images;
}

export interface UploadBenchOptions {
  /** Rounds (at least 3 unless BENCH_UPLOAD_ROUNDS says otherwise). */
  rounds: number;
  /** Whether the gateway runs on core 0 and this process on core 1. */
  pinned: boolean;
  /** `cmd args` on the server core. */
  onServerCore: (args: string[]) => [string, string[]];
}

export async function runUploadBench(o: UploadBenchOptions): Promise<{ rows: string[][]; notes: string[]; result: UploadResult | null }> {
  if (process.env.BENCH_UPLOADS === '0') return { rows: [], notes: ['Uploads: skipped (BENCH_UPLOADS=0).'], result: null };
  const size = setting('BENCH_UPLOAD_BYTES', 1_000_000_000);
  const rounds = Math.round(setting('BENCH_UPLOAD_ROUNDS', Math.max(3, o.rounds)));
  console.log(`\nuploads: ${fmt(size / 1e6, 0)} MB to a Flai dataset and to a Mapflow mosaic, ${rounds} alternating rounds of straight / PUT / tus`);
  const uploadDir = mkdtempSync(join(tmpdir(), 'bench-uploads-'));
  const alpha = DEMO_TENANTS[0];
  const stack = await startStack({
    timeScale: 0,
    wrap: o.onServerCore,
    env: { FLAI_TOKEN: alpha.flai!.token, FLAI_ORG_ID: alpha.flai!.orgId, UPLOAD_DIR: uploadDir },
  });
  const runs: UploadRun[] = [];
  const clock = new ChunkClock();
  try {
    // Room at Mapflow for the images (each run's mosaic is deleted after it).
    const limits = await fetch(`${stack.sims.mapflow.origin}/__sim/rasters/limits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: alpha.name, memoryLimit: 1e12, maxUploadFileSize: Math.max(2 * 1024 ** 3, 2 * size) }),
    });
    if (limits.status >= 300) throw new Error(`bench/uploads: the Mapflow simulator's limits got ${limits.status}`);
    // One small upload each way first (connections, JIT), not counted.
    const warm = Math.min(size, 2 * CHUNK + 1000);
    for (const target of TARGETS) {
      await (target === 'flai' ? straightToFlai : straightToMapflow)(stack, warm);
      for (const way of ['put', 'tus'] as const) await throughGateway(target, way, await createUpload(stack, target, warm), warm);
      await dropBenchMosaics(stack);
    }
    for (let round = 0; round < rounds; round++) {
      for (const target of TARGETS) {
        for (const way of WAYS.map((_, i) => WAYS[(i + round) % 3])) {
          const upload = way === 'straight' ? null : await createUpload(stack, target, size);
          const sampler = new GatewaySampler(stack.gateway.origin, stack.gateway.pid);
          sampler.scrape = false;
          const rssBefore = rssBytes(stack.gateway.pid);
          const load = loadMeter([stack.gateway.pid]);
          await sampler.start(100);
          const cpu0 = cpuMs(stack.gateway.pid);
          clock.reset();
          const t0 = performance.now();
          if (upload) await throughGateway(target, way as 'put' | 'tus', upload, size);
          else await (target === 'flai' ? straightToFlai : straightToMapflow)(stack, size);
          const end = performance.now();
          const ms = end - t0;
          const chunks = target === 'flai' ? clock.profile(t0, end) : null;
          sampler.stop();
          const measured = load();
          const rssMax = Math.max(rssBefore, rssBytes(stack.gateway.pid), ...sampler.samples.map((s) => s.rss));
          if (upload) {
            const state = await gql<{ upload: { state: string } | null }>(stack, alpha, UploadByIdDocument, { id: upload.id });
            if (state.data?.upload?.state !== 'SUCCEEDED') throw new Error(`bench/uploads: the ${way} upload to ${VENDOR_NAME[target]} ended ${JSON.stringify(state.data?.upload ?? state.errors)}`);
          }
          const left = await leftovers(stack, uploadDir);
          if (left.length) throw new Error(`bench/uploads: after the ${way} upload to ${VENDOR_NAME[target]}: ${left.join('; ')}`);
          if (target === 'mapflow' && (await dropBenchMosaics(stack)) !== 1) throw new Error(`bench/uploads: the ${way} upload to Mapflow did not leave exactly one image`);
          const run: UploadRun = {
            target,
            way,
            round,
            bytes: size,
            ms,
            rate: size / 1e6 / (ms / 1000),
            rssBefore: upload ? rssBefore : null,
            rssMax: upload ? rssMax : null,
            gatewayCpuMs: upload ? cpuMs(stack.gateway.pid) - cpu0 : null,
            load: measured,
            chunks,
          };
          runs.push(run);
          console.log(
            `  round ${round + 1} ${VENDOR_NAME[target].padEnd(7)} ${way.padEnd(8)} ${fmt(ms, 0).padStart(6)} ms  ${fmt(run.rate, 1).padStart(6)} MB/s` +
              (upload ? `  gateway RSS ${fmt(mb(rssBefore), 1)} → max ${fmt(mb(rssMax), 1)} MB (+${fmt(mb(rssMax - rssBefore), 1)}), CPU ${fmt(run.gatewayCpuMs!, 0)} ms` : '') +
              (chunks
                ? `  per chunk (mean): at Flai ${fmt(chunks.atFlaiMs, 1)} ms, between ${fmt(chunks.betweenMs, 1)} ms (p90 ${fmt(chunks.betweenP90Ms, 1)}; ${chunks.count} chunks, first after ${fmt(chunks.firstMs, 0)} ms, dataset ${fmt(chunks.lastMs, 0)} ms after the last)`
                : '') +
              (measured.foreignCores > 0.1 ? `  other jobs ${fmt(measured.foreignCores, 2)} cores` : ''),
          );
        }
      }
    }
  } finally {
    clock.close();
    await stack.close();
    rmSync(uploadDir, { recursive: true, force: true });
  }
  const of = (target: Target, way: Way) => runs.filter((r) => r.target === target && r.way === way).sort((a, b) => a.round - b.round);
  const targetResult = (target: Target): TargetResult => {
    const base = of(target, 'straight');
    const ratio = (way: 'put' | 'tus') => stats(of(target, way).map((r, i) => r.rate / base[i].rate));
    const growth = (way: 'put' | 'tus') => stats(of(target, way).map((r) => mb(r.rssMax! - r.rssBefore!)));
    return { put: ratio('put'), tus: ratio('tus'), rssGrowthMb: { put: growth('put'), tus: growth('tus') } };
  };
  const result: UploadResult = {
    bytes: size,
    rounds,
    runs,
    flai: targetResult('flai'),
    mapflow: targetResult('mapflow'),
    foreignCores: median(runs.map((r) => r.load.foreignCores)),
  };
  const rate = (target: Target, way: Way) => `${fmt(median(of(target, way).map((r) => r.rate)), 0)} MB/s`;
  const size1 = `${fmt(size / 1e9, size >= 1e9 ? 0 : 2)} GB`;
  const straightAs: Record<Target, string> = { flai: 'the same 8 MB chunks straight', mapflow: 'the same multipart body straight' };
  const wayName: Record<Target, Record<'put' | 'tus', string>> = {
    flai: { put: 'PUT', tus: 'tus' },
    mapflow: { put: 'PUT', tus: 'tus (staged on disk, then sent)' },
  };
  const rows: string[][] = [];
  for (const target of TARGETS) {
    const r = result[target];
    for (const way of ['put', 'tus'] as const) {
      rows.push([
        `Upload ${size1} to ${VENDOR_NAME[target]}, ${wayName[target][way]}: throughput through the gateway ÷ straight to the simulator`,
        rate(target, way),
        `${rate(target, 'straight')} (${straightAs[target]})`,
        fmt(r[way].median),
        `${fmt(r[way].min)}–${fmt(r[way].max)}`,
        `≥ ${TARGET_RATIO}`,
      ]);
    }
    const rssBase = median(runs.filter((x) => x.target === target && x.rssBefore !== null).map((x) => mb(x.rssBefore!)));
    rows.push([
      `Upload ${size1} to ${VENDOR_NAME[target]}: gateway RSS growth while it passes (max − before), PUT / tus`,
      `${fmt(r.rssGrowthMb.put.median, 1)} / ${fmt(r.rssGrowthMb.tus.median, 1)} MB`,
      `${fmt(rssBase, 1)} MB before (median)`,
      '—',
      `${fmt(r.rssGrowthMb.put.min, 1)}–${fmt(r.rssGrowthMb.put.max, 1)} / ${fmt(r.rssGrowthMb.tus.min, 1)}–${fmt(r.rssGrowthMb.tus.max, 1)} MB`,
      `≤ ${TARGET_RSS_MB} MB`,
    ]);
  }
  const notes = [
    `Uploads: ${size1} (${size} bytes, made on the fly) to a new Flai dataset and to a new Mapflow mosaic, ${rounds} rounds, each running, per target, straight (to Flai the bench sends its 8 MB \`/tools/upload\` chunks one after the other to the simulator, then creates the dataset; to Mapflow it sends the gateway's multipart body as one \`POST /rasters/mosaic/image\`), a plain PUT to the gateway's \`uploadUrl\`, and a tus PATCH of the whole file from offset 0, in turn in each place of the order; time from the first byte to the dataset or image made; ratio = median over rounds of gateway MB/s ÷ straight MB/s in the same round. To Mapflow the file is a synthetic GeoTIFF (its tags, then the pixels' bytes) and a tus upload is staged whole on the gateway's disk before it is sent, by design. Gateway RSS from /proc every 100 ms (no /metrics scrape) while the bytes pass, growth = most − just before. Simulators and client in the bench's process${o.pinned ? ' (core 1)' : ''}, the gateway its own process${o.pinned ? ' (core 0)' : ''}. After every run no Flai session, no Mapflow staged upload and no byte under UPLOAD_DIR was left. Other jobs on the machine meanwhile: ${fmt(result.foreignCores, 2)} cores (median).`,
  ];
  return { rows, notes, result };
}

// ---------------------------------------------------------------- alone: `npx tsx bench/uploads.ts`

/**
 * Puts this part's rows and note into bench/results.md (in place of the upload rows and note of an
 * earlier run, the other figures kept), its result into bench/results.json, and the table into README.md.
 */
function writeResults(rows: string[][], notes: string[], result: UploadResult | null): void {
  const mdPath = join(ROOT, 'bench/results.md');
  const lines = readFileSync(mdPath, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('| Upload ') && !line.startsWith('Uploads: '));
  let lastRow = lines.findLastIndex((line) => line.startsWith('|'));
  lines.splice(lastRow + 1, 0, ...rows.map((row) => `| ${row.join(' | ')} |`));
  lastRow += rows.length;
  const at = lines.length && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  lines.splice(at, 0, ...notes.map((note) => `${note} (These rows: \`npx tsx bench/uploads.ts\` alone, ${new Date().toISOString()}; the rest of the table is from the date above.)`));
  writeFileSync(mdPath, lines.join('\n'));
  const jsonPath = join(ROOT, 'bench/results.json');
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(jsonPath, JSON.stringify({ ...json, uploads: { ...result, date: new Date().toISOString(), alone: true } }, null, 2) + '\n');
  syncReadme(ROOT);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const pinned = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).error === undefined && cpus().length >= 2;
  if (pinned && process.env.BENCH_PINNED !== '1') {
    const r = spawnSync('taskset', ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' } });
    process.exit(r.status ?? 1);
  }
  const { rows, notes, result } = await runUploadBench({ rounds: 3, pinned, onServerCore: (args) => (pinned ? ['taskset', ['-c', '0', ...args]] : [args[0], args.slice(1)]) });
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  for (const note of notes) console.log(note);
  const overrides = Object.keys(process.env).filter((k) => k.startsWith('BENCH_') && k !== 'BENCH_PINNED');
  if (process.argv.includes('--write')) {
    if (overrides.length) console.log(`not written: ${overrides.join(', ')} make this a quick run`);
    else {
      writeResults(rows, notes, result);
      console.log('wrote the upload rows into bench/results.md, bench/results.json and README.md');
    }
  }
  process.exit(0);
}
