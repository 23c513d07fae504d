import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { Feed, field, REDIS_URL, redisPrefix, startReplica, startStatusStack, wsClient, type Stack } from './status.helpers.js';
import { FLAI_DOCUMENTED } from '../../src/simulators/flai/index.js';
import { createProcessing, createProject, FLAI, type Json } from './vendors.helpers.js';

/**
 * Watchers that would not poll for an hour unless something runs: what a mutation changes must
 * reach subscribers at once (published by the mutation itself), and wake the watcher up.
 */
const HOUR = String(3_600_000);
const prefix = redisPrefix();
const env = { STATUS_POLL_QUEUED_MS: HOUR, STATUS_POLL_IDLE_MS: HOUR, REDIS_URL, STATUS_REDIS_PREFIX: prefix };
let stack: Stack;
let replica: Gateway;
const clients: Client[] = [];
const connect = (url: string) => {
  const c = wsClient(url);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  stack = await startStatusStack({ env });
  replica = await startReplica(stack, env);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await replica?.close();
  await stack?.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const square = { type: 'Polygon', coordinates: [[[37.2984, 55.6362], [37.3077, 55.6362], [37.3077, 55.6402], [37.2984, 55.6402], [37.2984, 55.6362]]] };
const BUILDINGS = '30ddfd15-04aa-47f6-9ceb-68ce709fd710';

describe('mutations kick the watchers', () => {
  it('createProcessing reaches a project subscriber at once (on another replica too), and the project is polled again', async () => {
    const projectId = (await createProject(stack, 'kicked')).id as string;
    const feed = new Feed(connect(replica.url), `subscription ($p: ID!) { projectProcessingsUpdated(projectId: $p) { id upstreamStatus } }`, { p: projectId });
    const empty = new Feed(connect(replica.url), `{ __typename }`);
    await empty.next(); // the connection is up
    expect(replica.status.health().watchers).toBe(1);

    const r = await stack.gql<{ createProcessing: Json }>(
      `mutation ($input: CreateProcessingInput!) { createProcessing(input: $input) { id upstreamStatus } }`,
      { input: { projectId, workflowDefId: BUILDINGS, geometry: square, sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 18 } } } },
    );
    expect(r.errors).toBeUndefined();
    const created = r.data?.createProcessing as Json;
    // The project was empty and idle (next poll in an hour): only the mutation can have sent this.
    expect(field<Json>(await feed.next(), 'projectProcessingsUpdated')).toEqual({ id: created.id, upstreamStatus: 'UNPROCESSED' });
    // Woken: it polls at the running rate again and sees the processing start.
    stack.sims.mapflow.clock.advance(2_000);
    expect(field<Json>(await feed.next(), 'projectProcessingsUpdated')).toEqual({ id: created.id, upstreamStatus: 'IN_PROGRESS' });
    feed.close();
  });

  it('restartProcessing reaches the subscribers of its idle project at once', async () => {
    const projectId = (await createProject(stack, 'restarts')).id as string;
    const id = (await createProcessing(stack, { projectId, failing: true })).id as string;
    for (let t = 0; t < 60_000; t += 1_000) stack.sims.mapflow.clock.advance(1_000);
    stack.sims.mapflow.scheduler.settle();
    // Everything in the project has finished: its watcher would look again in an hour.
    const feed = new Feed(connect(stack.gateway.url), `subscription ($p: ID!) { projectProcessingsUpdated(projectId: $p) { id upstreamStatus } }`, { p: projectId });
    expect(field<Json>(await feed.next(), 'projectProcessingsUpdated')).toEqual({ id, upstreamStatus: 'FAILED' });

    const r = await stack.gql<{ restartProcessing: Json }>(`mutation ($id: ID!) { restartProcessing(id: $id) { upstreamStatus } }`, { id });
    expect(r.data?.restartProcessing).toEqual({ upstreamStatus: 'UNPROCESSED' });
    expect(field<Json>(await feed.next(), 'projectProcessingsUpdated')).toEqual({ id, upstreamStatus: 'UNPROCESSED' });
    stack.sims.mapflow.clock.advance(2_000);
    expect(field<Json>(await feed.next(), 'projectProcessingsUpdated')).toEqual({ id, upstreamStatus: 'IN_PROGRESS' });
    feed.close();
  });

  it('runFlowTemplate and requestDatasetDownload publish the new job on its channel', async () => {
    const listener = new Redis(REDIS_URL);
    const seen: { channel: string; message: Json }[] = [];
    listener.on('pmessage', (_p: string, channel: string, message: string) => seen.push({ channel, message: JSON.parse(message) as Json }));
    await listener.psubscribe(`${prefix}ch:*`);
    try {
      const nodeOptions = { point_cloud_reader_1: { dataset_id: FLAI_DOCUMENTED.inputDatasetId }, point_cloud_writer_1: { dataset_name: 'Kicked' } };
      const run = await stack.gql<{ runFlowTemplate: Json }>(`mutation ($input: RunFlowTemplateInput!) { runFlowTemplate(input: $input) { id } }`, {
        input: { flowId: FLAI_DOCUMENTED.templateFlowId, nodeOptions },
      });
      expect(run.errors).toBeUndefined();
      const executionId = run.data?.runFlowTemplate.id as string;
      const dl = await stack.gql<{ requestDatasetDownload: Json }>(`mutation ($d: ID!) { requestDatasetDownload(datasetId: $d) { id } }`, { d: FLAI_DOCUMENTED.inputDatasetId });
      expect(dl.errors).toBeUndefined();
      const downloadId = dl.data?.requestDatasetDownload.id as string;
      while (seen.length < 2) await new Promise<void>((r) => setImmediate(r));
      expect(seen.map((m) => [m.channel.replace(/^.*ch:[\w-]+:/, ''), m.message.t, m.message.kick, (m.message.items as Json[])[0].id, (m.message.items as Json[])[0].upstreamStatus])).toEqual([
        [`FlowExecution:${executionId}`, 'change', true, executionId, 'queued'],
        [`DatasetDownload:${downloadId}`, 'change', true, downloadId, 'pending'],
      ]);
      // Channels are named by a hash of the credential: no token ever goes to Redis.
      expect(JSON.stringify(seen)).not.toContain(FLAI.alpha.token);
    } finally {
      await listener.quit();
    }
  });
});
