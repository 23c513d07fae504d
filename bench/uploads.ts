/**
 * `npm run bench`, uploads (issue 15, "Benchmarks"): a BENCH_UPLOAD_BYTES file (1 GB) to a new Flai
 * dataset, in alternating rounds of three runs each:
 *   - straight: the bench itself speaks Flai's direct upload to the simulator, the same 8 MB chunks
 *     of `POST /tools/upload` the gateway sends (one after the other, each a multipart request
 *     written from the byte stream), then `POST /organization/{org}/datasets`;
 *   - PUT: `createUpload`, then one plain `PUT` of the whole file to its `uploadUrl` (what `curl -T`
 *     does), answered once the dataset is made;
 *   - tus: the same through tus 1.0, one `PATCH` of the whole file from offset 0 (what tus-js-client
 *     sends with its default `chunkSize: Infinity`), answered once the dataset is made.
 * Each time runs from the first byte sent to the dataset made; throughput = bytes ÷ time; reported
 * the median ratio gateway ÷ straight over rounds (each round's runs side by side) and its spread.
 * While the bytes pass the gateway, its RSS (VmRSS from /proc, every 100 ms, no /metrics scrape) is
 * sampled: growth = the most seen − the RSS just before the upload.
 *
 * The bytes are made on the fly (one 1 MiB piece sent again and again; it begins with `LASF`, so the
 * simulator takes it as a point cloud): no file, and never the whole upload in memory. The Flai
 * simulator stages chunks on disk and deletes them once the dataset is made; after every run the
 * bench checks that no session is left there and nothing under the gateway's UPLOAD_DIR.
 *
 * Mapflow is not measured: its simulator reads an image upload's body whole into memory and refuses
 * bodies over 20 MB (src/simulators/core/sim-server.ts, MAX_BODY), so a 1 GB GeoTIFF cannot reach it.
 *
 * The simulators run in this process (core 1 when pinned, with the client), the gateway as its own
 * process (`npm start`'s flags, core 0 when pinned). Settings: BENCH_UPLOAD_BYTES (1e9),
 * BENCH_UPLOAD_ROUNDS (3; at least 3 in a full run), BENCH_UPLOADS=0 skips it. Alone:
 * `npm run build && npx tsx bench/uploads.ts` (e.g. with BENCH_UPLOAD_BYTES=100000000 for a quick check).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UploadByIdDocument, UploadCreateDocument } from '../test/generated/graphql.js';
import {
  CHUNK,
  ChunkClock,
  createUploadedDataset,
  fmt,
  mb,
  postChunk,
  runAlone,
  send,
  stagedSessions,
  stats,
  type ChunkProfile,
  type PartOptions,
  type Stats,
} from './flai-direct.js';
import { GatewaySampler } from './gateway-sampler.js';
import { cpuMs, loadMeter, median, rssBytes, type Load } from './measure.js';
import { DEMO_TENANTS, gql, type Stack, startStack } from './soak-stack.js';

const setting = (name: string, def: number): number => {
  const v = Number(process.env[name]);
  return process.env[name] && Number.isFinite(v) && v > 0 ? v : def;
};

/** The piece of bytes written again and again. */
const PIECE = 1024 * 1024;
const TUS = { 'tus-resumable': '1.0.0' };
const TARGET_RATIO = 0.8;
const TARGET_RSS_MB = 64;

type Way = 'straight' | 'put' | 'tus';
export interface UploadRun {
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
  /** Where the time went, per 8 MB chunk (medians), as the Flai simulator saw its `/tools/upload` requests. */
  chunks: ChunkProfile;
}

export interface UploadResult {
  bytes: number;
  rounds: number;
  runs: UploadRun[];
  put: Stats;
  tus: Stats;
  rssGrowthMb: { put: Stats; tus: Stats };
  /** Other jobs' CPU during the runs (median), in cores. */
  foreignCores: number;
}

/** The 1 MiB piece the upload's bytes are made of. */
const piece = (() => {
  const buf = Buffer.alloc(PIECE);
  for (let offset = 0; offset < PIECE; offset++) buf[offset] = (offset * 31 + (offset >> 13)) & 0xff;
  buf.write('LASF', 0, 'latin1');
  return buf;
})();

/** The upload's bytes: the one piece again and again (`send` takes as many as it needs). */
function* pieces(): Generator<Buffer> {
  for (;;) yield piece;
}

/** The straight way: Flai's chunk protocol to the simulator, then the dataset. */
async function straight(stack: Stack, size: number): Promise<void> {
  const sessionKey = randomUUID();
  let endFilename: string | undefined;
  for (let start = 0, n = 0; start < size; start += CHUNK, n++) {
    endFilename = await postChunk(stack, { sessionKey, fileName: 'bench.las', size, start, length: Math.min(CHUNK, size - start), n }, pieces());
  }
  await createUploadedDataset(stack, endFilename, 'bench upload');
}

