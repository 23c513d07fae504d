import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring gateway URLs for Mapflow results (`resultsUrl`), openable by a browser with no
 * headers. The URL names a credential *reference* (a hash), never the token: the token stays in this
 * process's vault, which forgets it when no link has been made for it within the TTL.
 */
export type ResultsTarget = { kind: 'processing' | 'project'; id: string };

export class ResultsLinks {
  private readonly vault = new Map<string, { token: string; until: number }>();

  constructor(
    /** Read at link time: the port is known only once the server listens. */
    private readonly publicUrl: () => string,
    private readonly secret: string,
    private readonly ttlSeconds: number,
  ) {}

  /** A URL streaming the target's results with the given Mapflow credential. */
  make(target: ResultsTarget, mapflowToken: string, nowMs = Date.now()): string {
    const ref = createHash('sha256').update(`mapflow:${mapflowToken}`).digest('base64url').slice(0, 22);
    const exp = Math.floor(nowMs / 1000) + this.ttlSeconds;
    const prev = this.vault.get(ref);
    this.vault.set(ref, { token: mapflowToken, until: Math.max(prev?.until ?? 0, exp * 1000) });
    this.sweep(nowMs);
    const sig = this.sign(target, ref, exp);
    return `${this.publicUrl()}/results/${target.kind}/${encodeURIComponent(target.id)}?c=${ref}&exp=${exp}&sig=${sig}`;
  }

  /** Checks a link; returns the credential it refers to, or why it cannot be used. */
  open(target: ResultsTarget, query: URLSearchParams, nowMs = Date.now()): { token: string } | { error: string; status: number } {
    const ref = query.get('c') ?? '';
    const exp = Number(query.get('exp'));
    const sig = query.get('sig') ?? '';
    if (!ref || !Number.isInteger(exp) || !sig) return { status: 400, error: 'This results link is incomplete.' };
    const want = Buffer.from(this.sign(target, ref, exp));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return { status: 403, error: 'This results link is not valid.' };
    if (exp * 1000 < nowMs) return { status: 410, error: 'This results link has expired; query resultsUrl again for a new one.' };
    const entry = this.vault.get(ref);
    if (!entry || entry.until < nowMs) {
      return { status: 410, error: 'This results link is no longer usable on this server; query resultsUrl again for a new one.' };
    }
    return { token: entry.token };
  }

  private sign(target: ResultsTarget, ref: string, exp: number): string {
    return createHmac('sha256', this.secret).update(`${target.kind}\n${target.id}\n${ref}\n${exp}`).digest('base64url');
  }

  private sweep(nowMs: number): void {
    if (this.vault.size < 1000) return;
    for (const [k, v] of this.vault) if (v.until < nowMs) this.vault.delete(k);
  }
}
