import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Feed, startStatusStack, wsClient, type Stack } from './status.helpers.js';

/**
 * The graphql-ws path keeps parsed documents by query text. Large distinct documents (each within
 * the WebSocket message limit) must not make it grow past WS_DOCUMENT_CACHE_BYTES.
 */
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});

let stack: Stack;
const BOUND = 2_000_000;
beforeAll(async () => {
  stack = await startStatusStack({ env: { WS_DOCUMENT_CACHE_BYTES: String(BOUND) } });
});
afterAll(() => stack?.close());

/** A valid query of about `size` characters, distinct by `n` (the bulk is a comment). */
const bigQuery = (n: number, size: number) => `{ __typename } # ${n} ${'x'.repeat(size)}`;

describe('graphql-ws document cache', () => {
  it('stays within its byte bound under many large distinct documents, and does not keep one over an eighth of it', async () => {
    const client = wsClient(stack.gateway.url);
    clients.push(client);
    const before = stack.gateway.wsDocumentCache();
    for (let n = 0; n < 40; n++) {
      const r = await new Feed(client, bigQuery(n, 100_000)).next();
      expect(r.errors, `document ${n}`).toBeUndefined();
      expect(r.data).toEqual({ __typename: 'Query' });
      expect(stack.gateway.wsDocumentCache().bytes).toBeLessThanOrEqual(BOUND);
    }
    const full = stack.gateway.wsDocumentCache();
    // 40 × 100 KB were sent (4 MB); at most 2 MB of them are kept, the newest.
    expect(full.entries).toBeGreaterThan(before.entries);
    expect(full.entries).toBeLessThan(before.entries + 40);
    expect(full.bytes).toBeGreaterThan(BOUND - 2 * 100_100);

    // Over BOUND / 8 (250 KB): answered, never kept.
    const huge = await new Feed(client, bigQuery(99, 400_000)).next();
    expect(huge.data).toEqual({ __typename: 'Query' });
    expect(stack.gateway.wsDocumentCache()).toEqual(full);
  });
});
