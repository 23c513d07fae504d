/**
 * `npm run bench`, classifyPointcloud's transfer (issue 16, "Benchmarks"): a Cupix SUB of
 * BENCH_CLASSIFY_BYTES (1 GB; the Cupix simulator makes its `.cpc` bytes as it sends them) into a new
 * Flai dataset, in alternating rounds of two runs each:
 *   - straight: the bench itself, no gateway: GET the storage URL of the sub's download (the 302's
 *     `Location`, asked just before the clock starts), cut the body into Flai's 8 MB `POST /tools/upload`
 *     chunks, POST them one after the other (the next chunk is read while one is at Flai, as the
 *     gateway does), then `POST /organization/{org}/datasets` from the upload;
 *   - gateway: `classifyPointcloud` on the same sub with a template flow; the gateway checks the sub and
 *     the flow, asks Cupix for the download, follows the 302, streams the bytes into Flai's chunks and
 *     makes the dataset (its TRANSFERRING stage, and IMPORTING's first call).
 * What is timed, both ways: from just before the first request (the storage GET; the mutation) to
 * the Flai simulator's answer to the dataset create, seen in this process (node:http's diagnostics
 * channels), so both ends are the same clock. The gateway's time thus includes its checks before the
 * transfer (a few vendor calls, milliseconds) and not what follows the dataset (the import and the
 * flow: the job is cancelled once the dataset is made). Throughput = bytes ÷ time; reported the
 * median ratio gateway ÷ straight over rounds (each round's two runs side by side) and its spread.
 * While the bytes pass, the gateway's RSS (VmRSS from /proc, every 100 ms, no /metrics scrape) is
 * sampled: growth = the most seen − the RSS just before the mutation.
 *
 * The gateway runs without REDIS_URL (the in-process runner, the embedded default); with REDIS_URL each
 * chunk also writes the job's record to Redis. The simulators and the client run in this process
 * (core 1 when pinned), the gateway as its own process (`npm start`'s flags, core 0 when pinned): the
 * direct pipe shares its core with both simulators and the gateway does not, so the ratio can pass 1.
 * Settings: BENCH_CLASSIFY_BYTES (1e9), BENCH_CLASSIFY_ROUNDS (3; at least 3 in a full run),
 * BENCH_CLASSIFY=0 skips it. Alone: `npm run build && npx tsx bench/classify.ts [--write]` (e.g. with
 * BENCH_CLASSIFY_BYTES=100000000 for a quick check).
 */
import { randomUUID } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { pathToFileURL } from 'node:url';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CUPIX_DEMO_TENANTS } from '../src/simulators/cupix/index.js';
import { ClassifyByIdDocument, ClassifyCancelDocument, ClassifyFlowTemplatesDocument, ClassifyStartDocument, ClassifyUpdatedDocument } from '../test/generated/graphql.js';
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
  stagedSessions,
  stats,
  watchGateway,
  type ChunkProfile,
  type PartOptions,
  type Stats,
  type TransferRun,
} from './flai-direct.js';
import { median } from './measure.js';
import { credentialHeaders, DEMO_TENANTS, gql, startStack, type Stack } from './soak-stack.js';

/** The documented Cupix sub of tenant `alpha` (a `.cpc`) and the template flow run on it. */
const SUB_ID = '5310';
const FLOW_TITLE = 'Ground classification';
const TARGET_RATIO = 0.8;
const TARGET_RSS_MB = 64;

type Way = 'straight' | 'gateway';
export interface ClassifyRun extends TransferRun {
  way: Way;
  /** Where the time went, per 8 MB chunk, as the Flai simulator saw its `/tools/upload` requests. */
  chunks: ChunkProfile;
}

export interface ClassifyResult {
  bytes: number;
  rounds: number;
  runs: ClassifyRun[];
  /** Per round: gateway MB/s ÷ straight MB/s. */
  ratio: Stats;
  rssGrowthMb: Stats;
  /** Other jobs' CPU during the runs (median), in cores. */
  foreignCores: number;
}

