/**
 * `npm run start:federated`: the four subgraphs (mapflow, flai, cupix, jobs) as child processes and
 * Hive Gateway in front of them, on one machine. Vendors without a `*_URL` get one embedded simulator
 * each, started here and shared by every subgraph (the `jobs` subgraph and a vendor's subgraph must
 * see the same data). The gateway listens on HOST:PORT, the subgraphs on SUBGRAPH_HOST:SUBGRAPH_PORTS
 * (127.0.0.1 and PORT+1..PORT+4 by default: they are internal, only the gateway is for clients).
 * The gateway's socket is bound first, so every subgraph signs its links (`resultsUrl`, `uploadUrl`)
 * with the gateway's URL (PUBLIC_URL, else http://localhost:<its port>), which passes them on.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig } from '../config.js';
import { graphqlLimits } from '../server/graphql-limits.js';
import { createLogger } from '../observability/logger.js';
import { RequestRateLimiter } from '../server/rate-limit.js';
import { exitOnTermination } from '../lifecycle/shutdown.js';
import { startSimulators } from '../simulators/index.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bindFederationGateway, startFederationGateway, type FederationGateway } from './gateway.js';
import { SUBGRAPH_NAMES, type SubgraphName } from './subgraphs.js';

const START_TIMEOUT_MS = 60_000;
const DRAIN_DEADLINE_MS = 10_000;

interface Child {
  name: SubgraphName;
  proc: ChildProcess;
  /** Where the gateway reaches it, and the address it is bound to. */
  url: Promise<{ url: string; address: string }>;
}

