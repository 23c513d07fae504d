import 'reflect-metadata';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Vendor } from '../../src/credentials.js';
import { cupixErrorInfo } from '../../src/datasources/cupix/cupix.errors.js';
import { flaiErrorInfo } from '../../src/datasources/flai/flai.errors.js';
import { retryPolicy } from '../../src/datasources/http/resilience.js';
import { UpstreamHttp } from '../../src/datasources/http/upstream-http.js';
import { mapflowErrorInfo } from '../../src/datasources/mapflow/mapflow.errors.js';
import { createVendorServices, type VendorServicesDeps } from '../../src/datasources/vendor-services.js';
import { ResultsLinks } from '../../src/links/results-links.js';
import { createLogger } from '../../src/observability/logger.js';

/**
 * The services of one caller are built on first use only (docs/architecture.md, "The request
 * path"): a query that touches one vendor builds that vendor's service and no other. Seen from the
 * deps: a service is built by taking a view of its vendor's client, so the clients read are the
 * services built.
 */
function deps(): { deps: VendorServicesDeps; clientsRead: Vendor[] } {
  const config = loadConfig({ NODE_ENV: 'test', MAPFLOW_URL: 'http://127.0.0.1:9', FLAI_URL: 'http://127.0.0.1:9', CUPIX_URL: 'http://127.0.0.1:9' });
  const client = (source: 'MAPFLOW' | 'FLAI' | 'CUPIX', parseError: typeof mapflowErrorInfo) => new UpstreamHttp({ source, baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000, parseError });
  const clients: Record<Vendor, UpstreamHttp> = { mapflow: client('MAPFLOW', mapflowErrorInfo), flai: client('FLAI', flaiErrorInfo), cupix: client('CUPIX', cupixErrorInfo) };
  const clientsRead: Vendor[] = [];
  const http = new Proxy(clients, {
    get(target, vendor: Vendor) {
      clientsRead.push(vendor);
      return target[vendor];
    },
  });
  const links = new ResultsLinks(() => 'http://127.0.0.1:9', 'x'.repeat(32), 60);
  return { deps: { config, http, links, retry: retryPolicy(config), log: createLogger('silent') }, clientsRead };
}

const CREDENTIALS = { mapflow: { token: 'mf' }, flai: { token: '1|fl', orgId: 'org' }, cupix: { token: 'cx' } };

describe('createVendorServices', () => {
  test('builds nothing up front, one service on first use, and the same one after', () => {
    const { deps: d, clientsRead } = deps();
    const services = createVendorServices(d, CREDENTIALS);
    expect(clientsRead).toEqual([]);
    const mapflow = services.mapflow;
    expect(clientsRead).toEqual(['mapflow']);
    expect(services.mapflow).toBe(mapflow);
    expect(clientsRead).toEqual(['mapflow']);
    void services.cupix;
    expect(clientsRead).toEqual(['mapflow', 'cupix']);
  });

  test('a process that does not serve a vendor (a vendor subgraph) fails only when that vendor is touched', () => {
    const { deps: d } = deps();
    const services = createVendorServices({ ...d, http: { flai: d.http.flai } }, CREDENTIALS);
    expect(services.flai).toBeDefined();
    expect(() => services.mapflow).toThrow('this process does not serve mapflow');
  });
});
