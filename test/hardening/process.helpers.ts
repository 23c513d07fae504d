import { test as base } from 'vitest';
import { spawnEntry, type Exit, type NodeProcess } from '../helpers/process.helpers.js';

/** The gateway as a real process (`src/main.ts` under tsx), as `npm start` runs it. */
export interface GatewayProcess {
  child: NodeProcess['child'];
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  origin: string;
  /** Every stdout and stderr line so far. */
  output: string[];
  /** The first output line from index `since` on matching; rejects if the process ends first. */
  waitForLine: NodeProcess['waitForLine'];
  /** How the process ended. */
  exited: Promise<Exit>;
  alive(): boolean;
  kill(): void;
}

/**
 * No NODE_ENV unless `env` sets one, as `npm start` runs it: the process a user gets, not the one
 * a test runner's `NODE_ENV=test` would make.
 */
export async function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const proc = spawnEntry('src/main.ts', { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SIM_TIME_SCALE: '0', ...env });
  let url: string;
  try {
    const listening = await proc.waitForLine((l) => l.includes('gateway listening') && /"url":"http:\/\/localhost:\d+\/graphql"/.test(l));
    url = /"url":"(http:\/\/localhost:\d+\/graphql)"/.exec(listening)![1].replace('localhost', '127.0.0.1');
  } catch (err) {
    throw new Error(`the gateway process did not start: ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    child: proc.child,
    url,
    origin: url.replace(/\/graphql$/, ''),
    output: proc.lines,
    waitForLine: proc.waitForLine,
    exited: proc.exited,
    alive: proc.alive,
    kill: proc.kill,
  };
}

/**
 * The test API of files about one gateway process for the whole file: `gatewayProcess` is started
 * as `npm start` starts it (plus `processEnv`, `test.override('processEnv', { ... })` at the top of
 * the file) by the file's first test that asks for it, and killed after the file's last test.
 */
export const processTest = base
  .extend('processEnv', { scope: 'file' }, {} as Record<string, string>)
  .extend('gatewayProcess', { scope: 'file' }, async ({ processEnv }, { onCleanup }) => {
    const gw = await spawnGateway(processEnv);
    onCleanup(() => gw.kill());
    return gw;
  });
