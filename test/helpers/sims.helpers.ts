/**
 * The simulators alone as a test fixture. Apart from stack.helpers (which re-exports it) so that the
 * tests of the simulators themselves do not load the gateway.
 */
import { test as base } from 'vitest';
import { startSimulators, type Simulators } from '../../src/simulators/index.js';
import { startVendorProxy, type VendorProxy } from './vendor-proxy.helpers.js';

/** The simulators a `sims` fixture starts: all three, with a `close()`. */
export type RunningSimulators = Simulators & { close(): Promise<void> };

export interface SimsOptions {
  /** Virtual ms per real ms in the simulators; 0 (default) freezes time. */
  timeScale?: number;
  /** The simulators' documented-variants mode (default true). */
  documentedVariants?: boolean;
  /** Vendors with a VendorProxy in front (in `proxies`), for tests that hold, drop or rewrite what goes through. */
  proxy?: (keyof Simulators)[];
}

/**
 * The test API of files that run their own gateways or gateway processes in front of the
 * simulators: `sims` is the three simulators alone, one set per file (clocks frozen unless
 * `simsOptions.timeScale` says otherwise), closed after the file's last test; `proxies` has a
 * VendorProxy in front of each vendor of `simsOptions.proxy`.
 */
export const simsTest = base
  .extend('simsOptions', { scope: 'file' }, {} as SimsOptions)
  .extend('sims', { scope: 'file' }, async ({ simsOptions }, { onCleanup }) => {
    const sims = (await startSimulators({ timeScale: simsOptions.timeScale ?? 0, documentedVariants: simsOptions.documentedVariants })) as RunningSimulators;
    onCleanup(() => sims.close());
    return sims;
  })
  .extend('proxies', { scope: 'file' }, async ({ sims, simsOptions }, { onCleanup }) => {
    const proxies: Partial<Record<keyof Simulators, VendorProxy>> = {};
    onCleanup(async () => {
      for (const p of Object.values(proxies)) await p.close();
    });
    for (const v of simsOptions.proxy ?? []) proxies[v] = await startVendorProxy(sims[v].origin);
    return proxies;
  });
