import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFederatedStack, type FederatedStack } from '../helpers/federation.helpers.js';
import { Feed, field, wsClient } from '../status/status.helpers.js';

// The same keys on the gateway and on every subgraph: the gateway checks the caller's and passes it on.
const KEYS = 'key-one,key-two';
let stack: FederatedStack;
const clients: Client[] = [];
beforeAll(async () => {
  stack = await startFederatedStack({ env: { GATEWAY_API_KEYS: KEYS }, apiKeys: KEYS.split(',') });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});
afterAll(() => stack?.close());

const closeOf = (client: Client) => new Promise<{ code: number; reason: string }>((resolve) => client.on('closed', (e) => resolve(e as { code: number; reason: string })));

describe('GATEWAY_API_KEYS on the federated setup', () => {
  it('refuses an HTTP request without a valid key (401 UNAUTHENTICATED) and serves one with it, through subgraphs that check it too', async () => {
    const q = '{ processing(id: "65285409-ac88-4fc0-a937-193cf42c2343") { name } pointcloud(id: "5310") { kind } }';
    const none = await stack.fed(q);
    expect(none.status).toBe(401);
    expect(none.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await stack.fed(q, {}, { authorization: 'Bearer key-three' })).status).toBe(401);
    const ok = await stack.fed(q, {}, { authorization: 'Bearer key-two' });
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toEqual({ processing: { name: 'Test processing' }, pointcloud: { kind: 'SUB' } });
  });

  it('refuses a graphql-ws connection without the key or with a wrong one (both 4401, the key not echoed), and streams with it', async () => {
    const none = wsClient(stack.federation.url);
    clients.push(none);
    const closedNone = closeOf(none);
    void new Feed(none, '{ __typename }').done().catch(() => {});
    expect(await closedNone).toMatchObject({ code: 4401 });
    const wrong = wsClient(stack.federation.url, { authorization: 'Bearer key-three' });
    clients.push(wrong);
    const closedWrong = closeOf(wrong);
    void new Feed(wrong, '{ __typename }').done().catch(() => {});
    const wrongClose = await closedWrong;
    expect(wrongClose).toMatchObject({ code: 4401, reason: 'Unauthorized: send connectionParams.authorization "Bearer <key>"' });
    expect(wrongClose.reason).not.toContain('key-three');
    const good = wsClient(stack.federation.url, { authorization: 'Bearer key-one' });
    clients.push(good);
    const first = await new Feed(good, 'subscription { pointcloudUpdated(id: "5310") { id state } }').next();
    expect(field(first, 'pointcloudUpdated')).toEqual({ id: '5310', state: 'SUCCEEDED' });
  });
});
