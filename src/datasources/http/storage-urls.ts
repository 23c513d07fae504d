import { isIP } from 'node:net';
import { UpstreamError, type Source } from '../../errors.js';
import { label } from './upstream-failures.js';

/**
 * A presigned download URL a vendor hands over (Flai `files.url`, Cupix's `downloadUrl` redirect),
 * passed on to the browser only when it points at the vendor's storage: a host of its allowlist
 * (FLAI_STORAGE_HOSTS, CUPIX_STORAGE_HOSTS) over https, or the vendor's own API host; never with user
 * info, never a private address other than that host. A refused URL fails with UPSTREAM_BAD_RESPONSE
 * and its text (which carries a signature) is not repeated (docs/decisions.md,
 * "Presigned URLs pass only to allowed storage hosts").
 */
export function checkStorageUrl(source: Source, url: string, apiBaseUrl: string, allowedHosts: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refused(source, 'not a URL');
  }
  const api = new URL(apiBaseUrl);
  if (parsed.username || parsed.password) throw refused(source, 'it carries user info');
  if (parsed.host === api.host && (parsed.protocol === api.protocol || parsed.protocol === 'https:')) return parsed.toString();
  if (parsed.protocol !== 'https:') throw refused(source, `${parsed.protocol.replace(':', '')} is not https`);
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isPrivateAddress(host) && !allowedHosts.includes(host)) throw refused(source, 'it points at a private address');
  if (!allowedHosts.some((pattern) => hostMatches(host, pattern.toLowerCase()))) throw refused(source, 'its host is not an allowed storage host');
  return parsed.toString();
}

function hostMatches(host: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return host === pattern;
}

/** Loopback, private (RFC 1918, ULA), link-local (cloud metadata), unspecified and CGNAT addresses, and `localhost`. */
export function isPrivateAddress(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const version = isIP(host);
  if (version === 4) {
    const [first, second] = host.split('.').map(Number);
    return (
      first === 0 ||
      first === 10 ||
      first === 127 ||
      (first === 169 && second === 254) ||
      (first === 172 && second >= 16 && second <= 31) ||
      (first === 192 && second === 168) ||
      (first === 100 && second >= 64 && second <= 127)
    );
  }
  if (version === 6) {
    const lower = host.toLowerCase();
    const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (dotted) return isPrivateAddress(dotted[1]);
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
    if (hex) {
      const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
      return isPrivateAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
    }
    return lower === '::' || lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
  }
  return false;
}

function refused(source: Source, why: string): UpstreamError {
  return new UpstreamError(source, 200, 'UPSTREAM_BAD_RESPONSE', `${label(source)} sent a download URL the gateway does not pass on: ${why} (see ${source}_STORAGE_HOSTS)`);
}
