import { z } from 'zod';

/**
 * Fault injection, per simulator. Set at start from env (`SIM_<VENDOR>_FAULTS` as JSON) or at run
 * time with `PUT /__sim/faults`. Rates are shares of matching requests, 0..1; `count` clears the
 * spec once N faults have fired, which makes retry tests deterministic (see `count` below).
 */
export const FaultSpecSchema = z
  .object({
    latencyMs: z.number().min(0).max(120_000).default(0),
    jitterMs: z.number().min(0).max(120_000).default(0),
    errorRate: z.number().min(0).max(1).default(0),
    errorStatuses: z.array(z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)])).min(1).default([500, 502, 503]),
    rateLimitRate: z.number().min(0).max(1).default(0),
    retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
    hangRate: z.number().min(0).max(1).default(0),
    resetRate: z.number().min(0).max(1).default(0),
    /** A 200 whose JSON body has the wrong shape (`CORRUPT_BODY`), as a vendor that changed its payload would send. */
    corruptRate: z.number().min(0).max(1).default(0),
    /** Only requests whose route template (e.g. `GET /processings/{id}/v2`) contains this string. */
    route: z.string().optional(),
    /** Only requests of this tenant (its name, as listed by `GET /__sim/tenants`). */
    tenant: z.string().optional(),
    /**
     * Clear the spec after N injected faults. With any of the five rates above 0, a fault is a
     * hang, reset, 429, 5xx or corrupt body (latency still delays every matching request meanwhile), so
     * `{errorRate: 0.5, count: 2}` yields exactly two errors; with only latency/jitter, a fault is
     * one delayed request.
     */
    count: z.number().int().min(1).optional(),
  })
  .strict();

export type FaultSpec = z.infer<typeof FaultSpecSchema>;
export type FaultInput = z.input<typeof FaultSpecSchema>;

export type FaultAction =
  | { kind: 'none'; delayMs: number }
  | { kind: 'error'; delayMs: number; status: number }
  | { kind: 'rateLimit'; delayMs: number; retryAfterSeconds: number }
  | { kind: 'hang'; delayMs: number }
  | { kind: 'reset'; delayMs: number }
  | { kind: 'corrupt'; delayMs: number };

/** The body of a `corrupt` answer: valid JSON of no vendor's shape. */
export const CORRUPT_BODY = { corrupted: 'not the shape this endpoint documents' };

export class Faults {
  private spec: FaultSpec | null = null;
  private remaining: number | undefined;

  constructor(private readonly random: () => number = Math.random) {}

  set(input: FaultInput | null): FaultSpec | null {
    this.spec = input ? FaultSpecSchema.parse(input) : null;
    this.remaining = this.spec?.count;
    return this.spec;
  }

  get current(): FaultSpec | null {
    return this.spec;
  }

  /** Decides what happens to one request. */
  decide(route: string, tenant: string | undefined): FaultAction {
    const s = this.spec;
    if (!s) return { kind: 'none', delayMs: 0 };
    if (s.route && !route.includes(s.route)) return { kind: 'none', delayMs: 0 };
    if (s.tenant && s.tenant !== tenant) return { kind: 'none', delayMs: 0 };
    const action = this.pick(s);
    if (this.remaining !== undefined && fired(s, action) && --this.remaining <= 0) this.spec = null;
    return action;
  }

  private pick(s: FaultSpec): FaultAction {
    const delayMs = s.latencyMs + (s.jitterMs ? this.random() * s.jitterMs : 0);
    const r = this.random();
    let edge = s.hangRate;
    if (r < edge) return { kind: 'hang', delayMs };
    edge += s.resetRate;
    if (r < edge) return { kind: 'reset', delayMs };
    edge += s.rateLimitRate;
    if (r < edge) return { kind: 'rateLimit', delayMs, retryAfterSeconds: s.retryAfterSeconds };
    edge += s.errorRate;
    if (r < edge) {
      const status = s.errorStatuses[Math.floor(this.random() * s.errorStatuses.length)];
      return { kind: 'error', delayMs, status };
    }
    edge += s.corruptRate;
    if (r < edge) return { kind: 'corrupt', delayMs };
    return { kind: 'none', delayMs };
  }
}

/** Whether an action counts against `count`: an outcome fault, or a delay when the spec has only delays. */
function fired(s: FaultSpec, a: FaultAction): boolean {
  if (a.kind !== 'none') return true;
  const outcomes = s.hangRate + s.resetRate + s.rateLimitRate + s.errorRate + s.corruptRate;
  return outcomes === 0 && (s.latencyMs > 0 || s.jitterMs > 0);
}
