import { createHash } from 'node:crypto';
import type { UpstreamHttp } from '../http/upstream-http.js';
import { getMe } from './flai.client.js';

/**
 * The organization of a credential sent without one: `GET /oauth/me` → `active_organization_id`,
 * asked once per credential for the life of the process
 * (docs/decisions.md, "Flai organization resolved once per credential").
 * One cache per app-wide Flai client (its `core`, which the per-request views share).
 */
const caches = new WeakMap<UpstreamHttp['core'], Map<string, Promise<string>>>();
/** So that random tokens cannot grow a cache without limit. */
const MAX_ENTRIES = 10_000;

/** The cache key of a token: a hash, so that the map never holds a credential. */
function tokenKey(token: string): string {
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
  // A failure is not remembered: the next request asks again.
  pending.catch(() => {
    if (cache.get(key) === pending) cache.delete(key);
  });
  return pending;
}
