import type { CombinedError } from 'urql';

/** One error as a panel shows it: the gateway's message, its code and, for vendor errors, the vendor. */
export interface ShownError {
  message: string;
  code: string | null;
  source: string | null;
}

type Path = readonly (string | number)[];

function shown(message: string, extensions: Record<string, unknown> | undefined): ShownError {
  const code = typeof extensions?.code === 'string' ? extensions.code : null;
  const source = typeof extensions?.source === 'string' ? extensions.source : null;
  return { message, code, source };
}

/**
 * The errors of a result whose path starts with `prefix`. A failed vendor nulls only its own
 * fields and reports the error on their path, so each panel picks the errors of its own fields and
 * renders the rest of the answer as usual.
 */
export function errorsAt(error: CombinedError | undefined, prefix: Path): ShownError[] {
  return errorsWhere(error, (path) => prefix.every((p, i) => path[i] === p));
}

/** The errors whose path passes `test` (e.g. a list's own errors, not those of its items). */
export function errorsWhere(error: CombinedError | undefined, test: (path: Path) => boolean): ShownError[] {
  if (!error) return [];
  return error.graphQLErrors.filter((e) => e.path?.length && test(e.path)).map((e) => shown(e.message, e.extensions));
}

/** What failed the whole request (the network, the gateway key, a bad document): no path at all. */
export function requestErrors(error: CombinedError | undefined): ShownError[] {
  if (!error) return [];
  if (error.networkError) return [{ message: `The gateway did not answer: ${error.networkError.message}`, code: 'NETWORK', source: null }];
  return error.graphQLErrors.filter((e) => !e.path?.length).map((e) => shown(e.message, e.extensions));
}

/** Every error of an operation of one item (a subscription, a mutation), whatever its path. */
export function allErrors(error: CombinedError | undefined): ShownError[] {
  if (!error) return [];
  if (error.networkError) return requestErrors(error);
  return error.graphQLErrors.map((e) => shown(e.message, e.extensions));
}
