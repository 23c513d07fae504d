import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * S3-style presigned URLs served by the simulator itself (`/storage/...`), so downloads work
 * end to end without the internet. The signature covers the object key and the expiry.
 */
const SECRET = 'simulator-storage-signing-key';

export function presign(origin: string, key: string, ttlSeconds: number, nowMs: number): string {
  const expires = Math.floor(nowMs / 1000) + ttlSeconds;
  const sig = sign(key, expires);
  return `${origin}/storage/${encodeURIComponent(key)}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=${ttlSeconds}&X-Amz-Date=${expires}&X-Amz-Signature=${sig}`;
}

/** Checks a presigned request; `null` when valid, else the reason. */
export function checkPresigned(key: string, query: URLSearchParams, nowMs: number): string | null {
  const expires = Number(query.get('X-Amz-Date'));
  const sig = query.get('X-Amz-Signature') ?? '';
  if (!Number.isFinite(expires)) return 'missing X-Amz-Date';
  const want = Buffer.from(sign(key, expires));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return 'SignatureDoesNotMatch';
  if (expires * 1000 < nowMs) return 'Request has expired';
  return null;
}

function sign(key: string, expires: number): string {
  return createHmac('sha256', SECRET).update(`${key}\n${expires}`).digest('hex');
}
