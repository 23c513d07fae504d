import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { startGateway } from './app.js';
import { ConfigError } from './config.js';
import { isSubgraphName, SUBGRAPH_NAMES, type SchemaPart } from './federation/subgraphs.js';
import { exitOnTermination } from './lifecycle/shutdown.js';

/** A WebSocket peer that never answers our 1001 close must not hold the exit for ws's 30 s. */
const DRAIN_DEADLINE_MS = 10_000;

/** `--subgraph <name>` (or `--subgraph=<name>`): serve one Federation 2 subgraph instead of everything. */
function partFromArgs(args: string[]): SchemaPart {
  const i = args.findIndex((a) => a === '--subgraph' || a.startsWith('--subgraph='));
  if (i === -1) return 'unified';
  const name = args[i].includes('=') ? args[i].slice('--subgraph='.length) : (args[i + 1] ?? '');
  if (!isSubgraphName(name)) {
    console.error(`--subgraph must be one of ${SUBGRAPH_NAMES.join(', ')}; got "${name}"`);
    process.exit(64); // EX_USAGE
  }
  return name;
}

const starting = startGateway({ part: partFromArgs(process.argv.slice(2)) });
// Installed before start-up ends: a signal meanwhile (start:federated stopping while its subgraphs
// still start) stops the gateway once it is up, instead of Node's default death by the signal.
const shutdown = exitOnTermination({ drain: () => starting.then((gateway) => gateway.close()), deadlineMs: DRAIN_DEADLINE_MS });
// A child of `npm run start:federated` goes with its parent, however that one ended.
process.once('disconnect', () => shutdown('parent process gone'));
try {
  const gateway = await starting;
  // Started by `npm run start:federated` (src/federation/main.ts): tell it where we listen.
  process.send?.({ type: 'listening', part: gateway.part, url: gateway.url, address: (gateway.server.address() as AddressInfo).address });
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}
