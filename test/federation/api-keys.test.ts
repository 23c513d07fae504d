import { describe, expect } from 'vitest';
import { FederationPointcloudStateDocument, FederationProcessingNameAndPointcloudKindDocument, FederationTypenameDocument } from '../generated/graphql.js';
import { test } from '../helpers/federation.helpers.js';
import { opAt } from '../helpers/stack.helpers.js';
import { closeOf, Feed, field } from '../status/status.helpers.js';

// The same keys on the gateway and on every subgraph: the gateway checks the caller's and passes it on.
const KEYS = 'key-one,key-two';
test.override('stackOptions', { env: { GATEWAY_API_KEYS: KEYS }, apiKeys: KEYS.split(',') });

describe('GATEWAY_API_KEYS on the federated setup', () => {
  test('refuses an HTTP request without a valid key (401 UNAUTHENTICATED) and serves one with it, through subgraphs that check it too', async ({ stack }) => {
    const ask = (headers?: Record<string, string>) =>
      opAt(stack.federation.url, FederationProcessingNameAndPointcloudKindDocument, { processing: '65285409-ac88-4fc0-a937-193cf42c2343', pointcloud: '5310' }, headers);
    const none = await ask();
    expect(none.status).toBe(401);
    expect(none.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await ask({ authorization: 'Bearer key-three' })).status).toBe(401);
    const ok = await ask({ authorization: 'Bearer key-two' });
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toEqual({ processing: { name: 'Test processing' }, pointcloud: { kind: 'SUB' } });
  });

  test('refuses a graphql-ws connection without the key or with a wrong one (both 4401, the key not echoed), and streams with it', async ({ connect }) => {
    const none = connect();
    const closedNone = closeOf(none);
    void new Feed(none, FederationTypenameDocument).done().catch(() => {});
    expect(await closedNone).toMatchObject({ code: 4401 });
    const wrong = connect({ authorization: 'Bearer key-three' });
    const closedWrong = closeOf(wrong);
    void new Feed(wrong, FederationTypenameDocument).done().catch(() => {});
    const wrongClose = await closedWrong;
    expect(wrongClose).toMatchObject({ code: 4401, reason: 'Unauthorized: send connectionParams.authorization "Bearer <key>"' });
    expect(wrongClose.reason).not.toContain('key-three');
    const good = connect({ authorization: 'Bearer key-one' });
    const first = await new Feed(good, FederationPointcloudStateDocument, { id: '5310' }).next();
    expect(field(first, 'pointcloudUpdated')).toEqual({ id: '5310', state: 'SUCCEEDED' });
  });
});
