/** `npm run simulators`: the three vendor simulators alone, on fixed ports, with their demo credentials. */
import { exitOnTermination } from '../lifecycle/shutdown.js';
import { loadSimulatorConfig, SimulatorConfigError } from './config.js';
import { FaultSpecSchema } from './core/faults.js';
import { CUPIX_DEMO_TENANTS } from './cupix/index.js';
import { FLAI_DEMO_TENANTS } from './flai/index.js';
import { startSimulators } from './index.js';
import { MAPFLOW_DEMO_TENANTS } from './mapflow/index.js';

/** Requests in flight at SIGTERM/SIGINT get this long to finish; what is left then (a `hang` fault's request) is cut. */
const HTTP_DRAIN_MS = 8_000;
const DRAIN_DEADLINE_MS = 10_000;

let cfg;
try {
  cfg = loadSimulatorConfig();
  for (const k of ['SIM_MAPFLOW_FAULTS', 'SIM_FLAI_FAULTS', 'SIM_CUPIX_FAULTS'] as const) {
    const r = FaultSpecSchema.safeParse(cfg[k] ?? {});
    if (!r.success) throw new SimulatorConfigError(r.error.issues.map((i) => `${k}.${i.path.join('.')}: ${i.message}`));
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(78);
}

const starting = startSimulators({
  timeScale: cfg.SIM_TIME_SCALE,
  documentedVariants: cfg.SIM_DOCUMENTED_VARIANTS,
  host: cfg.SIM_HOST,
  ports: { mapflow: cfg.SIM_MAPFLOW_PORT, flai: cfg.SIM_FLAI_PORT, cupix: cfg.SIM_CUPIX_PORT },
  faults: { mapflow: cfg.SIM_MAPFLOW_FAULTS ?? null, flai: cfg.SIM_FLAI_FAULTS ?? null, cupix: cfg.SIM_CUPIX_FAULTS ?? null },
});
// Installed before start-up ends, so that a signal meanwhile stops them too, once they are up.
exitOnTermination({ drain: () => starting.then((sims) => sims.close(HTTP_DRAIN_MS)), deadlineMs: DRAIN_DEADLINE_MS });
const sims = await starting;

const lines = [
  `Simulators running (time scale ${cfg.SIM_TIME_SCALE}). Admin: <origin>/__sim/stats | faults | changes | clock | tenants, <origin>/openapi.json`,
  '',
  `Mapflow  ${sims.mapflow!.url}`,
  ...MAPFLOW_DEMO_TENANTS.map((t) => `  ${t.name.padEnd(6)} Authorization: Basic ${t.token}`),
  `Flai     ${sims.flai!.url}   (gateway FLAI_URL=${sims.flai!.origin})`,
  ...FLAI_DEMO_TENANTS.map((t) => `  ${t.name.padEnd(6)} Authorization: Bearer ${t.token}   org ${t.orgId}`),
  `Cupix    ${sims.cupix!.url}`,
  ...CUPIX_DEMO_TENANTS.map((t) => `  ${t.name.padEnd(6)} x-cupix-auth: ${t.token}`),
];
console.log(lines.join('\n'));
