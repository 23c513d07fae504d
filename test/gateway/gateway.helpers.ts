import 'reflect-metadata';
import { startGateway, type Gateway } from '../../src/app.js';
import type { Stack } from '../helpers/stack.js';

/** What every gateway a test starts has: test mode, a free port on loopback, no logs. */
export const TEST_ENV = { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' } as const;

/** The env of a gateway in front of the stack's simulators with their demo credentials. */
export function stackEnv(stack: Stack, over: Record<string, string> = {}): Record<string, string> {
  const { sims } = stack;
  return {
    ...TEST_ENV,
    MAPFLOW_URL: sims.mapflow.url,
    MAPFLOW_TOKEN: sims.mapflow.demoToken,
    FLAI_URL: sims.flai.origin,
    FLAI_TOKEN: sims.flai.demoToken,
    CUPIX_URL: sims.cupix.url,
    CUPIX_TOKEN: sims.cupix.demoToken,
    ...over,
  };
}

/** Another gateway on the same simulators (a replica, or one configured differently); close it after. */
export function startAnotherGateway(stack: Stack, over: Record<string, string> = {}): Promise<Gateway> {
  return startGateway({ env: stackEnv(stack, over) });
}
