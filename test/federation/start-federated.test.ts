import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { poster } from '../helpers/federation.js';
import { Feed, field, wsClient } from '../status/status.helpers.js';

const ROOT = new URL('../..', import.meta.url);

/** `npm run start:federated` without the build step: the same entry point under tsx. */
function startFederated(env: Record<string, string>): ChildProcess & { stderrText: () => string; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/federation/main.ts'], {
    cwd: ROOT,
    // Errors only: what a failure here shows.
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', SIM_TIME_SCALE: '0', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  return Object.assign(child, { stderrText: () => stderr, output: () => `${stdout}\n${stderr}` });
}

/** The orchestrator's `listening` message (tsx sends messages of its own on the same channel). */
function listening(child: ChildProcess): Promise<{ url: string; subgraphs: Record<string, string>; subgraphAddresses: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    child.on('message', (m: { type?: string; url?: string; subgraphs?: Record<string, string>; subgraphAddresses?: Record<string, string> }) => {
      if (m?.type === 'listening' && m.url && m.subgraphs) resolve({ url: m.url, subgraphs: m.subgraphs, subgraphAddresses: m.subgraphAddresses ?? {} });
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${(child as ReturnType<typeof startFederated>).output()}`)));
  });
}

/** SIGTERM, then its exit code once it has exited. */
async function stop(child: ChildProcess): Promise<number | null> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  return (await exited)[0] as number | null;
}

describe('npm run start:federated', () => {
  it('starts four subgraph processes and the gateway, serves the three vendors through it, and stops them all on SIGTERM', async () => {
    // The gateway on every interface; the subgraphs, internal, on loopback (no SUBGRAPH_HOST).
    const child = startFederated({ HOST: '0.0.0.0', SUBGRAPH_HOST: '' });
    try {
      const ready = await listening(child);
      expect(Object.keys(ready.subgraphs)).toEqual(['mapflow', 'flai', 'cupix', 'jobs']);
      expect(ready.subgraphAddresses).toEqual({ mapflow: '127.0.0.1', flai: '127.0.0.1', cupix: '127.0.0.1', jobs: '127.0.0.1' });
      for (const url of Object.values(ready.subgraphs)) expect((await fetch(url.replace('/graphql', '/healthz'))).status).toBe(200);

      const r = await poster(ready.url)(`{
        processing(id: "65285409-ac88-4fc0-a937-193cf42c2343") { name state project { name } }
        flowExecution(id: "df7d6f87-2f00-4e66-9dbd-5636ef486a0e") { state outputDatasets { dataset { type } } }
        pointcloud(id: "5310") { name kind parent { name } }
        jobs(refs: [{ source: CUPIX, type: "Pointcloud", id: "5331" }]) { state ... on Pointcloud { kind } } }`);
      expect(r.errors).toBeUndefined();
      expect(r.data).toEqual({
        processing: { name: 'Test processing', state: 'SUCCEEDED', project: { name: 'QGIS uploads' } },
        flowExecution: { state: 'RUNNING', outputDatasets: [{ dataset: { type: 'POINTCLOUD' } }] },
        pointcloud: { name: '12116.cpc', kind: 'SUB', parent: { name: 'Cluster 1' } },
        jobs: [{ state: 'RUNNING', kind: 'SUB' }],
      });
      const client = wsClient(ready.url);
      const first = await new Feed(client, 'subscription { jobsUpdated(refs: [{ source: CUPIX, type: "Pointcloud", id: "5331" }]) { state job { id } } }').next();
      expect(field(first, 'jobsUpdated')).toEqual({ state: 'RUNNING', job: { id: '5331' } });
      await client.dispose();

      expect(await stop(child)).toBe(0);
      for (const url of [ready.url, ...Object.values(ready.subgraphs)]) await expect(fetch(url.replace('/graphql', '/healthz'))).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);

  it('rate-limits per client address at the gateway only: internal subgraphs do not count every client as the gateway\'s one address', async () => {
    const child = startFederated({ RATE_LIMIT_PER_IP: '2', TRUST_PROXY_HOPS: '1' });
    try {
      const ready = await listening(child);
      const query = '{ processing(id: "65285409-ac88-4fc0-a937-193cf42c2343") { name } pointcloud(id: "5310") { kind } }';
      // Three clients, two requests each: within each one's limit, six requests at every subgraph.
      for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
        for (let i = 0; i < 2; i++) {
          const r = await poster(ready.url)(query, {}, { 'x-forwarded-for': ip });
          expect(r.errors, ip).toBeUndefined();
          expect(r.data).toEqual({ processing: { name: 'Test processing' }, pointcloud: { kind: 'SUB' } });
        }
      }
      const over = await poster(ready.url)(query, {}, { 'x-forwarded-for': '198.51.100.1' });
      expect([over.status, over.errors?.[0].extensions?.code]).toEqual([429, 'RATE_LIMITED']);
    } finally {
      await stop(child);
    }
  }, 120_000);

  it('binds the subgraphs to SUBGRAPH_HOST when it is set', async () => {
    const child = startFederated({ SUBGRAPH_HOST: '0.0.0.0' });
    try {
      const ready = await listening(child);
      expect(ready.subgraphAddresses).toEqual({ mapflow: '0.0.0.0', flai: '0.0.0.0', cupix: '0.0.0.0', jobs: '0.0.0.0' });
      expect((await poster(ready.url)('{ pointcloud(id: "5310") { kind } }')).data).toEqual({ pointcloud: { kind: 'SUB' } });
    } finally {
      await stop(child);
    }
  }, 120_000);

  it('fails at once with a clear message when REDIS_URL is set and Redis does not answer, without echoing the URL', async () => {
    const child = startFederated({ REDIS_URL: 'redis://:hunter2-secret@127.0.0.1:1' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(child.stderrText()).toContain('REDIS_URL is set but Redis does not answer');
    expect(child.stderrText()).not.toContain('hunter2-secret');
  }, 60_000);
});
