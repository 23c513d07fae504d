import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The close reason of a graphql-ws connection without a valid gateway key (code 4401), whether the
 * key is missing or wrong: the same text either way, and never the key that was sent.
 */
export const UNAUTHORIZED_REASON = 'Unauthorized: send connectionParams.authorization "Bearer <key>"';

/** True when `authorization` is `Bearer <key>` for one of the configured gateway API keys. */
export function apiKeyMatches(authorization: string, keys: string[]): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!m) return false;
  const given = digest(m[1]);
  // Hashes have one length, so the comparison takes the same time whatever the key.
  return keys.reduce((ok, k) => timingSafeEqual(digest(k), given) || ok, false);
}

const digest = (s: string) => createHash('sha256').update(s).digest();
