import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/app.js';
import { createLogger, requestLogger, type Logger } from '../../src/observability/logger.js';
import { HardeningProcessingIdDocument, HardeningProcessingNameDocument } from '../generated/graphql.js';
import { simsTest, test, type Stack } from '../helpers/stack.helpers.js';

/** pino JSON lines: levels by name, request ids on a request's lines, secrets redacted. */

const parse = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('createLogger', () => {
  it('writes one JSON object per line with the level name, an ISO time and the message', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    log.info({ vendor: 'mapflow' }, 'started');
    log.warn('plain text');
    log.debug({ hidden: true }, 'below the level');
    expect(lines.every((l) => !l.endsWith('\n'))).toBe(true);
    const [a, b, ...rest] = parse(lines);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ level: 'info', vendor: 'mapflow', msg: 'started' });
    expect(new Date(a.time as string).toISOString()).toBe(a.time);
    expect(b).toMatchObject({ level: 'warn', msg: 'plain text' });
  });

  it('redacts auth headers, passwords and credentials at any depth up to three levels', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    const secrets = ['Bearer gw-key-1', 'mf-tok', 'flai|tok', 'cx-tok', 'cx-auth', 'pw-1', 'pw-2', 's3-secret', 'raster-pw', 'cred-tok'];
    log.info(
      {
        authorization: secrets[0],
        headers: { 'x-mapflow-token': secrets[1], 'x-flai-token': secrets[2], 'x-cupix-token': secrets[3], 'x-cupix-auth': secrets[4], 'x-flai-org-id': 'org-7' },
        password: secrets[5],
        input: { importFrom: { ftp: { host: 'ftp.example.com', password: secrets[6] }, s3: { bucket: 'b', secretAccessKey: secrets[7] } } },
        sourceParams: { userDefined: { rasterPassword: secrets[8] } },
        credentials: { mapflow: { token: secrets[9] } },
      },
      'everything secret',
    );
    for (const s of secrets) expect(lines[0]).not.toContain(s);
    const [line] = parse(lines);
    expect(line).toMatchObject({
      authorization: '[REDACTED]',
      headers: { 'x-mapflow-token': '[REDACTED]', 'x-flai-token': '[REDACTED]', 'x-cupix-token': '[REDACTED]', 'x-cupix-auth': '[REDACTED]', 'x-flai-org-id': 'org-7' },
      password: '[REDACTED]',
      input: { importFrom: { ftp: { host: 'ftp.example.com', password: '[REDACTED]' }, s3: { bucket: 'b', secretAccessKey: '[REDACTED]' } } },
      sourceParams: { userDefined: { rasterPassword: '[REDACTED]' } },
      credentials: '[REDACTED]',
    });
  });

  it("a request's logger adds its id to every line, over pino and over any other Logger", () => {
    const lines: string[] = [];
    const r = requestLogger(createLogger('debug', (l) => lines.push(l)), 'req-42');
    r.info({ a: 1 }, 'one');
    r.error('two');
    r.debug({ b: 2 }, 'three');
    expect(parse(lines).map(({ requestId, msg }) => ({ requestId, msg }))).toEqual([
      { requestId: 'req-42', msg: 'one' },
      { requestId: 'req-42', msg: 'two' },
      { requestId: 'req-42', msg: 'three' },
    ]);
    const seen: unknown[] = [];
    const plain: Logger = { info: (o) => seen.push(o), warn: (o) => seen.push(o), error: (o) => seen.push(o), debug: (o) => seen.push(o) };
    requestLogger(plain, 'req-7').warn({ c: 3 }, 'x');
    expect(seen).toEqual([{ requestId: 'req-7', c: 3 }]);
  });
});

/** Every line the file's gateway logs (debug level). */
const lines: string[] = [];
test.override('stackOptions', { env: { GATEWAY_API_KEYS: 'gw-key-secret-1' }, log: createLogger('debug', (l) => lines.push(l)) });

