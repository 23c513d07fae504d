import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { poster } from '../helpers/federation.helpers.js';
import { Feed, field, wsClient } from '../status/status.helpers.js';

const FLOW_EXECUTION = 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e';
const PROCESSING = '65285409-ac88-4fc0-a937-193cf42c2343';

/** A subgraph exactly as `npm start -- --subgraph <name>` runs it with no *_URL: its own embedded simulators. */
const standalone = (part: 'flai' | 'jobs') =>
  startGateway({ part, env: { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SIM_TIME_SCALE: '0', STATUS_POLL_RUNNING_MS: '15' } });

describe('a vendor subgraph on its own (flai)', () => {
  let flai: Gateway;
  let client: Client;
  beforeAll(async () => {
    flai = await standalone('flai');
    client = wsClient(flai.url);
  });
  afterAll(async () => {
    await client?.dispose();
    await flai?.close();
  });

  it('starts only its vendor: one embedded simulator, one upstream in /readyz', async () => {
    expect(Object.keys(flai.simulators).filter((k) => k !== 'close')).toEqual(['flai']);
    const ready = (await (await fetch(`${flai.origin}/readyz`)).json()) as { upstreams: Record<string, unknown> };
    expect(Object.keys(ready.upstreams)).toEqual(['flai']);
    expect(ready.upstreams.flai).toMatchObject({ embedded: true });
  });

  it('serves its own fields and no other vendor’s', async () => {
    const post = poster(flai.url);
    const ok = await post(`query($id: ID!) { flowExecution(id: $id) { id state flow { title } } }`, { id: FLOW_EXECUTION });
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toMatchObject({ flowExecution: { id: FLOW_EXECUTION, state: 'RUNNING' } });
    for (const query of [`{ processing(id: "${PROCESSING}") { id } }`, '{ pointclouds { totalCount } }', '{ jobs(refs: []) { id } }']) {
      const r = await post(query);
      expect(r.errors?.[0].extensions?.code, query).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    const types = await post<{ __schema: { subscriptionType: { fields: { name: string }[] }; types: { name: string }[] } }>(
      '{ __schema { subscriptionType { fields { name } } types { name } } }',
    );
    expect(types.data?.__schema.subscriptionType.fields.map((f) => f.name).sort()).toEqual(['datasetDownloadUpdated', 'flowExecutionUpdated']);
    const names = types.data!.__schema.types.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['FlowExecution', 'Dataset', 'DatasetDownload', 'Flow', 'Job', 'PageInfo']));
    for (const foreign of ['Processing', 'Project', 'Aoi', 'Pointcloud', 'JobEvent', 'JobRefInput']) expect(names).not.toContain(foreign);
  });

  it('runs its own watchers: a flow execution subscription streams from this process', async () => {
    const done = await poster(flai.url)<{ flowExecutions: { nodes: { id: string; isTerminal: boolean }[] } }>('{ flowExecutions(first: 50) { nodes { id isTerminal } } }');
    const finished = done.data!.flowExecutions.nodes.find((e) => e.isTerminal)!;
    const feed = new Feed(client, 'subscription ($id: ID!) { flowExecutionUpdated(id: $id) { id isTerminal } }', { id: finished.id });
    expect(field(await feed.next(), 'flowExecutionUpdated')).toEqual({ id: finished.id, isTerminal: true });
    await feed.done();
    expect(flai.status.health().initialFetches).toBeGreaterThanOrEqual(1);
  });
});

describe('the jobs subgraph on its own', () => {
  it('starts the three vendors it loads and watches jobs from, and serves only jobs and jobsUpdated', async () => {
    const jobs = await standalone('jobs');
    try {
      expect(Object.keys(jobs.simulators).filter((k) => k !== 'close').sort()).toEqual(['cupix', 'flai', 'mapflow']);
      const post = poster(jobs.url);
      const r = await post(`{ jobs(refs: [{ source: MAPFLOW, type: "Processing", id: "${PROCESSING}" }]) { __typename id state } }`);
      expect(r.data).toEqual({ jobs: [{ __typename: 'Processing', id: PROCESSING, state: 'SUCCEEDED' }] });
      // Processing here is a stub: the mapflow subgraph owns its other fields.
      const other = await post(`{ jobs(refs: [{ source: MAPFLOW, type: "Processing", id: "${PROCESSING}" }]) { ... on Processing { name } } }`);
      expect(other.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    } finally {
      await jobs.close();
    }
  });
});

describe('npm start -- --subgraph', () => {
  it('refuses an unknown subgraph name with the list of names and exit code 64', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--subgraph', 'billing'], {
      cwd: new URL('../..', import.meta.url),
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(64);
    expect(stderr).toContain('--subgraph must be one of mapflow, flai, cupix, jobs; got "billing"');
  }, 60_000);
});
