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

test('a replica killed mid-transfer: another continues from the last acknowledged chunk, one dataset, one execution', async ({ sims, redis }) => {
  const env = {
    ...simulatorEnv(sims),
    REDIS_URL: redis.url,
    STATUS_REDIS_PREFIX: redis.prefix,
    RESULTS_URL_SECRET: 'classify-replicas-secret-0123456789',
    PIPELINE_LOCK_MS: '1000',
    PIPELINE_POLL_MS: '20',
    LOG_LEVEL: 'info',
  };
  const size = 4 * CHUNK + 777;
  await setFilesize(sims.cupix.origin, SUB_ID, size);
  // Every chunk Flai answered: the byte it started at and what Flai said.
  const chunks: { status: number; start: number | null }[] = [];
  const stop = sims.flai.onAnswer((a: SimAnswer) => {
    if (a.route !== UPLOAD_ROUTE) return;
    const body = JSON.parse(String(a.body)) as { received_bytes?: number; chunk_index?: number };
    chunks.push({ status: a.status, start: body.chunk_index !== undefined ? (body.chunk_index - 10_000) * CHUNK : null });
  });
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