describe('the gateway logs', () => {
  const CALLER_TOKEN = 'bWUtdGhlLWNhbGxlcjpzZWNyZXQ=';
  const PROCESSING = { id: '65285409-ac88-4fc0-a937-193cf42c2343' };

  /** What the caller sees of one answer: its request id and its errors. */
  const seen = async (r: ReturnType<Stack['op']>) => {
    const { headers, errors } = await r;
    return { requestId: headers.get('x-request-id'), body: { errors } };
  };
  const withKey = (headers: Record<string, string>) => ({ authorization: 'Bearer gw-key-secret-1', ...headers });

  test("puts the request id on the request's lines (the caller's own when sane) and no secret anywhere", async ({ stack }) => {
    const { sims } = stack;
    await fetch(`${sims.mapflow.origin}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ errorRate: 1, errorStatuses: [503], route: 'GET /processings/{id}/v2' }) });
    try {
      const before = lines.length;
      const post = (headers: Record<string, string>) => seen(stack.op(HardeningProcessingNameDocument, PROCESSING, withKey(headers)));
      const mine = await post({ 'x-request-id': 'dash-req-0001', 'x-mapflow-token': CALLER_TOKEN });
      expect(mine.requestId).toBe('dash-req-0001');
      expect(mine.body.errors?.[0].extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      const odd = await post({ 'x-request-id': 'has spaces and "quotes" ' + 'x'.repeat(200) });
      expect(odd.requestId).toMatch(/^[0-9a-f-]{36}$/);

      const during = parse(lines.slice(before));
      const vendorLines = during.filter((l) => l.msg === 'vendor error');
      expect(vendorLines.map((l) => l.requestId)).toEqual(['dash-req-0001', odd.requestId]);
      expect(vendorLines[0]).toMatchObject({ level: 'warn', code: 'UPSTREAM_UNAVAILABLE', source: 'MAPFLOW', upstreamStatus: 503, path: ['processing'] });
      for (const l of lines) {
        expect(l).not.toContain(CALLER_TOKEN);
        expect(l).not.toContain('gw-key-secret-1');
        expect(l).not.toContain(sims.mapflow.demoToken);
      }
    } finally {
      await fetch(`${sims.mapflow.origin}/__sim/faults`, { method: 'DELETE' });
    }
  });

  test('logs nothing for a request that went well', async ({ stack }) => {
    const before = lines.length;
    const ok = await seen(stack.op(HardeningProcessingIdDocument, PROCESSING, withKey({})));
    expect(ok.body.errors).toBeUndefined();
    expect(lines.slice(before)).toEqual([]);
  });
});

describe('start-up warning without Redis in production', () => {
  /** Starts and stops a gateway in front of the file's simulators: its warnings about Redis. */
  const start = async (sims: Stack['sims'], env: Record<string, string>) => {
    const lines: string[] = [];
    const gw = await startGateway({
      env: {
        PORT: '0', HOST: '127.0.0.1',
        MAPFLOW_URL: sims.mapflow.url, MAPFLOW_TOKEN: sims.mapflow.demoToken,
        FLAI_URL: sims.flai.origin, FLAI_TOKEN: sims.flai.demoToken,
        CUPIX_URL: sims.cupix.url, CUPIX_TOKEN: sims.cupix.demoToken,
        ...env,
      },
      log: createLogger('info', (l) => lines.push(l)),
    });
    await gw.close();
    return parse(lines).filter((l) => l.level === 'warn' && String(l.msg).startsWith('REDIS_URL is not set'));
  };

  simsTest('NODE_ENV=production without REDIS_URL logs one warning that rate limits, watchers and the resultsUrl vault are per process', async ({ sims }) => {
    const warned = await start(sims, { NODE_ENV: 'production' });
    expect(warned).toHaveLength(1);
    expect(warned[0].msg).toMatch(/rate limits, live-status watchers and the resultsUrl vault are per process/);
  });

  simsTest('not outside production', async ({ sims }) => {
    expect(await start(sims, { NODE_ENV: 'development' })).toEqual([]);
  });
});
