import { randomUUID } from 'node:crypto';
import type { Credentials } from './credentials.js';
import type { RetryBudget } from './datasources/http/resilience.js';
import { createVendorServices, type VendorServices, type VendorServicesDeps } from './datasources/vendor-services.js';
import type { ConnectionState, StatusHub } from './status/hub.js';
import { StatusScope } from './status/scope.js';

/**
 * The composition root: what the transports (src/server) build one context from. Nothing below the
 * resolvers imports this module; each layer takes only the parts it needs.
 */
export interface AppDeps extends VendorServicesDeps {
  /** Live status: watchers, PubSub (memory or Redis). */
  status: StatusHub;
}

/**
 * The context of one request (or one subscription event): the caller's vendor services, built
 * lazily and bound to its credentials, so nothing is cached across requests or users.
 */
export interface GatewayContext {
  requestId: string;
  credentials: Credentials;
  services: VendorServices;
  /** Live status for this caller: `kick` after a mutation changed a job; subscriptions' streams. */
  status: StatusScope;
  /** Set over graphql-ws: the connection the operation runs on (per-connection caps). */
  connection?: ConnectionState;
}

/** `budget`: the retries its vendor calls may spend; a fresh one from `deps.retry` by default. */
export function createContext(deps: AppDeps, credentials: Credentials, requestId: string = randomUUID(), budget?: RetryBudget): GatewayContext {
  return { requestId, credentials, services: createVendorServices(deps, credentials, budget), status: new StatusScope(deps.status, credentials) };
}
