import DataLoader from 'dataloader';
import { isNotFound } from '../../errors.js';
import type { LimitFunction } from 'p-limit';

/**
 * The by-id DataLoader of every vendor (per request and credential, never shared): the vendors have
 * no batch endpoints, so a batch fans out to one call per key through the caller's concurrency
 * `limit`; duplicate keys cost one call; a 404 loads as `null` (a lookup of something missing is
 * not an error); any other failure fails only its own key.
 */
export function byIdLoader<V>(fetch: (id: string) => Promise<V>, limit: LimitFunction): DataLoader<string, V | null> {
  return new DataLoader<string, V | null>((ids) =>
    Promise.all(ids.map((id) => limit(() => fetch(id)).catch((err: unknown) => (isNotFound(err) ? null : asError(err))))),
  );
}

/** A DataLoader batch result fails its key only when it is an Error instance. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
