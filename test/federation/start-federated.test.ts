import { describe, expect } from 'vitest';
import {
  FederationAcrossVendorsDocument,
  FederationJobStateAndIdDocument,
  FederationPointcloudKindDocument,
  FederationPointcloudStateDocument,
  FederationProcessingNameAndPointcloudKindDocument,
  UploadByIdDocument,
  UploadCreateDocument,
} from '../generated/graphql.js';
import { poster } from '../helpers/federation.helpers.js';
import { spawnEntry, type NodeProcess } from '../helpers/process.helpers.js';
import { opAt, simsTest as test, simulatorEnv } from '../helpers/stack.helpers.js';
import type { LogLine } from '../status/gateway-process.helpers.js';
import { closeEvent, Feed, field, wsClient } from '../status/status.helpers.js';
import { lasInput, putFile, syntheticLas } from '../uploads/uploads.helpers.js';

/**
 * `npm run start:federated` without the build step: the same entry point under tsx, with no
 * NODE_ENV (as a user starts it). Errors only in its output unless a test asks for more.
 */
function startFederated(env: Record<string, string>): NodeProcess {
  return spawnEntry('src/federation/main.ts', { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', SIM_TIME_SCALE: '0', ...env }, { ipc: true });
}

/** The orchestrator's `listening` message (tsx sends messages of its own on the same channel). */
function listening(proc: NodeProcess): Promise<{ url: string; subgraphs: Record<string, string>; subgraphAddresses: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    proc.child.on('message', (m: { type?: string; url?: string; subgraphs?: Record<string, string>; subgraphAddresses?: Record<string, string> }) => {
      if (m?.type === 'listening' && m.url && m.subgraphs) resolve({ url: m.url, subgraphs: m.subgraphs, subgraphAddresses: m.subgraphAddresses ?? {} });
    });
    void proc.exited.then(({ code, signal }) => reject(new Error(`exited with ${code ?? signal}: ${proc.lines.join('\n')}`)));
  });
}

const POINTCLOUD_5331 = { source: 'CUPIX', type: 'Pointcloud', id: '5331' } as const;

// The simulators (and a proxy in front of Mapflow) of the one test that points the processes at them.
test.override('simsOptions', { proxy: ['mapflow'] });

/** SIGTERM, then its exit code once it has exited. */
async function stop(proc: NodeProcess): Promise<number | null> {
  return (await proc.stop('SIGTERM')).code;
}

