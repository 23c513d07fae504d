import { describe, expect } from 'vitest';
import { Feed, test } from './status.helpers.js';

/**
 * The graphql-ws path keeps parsed documents by query text. Large distinct documents (each within
 * the WebSocket message limit) must not make it grow past WS_DOCUMENT_CACHE_BYTES.
 */
const BOUND = 2_000_000;
test.override('stackOptions', { env: { WS_DOCUMENT_CACHE_BYTES: String(BOUND) } });

/**
 * A valid query of about `size` characters, distinct by `n` (the bulk is a comment). Raw text on
 * purpose: the size and the distinctness of the document are what this file tests.
 */
const bigQuery = (n: number, size: number) => `{ __typename } # ${n} ${'x'.repeat(size)}`;

describe('graphql-ws document cache', () => {
  test('stays within its byte bound under many large distinct documents, and does not keep one over an eighth of it', async ({ stack, connect }) => {
    const client = connect();
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
