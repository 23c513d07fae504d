import type { Config } from '../config.js';
import { credentialHash, type Credentials, type Vendor } from '../credentials.js';
import type { ResultsLinks } from '../links/results-links.js';
import type { Logger } from '../observability/logger.js';
import { createCupixService, type CupixService } from './cupix/cupix.service.js';
import { createFlaiService, type FlaiService } from './flai/flai.service.js';
import { RetryBudget, type RetryPolicy } from './http/resilience.js';
import type { UpstreamHttp } from './http/upstream-http.js';
import { createMapflowService, type MapflowService } from './mapflow/mapflow.service.js';
import type { VendorDeps } from './shared/vendor-deps.js';
import { createUploadsService, type UploadsDeps, type UploadsService } from './uploads/uploads.service.js';
import { createClassificationsService, type ClassificationsService, type ClassifyDeps } from './classify/classify.service.js';

/** Everything the gateway does with the three vendors for one caller: one service per vendor. */
export interface VendorServices {
  readonly mapflow: MapflowService;
  readonly flai: FlaiService;
  readonly cupix: CupixService;
  /** The caller's uploads through the gateway (src/datasources/uploads/). */
  readonly uploads: UploadsService;
  /** The caller's point-cloud classifications (src/datasources/classify/). */
  readonly classifications: ClassificationsService;
}

/** What lives as long as the process and every caller's services share: nothing per user. */
export interface VendorServicesDeps {
  config: Config;
  /** One client per vendor this process serves (a vendor subgraph has only its own). */
  http: Partial<Record<Vendor, UpstreamHttp>>;
  links: ResultsLinks;
  /** Retries: each bundle gets its own budget from this policy, unless it is given one. */
  retry: RetryPolicy;
  log: Logger;
  /** Uploads through the gateway; absent in a process that serves no upload target (a vendor subgraph but Flai's). */
  uploads?: UploadsDeps;
  /** Point-cloud classifications; only in a process that serves both Cupix and Flai (the unified server, the `jobs` subgraph). */
  classify?: ClassifyDeps;
}


/**
 * The services of one caller (one request, one subscription event, one poll), bound to its
 * credentials. Each is built on first use only, so a query that touches one vendor pays for one
 * service and its DataLoaders. `budget`: the retries their vendor calls may spend together; a fresh
 * one from `deps.retry` when absent.
 */
export function createVendorServices(deps: VendorServicesDeps, credentials: Credentials, budget?: RetryBudget): VendorServices {
  return new LazyVendorServices(deps, credentials, budget);
}

class LazyVendorServices implements VendorServices {
  private mapflowService: MapflowService | undefined;
  private flaiService: FlaiService | undefined;
  private cupixService: CupixService | undefined;
  private uploadsService: UploadsService | undefined;
  private classificationsService: ClassificationsService | undefined;

  constructor(
    private readonly deps: VendorServicesDeps,
    private readonly credentials: Credentials,
    private budget: RetryBudget | undefined,
  ) {}

  get mapflow(): MapflowService {
    return (this.mapflowService ??= createMapflowService(this.vendorDeps('mapflow'), this.credentials.mapflow));
  }

  get flai(): FlaiService {
    return (this.flaiService ??= createFlaiService(this.vendorDeps('flai'), this.credentials.flai));
  }

  get cupix(): CupixService {
    return (this.cupixService ??= createCupixService(this.vendorDeps('cupix'), this.credentials.cupix));
  }

  get uploads(): UploadsService {
    const deps = this.deps.uploads;
    if (!deps) throw new Error('this process does not serve uploads');
    return (this.uploadsService ??= createUploadsService(deps, this.credentials, { flai: () => this.flai, mapflow: () => this.mapflow }));
  }

  get classifications(): ClassificationsService {
    const deps = this.deps.classify;
    if (!deps) throw new Error('this process does not serve classifications');
    return (this.classificationsService ??= createClassificationsService(deps, this.credentials, { flai: () => this.flai, cupix: () => this.cupix }));
  }

  /**
   * The vendor's client seen through this caller's retry budget (shared by its three services) and
   * credential (hashed only when the rate-limit gate asks: most calls never do).
   */
  private vendorDeps(vendor: Vendor): VendorDeps {
    const http = this.deps.http[vendor];
    // A vendor subgraph serves one vendor: no field of its schema reaches another's service.
    if (!http) throw new Error(`this process does not serve ${vendor}`);
    const { config, links, retry, log } = this.deps;
    const budget = (this.budget ??= new RetryBudget(retry));
    return { config, links, log, http: http.forRequest(budget, () => credentialHash(vendor, this.credentials)) };
  }
}
