import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, test as base } from 'vitest';
import { startGateway } from '../../src/app.js';
import {
  FederationFlowExecutionFlowDocument,
  FederationFlowExecutionsTerminalDocument,
  FederationFlowExecutionTerminalDocument,
  FederationForeignJobsDocument,
  FederationForeignPointcloudsDocument,
  FederationForeignProcessingDocument,
  FederationJobProcessingNameDocument,
  FederationJobStatesDocument,
  FederationSchemaNamesDocument,
} from '../generated/graphql.js';
import { jsonOf, opAt } from '../helpers/stack.helpers.js';
import { Feed, field, wsClient } from '../status/status.helpers.js';

const FLOW_EXECUTION = 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e';
const PROCESSING = '65285409-ac88-4fc0-a937-193cf42c2343';

/** A subgraph exactly as `npm start -- --subgraph <name>` runs it with no *_URL: its own embedded simulators. */
const standalone = (part: 'flai' | 'jobs') =>
  startGateway({ part, env: { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SIM_TIME_SCALE: '0', STATUS_POLL_RUNNING_MS: '15' } });

/** What the tests read of `GET /readyz`: the upstreams this process serves. */
interface Readyz {
  upstreams: Record<string, unknown>;
}

/** `flai`: the Flai subgraph on its own, one per file (started by the first test that asks), and `client`, a graphql-ws client of it. */
const test = base
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  .extend('flai', { scope: 'file' }, async ({}, { onCleanup }) => {
    const flai = await standalone('flai');
    onCleanup(() => flai.close());
    return flai;
  })
  .extend('client', { scope: 'file' }, ({ flai }, { onCleanup }) => {
    const client = wsClient(flai.url);
    onCleanup(() => client.dispose());
    return client;
  });

const PROCESSING_REF = { source: 'MAPFLOW', type: 'Processing', id: PROCESSING } as const;

describe('a vendor subgraph on its own (flai)', () => {
  test('starts only its vendor: one embedded simulator, one upstream in /readyz', async ({ flai }) => {
    expect(Object.keys(flai.simulators).filter((k) => k !== 'close')).toEqual(['flai']);
    const ready = await jsonOf<Readyz>(await fetch(`${flai.origin}/readyz`));
    expect(Object.keys(ready.upstreams)).toEqual(['flai']);
    expect(ready.upstreams.flai).toMatchObject({ embedded: true });
  });

  test('serves its own fields and no other vendor’s', async ({ flai }) => {
    const ok = await opAt(flai.url, FederationFlowExecutionFlowDocument, { id: FLOW_EXECUTION });
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toMatchObject({ flowExecution: { id: FLOW_EXECUTION, state: 'RUNNING' } });
    const foreign = {
      processing: () => opAt(flai.url, FederationForeignProcessingDocument, { id: PROCESSING }),
      pointclouds: () => opAt(flai.url, FederationForeignPointcloudsDocument),
      jobs: () => opAt(flai.url, FederationForeignJobsDocument),
    };
    for (const [name, ask] of Object.entries(foreign)) {
      const r = await ask();
      expect(r.errors?.[0].extensions?.code, name).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    const types = await opAt(flai.url, FederationSchemaNamesDocument);
    expect(types.data?.__schema.subscriptionType?.fields?.map((f) => f.name).sort()).toEqual(['datasetDownloadUpdated', 'flowExecutionUpdated']);
    const names = types.data!.__schema.types.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['FlowExecution', 'Dataset', 'DatasetDownload', 'Flow', 'Job', 'PageInfo']));
    for (const foreign of ['Processing', 'Project', 'Aoi', 'Pointcloud', 'JobEvent', 'JobRefInput']) expect(names).not.toContain(foreign);
  });

  test('runs its own watchers: a flow execution subscription streams from this process', async ({ flai, client }) => {
    const done = await opAt(flai.url, FederationFlowExecutionsTerminalDocument);
    const finished = done.data!.flowExecutions!.nodes.find((e) => e.isTerminal)!;
    const feed = new Feed(client, FederationFlowExecutionTerminalDocument, { id: finished.id });
    expect(field(await feed.next(), 'flowExecutionUpdated')).toEqual({ id: finished.id, isTerminal: true });
    await feed.done();
    expect(flai.status.health().initialFetches).toBeGreaterThanOrEqual(1);
  });
});

describe('the jobs subgraph on its own', () => {
  test('starts the three vendors it loads and watches jobs from, and serves only jobs and jobsUpdated', async () => {
    const jobs = await standalone('jobs');
    try {
      expect(Object.keys(jobs.simulators).filter((k) => k !== 'close').sort()).toEqual(['cupix', 'flai', 'mapflow']);
      const r = await opAt(jobs.url, FederationJobStatesDocument, { refs: [PROCESSING_REF] });
      expect(r.data).toEqual({ jobs: [{ __typename: 'Processing', id: PROCESSING, state: 'SUCCEEDED' }] });
      // Processing here is a stub: the mapflow subgraph owns its other fields.
      const other = await opAt(jobs.url, FederationJobProcessingNameDocument, { refs: [PROCESSING_REF] });
      expect(other.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    } finally {
      await jobs.close();
    }
  });
});

describe('npm start -- --subgraph', () => {
  test('refuses an unknown subgraph name with the list of names and exit code 64', async () => {
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
