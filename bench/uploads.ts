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
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { multipartFrame } from '../src/datasources/uploads/upload-mapflow.js';
import { UploadByIdDocument, UploadCreateDocument } from '../test/generated/graphql.js';
import { geoTiff } from '../test/helpers/geotiff.helpers.js';
import {
  CHUNK,
  ChunkClock,
  createUploadedDataset,
  fmt,
  mb,
  postChunk,
  runAlone,
  runLine,
  setting,
  send,
  stagedSessions,
  stats,
  watchGateway,
  type PartOptions,
  type Stats,
  type TransferRun,
} from './flai-direct.js';
import { median } from './measure.js';
import { DEMO_TENANTS, gql, startStack, type Stack } from './soak-stack.js';

/** The piece of bytes written again and again. */
const PIECE = 1024 * 1024;
const TUS = { 'tus-resumable': '1.0.0' };
const TARGET_RATIO = 0.8;
const TARGET_RSS_MB = 64;

type Target = 'flai' | 'mapflow';
type Way = 'straight' | 'put' | 'tus';
const TARGETS: Target[] = ['flai', 'mapflow'];
const WAYS: Way[] = ['straight', 'put', 'tus'];
const VENDOR_NAME: Record<Target, string> = { flai: 'Flai', mapflow: 'Mapflow' };

export interface UploadRun extends TransferRun {
  target: Target;
  way: Way;
}

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

/** The 1 MiB piece the upload's bytes are made of. */
const piece = (() => {
  const buf = Buffer.alloc(PIECE);
  for (let offset = 0; offset < PIECE; offset++) buf[offset] = (offset * 31 + (offset >> 13)) & 0xff;
  buf.write('LASF', 0, 'latin1');
  return buf;
})();

/** The upload's bytes: the one piece again and again (aligned to the piece, as a stream read from a file would be; `send` takes as many as it needs). */
function* pieces(): Generator<Buffer> {
  for (;;) yield piece;
}

/** The first bytes of the file to each target: to Flai the piece itself (it begins `LASF`); to Mapflow the GeoTIFF's tags. */
function fileHead(target: Target, size: number): Buffer {
  if (target === 'flai') return Buffer.alloc(0);
  const side = Math.max(1, Math.floor(Math.sqrt(size / 3)));
  return geoTiff({ width: side, height: side, bands: 3 });
}

/** Flai straight: its chunk protocol to the simulator, then the dataset. */
async function straightToFlai(stack: Stack, size: number): Promise<void> {
  const sessionKey = randomUUID();
  let endFilename: string | undefined;
  for (let start = 0, n = 0; start < size; start += CHUNK, n++) {
    endFilename = await postChunk(stack, { sessionKey, fileName: 'bench.las', size, start, length: Math.min(CHUNK, size - start), n }, pieces());
  }
  await createUploadedDataset(stack, endFilename, 'bench upload');
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
    { head: Buffer.concat([head, tiff]), size: size - tiff.length, pieces: pieces(), tail },
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
  const body = { head, size: size - head.length, pieces: pieces() };
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
  const sessions = await stagedSessions(stack);
  if (sessions) left.push(`${sessions} Flai upload session(s) still staged`);
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

export async function runUploadBench(o: PartOptions): Promise<{ rows: string[][]; notes: string[]; result: UploadResult | null }> {
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
          const watched = await watchGateway(stack);
          clock.reset();
          const t0 = performance.now();
          if (upload) await throughGateway(target, way as 'put' | 'tus', upload, size);
          else await (target === 'flai' ? straightToFlai : straightToMapflow)(stack, size);
          const end = performance.now();
          const ms = end - t0;
          const chunks = target === 'flai' ? clock.profile(t0, end) : null;
          const gateway = watched();
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
            rssBefore: upload ? gateway.rssBefore : null,
            rssMax: upload ? gateway.rssMax : null,
            gatewayCpuMs: upload ? gateway.cpuMs : null,
            load: gateway.load,
            chunks,
          };
          runs.push(run);
          console.log(runLine(`${VENDOR_NAME[target].padEnd(7)} ${way.padEnd(8)}`, run));
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runAlone({ rowPrefix: '| Upload ', notePrefix: 'Uploads: ', jsonKey: 'uploads', command: 'npx tsx bench/uploads.ts' }, runUploadBench);
}
