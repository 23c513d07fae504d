import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Credentials, Vendor } from '../credentials.js';
import type { CredentialVault } from './credential-vault.js';
import { subKey } from './results-links.js';

/**
 * The `uploadUrl` of an upload through the gateway: the same scheme as `resultsUrl` (results-links.ts):
 * HMAC-signed with RESULTS_URL_SECRET, expiring, naming a *reference* to the caller's vendor credential
 * (an HMAC of it), which the server keeps in the same vault (memory, or Redis encrypted) until the URL
 * expires. The signature covers the upload id, so a URL opens its own upload only.
 */
export type OpenedUploadLink = { credentials: Credentials } | { error: string; status: number };

export class UploadLinks {
  private readonly refKey: Buffer;

  constructor(
    private readonly publicUrl: () => string,
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly vault: CredentialVault,
  ) {
    this.refKey = subKey(secret, 'upload credential reference');
  }

  /** A signed URL for upload `id`, bound to the caller's credential of `vendor`; with its expiry. */
  async make(id: string, vendor: Vendor, credentials: Credentials, nowMs = Date.now()): Promise<{ url: string; expiresAt: Date }> {
    const credential = credentials[vendor];
    if (!credential) throw new Error(`no ${vendor} credential to bind an upload to`);
    const sealed = JSON.stringify({ vendor, credential });
    const ref = createHmac('sha256', this.refKey).update(sealed).digest('base64url').slice(0, 22);
    const exp = Math.floor(nowMs / 1000) + this.ttlSeconds;
    await this.vault.put(`upload:${ref}`, sealed, exp * 1000);
    return { url: `${this.publicUrl()}/uploads/${encodeURIComponent(id)}?c=${ref}&exp=${exp}&sig=${this.sign(id, ref, exp)}`, expiresAt: new Date(exp * 1000) };
  }

  /** Checks a URL of upload `id`: the credentials it is bound to, or why it cannot be used (no vendor is called). */
  async open(id: string, query: URLSearchParams, nowMs = Date.now()): Promise<OpenedUploadLink> {
    const ref = query.get('c') ?? '';
    const exp = Number(query.get('exp'));
    const sig = query.get('sig') ?? '';
    if (!ref || !Number.isInteger(exp) || !sig) return { status: 401, error: 'This upload URL is incomplete: use the uploadUrl of createUpload as it is.' };
    const want = Buffer.from(this.sign(id, ref, exp));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return { status: 403, error: 'This upload URL is not valid.' };
    if (exp * 1000 < nowMs) return { status: 401, error: 'This upload URL has expired; create a new upload.' };
    let sealed: string | null;
    try {
      sealed = await this.vault.get(`upload:${ref}`, nowMs);
    } catch {
      return { status: 503, error: 'The upload-link store is unavailable; try again shortly.' };
    }
    if (!sealed) return { status: 401, error: 'This upload URL is no longer usable on this server; create a new upload.' };
    const { vendor, credential } = JSON.parse(sealed) as { vendor: Vendor; credential: Credentials[Vendor] };
    return { credentials: { mapflow: null, flai: null, cupix: null, [vendor]: credential } };
  }

  private sign(id: string, ref: string, exp: number): string {
    return createHmac('sha256', this.secret).update(`upload\n${id}\n${ref}\n${exp}`).digest('base64url');
  }
}
