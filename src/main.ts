import 'reflect-metadata';
import { startGateway } from './app.js';
import { ConfigError } from './config.js';

/** A WebSocket peer that never answers our 1001 close must not hold the exit for ws's 30 s. */
const DRAIN_DEADLINE_MS = 10_000;

try {
  const gateway = await startGateway();
  const shutdown = (signal: string) => {
    console.error(`${signal}: shutting down`);
    setTimeout(() => process.exit(1), DRAIN_DEADLINE_MS).unref();
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}
