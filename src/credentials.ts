import { createHash } from 'node:crypto';
import type { Config } from './config.js';

/** One vendor credential of one caller. Never logged, never sent anywhere but its own vendor. */
export interface Credentials {
  mapflow: { token: string } | null;
  flai: { token: string; orgId?: string } | null;
  cupix: { token: string } | null;
}

/** A vendor, named as its credential is. */
export type Vendor = keyof Credentials;

/** Header names (and the same keys in graphql-ws `connectionParams`) that override the server's credentials. */
export const CREDENTIAL_HEADERS = {
  mapflow: 'x-mapflow-token',
  flai: 'x-flai-token',
  flaiOrg: 'x-flai-org-id',
  cupix: 'x-cupix-token',
} as const;

/** Server credentials from env, overridden per request by the caller's headers. */
export function resolveCredentials(get: (name: string) => string | undefined, config: Config): Credentials {
  const mapflow = get(CREDENTIAL_HEADERS.mapflow) || config.MAPFLOW_TOKEN;
  const flaiHeader = get(CREDENTIAL_HEADERS.flai);
  const flai = flaiHeader || config.FLAI_TOKEN;
  // A caller's own Flai token never borrows the server's org id: that org belongs to another account.
  const flaiOrg = flaiHeader ? get(CREDENTIAL_HEADERS.flaiOrg) : get(CREDENTIAL_HEADERS.flaiOrg) || config.FLAI_ORG_ID;
  const cupix = get(CREDENTIAL_HEADERS.cupix) || config.CUPIX_TOKEN;
  return {
    mapflow: mapflow ? { token: mapflow } : null,
    flai: flai ? { token: flai, ...(flaiOrg ? { orgId: flaiOrg } : {}) } : null,
    cupix: cupix ? { token: cupix } : null,
  };
}

/**
 * A stable hash of one vendor credential: watchers, Redis keys and rate-limit holds are named by it,
 * so callers with different credentials never share one, and no token is ever written anywhere.
 */
export function credentialHash(vendor: Vendor, credentials: Credentials): string | null {
  const c = credentials[vendor];
  if (!c) return null;
  const org = 'orgId' in c ? (c.orgId ?? '') : '';
  return createHash('sha256').update(`${vendor}\0${c.token}\0${org}`).digest('base64url').slice(0, 32);
}

/** Only these vendors' credentials (a watcher polls with nothing else). */
export function onlyVendor(vendor: Vendor | readonly Vendor[], credentials: Credentials): Credentials {
  const out: Credentials = { mapflow: null, flai: null, cupix: null };
  for (const v of typeof vendor === 'string' ? [vendor] : vendor) Object.assign(out, { [v]: credentials[v] });
  return out;
}

/**
 * The hash of several vendor credentials together (a gateway job bound to more than one, e.g. a
 * classification's Flai and Cupix credentials): their `credentialHash`es joined; null when one is missing.
 */
export function credentialsHash(vendors: readonly Vendor[], credentials: Credentials): string | null {
  const hashes = vendors.map((v) => credentialHash(v, credentials));
  return hashes.every((h) => h !== null) ? hashes.join('.') : null;
}
