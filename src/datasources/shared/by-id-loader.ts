import DataLoader from 'dataloader';
import pLimit, { type LimitFunction } from 'p-limit';
import { isNotFound } from '../../errors.js';

/** Runs a task under a request's concurrency limit (UPSTREAM_CONCURRENCY per vendor). */
export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A request's concurrency limit for one vendor's by-id calls, made on its first task: a request
 * whose loaders are only primed from lists never builds one (a p-limit costs far more to make than
 * the loaders it serves; docs/decisions.md, "The tail latency: what it is made of").
 */
export function lazyLimit(concurrency: number): Limit {
  let limit: LimitFunction | undefined;
  return (task) => (limit ??= pLimit(concurrency))(task);
}

/**
 * The by-id DataLoader of every vendor (per request and credential, never shared): the vendors have
 * no batch endpoints, so a batch fans out to one call per key through the caller's concurrency
 * `limit`; duplicate keys cost one call; a 404 loads as `null` (a lookup of something missing is
 * not an error); any other failure fails only its own key.
 */
export function byIdLoader<V>(fetch: (id: string) => Promise<V>, limit: Limit): DataLoader<string, V | null> {
  return new DataLoader<string, V | null>((ids) =>
    Promise.all(ids.map((id) => limit(() => fetch(id)).catch((err: unknown) => (isNotFound(err) ? null : asError(err))))),
  );
}

/** A DataLoader batch result fails its key only when it is an Error instance. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