const alpha = DEMO_TENANTS[0];
const cupixToken = CUPIX_DEMO_TENANTS[0].token;

/** Gives the sub its declared size: the Cupix simulator then serves that many bytes. */
async function resize(stack: Stack, size: number): Promise<void> {
  const res = await fetch(`${stack.sims.cupix.origin}/__sim/pointclouds/${alpha.name}/${SUB_ID}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filesize: size }),
  });
  if (res.status !== 200) throw new Error(`bench/classify: resizing the sub got ${res.status}: ${await res.text()}`);
}

/** The storage URL Cupix's download redirects to (presigned). */
async function storageUrl(stack: Stack): Promise<string> {
  const res = await fetch(`${stack.sims.cupix.url}/pointclouds/${SUB_ID}/download`, { headers: { 'x-cupix-auth': cupixToken }, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`bench/classify: Cupix's download answered ${res.status} without a redirect`);
  return location;
}

function get(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => request(url, { method: 'GET' }, resolve).on('error', reject).end());
}

/**
 * The straight pipe: the storage body cut into 8 MB chunks, each POSTed to Flai once full while the
 * next fills (one chunk at Flai at a time), then the dataset.
 */
async function straight(stack: Stack, url: string, size: number): Promise<void> {
  const res = await get(url);
  if (res.statusCode !== 200) throw new Error(`bench/classify: the storage GET answered ${res.statusCode}`);
  const sessionKey = randomUUID();
  const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  let fill = 0;
  let start = 0;
  let n = 0;
  let atFlai: Promise<string | undefined> = Promise.resolve(undefined);
  const post = async (length: number) => {
    await atFlai;
    const chunk = buffers[n % 2].subarray(0, length);
    atFlai = postChunk(stack, { sessionKey, fileName: `${SUB_ID}.cpc`, size, start, length, n }, [chunk]);
    // A failed chunk rejects when awaited next; until then it must not go unhandled.
    atFlai.catch(() => undefined);
    start += length;
    n++;
    fill = 0;
  };
  for await (const data of res as AsyncIterable<Buffer>) {
    for (let at = 0; at < data.length; ) {
      const take = Math.min(CHUNK - fill, data.length - at);
      data.copy(buffers[n % 2], fill, at, at + take);
      fill += take;
      at += take;
      if (fill === CHUNK) await post(CHUNK);
    }
  }
  if (fill > 0) await post(fill);
  const endFilename = await atFlai;
  if (start !== size) throw new Error(`bench/classify: the storage sent ${start} of ${size} bytes`);
  await createUploadedDataset(stack, endFilename, `${SUB_ID} straight`);
}

async function flowId(stack: Stack): Promise<string> {
  const answer = await gql<{ flowTemplates: { id: string; title: string }[] }>(stack, alpha, ClassifyFlowTemplatesDocument);
  const flow = answer.data?.flowTemplates.find((f) => f.title === FLOW_TITLE);
  if (!flow) throw new Error(`bench/classify: no template flow "${FLOW_TITLE}": ${JSON.stringify(answer.errors ?? answer.data).slice(0, 300)}`);
  return flow.id;
}

interface JobEvent {
  state: string;
  stage: string;
  isTerminal: boolean;
  error?: string | null;
}

/**
 * Through the gateway: the mutation, then the job followed over `pointcloudClassificationUpdated`
 * until the Flai simulator made its dataset (`made`); a job that ends before fails the run. The job is
 * then cancelled (the import and the flow are not measured) and its end awaited.
 */
