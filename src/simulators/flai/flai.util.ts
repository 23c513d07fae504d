import { rng as prng } from '../core/random.js';

export { hashString, rng as prng } from '../core/random.js';

const HEX = '0123456789abcdef';

/** A version-4 shaped UUID drawn from a seeded generator. */
export function uuid(rng: () => number): string {
  let s = '';
  for (let i = 0; i < 32; i++) {
    let d = Math.floor(rng() * 16);
    if (i === 12) d = 4;
    if (i === 16) d = 8 + (d & 3);
    s += HEX[d];
    if (i === 7 || i === 11 || i === 15 || i === 19) s += '-';
  }
  return s;
}

/** A UUID derived from a name only (stable across tenants, e.g. flow node definition ids). */
export function nameUuid(name: string): string {
  return uuid(prng(name));
}

export function int(rng: () => number, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

export function alnum(rng: () => number, n: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < n; i++) s += chars[Math.floor(rng() * chars.length)];
  return s;
}

/** Flai's timestamp format [DOC blog]: `YYYY-MM-DD HH:MM:SS`, UTC, no zone designator. */
export function flaiTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses Flai's timestamp format back to ms (UTC). */
export function parseFlaiTime(s: string): number {
  return Date.parse(s.replace(' ', 'T') + 'Z');
}

/** A decimal sent as a string with up to `digits` decimals and no trailing zeros ("0", "1.25"). */
export function decimalString(n: number, digits = 2): string {
  return String(Number(n.toFixed(digits)));
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
