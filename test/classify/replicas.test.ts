/**
 * Durability on BullMQ: two gateway processes on one Redis. The one running a classification is
 * SIGKILLed mid-transfer (its third chunk held at the Flai simulator, no sleep); the other continues
 * the job from the last chunk Flai acknowledged and completes it; Flai saw one dataset and one execution.
 */
import { expect } from 'vitest';
import { ClassifyUpdatedDocument } from '../generated/graphql.js';
import type { SimAnswer } from '../../src/simulators/core/sim-server.js';
import { spawnGateway, simulatorEnv, type GatewayProcess } from '../status/gateway-process.helpers.js';
import { Feed, field, redisFixture, wsClient } from '../status/status.helpers.js';
import { simsTest } from '../helpers/stack.helpers.js';
import { CHUNK, classify, CREATE_DATASET_ROUTE, flowId, RUN_FLOW_ROUTE, setFilesize, SUB_ID, UPLOAD_ROUTE } from './classify.helpers.js';

const test = simsTest.extend('redis', { scope: 'file' }, redisFixture);
test.override('simsOptions', { timeScale: 2000 });

function replicaEnv(sims: Parameters<typeof simulatorEnv>[0], redis: { url: string; prefix: string }): Record<string, string> {
  return {
    ...simulatorEnv(sims),
    REDIS_URL: redis.url,
    STATUS_REDIS_PREFIX: redis.prefix,
    RESULTS_URL_SECRET: 'classify-replicas-secret-0123456789',
    PIPELINE_LOCK_MS: '1000',
    PIPELINE_POLL_MS: '20',
    LOG_LEVEL: 'info',
  };
}

/** Every chunk the Flai simulator answered: its status and the byte it started at (null for a refusal). */
function recordChunks(sims: { flai: { onAnswer(l: (a: SimAnswer) => void): () => void } }) {
  const chunks: { status: number; start: number | null }[] = [];
  const stop = sims.flai.onAnswer((a: SimAnswer) => {
    if (a.route !== UPLOAD_ROUTE) return;
    const body = JSON.parse(String(a.body)) as { chunk_index?: number };
    chunks.push({ status: a.status, start: body.chunk_index !== undefined ? (body.chunk_index - 10_000) * CHUNK : null });
  });
  return { chunks, stop };
}

test('a replica killed mid-transfer: another continues from the last acknowledged chunk, one dataset, one execution', { timeout: 60_000 }, async ({ sims, redis }) => {
  const env = replicaEnv(sims, redis);
  const size = 4 * CHUNK + 777;
  await setFilesize(sims.cupix.origin, SUB_ID, size);
  const { chunks, stop } = recordChunks(sims);
  const processes: GatewayProcess[] = [];
  try {
    const a = await spawnGateway(env);
    processes.push(a);
    const flow = await flowId(a.url);
    sims.flai.stats.reset();
    const held = sims.flai.holds.hold(UPLOAD_ROUTE, { skip: 2 });
    const job = await classify(a.url, { pointcloudId: SUB_ID, flowId: flow });
    await held.arrived;
    // Two chunks acknowledged and recorded before the third left A.
    expect(chunks).toEqual([
      { status: 200, start: 0 },
      { status: 200, start: CHUNK },
    ]);

    const b = await spawnGateway(env);
    processes.push(b);
    const client = wsClient(b.url);
    const feed = new Feed(client, ClassifyUpdatedDocument, { id: job.id });
    const first = field(await feed.next(), 'pointcloudClassificationUpdated');
    expect(first).toMatchObject({ state: 'RUNNING', stage: 'TRANSFERRING', transferredBytes: 2 * CHUNK });

    await a.stop('SIGKILL');
    held.release();
    await feed.done();
    await client.dispose();
    const last = field(feed.received.at(-1)!, 'pointcloudClassificationUpdated');
    expect(last).toMatchObject({ state: 'SUCCEEDED', stage: 'DONE', transferredBytes: size, totalBytes: size });
    // B picked the job up after BullMQ saw A's lock lapse.
    await b.waitForLog((l) => l.msg === 'classification stalled on a replica that stopped: continued here or on another', 0);

    // The held chunk died with A; B sent it again, then the rest: no chunk of the session twice, no restart from byte 0.
    const accepted = chunks.filter((c) => c.status === 200).map((c) => c.start);
    expect(accepted).toEqual([0, CHUNK, 2 * CHUNK, 3 * CHUNK, 4 * CHUNK]);
    expect(sims.flai.stats.count(CREATE_DATASET_ROUTE)).toBe(1);
    expect(sims.flai.stats.count(RUN_FLOW_ROUTE)).toBe(1);
  } finally {
    stop();
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
  }
});

test('a session Flai no longer has: the replica that continues starts again from byte 0 in a new session and says so', { timeout: 60_000 }, async ({ sims, redis }) => {
  const env = replicaEnv(sims, redis);
  const size = 3 * CHUNK + 99;
  await setFilesize(sims.cupix.origin, SUB_ID, size);
  const { chunks, stop } = recordChunks(sims);
  const processes: GatewayProcess[] = [];
  try {
    const a = await spawnGateway(env);
    processes.push(a);
    const flow = await flowId(a.url);
    sims.flai.stats.reset();
    const held = sims.flai.holds.hold(UPLOAD_ROUTE, { skip: 2 });
    const job = await classify(a.url, { pointcloudId: SUB_ID, flowId: flow });
    await held.arrived;
    const b = await spawnGateway(env);
    processes.push(b);
    await a.stop('SIGKILL');
    // Flai drops the session meanwhile (what its expiry does; the simulator's own discard).
    const { sessions } = (await (await fetch(`${sims.flai.origin}/__sim/uploads`)).json()) as { sessions: { session_key: string }[] };
    expect(sessions).toHaveLength(1);
    expect((await fetch(`${sims.flai.origin}/__sim/uploads/${sessions[0].session_key}`, { method: 'DELETE' })).status).toBe(200);
    held.release();

    const client = wsClient(b.url);
    const feed = new Feed(client, ClassifyUpdatedDocument, { id: job.id });
    await feed.done();
    await client.dispose();
    expect(field(feed.received.at(-1)!, 'pointcloudClassificationUpdated')).toMatchObject({ state: 'SUCCEEDED', transferredBytes: size });
    const restarted = await b.waitForLog((l) => typeof l.msg === 'string' && l.msg.includes('starting again from byte 0 in a new session'), 0);
    expect(restarted).toMatchObject({ classification: job.id });
    const accepted = chunks.filter((c) => c.status === 200).map((c) => c.start);
    expect(accepted).toEqual([0, CHUNK, 0, CHUNK, 2 * CHUNK, 3 * CHUNK]);
    expect(sims.flai.stats.count(CREATE_DATASET_ROUTE)).toBe(1);
    expect(sims.flai.stats.count(RUN_FLOW_ROUTE)).toBe(1);
  } finally {
    stop();
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
  }
});