async function throughGateway(stack: Stack, flow: string, made: Promise<number>, size: number): Promise<void> {
  const started = await gql<{ classifyPointcloud: { id: string } }>(stack, alpha, ClassifyStartDocument, { input: { pointcloudId: SUB_ID, flowId: flow, datasetName: `${SUB_ID} through the gateway` } });
  const id = started.data?.classifyPointcloud.id;
  if (!id) throw new Error(`bench/classify: classifyPointcloud failed: ${JSON.stringify(started.errors).slice(0, 300)}`);
  const ws = createClient({ url: stack.wsUrl, webSocketImpl: WebSocket, connectionParams: credentialHeaders(alpha), lazy: true, retryAttempts: 0 });
  let ended!: (e: JobEvent) => void;
  const end = new Promise<JobEvent>((resolve) => (ended = resolve));
  let failure!: (err: Error) => void;
  const failed = new Promise<never>((_, reject) => (failure = reject));
  let last: JobEvent | null = null;
  const stop = ws.subscribe<{ pointcloudClassificationUpdated: JobEvent }>(
    { query: print(ClassifyUpdatedDocument), variables: { id } },
    {
      next: (r) => {
        const e = r.data?.pointcloudClassificationUpdated;
        if (!e) return failure(new Error(`bench/classify: ${JSON.stringify(r.errors).slice(0, 300)}`));
        last = e;
        if (e.isTerminal) ended(e);
      },
      error: (err) => failure(err instanceof Error ? err : new Error(JSON.stringify(err))),
      complete: () => ended(last ?? { state: 'UNKNOWN', stage: 'UNKNOWN', isTerminal: true }),
    },
  );
  try {
    const early = end.then((e) => Promise.reject(new Error(`bench/classify: the job ended ${e.state} in ${e.stage} before the dataset: ${e.error ?? ''}`)));
    early.catch(() => undefined);
    await Promise.race([made, early, failed]);
    const cancel = await gql<{ cancelPointcloudClassification: JobEvent }>(stack, alpha, ClassifyCancelDocument, { id });
    if (!cancel.data) throw new Error(`bench/classify: cancel failed: ${JSON.stringify(cancel.errors).slice(0, 300)}`);
    await Promise.race([end, failed]);
    const job = await gql<{ pointcloudClassification: { transferredBytes: number; dataset: { id: string } | null } | null }>(stack, alpha, ClassifyByIdDocument, { id });
    const done = job.data?.pointcloudClassification;
    if (done?.transferredBytes !== size || !done.dataset) throw new Error(`bench/classify: the job transferred ${JSON.stringify(done ?? job.errors).slice(0, 300)}`);
  } finally {
    stop();
    await ws.dispose();
  }
}

