/**
 * What /readyz answers. The gateway is ready (200) unless (503):
 * - an upstream's latest READYZ_UPSTREAM_FAILURES calls or more all failed without a usable answer
 *   (no connection, timeout, 5xx), the latest of them less than READYZ_RECOVERY_MS ago. The streak
 *   is counted by the vendor client with the breaker's own definition of a failure (`isVendorFailure`):
 *   a 4xx or a 429 is an answer from a vendor that is up (a 429 throttles one caller) and ends it.
 *   No probe is sent: the window lets a replica that a load balancer took out of rotation, and so
 *   receives no calls, report ready again and be tried;
 * - REDIS_URL is set and the gateway's Redis connection is down (links and live status need it).
 * READYZ_UPSTREAM_FAILURES=0 keeps upstream failures out of readiness (they still show in the body).
 */

/** Per-upstream state as `UpstreamHttp.health()` reports it (other keys pass through to the body). */
export interface UpstreamState {
  lastFailure: { code: string; at: string } | null;
  consecutiveFailures: number;
  [key: string]: unknown;
}

export interface ReadinessPolicy {
  maxUpstreamFailures: number;
  recoveryMs: number;
}

export interface Readiness {
  ready: boolean;
  body: {
    status: 'ready' | 'not ready';
    /** Why not, one line per cause; empty when ready. */
    reasons: string[];
    upstreams: Record<string, UpstreamState & { ready: boolean }>;
    redis: { configured: boolean; connected: boolean | null };
  };
}

export function decideReadiness(
  upstreams: Record<string, UpstreamState>,
  redis: { configured: boolean; connected: boolean },
  policy: ReadinessPolicy,
  nowMs = Date.now(),
): Readiness {
  const reasons: string[] = [];
  const states: Readiness['body']['upstreams'] = {};
  for (const [name, s] of Object.entries(upstreams)) {
    const down = upstreamDown(s, policy, nowMs);
    if (down) reasons.push(`${name}: ${s.consecutiveFailures} calls in a row failed, the latest with ${s.lastFailure?.code} at ${s.lastFailure?.at}`);
    states[name] = { ...s, ready: !down };
  }
  if (redis.configured && !redis.connected) reasons.push('redis: REDIS_URL is set and the connection is down');
  const ready = reasons.length === 0;
  return {
    ready,
    body: { status: ready ? 'ready' : 'not ready', reasons, upstreams: states, redis: { configured: redis.configured, connected: redis.configured ? redis.connected : null } },
  };
}

function upstreamDown(s: UpstreamState, policy: ReadinessPolicy, nowMs: number): boolean {
  if (policy.maxUpstreamFailures === 0 || s.consecutiveFailures < policy.maxUpstreamFailures || !s.lastFailure) return false;
  return nowMs - Date.parse(s.lastFailure.at) < policy.recoveryMs;
}
