import { createHash, timingSafeEqual } from 'node:crypto';

/** True when `authorization` is `Bearer <key>` for one of the configured gateway API keys. */
export function apiKeyMatches(authorization: string, keys: string[]): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!m) return false;
  const given = digest(m[1]);
  // Hashes have one length, so the comparison takes the same time whatever the key.
  return keys.reduce((ok, k) => timingSafeEqual(digest(k), given) || ok, false);
}

const digest = (s: string) => createHash('sha256').update(s).digest();