interface CreatedUpload {
  id: string;
  uploadUrl: string;
}

async function createUpload(stack: Stack, size: number): Promise<CreatedUpload> {
  const answer = await gql<{ createUpload: CreatedUpload }>(stack, DEMO_TENANTS[0], UploadCreateDocument, {
    input: { target: 'FLAI_DATASET', fileName: 'bench.las', size, dataset: { name: 'bench upload', type: 'POINTCLOUD' } },
  });
  if (!answer.data?.createUpload.uploadUrl) throw new Error(`bench/uploads: createUpload failed: ${JSON.stringify(answer.errors).slice(0, 300)}`);
  return answer.data.createUpload;
}

/** Through the gateway, by PUT or tus; resolves once the gateway answered (the dataset made). */
async function throughGateway(way: 'put' | 'tus', upload: CreatedUpload, size: number): Promise<void> {
  const res =
    way === 'put'
      ? await send(upload.uploadUrl, 'PUT', {}, { size, pieces: pieces() })
      : await send(upload.uploadUrl, 'PATCH', { ...TUS, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, { size, pieces: pieces() });
  const ok = way === 'put' ? res.status === 200 : res.status === 204 && Number(res.headers['upload-offset']) === size;
  if (!ok) throw new Error(`bench/uploads: ${way} through the gateway got ${res.status}: ${res.text.slice(0, 300)}`);
}

/** What is left on disk: Flai sessions, and bytes under the gateway's UPLOAD_DIR. */
async function leftovers(stack: Stack, uploadDir: string): Promise<string[]> {
  const left: string[] = [];
  const sessions = await stagedSessions(stack);
  if (sessions) left.push(`${sessions} Flai upload session(s) still staged`);
  const staged = readdirSync(uploadDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
  if (staged) left.push(`${staged} bytes under UPLOAD_DIR`);
  return left;
}

export async function runUploadBench(o: PartOptions): Promise<{ rows: string[][]; notes: string[]; result: UploadResult | null }> {
  if (process.env.BENCH_UPLOADS === '0') return { rows: [], notes: ['Uploads: skipped (BENCH_UPLOADS=0).'], result: null };
  const size = setting('BENCH_UPLOAD_BYTES', 1_000_000_000);
  const rounds = Math.round(setting('BENCH_UPLOAD_ROUNDS', Math.max(3, o.rounds)));
  console.log(`\nuploads: ${fmt(size / 1e6, 0)} MB to a Flai dataset, ${rounds} alternating rounds of straight / PUT / tus`);
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
    // One small upload each way first (connections, JIT), not counted.
    const warm = Math.min(size, 2 * CHUNK + 1000);
    await straight(stack, warm);
    for (const way of ['put', 'tus'] as const) await throughGateway(way, await createUpload(stack, warm), warm);
    const ways: Way[] = ['straight', 'put', 'tus'];
    for (let round = 0; round < rounds; round++) {
      for (const way of ways.map((_, i) => ways[(i + round) % 3])) {
        const upload = way === 'straight' ? null : await createUpload(stack, size);
        const sampler = new GatewaySampler(stack.gateway.origin, stack.gateway.pid);
        sampler.scrape = false;
        const rssBefore = rssBytes(stack.gateway.pid);
        const load = loadMeter([stack.gateway.pid]);
        await sampler.start(100);
        const cpu0 = cpuMs(stack.gateway.pid);
        clock.reset();
        const t0 = performance.now();
        if (upload) await throughGateway(way as 'put' | 'tus', upload, size);
        else await straight(stack, size);
        const end = performance.now();
        const ms = end - t0;
        const chunks = clock.profile(t0, end);
        sampler.stop();
        const measured = load();
        const rssMax = Math.max(rssBefore, rssBytes(stack.gateway.pid), ...sampler.samples.map((s) => s.rss));
        if (upload) {
          const state = await gql<{ upload: { state: string } | null }>(stack, alpha, UploadByIdDocument, { id: upload.id });
          if (state.data?.upload?.state !== 'SUCCEEDED') throw new Error(`bench/uploads: the ${way} upload ended ${JSON.stringify(state.data?.upload ?? state.errors)}`);
        }
        const left = await leftovers(stack, uploadDir);
        if (left.length) throw new Error(`bench/uploads: after the ${way} upload: ${left.join('; ')}`);
        const run: UploadRun = {
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
          `  round ${round + 1} ${way.padEnd(8)} ${fmt(ms, 0).padStart(6)} ms  ${fmt(run.rate, 1).padStart(6)} MB/s` +
            (upload ? `  gateway RSS ${fmt(mb(rssBefore), 1)} → max ${fmt(mb(rssMax), 1)} MB (+${fmt(mb(rssMax - rssBefore), 1)}), CPU ${fmt(run.gatewayCpuMs!, 0)} ms` : '') +
            `  per chunk (mean): at Flai ${fmt(chunks.atFlaiMs, 1)} ms, between ${fmt(chunks.betweenMs, 1)} ms (p90 ${fmt(chunks.betweenP90Ms, 1)}; ${chunks.count} chunks, first after ${fmt(chunks.firstMs, 0)} ms, dataset ${fmt(chunks.lastMs, 0)} ms after the last)` +
            (measured.foreignCores > 0.1 ? `  other jobs ${fmt(measured.foreignCores, 2)} cores` : ''),
        );
      }
    }
  } finally {
    clock.close();
    await stack.close();
    rmSync(uploadDir, { recursive: true, force: true });
  }
  const of = (way: Way) => runs.filter((r) => r.way === way).sort((a, b) => a.round - b.round);
  const base = of('straight');
  const ratio = (way: 'put' | 'tus') => stats(of(way).map((r, i) => r.rate / base[i].rate));
  const growth = (way: 'put' | 'tus') => stats(of(way).map((r) => mb(r.rssMax! - r.rssBefore!)));
  const result: UploadResult = {
    bytes: size,
    rounds,
    runs,
    put: ratio('put'),
    tus: ratio('tus'),
    rssGrowthMb: { put: growth('put'), tus: growth('tus') },
    foreignCores: median(runs.map((r) => r.load.foreignCores)),
  };
  const rate = (way: Way) => `${fmt(median(of(way).map((r) => r.rate)), 0)} MB/s`;
  const size1 = `${fmt(size / 1e9, size >= 1e9 ? 0 : 2)} GB`;
  const rows = (['put', 'tus'] as const).map((way) => [
    `Upload ${size1} to Flai, ${way === 'put' ? 'PUT' : 'tus'}: throughput through the gateway ÷ straight to the simulator`,
    rate(way),
    `${rate('straight')} (the same 8 MB chunks straight)`,
    fmt(result[way].median),
    `${fmt(result[way].min)}–${fmt(result[way].max)}`,
    `≥ ${TARGET_RATIO}`,
  ]);
  const rssBase = median(runs.filter((r) => r.rssBefore !== null).map((r) => mb(r.rssBefore!)));
  rows.push([
    `Upload ${size1}: gateway RSS growth while it passes (max − before), PUT / tus`,
    `${fmt(result.rssGrowthMb.put.median, 1)} / ${fmt(result.rssGrowthMb.tus.median, 1)} MB`,
    `${fmt(rssBase, 1)} MB before (median)`,
    '—',
    `${fmt(result.rssGrowthMb.put.min, 1)}–${fmt(result.rssGrowthMb.put.max, 1)} / ${fmt(result.rssGrowthMb.tus.min, 1)}–${fmt(result.rssGrowthMb.tus.max, 1)} MB`,
    `≤ ${TARGET_RSS_MB} MB`,
  ]);
  const notes = [
    `Uploads: ${size1} (${size} bytes, made on the fly) to a new Flai dataset, ${rounds} rounds, each running straight (the bench sends Flai's 8 MB \`/tools/upload\` chunks one after the other to the simulator, then creates the dataset), a plain PUT to the gateway's \`uploadUrl\`, and a tus PATCH of the whole file from offset 0, in turn in each place of the order; time from the first byte to the dataset made; ratio = median over rounds of gateway MB/s ÷ straight MB/s in the same round. Gateway RSS from /proc every 100 ms (no /metrics scrape) while the bytes pass, growth = most − just before. Simulators and client in the bench's process${o.pinned ? ' (core 1)' : ''}, the gateway its own process${o.pinned ? ' (core 0)' : ''}. After every run no Flai session and no byte under UPLOAD_DIR was left. Other jobs on the machine meanwhile: ${fmt(result.foreignCores, 2)} cores (median). Mapflow is not measured: its simulator reads an image upload's body whole into memory and refuses bodies over 20 MB, so a 1 GB GeoTIFF cannot reach it.`,
  ];
  return { rows, notes, result };
}

// ---------------------------------------------------------------- alone: `npx tsx bench/uploads.ts`

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runAlone({ rowPrefix: '| Upload ', notePrefix: 'Uploads: ', jsonKey: 'uploads', command: 'npx tsx bench/uploads.ts' }, runUploadBench);
}
