import { createSourceEventStream, execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { StatusHub } from '../status/hub.js';
import type { StatusEvent } from '../status/watch-types.js';

type Awaitable<T> = T | Promise<T>;

/**
 * graphql-js' `subscribe`, except that one change event is executed once for all the subscribers who
 * would get the same answer: the same credentials, document (the WS document cache hands every
 * subscriber of one query text the same DocumentNode), operation and variables. Ten dashboards
 * watching one job cost one execution per change instead of ten; each still gets its own stream,
 * caps, errors and completion. The source stream (StatusHub.open, per subscriber) is untouched.
 */
export function sharedSubscribe(hub: StatusHub): (args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextDocumentId = 0;
  return async (args) => {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source;
    let docId = documentIds.get(args.document);
    if (docId === undefined) documentIds.set(args.document, (docId = nextDocumentId++));
    const key = `${docId}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
    const ctx = args.contextValue as GatewayContext;
    // Each event runs with fresh services (fresh DataLoaders), never those of subscribe time.
    return mapEvents((source as AsyncIterable<StatusEvent>)[Symbol.asyncIterator](), (event) =>
      hub.shared<Awaitable<ExecutionResult>>(event, ctx.credentials, key, () =>
        execute({ ...args, rootValue: event, contextValue: { ...ctx, services: hub.eventServices(event, ctx.credentials) } }),
      ),
    );
  };
}

/** `source` with `fn` applied to each value; ending it (return/throw) ends the source, as graphql-js' own mapper does. */
function mapEvents<T, U>(source: AsyncIterator<T>, fn: (value: T) => Awaitable<U>): AsyncIterableIterator<U> {
  const end = async (): Promise<IteratorResult<U>> => {
    await source.return?.();
    return { value: undefined, done: true };
  };
  const it: AsyncIterableIterator<U> = {
    async next() {
      const r = await source.next();
      if (r.done) return { value: undefined, done: true };
      try {
        return { value: await fn(r.value), done: false };
      } catch (err) {
        await end();
        throw err;
      }
    },
    return: end,
    async throw(err: unknown) {
      await end();
      throw err;
    },
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}

function isAsyncIterable(v: AsyncIterable<unknown> | ExecutionResult): v is AsyncIterable<unknown> {
  return Symbol.asyncIterator in v;
}
