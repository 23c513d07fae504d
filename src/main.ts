import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { startGateway } from './app.js';
import { ConfigError } from './config.js';
import { isSubgraphName, SUBGRAPH_NAMES, type SchemaPart } from './federation/subgraphs.js';

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

try {
  const gateway = await startGateway({ part: partFromArgs(process.argv.slice(2)) });
  // Started by `npm run start:federated` (src/federation/main.ts): tell it where we listen.
  process.send?.({ type: 'listening', part: gateway.part, url: gateway.url, address: (gateway.server.address() as AddressInfo).address });
  const shutdown = (signal: string) => {
    console.error(`${signal}: shutting down`);
    setTimeout(() => process.exit(1), DRAIN_DEADLINE_MS).unref();
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  // A child of `npm run start:federated` goes with its parent, however that one ended.
  process.once('disconnect', () => shutdown('parent process gone'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}
