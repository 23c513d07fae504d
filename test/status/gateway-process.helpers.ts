import type { ChildProcess } from 'node:child_process';
import type { StatusActivity } from '../../src/status/hub.js';
import { spawnEntry } from '../helpers/process.helpers.js';
import { simsTest, simulatorEnv } from '../helpers/stack.helpers.js';
import { clientPool, FAST_STATUS_ENV, redisFixture } from './status.helpers.js';
export { simulatorEnv } from '../helpers/stack.helpers.js';

/** One JSON log line of a gateway process (the logger writes one per event on stdout). */
export type LogLine = { level: string; time: string; msg?: string } & Record<string, unknown>;

/** A status activity as the gateway logs it at debug level (`msg` = `status <type>`). */
export type ActivityLine = LogLine & StatusActivity;

/**
 * A real gateway process (`node --import tsx src/main.ts`, spawned by test/helpers/process.ts),
 * what a replica behind a load balancer is. Its environment is built from nothing but
 * PATH/HOME/TMPDIR and what the test passes, so a developer's own REDIS_URL, *_URL or tokens never
 * leak into it.
 */
export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** Every log line so far, in order. */
  readonly logs: LogLine[];
  /** The first log line matching `pred` from index `since` on (default: the lines still to come). */
  waitForLog(pred: (l: LogLine) => boolean, since?: number): Promise<LogLine>;
  /** The first status activity line of this target matching `pred`. */
  waitForActivity(target: { kind: string; id: string }, pred: (a: ActivityLine) => boolean, since?: number): Promise<ActivityLine>;
  /** `GET /readyz`'s body. */
  readyz(): Promise<{ status: string; liveStatus: { watchers: number; leading: number; subscribers: number; distributed: boolean; polls: number; initialFetches: number; published: number } }>;
  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const proc = spawnEntry('src/main.ts', { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug', ...env });
  const { child } = proc;
  const logs: LogLine[] = [];
  const waiters = new Set<{ pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }>();
  proc.onLine((text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return; // not one of the logger's lines
    }
    logs.push(line);
    for (const w of waiters) {
      if (!w.pred(line)) continue;
      waiters.delete(w);
      w.resolve(line);
    }
  });
  const ended = proc.exited.then(({ code, signal }) => {
    throw new Error(`the gateway process exited (${String(code ?? signal)}): ${proc.lines.filter((l) => !l.startsWith('{')).join('\n').slice(-4000)}`);
  });
  ended.catch(() => {});

  const waitForLog = (pred: (l: LogLine) => boolean, since = logs.length): Promise<LogLine> => {
    const seen = logs.slice(since).find(pred);
    if (seen) return Promise.resolve(seen);
    const found = new Promise<LogLine>((resolve) => waiters.add({ pred, resolve }));
    return Promise.race([found, ended]);
  };

  const listening = await waitForLog((l) => l.msg === 'gateway listening', 0);
  const url = String(listening.url).replace('localhost', '127.0.0.1');
  return {
    url,
    child,
    logs,
    waitForLog,
    waitForActivity: (target, pred, since) =>
      waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('status ') && l.kind === target.kind && l.id === target.id && pred(l as ActivityLine), since) as Promise<ActivityLine>,
    readyz: async () => {
      const res = await fetch(url.replace(/\/graphql$/, '/readyz'));
      return (await res.json()) as never;
    },
    stop: async (signal = 'SIGTERM') => (await proc.stop(signal)).code,
  };
}

/** Three gateway processes sharing one Redis, as replicas behind a load balancer would be. */
export interface ReplicaProcesses {
  a: GatewayProcess;
  b: GatewayProcess;
  c: GatewayProcess;
}

/**
 * The test API of files about replicas: `sims` (the simulators, run by the test process), `redis`
 * (a key prefix of the file's own), and `replicas`: three gateway processes in front of those
 * simulators, polling fast and sharing that Redis, started once for the file and killed after its
 * last test (`replicaEnv` adds to their environment). `connect(params?, url)` opens graphql-ws
 * clients for one test, disposed after it.
 */
export const replicasTest = simsTest
  .extend('redis', { scope: 'file' }, redisFixture)
  .extend('replicaEnv', { scope: 'file' }, {} as Record<string, string>)
  .extend('replicas', { scope: 'file' }, async ({ sims, redis, replicaEnv }, { onCleanup }) => {
    const env = { ...simulatorEnv(sims), ...FAST_STATUS_ENV, REDIS_URL: redis.url, STATUS_REDIS_PREFIX: redis.prefix, ...replicaEnv };
    const started = await Promise.allSettled([spawnGateway(env), spawnGateway(env), spawnGateway(env)]);
    const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const killAll = async () => {
      await Promise.all(running.map((g) => g.stop('SIGKILL')));
    };
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      await killAll();
      throw failed.reason;
    }
    onCleanup(killAll);
    const [a, b, c] = running;
    return { a, b, c } satisfies ReplicaProcesses;
  })
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  .extend('connect', async ({}, { onCleanup }) => clientPool(onCleanup));
