import { isIP } from 'node:net';
import { UpstreamError, type Source } from '../../errors.js';
import { label } from './upstream-failures.js';

/**
 * The gateway never fetches a URL a vendor hands it: every call goes to the configured base URL's
 * origin (one undici Pool per origin, requests by path). The only vendor-provided URLs are presigned
 * download links (Flai `files.url`, Cupix's `downloadUrl` redirect), which the gateway passes on to
 * the browser. Those pass only when they point at the vendor's storage: a host of its allowlist
 * (FLAI_STORAGE_HOSTS, CUPIX_STORAGE_HOSTS) over https, or the vendor's own API host (where the
 * simulators serve theirs). A private, loopback or link-local address never passes unless it is that
 * configured API host, and a URL with user info never does. A refused URL fails the field with
 * UPSTREAM_BAD_RESPONSE, and its text (which carries a signature) is not repeated.
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
  const v = isIP(host);
  if (v === 4) {
    const [a, b] = host.split('.').map(Number);
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  if (v === 6) {
    const h = host.toLowerCase();
    const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    if (dotted) return isPrivateAddress(dotted[1]);
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
    if (hex) {
      const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
      return isPrivateAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    return h === '::' || h === '::1' || /^f[cd]/.test(h) || /^fe[89ab]/.test(h);
  }
  return false;
}

function refused(source: Source, why: string): UpstreamError {
  return new UpstreamError(source, 200, 'UPSTREAM_BAD_RESPONSE', `${label(source)} sent a download URL the gateway does not pass on: ${why} (see ${source}_STORAGE_HOSTS)`);
}
