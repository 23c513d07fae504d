import 'reflect-metadata';
import { startGateway, type Gateway } from '../../src/app.js';
import { gatewayEnv, type Stack } from '../helpers/stack.helpers.js';

export { TEST_ENV } from '../helpers/stack.helpers.js';

/** Another gateway on the same simulators (a replica, or one configured differently); close it after. */
export function startAnotherGateway(stack: Stack, over: Record<string, string> = {}): Promise<Gateway> {
  return startGateway({ env: gatewayEnv(stack.sims, over) });
}
