import type { UpstreamError } from '../../errors.js';
import type { Processing } from '../../schema/mapflow/processing.type.js';
import type { UpstreamHttp } from '../http/upstream-http.js';
import { createOnce, unresolvedCreate } from '../shared/unclear-create.js';
import type { ProcessingCreateBody } from './mapflow.client.js';
import { REQUEST_KEY_STAMP, SINGLE, stampedByIndex, stampMeta } from './mapflow.idempotency.js';
import { requestKeyOf } from './mapflow.mappers.js';

/**
 * A Mapflow create that survives an unclear failure: every create carries a key in `meta`, and one
 * whose outcome is unknown is looked up by it before it is sent again (docs/decisions.md,
 * "Mapflow creates: idempotency keys in meta"), through the mechanism every keyed create shares
 * (src/datasources/shared/unclear-create.ts). Attempts and waits spend the request's retry budget.
 */

export interface CreateTarget {
  /** The caller's idempotencyKey, if any. */
  key: string | null;
  /** Feature index of a bulk create; SINGLE for `createProcessing`. */
  index: number;
}

export interface CreateOps {
  http: UpstreamHttp;
  send(body: ProcessingCreateBody): Promise<Processing>;
  /** Every processing of the project (`null`: the default project), one call. */
  listAll(projectId: string | null): Promise<Processing[]>;
}

const ROUTE = 'POST /processings/v2';

/**
 * Sends `body` stamped with its key. After an unclear failure (no answer in time, a lost connection,
 * a proxy's 502 or 504) it backs off, then returns the project's processing with that key, or sends
 * again when there is none; after a refusal (503, 429, connection refused) it backs off and sends again.
 */
export async function createProcessingOnce(ops: CreateOps, body: ProcessingCreateBody, target: CreateTarget, requestKey: string): Promise<Processing> {
  const gatewayKey = target.index === SINGLE ? requestKey : `${requestKey}:${target.index}`;
  const stamped: ProcessingCreateBody = {
    ...body,
    meta: target.key ? stampMeta(body.meta, target.key, target.index) : { ...body.meta, [REQUEST_KEY_STAMP]: gatewayKey },
  };
  const find = (items: Processing[]): Processing | undefined =>
    target.key ? stampedByIndex(items, target.key).get(target.index) : oldest(items.filter((p) => requestKeyOf(p) === gatewayKey));

  return createOnce({
    http: ops.http,
    route: ROUTE,
    send: () => ops.send(stamped),
    lookup: async () => find(await ops.listAll(body.projectId ?? null)),
    unresolved: (err) => unresolved(err, target),
  });
}

function oldest(items: Processing[]): Processing | undefined {
  return items.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0))[0];
}

function unresolved(err: UpstreamError, target: CreateTarget): UpstreamError {
  return unresolvedCreate(err, {
    outcome: 'the processing may or may not have been created',
    next: target.key
      ? `retrying with the same idempotencyKey is safe`
      : `look at the project's processings before trying again (an idempotencyKey makes a retry safe)`,
  });
}
