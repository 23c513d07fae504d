import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors.js';
import { UpstreamHttp } from '../../src/datasources/http/upstream-http.js';
import { mapflowErrorInfo } from '../../src/datasources/mapflow/mapflow.errors.js';

/**
 * A vendor that sends its headers at once and then trickles its body, a byte far more often than
 * the vendor's timeout, never finishing: the timeout is a deadline on the whole attempt, so it is
 * still cut off with UPSTREAM_TIMEOUT. (The simulators have no trickle fault; this tiny server is
 * the vendor.) Without the deadline the call would never end and the test would time out.
 */
let server: Server;
let origin: string;
const timers = new Set<NodeJS.Timeout>();
let requests = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"items": [');
    const t = setInterval(() => res.write(' '), 20);
    timers.add(t);
    res.on('close', () => {
      clearInterval(t);
      timers.delete(t);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const t of timers) clearInterval(t);
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('per-attempt deadline', () => {
  it('a body trickled slower than the timeout allows fails with UPSTREAM_TIMEOUT, after each attempt of a read', async () => {
    const http = new UpstreamHttp({
      source: 'MAPFLOW',
      baseUrl: origin,
      timeoutMs: 300,
      parseError: mapflowErrorInfo,
      retry: { retries: 1, budget: 5, baseMs: 0, maxDelayMs: 0, maxWaitMs: 0 },
    });
    const err = await http.json({ method: 'GET', path: '/processings', route: 'GET /processings', headers: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { transport: 'timeout' } });
    expect((err as Error).message).toBe('Mapflow did not answer within 300 ms');
    expect(requests).toBe(2); // the read was retried once, and that attempt was cut off too
  });

  it('a read still waiting for a connection when its deadline passes fails with UPSTREAM_TIMEOUT and is never sent', async () => {
    // One connection, held by a call with a long deadline that the vendor never finishes; a second
    // call with a short deadline waits behind it. Its deadline passes while it is still queued: it
    // fails then, and when the first call's deadline frees the connection it is dropped, not sent.
    const pool = new Pool(origin, { connections: 1 });
    const options = { source: 'MAPFLOW', baseUrl: origin, parseError: mapflowErrorInfo, dispatcher: pool } as const;
    const holder = new UpstreamHttp({ ...options, timeoutMs: 900 });
    const queued = new UpstreamHttp({ ...options, timeoutMs: 300 });
    const before = requests;
    const get = (http: UpstreamHttp) => http.json({ method: 'GET', path: '/processings', route: 'GET /processings', headers: {} }).catch((e: unknown) => e);
    const arrived = once(server, 'request');
    let firstSettled = false;
    const first = get(holder).finally(() => (firstSettled = true));
    await arrived; // the connection is now the first call's
    const second = await get(queued);
    expect(second).toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { transport: 'timeout' } });
    expect(firstSettled).toBe(false); // it failed at its own deadline, not once the connection came free
    expect(await first).toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { transport: 'timeout' } });
    await pool.close(); // the queued request has had the connection back by now, and was dropped
    expect(requests - before).toBe(1);
  });
});