describe('npm run start:federated', () => {
  test('starts four subgraph processes and the gateway, serves the three vendors through it, and stops them all on SIGTERM', async () => {
    // The gateway on every interface; the subgraphs, internal, on loopback (no SUBGRAPH_HOST).
    const child = startFederated({ HOST: '0.0.0.0', SUBGRAPH_HOST: '' });
    try {
      const ready = await listening(child);
      expect(Object.keys(ready.subgraphs)).toEqual(['mapflow', 'flai', 'cupix', 'jobs']);
      expect(ready.subgraphAddresses).toEqual({ mapflow: '127.0.0.1', flai: '127.0.0.1', cupix: '127.0.0.1', jobs: '127.0.0.1' });
      for (const url of Object.values(ready.subgraphs)) expect((await fetch(url.replace('/graphql', '/healthz'))).status).toBe(200);

      const r = await opAt(ready.url, FederationAcrossVendorsDocument, {
        processing: '65285409-ac88-4fc0-a937-193cf42c2343',
        flowExecution: 'df7d6f87-2f00-4e66-9dbd-5636ef486a0e',
        pointcloud: '5310',
        refs: [POINTCLOUD_5331],
      });
      expect(r.errors).toBeUndefined();
      expect(r.data).toEqual({
        processing: { name: 'Test processing', state: 'SUCCEEDED', project: { name: 'QGIS uploads' } },
        flowExecution: { state: 'RUNNING', outputDatasets: [{ dataset: { type: 'POINTCLOUD' } }] },
        pointcloud: { name: '12116.cpc', kind: 'SUB', parent: { name: 'Cluster 1' } },
        jobs: [{ state: 'RUNNING', kind: 'SUB' }],
      });
      const client = wsClient(ready.url);
      const first = await new Feed(client, FederationJobStateAndIdDocument, { refs: [POINTCLOUD_5331] }).next();
      expect(field(first, 'jobsUpdated')).toEqual({ state: 'RUNNING', job: { id: '5331' } });
      await client.dispose();

      expect(await stop(child)).toBe(0);
      for (const url of [ready.url, ...Object.values(ready.subgraphs)]) await expect(fetch(url.replace('/graphql', '/healthz'))).rejects.toThrow();
    } finally {
      child.kill();
    }
  }, 120_000);

  test('SIGTERM with requests in flight and a subscription open: every request answered, the socket closed 1001, the gateway and every subgraph exit 0', async ({ sims, proxies }) => {
    // Mapflow behind a proxy that holds the requests, so that they are in flight at the signal.
    const proxy = proxies.mapflow!;
    const proc = startFederated({ ...simulatorEnv(sims), MAPFLOW_URL: sims.mapflow.url.replace(sims.mapflow.origin, proxy.origin), LOG_LEVEL: 'info' });
    try {
      const ready = await listening(proc);
      const client = wsClient(ready.url);
      const closed = new Promise<{ code: number }>((resolve) => client.on('closed', (e) => resolve(closeEvent(e))));
      const sub = new Feed(client, FederationPointcloudStateDocument, { id: '5331' });
      expect(field(await sub.next(), 'pointcloudUpdated')).toEqual({ id: '5331', state: 'RUNNING' });

      const id = '65285409-ac88-4fc0-a937-193cf42c2343';
      const gate = proxy.hold((r) => r.path === `/rest/processings/${id}/v2`);
      // Each selects another field: Hive Gateway shares identical subgraph requests in flight, so
      // identical operations would make one vendor call between them (raw: the selection is built per request).
      const fields = ['name', 'status', 'state', 'progress'];
      const inFlight = fields.map((f) => poster(ready.url)<{ processing: Record<string, unknown> }>(`{ processing(id: "${id}") { id ${f} } }`));
      await gate.held(fields.length);

      proc.child.kill('SIGTERM');
      expect(await closed).toMatchObject({ code: 1001 });
      // Draining: the gateway accepts nothing new while those are still running.
      await expect(fetch(ready.url.replace('/graphql', '/healthz'))).rejects.toThrow();
      gate.release();

      const answers = await Promise.all(inFlight);
      answers.forEach((a, i) => {
        expect(a.status).toBe(200);
        expect(a.errors).toBeUndefined();
        expect(a.data?.processing.id).toBe(id);
        expect(a.data?.processing[fields[i]] ?? null).not.toBeNull();
      });
      // 0 only when every subgraph drained and exited 0 too; each says so in the log.
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      const stopped = proc.lines.filter((l) => l.includes('"msg":"subgraph stopped"')).map((l) => JSON.parse(l) as LogLine);
      expect(stopped.map((l) => [l.subgraph, l.code]).sort()).toEqual([['cupix', 0], ['flai', 0], ['jobs', 0], ['mapflow', 0]]);
      // One signal, one drain per process (the orchestrator and its four subgraphs), no other handler acting on it.
      expect(proc.lines.filter((l) => l.includes(' shutting down'))).toEqual(Array(5).fill('SIGTERM: shutting down'));
      await client.dispose();
    } finally {
      proc.kill();
    }
  }, 120_000);

  test('uploads: with PORT=0 too, createUpload through the gateway gives an uploadUrl at the gateway, and a PUT there makes the Flai dataset', async () => {
    const child = startFederated({});
    try {
      const ready = await listening(child);
      const gatewayPort = new URL(ready.url).port;
      const file = syntheticLas(10_000);
      const created = await opAt(ready.url, UploadCreateDocument, { input: lasInput(file.length) });
      expect(created.errors).toBeUndefined();
      const url = new URL(created.data!.createUpload.uploadUrl!);
      expect([url.hostname, url.port, url.pathname]).toEqual(['localhost', gatewayPort, `/uploads/${created.data!.createUpload.id}`]);
      expect(Object.values(ready.subgraphs).map((s) => new URL(s).port)).not.toContain(gatewayPort);
      expect(await putFile(url.toString(), file)).toMatchObject({ status: 200, body: { state: 'SUCCEEDED' } });
      const done = await opAt(ready.url, UploadByIdDocument, { id: created.data!.createUpload.id });
      expect(done.data?.upload).toMatchObject({ state: 'SUCCEEDED', receivedBytes: file.length, dataset: { name: 'uploaded tile', type: 'POINTCLOUD' } });
    } finally {
      await stop(child);
    }
  }, 120_000);

  test('rate-limits per client address at the gateway only: internal subgraphs do not count every client as the gateway\'s one address', async () => {
    const child = startFederated({ RATE_LIMIT_PER_IP: '2', TRUST_PROXY_HOPS: '1' });
    try {
      const ready = await listening(child);
      const ask = (ip: string) =>
        opAt(ready.url, FederationProcessingNameAndPointcloudKindDocument, { processing: '65285409-ac88-4fc0-a937-193cf42c2343', pointcloud: '5310' }, { 'x-forwarded-for': ip });
      // Three clients, two requests each: within each one's limit, six requests at every subgraph.
      for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
        for (let i = 0; i < 2; i++) {
          const r = await ask(ip);
          expect(r.errors, ip).toBeUndefined();
          expect(r.data).toEqual({ processing: { name: 'Test processing' }, pointcloud: { kind: 'SUB' } });
        }
      }
      const over = await ask('198.51.100.1');
      expect([over.status, over.errors?.[0].extensions?.code]).toEqual([429, 'RATE_LIMITED']);
    } finally {
      await stop(child);
    }
  }, 120_000);

  test('binds the subgraphs to SUBGRAPH_HOST when it is set', async () => {
    const child = startFederated({ SUBGRAPH_HOST: '0.0.0.0' });
    try {
      const ready = await listening(child);
      expect(ready.subgraphAddresses).toEqual({ mapflow: '0.0.0.0', flai: '0.0.0.0', cupix: '0.0.0.0', jobs: '0.0.0.0' });
      expect((await opAt(ready.url, FederationPointcloudKindDocument, { id: '5310' })).data).toEqual({ pointcloud: { kind: 'SUB' } });
    } finally {
      await stop(child);
    }
  }, 120_000);

  test('fails at once with a clear message when REDIS_URL is set and Redis does not answer, without echoing the URL', async () => {
    const child = startFederated({ REDIS_URL: 'redis://:hunter2-secret@127.0.0.1:1' });
    const { code } = await child.exited;
    expect(code).toBe(1);
    expect(child.lines.join('\n')).toContain('REDIS_URL is set but Redis does not answer');
    expect(child.lines.join('\n')).not.toContain('hunter2-secret');
  }, 60_000);
});
