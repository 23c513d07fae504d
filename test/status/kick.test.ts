import { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import { FLAI_DOCUMENTED } from '../../src/simulators/flai/index.js';
import {
  StatusCreateProcessingDocument,
  StatusProjectUpstreamDocument,
  StatusRequestDatasetDownloadDocument,
  StatusRestartProcessingDocument,
  StatusRunFlowTemplateDocument,
} from '../generated/graphql.js';
import { spawnGateway, simulatorEnv } from './gateway-process.helpers.js';
import { activityOf, failedPoll, FAST_STATUS_ENV, Feed, field, nextActivity, of, test, type Stack } from './status.helpers.js';
import { createProcessing, createProject, FLAI, type Json } from './vendors.helpers.js';

/**
 * Watchers that would not poll for an hour unless something runs: what a mutation changes must
 * reach subscribers at once (published by the mutation itself), and bring the next poll forward.
 * The gateway in this process (A) and a gateway process (B, started by the test that needs it)
 * share Redis.
 */
const HOUR = 3_600_000;
test.override('stackOptions', ({ redis }) => ({
  env: {
    STATUS_POLL_QUEUED_MS: String(HOUR),
    STATUS_POLL_IDLE_MS: String(HOUR),
    // Long enough that a busy machine never lets a live lease lapse (a re-won lease polls at once).
    STATUS_LEASE_MS: '2000',
    REDIS_URL: redis.url,
    STATUS_REDIS_PREFIX: redis.prefix,
  },
}));

const square = { type: 'Polygon', coordinates: [[[37.2984, 55.6362], [37.3077, 55.6362], [37.3077, 55.6402], [37.2984, 55.6402], [37.2984, 55.6362]]] };
const BUILDINGS = '30ddfd15-04aa-47f6-9ceb-68ce709fd710';
const LIST = 'GET /projects/{id}/processings/v2';
const createIn = (stack: Stack, projectId: string) =>
  stack.op(StatusCreateProcessingDocument, {
    input: { projectId, workflowDefId: BUILDINGS, geometry: square, sourceParams: { dataProvider: { providerName: 'Mapbox', zoom: 18 } } },
  });
const isPoll = (a: { type: string }) => a.type === 'poll';

describe('mutations kick the watchers', () => {
  test('createProcessing on one replica reaches a project subscriber on another at once, and brings its next poll forward', { timeout: 60_000 }, async ({ stack, stackOptions, connect }) => {
    const b = await spawnGateway({ ...simulatorEnv(stack.sims), ...FAST_STATUS_ENV, ...stackOptions.env });
    try {
      const projectId = (await createProject(stack, 'kicked')).id;
      const target = { kind: 'ProjectProcessings', id: projectId };
      const since = b.logs.length;
      const feed = new Feed(connect({}, b.url), StatusProjectUpstreamDocument, { p: projectId });
      // The project is empty (no first event): B's watcher is ready once it holds the lease.
      expect(await b.waitForActivity(target, (l) => l.type === 'lease', since)).toMatchObject({ leader: true, reason: 'free' });
      const listed = stack.callsTo('mapflow', LIST);
      const mark = b.logs.length;

      const r = await createIn(stack, projectId);
      expect(r.errors).toBeUndefined();
      const created = r.data?.createProcessing;
      // The project is empty and idle (next poll in an hour): only the mutation can have sent this.
      expect(field(await feed.next(), 'projectProcessingsUpdated')).toEqual({ id: created?.id, upstreamStatus: 'UNPROCESSED' });
      // B polled once soon after, then went back to the project's own rate (queued: an hour).
      await b.waitForActivity(target, (l) => l.type === 'woken', mark);
      const poll = await b.waitForActivity(target, isPoll, mark);
      expect(poll).toMatchObject({ ok: true, changed: 0 });
      expect((poll.nextPollAt as number) - (poll.startedAt as number)).toBeGreaterThanOrEqual(HOUR);
      expect(stack.callsTo('mapflow', LIST)).toBe(listed + 1);
      feed.close();
    } finally {
      await b.stop('SIGKILL');
    }
  });

  test('restartProcessing reaches the subscribers of its idle project at once, and brings its next poll forward', async ({ stack, connect }) => {
    const hub = stack.gateway.status;
    const projectId = (await createProject(stack, 'restarts')).id;
    const id = (await createProcessing(stack, { projectId, failing: true })).id;
    for (let t = 0; t < 60_000; t += 1_000) stack.sims.mapflow.clock.advance(1_000);
    stack.sims.mapflow.scheduler.settle();
    // Everything in the project has finished: its watcher would look again in an hour.
    const feed = new Feed(connect(), StatusProjectUpstreamDocument, { p: projectId });
    expect(field(await feed.next(), 'projectProcessingsUpdated')).toEqual({ id, upstreamStatus: 'FAILED' });
    const listed = stack.callsTo('mapflow', LIST);

    const polled = nextActivity(hub, of('ProjectProcessings', projectId, isPoll));
    const r = await stack.op(StatusRestartProcessingDocument, { id });
    expect(r.data?.restartProcessing).toEqual({ upstreamStatus: 'UNPROCESSED' });
    expect(field(await feed.next(), 'projectProcessingsUpdated')).toEqual({ id, upstreamStatus: 'UNPROCESSED' });
    const poll = await polled;
    expect(poll).toMatchObject({ ok: true });
    expect(stack.callsTo('mapflow', LIST)).toBe(listed + 1);
    feed.close();
  });

  test('never brings a poll before the vendor’s Retry-After', async ({ stack, connect }) => {
    const hub = stack.gateway.status;
    const sim = stack.sims.mapflow;
    const projectId = (await createProject(stack, 'rate limited')).id;
    const running = (await createProcessing(stack, { projectId })).id;
    sim.clock.advance(2_000); // IN_PROGRESS: the project is polled at the running rate
    const feed = new Feed(connect(), StatusProjectUpstreamDocument, { p: projectId });
    expect(field(await feed.next(), 'projectProcessingsUpdated')).toEqual({ id: running, upstreamStatus: 'IN_PROGRESS' });

    const refused = nextActivity(hub, of('ProjectProcessings', projectId, (a) => isPoll(a) && 'ok' in a && !a.ok));
    sim.faults.set({ rateLimitRate: 1, retryAfterSeconds: 1, route: LIST, count: 1 });
    const failed = failedPoll(await refused);
    expect(failed.code).toBe('RATE_LIMITED');
    const notBefore = failed.notBefore ?? NaN; // null fails every comparison below, as it did before
    expect(notBefore - failed.startedAt).toBeGreaterThanOrEqual(1_000);
    const listed = sim.stats.count(LIST);

    const woken = nextActivity(hub, of('ProjectProcessings', projectId, (a) => a.type === 'woken'));
    const polled = nextActivity(hub, of('ProjectProcessings', projectId, isPoll));
    const r = await createIn(stack, projectId);
    expect(r.errors).toBeUndefined();
    const created = r.data?.createProcessing;
    // The new state is delivered at once ...
    expect(field(await feed.next(), 'projectProcessingsUpdated')).toEqual({ id: created?.id, upstreamStatus: 'UNPROCESSED' });
    // ... but the next poll stays where the Retry-After put it.
    expect(activityOf(await woken, 'woken').nextPollAt).toBeGreaterThanOrEqual(notBefore);
    expect(sim.stats.count(LIST)).toBe(listed);
    const next = activityOf(await polled, 'poll');
    expect(next.ok).toBe(true);
    expect(next.startedAt).toBeGreaterThanOrEqual(notBefore);
    expect(sim.stats.count(LIST)).toBe(listed + 1);
    feed.close();
  });

  test('runFlowTemplate and requestDatasetDownload publish the new job on its channel', async ({ stack, redis }) => {
    // A new job has no subscriber yet (its id is in the mutation's answer); what can be seen is the
    // message on the channel its watchers, on any replica, will listen to.
    const listener = new Redis(redis.url);
    const seen: { channel: string; message: Json }[] = [];
    let twoSeen: () => void = () => {};
    const two = new Promise<void>((r) => (twoSeen = r));
    listener.on('pmessage', (_p: string, channel: string, message: string) => {
      seen.push({ channel, message: JSON.parse(message) as Json });
      if (seen.length === 2) twoSeen();
    });
    await listener.psubscribe(`${redis.prefix}ch:*`);
    try {
      const nodeOptions = { point_cloud_reader_1: { dataset_id: FLAI_DOCUMENTED.inputDatasetId }, point_cloud_writer_1: { dataset_name: 'Kicked' } };
      const run = await stack.op(StatusRunFlowTemplateDocument, { input: { flowId: FLAI_DOCUMENTED.templateFlowId, nodeOptions } });
      expect(run.errors).toBeUndefined();
      const executionId = run.data?.runFlowTemplate.id;
      const dl = await stack.op(StatusRequestDatasetDownloadDocument, { d: FLAI_DOCUMENTED.inputDatasetId });
      expect(dl.errors).toBeUndefined();
      const downloadId = dl.data?.requestDatasetDownload.id;
      await two;
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