class StartError extends Error {}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.LOG_LEVEL);
  if (config.REDIS_URL) await checkRedis(config.REDIS_URL);
  else log.info('no REDIS_URL: the jobs subgraph polls the jobs of jobsUpdated itself, even those a vendor subgraph already polls for another subscription');

  const embedded = { mapflow: !config.MAPFLOW_URL, flai: !config.FLAI_URL, cupix: !config.CUPIX_URL };
  const sims = await startSimulators({ timeScale: config.SIM_TIME_SCALE, documentedVariants: config.SIM_DOCUMENTED_VARIANTS, only: embedded });
  for (const [vendor, on] of Object.entries(embedded)) {
    if (on) log.info({ vendor, url: sims[vendor as keyof typeof embedded]?.origin }, 'no URL set: every subgraph uses this embedded simulator with its demo credential');
  }
  const shared: Record<string, string | undefined> = {
    MAPFLOW_URL: process.env.MAPFLOW_URL || sims.mapflow?.url,
    MAPFLOW_TOKEN: process.env.MAPFLOW_TOKEN || (embedded.mapflow ? sims.mapflow?.demoToken : undefined),
    FLAI_URL: process.env.FLAI_URL || sims.flai?.origin,
    FLAI_TOKEN: process.env.FLAI_TOKEN || (embedded.flai ? sims.flai?.demoToken : undefined),
    CUPIX_URL: process.env.CUPIX_URL || sims.cupix?.url,
    CUPIX_TOKEN: process.env.CUPIX_TOKEN || (embedded.cupix ? sims.cupix?.demoToken : undefined),
  };
  const ports = config.SUBGRAPH_PORTS ?? SUBGRAPH_NAMES.map((_, i) => (config.PORT === 0 ? 0 : config.PORT + 1 + i));
  let listening: Server;
  try {
    listening = await bindFederationGateway(config.PORT, config.HOST, config.HTTP_IDLE_TIMEOUT_SECONDS);
  } catch (err) {
    await sims.close();
    throw new StartError(`the federation gateway cannot listen on ${config.HOST}:${config.PORT}: ${err instanceof Error ? err.message : String(err)}`);
  }
  // The mapflow subgraph signs `resultsUrl` links and the jobs subgraph `uploadUrl`s; the gateway
  // passes /results/... and /uploads/... on to them.
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${(listening.address() as AddressInfo).port}`;

  const subgraphHost = config.SUBGRAPH_HOST ?? '127.0.0.1';
  // On loopback only the gateway reaches the subgraphs, and it enforces the rate limits per client
  // address and key: counted again there, every client's requests would share the gateway's one
  // address (and an operation can take several subgraph requests), so they are off.
  const internal = config.SUBGRAPH_HOST ? {} : { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_KEY: '0' };
  const children = SUBGRAPH_NAMES.map((name, i) =>
    startChild(name, { ...process.env, ...shared, ...internal, HOST: subgraphHost, PORT: String(ports[i]), PUBLIC_URL: publicUrl }),
  );
  let gateway: FederationGateway | null = null;
  let rateLimiter: RequestRateLimiter | null = null;
  let stopping = false;
  // In this order: the gateway drains first (its requests in flight still need the subgraphs),
  // then each subgraph drains its own, then the simulators they called go.
  const shutdown = exitOnTermination({
    deadlineMs: DRAIN_DEADLINE_MS,
    drain: async () => {
      stopping = true;
      if (gateway) await gateway.close().catch(() => {});
      else await new Promise((resolve) => listening.close(resolve));
      await rateLimiter?.close();
      const exits = await Promise.all(children.map((c) => stopChild(c)));
      await sims.close();
      let clean = true;
      children.forEach((c, i) => {
        const { code, signal } = exits[i];
        if (code === 0) log.info({ subgraph: c.name, code }, 'subgraph stopped');
        else {
          clean = false;
          log.error({ subgraph: c.name, code, signal }, 'subgraph did not stop cleanly');
        }
      });
      return clean ? 0 : 1;
    },
  });
  for (const c of children) {
    c.proc.once('exit', (code, signal) => {
      if (stopping) return;
      log.error({ subgraph: c.name, code, signal }, 'a subgraph stopped: stopping the federated setup');
      shutdown('a subgraph stopped', 1);
    });
  }

  let bound: { url: string; address: string }[];
  try {
    bound = await Promise.all(children.map((c) => c.url));
  } catch (err) {
    if (stopping) return; // stopped during start-up: the drain is under way
    log.error({ err: err instanceof Error ? err.message : String(err) }, 'the federated setup could not start');
    return shutdown('start failed', 1);
  }
  const urls = bound.map((b) => b.url);
  try {
    rateLimiter = await RequestRateLimiter.create(config, log);
    gateway = await startFederationGateway({
      supergraph: readFileSync(new URL('../../supergraph.graphql', import.meta.url), 'utf8'),
      subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n, i) => [n, urls[i]])),
      server: listening,
      apiKeys: config.gatewayApiKeys,
      keepAliveMs: config.WS_KEEPALIVE_MS,
      nodeEnv: config.NODE_ENV,
      limits: graphqlLimits(config),
      maxBodyBytes: config.GRAPHQL_MAX_BODY_BYTES,
      rateLimiter,
      wsAllowedOrigins: config.WS_ALLOWED_ORIGINS,
      log,
      logLevel: config.LOG_LEVEL,
    });
  } catch (err) {
    if (stopping) return; // stopped during start-up: the drain is under way
    log.error({ err: err instanceof Error ? err.message : String(err) }, 'the federation gateway could not start');
    return shutdown('start failed', 1);
  }
  process.send?.({ type: 'listening', part: 'gateway', url: gateway.url, subgraphs: Object.fromEntries(SUBGRAPH_NAMES.map((n, i) => [n, urls[i]])),
    subgraphAddresses: Object.fromEntries(SUBGRAPH_NAMES.map((n, i) => [n, bound[i].address])),
  });
}

/** One subgraph: `main` with `--subgraph <name>`, under the same node (and loader flags, e.g. tsx). */
function startChild(name: SubgraphName, env: NodeJS.ProcessEnv): Child {
  const self = fileURLToPath(import.meta.url);
  const entry = fileURLToPath(new URL(self.endsWith('.ts') ? '../main.ts' : '../main.js', import.meta.url));
  // A process group of its own: the terminal's Ctrl-C (sent to the whole foreground group) reaches
  // this process only, which stops the subgraphs once the gateway has drained. A subgraph still
  // goes with this process however it ends: it stops when the IPC channel closes (src/main.ts).
  const proc = spawn(process.execPath, [...process.execArgv, entry, '--subgraph', name], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
  const url = new Promise<{ url: string; address: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StartError(`subgraph ${name} did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    proc.on('message', (m: { type?: string; url?: string; address?: string }) => {
      if (m?.type === 'listening' && m.url) {
        clearTimeout(timer);
        const address = m.address ?? '127.0.0.1';
        resolve({ url: reachableAt(m.url, address), address });
      }
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new StartError(`subgraph ${name} ${signal ? `was killed by ${signal}` : `exited with code ${code}`} before listening (its output is above)`));
    });
  });
  url.catch(() => {});
  return { name, proc, url };
}

/** The subgraph's URL (on 127.0.0.1) at the address it is bound to, unless that is a wildcard. */
function reachableAt(url: string, address: string): string {
  if (address === '0.0.0.0' || address === '::' || address === '127.0.0.1') return url;
  const u = new URL(url);
  u.hostname = address.includes(':') ? `[${address}]` : address;
  return u.toString();
}

/** SIGTERM (the subgraph drains), then how it ended; at once if it already has. */
function stopChild(c: Child): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return Promise.resolve({ code: c.proc.exitCode, signal: c.proc.signalCode });
  return new Promise((resolve) => {
    c.proc.once('exit', (code, signal) => resolve({ code, signal }));
    c.proc.kill('SIGTERM');
  });
}

/** REDIS_URL set but unreachable: say so plainly (the URL may hold a password, so it is not echoed). */
async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new StartError(
      `REDIS_URL is set but Redis does not answer (${err instanceof Error ? err.message : String(err)}): start it, or unset REDIS_URL to run without it (the jobs subgraph then polls on its own)`,
    );
  } finally {
    redis.disconnect();
  }
}

try {
  await main();
} catch (err) {
  if (err instanceof ConfigError || err instanceof StartError) {
    console.error(err.message);
    process.exit(err instanceof ConfigError ? 78 : 1);
  }
  throw err;
}

