import { randomUUID } from 'node:crypto';
import type { Config } from './config.js';
import type { CupixService } from './datasources/cupix/cupix.service.js';
import { createCupixService } from './datasources/cupix/cupix.service.js';
import type { FlaiService } from './datasources/flai/flai.service.js';
import { createFlaiService } from './datasources/flai/flai.service.js';
import { RetryBudget, type RetryPolicy } from './datasources/http/resilience.js';
import type { UpstreamHttp } from './datasources/http/upstream-http.js';
import type { MapflowService } from './datasources/mapflow/mapflow.service.js';
import { createMapflowService } from './datasources/mapflow/mapflow.service.js';
import type { ResultsLinks } from './links/results-links.js';
import { CREDENTIAL_HEADERS } from './server/credential-headers.js';
import type { ConnectionState, StatusHub } from './status/hub.js';
import { StatusScope } from './status/scope.js';
import { credentialHash } from './status/targets.js';

/** One vendor credential of one caller. Never logged, never sent anywhere but its own vendor. */
export interface Credentials {
  mapflow: { token: string } | null;
  flai: { token: string; orgId?: string } | null;
  cupix: { token: string } | null;
}

/** What lives as long as the process: configuration, keep-alive HTTP clients, link signing. */
export interface AppDeps {
  config: Config;
  /** One client per vendor this process serves (a vendor subgraph has only its own). */
  http: Partial<Record<keyof Credentials, UpstreamHttp>>;
  links: ResultsLinks;
  /** Live status: watchers, PubSub (memory or Redis). */
  status: StatusHub;
  /** Retries: each request context gets its own budget from this policy. */
  retry: RetryPolicy;
}

/** What each vendor service gets: its HTTP client and the app-wide pieces. Holds no per-user state. */
export interface VendorDeps {
  config: Config;
  http: UpstreamHttp;
  links: ResultsLinks;
}

/**
 * The per-request (or per-subscription-event) context. Every service and its DataLoaders are made
 * fresh here, bound to the caller's credential, so nothing is cached across requests or users.
 */
export interface GatewayContext {
  requestId: string;
  credentials: Credentials;
  mapflow: MapflowService;
  flai: FlaiService;
  cupix: CupixService;
  /** Live status for this caller: `kick` after a mutation changed a job; subscriptions' streams. */
  status: StatusScope;
  /** Set over graphql-ws: the connection the operation runs on (per-connection caps). */
  connection?: ConnectionState;
}

// In a module of its own so that the federation gateway knows the names without loading the schema.
export { CREDENTIAL_HEADERS };

/** Server credentials from env, overridden per request by the caller's headers. */
export function resolveCredentials(get: (name: string) => string | undefined, config: Config): Credentials {
  const mapflow = get(CREDENTIAL_HEADERS.mapflow) || config.MAPFLOW_TOKEN;
  const flaiHeader = get(CREDENTIAL_HEADERS.flai);
  const flai = flaiHeader || config.FLAI_TOKEN;
  // A caller's own Flai token never borrows the server's org id: that org belongs to another account.
  const flaiOrg = flaiHeader ? get(CREDENTIAL_HEADERS.flaiOrg) : get(CREDENTIAL_HEADERS.flaiOrg) || config.FLAI_ORG_ID;
  const cupix = get(CREDENTIAL_HEADERS.cupix) || config.CUPIX_TOKEN;
  return {
    mapflow: mapflow ? { token: mapflow } : null,
    flai: flai ? { token: flai, ...(flaiOrg ? { orgId: flaiOrg } : {}) } : null,
    cupix: cupix ? { token: cupix } : null,
  };
}

/** `budget`: the retries its vendor calls may spend; a fresh one from `deps.retry` by default. */
export function createContext(deps: AppDeps, credentials: Credentials, requestId: string = randomUUID(), budget?: RetryBudget): GatewayContext {
  return new RequestContext(deps, credentials, requestId, budget);
}

/** Where a context keeps its services: one holder, shared by Apollo's per-operation shallow copy of the context. */
const SERVICES = Symbol('services');

interface ServiceSlots {
  deps: AppDeps;
  /** The request's retry budget, shared by its three vendor services (made with the first). */
  budget?: RetryBudget;
  mapflow?: MapflowService;
  flai?: FlaiService;
  cupix?: CupixService;
}

/**
 * The context object: each vendor service (and its DataLoaders) is built on first use only, so a
 * query that touches one vendor pays for one. Assignable, for subscriptions that swap in fresh
 * services before every event. Apollo copies the context with `Object.assign` before executing;
 * the getters live on the prototype and the built services in one shared holder, so that copy
 * neither builds them nor loses them.
 */
class RequestContext implements GatewayContext {
  readonly status: StatusScope;
  connection?: ConnectionState;
  readonly [SERVICES]: ServiceSlots;

  constructor(
    deps: AppDeps,
    readonly credentials: Credentials,
    readonly requestId: string,
    budget?: RetryBudget,
  ) {
    this[SERVICES] = budget ? { deps, budget } : { deps };
    this.status = new StatusScope(deps.status, credentials);
  }

  get mapflow(): MapflowService {
    const s = this[SERVICES];
    return (s.mapflow ??= s.deps.http.mapflow ? createMapflowService(vendorDeps(s, s.deps.http.mapflow, 'mapflow', this.credentials), this.credentials.mapflow) : notServed('mapflow'));
  }
  set mapflow(v: MapflowService) {
    this[SERVICES].mapflow = v;
  }

  get flai(): FlaiService {
    const s = this[SERVICES];
    return (s.flai ??= s.deps.http.flai ? createFlaiService(vendorDeps(s, s.deps.http.flai, 'flai', this.credentials), this.credentials.flai) : notServed('flai'));
  }
  set flai(v: FlaiService) {
    this[SERVICES].flai = v;
  }

  get cupix(): CupixService {
    const s = this[SERVICES];
    return (s.cupix ??= s.deps.http.cupix ? createCupixService(vendorDeps(s, s.deps.http.cupix, 'cupix', this.credentials), this.credentials.cupix) : notServed('cupix'));
  }
  set cupix(v: CupixService) {
    this[SERVICES].cupix = v;
  }
}

/**
 * What one vendor service of this request gets: its client, seen through the request's retry budget
 * and its caller's credential (hashed only if the rate-limit gate needs it: most requests never do).
 */
function vendorDeps(s: ServiceSlots, http: UpstreamHttp, vendor: keyof Credentials, credentials: Credentials): VendorDeps {
  const { deps } = s;
  return { config: deps.config, links: deps.links, http: http.forRequest((s.budget ??= new RetryBudget(deps.retry)), () => credentialHash(vendor, credentials)) };
}

/**
 * The service of a vendor this process does not serve (a subgraph of another vendor). No field of its
 * schema calls it; code that hands services around (a subscription's fresh services) may still read it.
 */
function notServed<T extends object>(vendor: keyof Credentials): T {
  const fail = () => {
    throw new Error(`this process does not serve ${vendor}`);
  };
  return new Proxy({} as T, { get: (_t, prop) => (prop === 'then' ? undefined : fail) });
}
