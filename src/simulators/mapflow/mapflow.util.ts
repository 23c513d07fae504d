/** Deterministic helpers for seeds and ids: no Math.random anywhere in the Mapflow simulator. */

import type { Rng } from '../core/random.js';

export { hashString, rng, type Rng } from '../core/random.js';

export function pick<T>(r: Rng, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)];
}

export function intBetween(r: Rng, min: number, max: number): number {
  return min + Math.floor(r() * (max - min + 1));
}

/** A version-4 shaped UUID drawn from the PRNG. */
export function uuid(r: Rng): string {
  const hex: string[] = [];
  for (let i = 0; i < 32; i++) hex.push(Math.floor(r() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(r() * 4)];
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Mapflow timestamps: ISO-8601 UTC with microseconds, e.g. `2023-03-29T06:48:35.103854Z`. */
export function isoMicro(ms: number): string {
  const whole = Math.floor(ms);
  const micro = Math.floor((ms - whole) * 1000);
  return new Date(whole).toISOString().replace('Z', String(micro).padStart(3, '0') + 'Z');
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}
