import { z } from 'zod';

/**
 * Configuration of `npm run simulators` (the three simulators alone, on fixed ports): the only
 * place the simulators read the environment. Apart from the gateway's (src/config.ts), since the
 * simulators share nothing with the gateway but vendor facts.
 */
const faultsJson = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as Record<string, unknown>;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object, e.g. {"errorRate":0.3}' });
      return z.NEVER;
    }
  })
  .optional();

const SimulatorEnvSchema = z.object({
  SIM_HOST: z.string().default('127.0.0.1'),
  SIM_MAPFLOW_PORT: z.coerce.number().int().min(0).max(65535).default(4101),
  SIM_FLAI_PORT: z.coerce.number().int().min(0).max(65535).default(4102),
  SIM_CUPIX_PORT: z.coerce.number().int().min(0).max(65535).default(4103),
  SIM_TIME_SCALE: z.coerce.number().min(0).default(1),
  /** Answers the vendors' docs allow beyond their examples (see SimContext.documentedVariants). */
  SIM_DOCUMENTED_VARIANTS: z.enum(['true', 'false', '1', '0']).default('true').transform((v) => v === 'true' || v === '1'),
  /** Fault injection at start, as JSON (see src/simulators/core/faults.ts); change it later with PUT /__sim/faults. */
  SIM_MAPFLOW_FAULTS: faultsJson,
  SIM_FLAI_FAULTS: faultsJson,
  SIM_CUPIX_FAULTS: faultsJson,
});

export type SimulatorConfig = z.infer<typeof SimulatorEnvSchema>;

/** Configuration of `npm run simulators` (the three simulators alone, on fixed ports). */
export function loadSimulatorConfig(env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const parsed = SimulatorEnvSchema.safeParse(env);
  if (!parsed.success) throw new SimulatorConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return parsed.data;
}

/** A bad variable of `npm run simulators`, with every problem listed at once (exit code 78). */
export class SimulatorConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}
