import type { FaultInput } from './core/faults.js';
import type { Tenant } from './core/definition.js';
import type { SimHandle } from './core/sim-server.js';
import { CUPIX_DEMO_TENANTS, startCupixSimulator } from './cupix/index.js';
import { FLAI_DEMO_TENANTS, startFlaiSimulator } from './flai/index.js';
import { MAPFLOW_DEMO_TENANTS, startMapflowSimulator } from './mapflow/index.js';

export type RunningSimulator = SimHandle<Tenant> & { demoToken: string };

export interface Simulators {
  mapflow: RunningSimulator;
  flai: RunningSimulator;
  cupix: RunningSimulator;
}

export interface StartSimulatorsOptions {
  timeScale?: number;
  /** Fixed ports (for `npm run simulators`); 0 or absent = a free port. */
  ports?: Partial<Record<keyof Simulators, number>>;
  host?: string;
  faults?: Partial<Record<keyof Simulators, FaultInput | null>>;
  /** Answers the vendors' docs allow beyond their examples (default true; see SimContext.documentedVariants). */
  documentedVariants?: boolean;
  /** Which ones to start (default: all three). */
  only?: Partial<Record<keyof Simulators, boolean>>;
}

/** Starts the three vendor simulators in this process. */
export async function startSimulators(opts: StartSimulatorsOptions = {}): Promise<Partial<Simulators> & { close(drainMs?: number): Promise<void> }> {
  const want = (k: keyof Simulators) => opts.only?.[k] ?? true;
  const common = (k: keyof Simulators) => ({ port: opts.ports?.[k] ?? 0, host: opts.host, timeScale: opts.timeScale, documentedVariants: opts.documentedVariants, faults: opts.faults?.[k] ?? null });
  const [mapflow, flai, cupix] = await Promise.all([
    want('mapflow') ? startMapflowSimulator(common('mapflow')) : undefined,
    want('flai') ? startFlaiSimulator(common('flai')) : undefined,
    want('cupix') ? startCupixSimulator(common('cupix')) : undefined,
  ]);
  const out: Partial<Simulators> = {};
  if (mapflow) out.mapflow = Object.assign(mapflow as SimHandle<Tenant>, { demoToken: MAPFLOW_DEMO_TENANTS[0].token });
  if (flai) out.flai = Object.assign(flai as SimHandle<Tenant>, { demoToken: FLAI_DEMO_TENANTS[0].token });
  if (cupix) out.cupix = Object.assign(cupix as SimHandle<Tenant>, { demoToken: CUPIX_DEMO_TENANTS[0].token });
  return {
    ...out,
    /** Each simulator's `close(drainMs)`: cut at once, or drained within `drainMs`. */
    async close(drainMs?: number) {
      await Promise.all([mapflow?.close(drainMs), flai?.close(drainMs), cupix?.close(drainMs)]);
    },
  };
}