export async function runClassifyBench(o: PartOptions): Promise<{ rows: string[][]; notes: string[]; result: ClassifyResult | null }> {
  if (process.env.BENCH_CLASSIFY === '0') return { rows: [], notes: ['Classify: skipped (BENCH_CLASSIFY=0).'], result: null };
  const size = setting('BENCH_CLASSIFY_BYTES', 1_000_000_000);
  const rounds = Math.round(setting('BENCH_CLASSIFY_ROUNDS', Math.max(3, o.rounds)));
  console.log(`\nclassify: a ${fmt(size / 1e6, 0)} MB Cupix sub into a Flai dataset, ${rounds} alternating rounds of straight / through the gateway`);
  const stack = await startStack({ timeScale: 0, wrap: o.onServerCore });
  const runs: ClassifyRun[] = [];
  const clock = new ChunkClock();
  try {
    const flow = await flowId(stack);
    const once = async (way: Way, bytes: number) => {
      await resize(stack, bytes);
      const url = way === 'straight' ? await storageUrl(stack) : null;
      const made = clock.nextDataset();
      const watched = await watchGateway(stack);
      clock.reset();
      const t0 = performance.now();
      if (url) await straight(stack, url, bytes);
      else await throughGateway(stack, flow, made, bytes);
      const end = await made;
      const watch = watched();
      const sessions = await stagedSessions(stack);
      if (sessions) throw new Error(`bench/classify: after the ${way} run ${sessions} Flai upload session(s) are still staged`);
      const gateway = way === 'gateway';
      return {
        ms: end - t0,
        rssBefore: gateway ? watch.rssBefore : null,
        rssMax: gateway ? watch.rssMax : null,
        gatewayCpuMs: gateway ? watch.cpuMs : null,
        load: watch.load,
        chunks: clock.profile(t0, end),
      };
    };
    // One small run each way first (connections, JIT), not counted.
    const warm = Math.min(size, 2 * CHUNK + 1000);
    for (const way of ['straight', 'gateway'] as const) await once(way, warm);
    for (let round = 0; round < rounds; round++) {
      for (const way of (round % 2 ? ['gateway', 'straight'] : ['straight', 'gateway']) as Way[]) {
        const r = await once(way, size);
        const run: ClassifyRun = { way, round, bytes: size, rate: size / 1e6 / (r.ms / 1000), ...r };
        runs.push(run);
        console.log(runLine(way.padEnd(8), run));
      }
    }
  } finally {
    clock.close();
    await stack.close();
  }
  const of = (way: Way) => runs.filter((r) => r.way === way).sort((a, b) => a.round - b.round);
  const base = of('straight');
  const through = of('gateway');
  const result: ClassifyResult = {
    bytes: size,
    rounds,
    runs,
    ratio: stats(through.map((r, i) => r.rate / base[i].rate)),
    rssGrowthMb: stats(through.map((r) => mb(r.rssMax! - r.rssBefore!))),
    foreignCores: median(runs.map((r) => r.load.foreignCores)),
  };
  const rate = (way: Way) => `${fmt(median(of(way).map((r) => r.rate)), 0)} MB/s`;
  const size1 = `${fmt(size / 1e9, size >= 1e9 ? 0 : 2)} GB`;
  const rows = [
    [
      `Classify a ${size1} Cupix point cloud: transfer throughput (mutation → Flai dataset) through the gateway ÷ a direct pipe`,
      rate('gateway'),
      `${rate('straight')} (storage GET piped into the same 8 MB chunks)`,
      fmt(result.ratio.median),
      `${fmt(result.ratio.min)}–${fmt(result.ratio.max)}`,
      `≥ ${TARGET_RATIO}`,
    ],
    [
      `Classify a ${size1} Cupix point cloud: gateway RSS growth during the transfer (max − before)`,
      `${fmt(result.rssGrowthMb.median, 1)} MB`,
      `${fmt(median(through.map((r) => mb(r.rssBefore!))), 1)} MB before (median)`,
      '—',
      `${fmt(result.rssGrowthMb.min, 1)}–${fmt(result.rssGrowthMb.max, 1)} MB`,
      `≤ ${TARGET_RSS_MB} MB`,
    ],
  ];
  const notes = [
    `Classify: a Cupix SUB of ${size1} (${size} bytes, its \`.cpc\` made by the Cupix simulator as it is sent) into a new Flai dataset, ${rounds} rounds, each running the direct pipe (no gateway: the bench GETs the storage URL of the sub's download, asked just before, and POSTs the body in Flai's 8 MB \`/tools/upload\` chunks one after the other, the next read while one is at Flai, then creates the dataset) and \`classifyPointcloud\` through the gateway, the order swapped every round. Timed: from just before the storage GET, or the mutation, to the Flai simulator's answer to the dataset create (both seen in the bench's process); through the gateway this is its TRANSFERRING stage plus the mutation's checks and IMPORTING's dataset create, after which the job is cancelled. Ratio = median over rounds of gateway MB/s ÷ direct MB/s in the same round. Gateway without REDIS_URL (the in-process runner); its RSS from /proc every 100 ms (no /metrics scrape), growth = most − just before the mutation. Simulators and client in the bench's process${o.pinned ? ' (core 1)' : ''}, the gateway its own process${o.pinned ? ' (core 0)' : ''}: the direct pipe shares its core with both simulators, the gateway does not, so a ratio above 1 says the gateway does not slow the bytes down, not that it is faster. After every run no Flai upload session was left staged. Other jobs on the machine meanwhile: ${fmt(result.foreignCores, 2)} cores (median).`,
  ];
  return { rows, notes, result };
}

// ---------------------------------------------------------------- alone: `npx tsx bench/classify.ts`

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runAlone({ rowPrefix: '| Classify ', notePrefix: 'Classify: ', jsonKey: 'classify', command: 'npx tsx bench/classify.ts' }, runClassifyBench);
}
