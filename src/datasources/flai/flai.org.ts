import { createHash } from 'node:crypto';
import type { UpstreamHttp } from '../http/upstream-http.js';
import { getMe } from './flai.client.js';

/**
 * The organization of a credential without `orgId`: `GET /oauth/me` → `active_organization_id`,
 * once per credential for the life of the process (the SDK does the same on construction).
 * The cache belongs to the app's Flai client (a WeakMap entry per `UpstreamHttp` core, which its
 * per-request views share; two gateways in one process share nothing) and is keyed by a SHA-256 of
 * the token, never the token itself. Failures are not cached; the map is bounded so that random
 * tokens cannot grow it without limit.
 */
const caches = new WeakMap<UpstreamHttp['core'], Map<string, Promise<string>>>();
const MAX_ENTRIES = 10_000;

export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function resolveOrgId(http: UpstreamHttp, token: string, headers: Record<string, string>): Promise<string> {
  let cache = caches.get(http.core);
  if (!cache) caches.set(http.core, (cache = new Map()));
  const key = tokenKey(token);
  const hit = cache.get(key);
  if (hit) return hit;
  const pending = getMe(http, headers).then((me) => me.active_organization_id);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, pending);
  pending.catch(() => {
    if (cache.get(key) === pending) cache.delete(key);
  });
  return pending;
}
