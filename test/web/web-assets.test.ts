import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { WebTypenameDocument } from '../generated/graphql.js';
import { startStack, test } from '../helpers/stack.helpers.js';

/**
 * The gateway's static files (the dashboard at `/`, GraphiQL at `/graphql` for browsers), served
 * from a build directory this test writes, next to a secret that must never come out. The
 * requests are raw HTTP (paths byte for byte, GETs with a query string): the files and the GraphQL
 * GET path are what is tested.
 */

const SECRET = 'top-secret-outside-the-build';
const BIG_JS = `export const rows = [${Array.from({ length: 400 }, (_, i) => `"row ${i}"`).join(',')}];\n`;
/** The build directory the file's stack serves (written before the stack starts, removed after the file). */
const base = join(tmpdir(), `gw-web-${randomUUID()}`);
const dist = join(base, 'dist');
test.override('stackOptions', { env: { WEB_DIST_DIR: dist } });
test.beforeAll(() => {
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(base, 'secret.txt'), SECRET);
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>dashboard</title><div id="root"></div>');
  writeFileSync(join(dist, 'graphiql.html'), '<!doctype html><title>graphiql page</title>');
  writeFileSync(join(dist, 'assets', 'dashboard-Ab12Cd34.js'), BIG_JS);
  writeFileSync(join(dist, 'assets', 'dashboard-Ef56.css'), 'body{margin:0}');
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dist, '.env'), `TOKEN=${SECRET}`);
  symlinkSync(join(base, 'secret.txt'), join(dist, 'assets', 'link.js'));
});
test.afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

/** A raw HTTP request to a gateway's `port`: the path goes out byte for byte (fetch would normalise `..` away). */
function raw(port: number, path: string, opts: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard at /', () => {
  test('serves index.html as HTML, revalidated every time, under a same-origin-only CSP', async ({ stack }) => {
    const port = stack.gateway.port;
    const r = await raw(port, '/');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toContain('<title>dashboard</title>');
    expect(r.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['content-security-policy']).toContain("connect-src 'self'");
    const again = await raw(port, '/', { headers: { 'if-none-match': String(r.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  test('serves hashed assets with their content types, cached for a year, gzipped when asked', async ({ stack }) => {
    const port = stack.gateway.port;
    const js = await raw(port, '/assets/dashboard-Ab12Cd34.js');
    expect(js.status).toBe(200);
    expect(js.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' });
    expect(js.headers['content-encoding']).toBeUndefined();
    expect(js.body.toString()).toBe(BIG_JS);

    const gz = await raw(port, '/assets/dashboard-Ab12Cd34.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(gz.headers).toMatchObject({ 'content-encoding': 'gzip', vary: 'accept-encoding' });
    expect(Number(gz.headers['content-length'])).toBeLessThan(BIG_JS.length);
    expect(gunzipSync(gz.body).toString()).toBe(BIG_JS);

    expect((await raw(port, '/assets/dashboard-Ef56.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const icon = await raw(port, '/favicon.svg');
    expect(icon.headers).toMatchObject({ 'content-type': 'image/svg+xml', 'cache-control': 'no-cache' });

    const head = await raw(port, '/assets/dashboard-Ab12Cd34.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(BIG_JS.length);
    expect(head.body.length).toBe(0);
  });

  test('answers 404 for anything else, and for methods other than GET and HEAD', async ({ stack }) => {
    const port = stack.gateway.port;
    for (const path of ['/nope.js', '/assets/', '/assets']) {
      const r = await raw(port, path);
      expect(r.status, path).toBe(404);
      expect(JSON.parse(r.body.toString())).toEqual({ error: 'Not found' });
    }
    expect((await raw(port, '/', { method: 'POST' })).status).toBe(404);
    expect((await raw(port, '/healthz')).body.toString()).toBe('{"status":"ok"}');
  });

  test('never serves a file outside the build directory, a dot-file or a symlink leading out', async ({ stack }) => {
    const port = stack.gateway.port;
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/..%5csecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/secret.txt%00.js',
      '/%c0%ae%c0%ae/secret.txt',
      '/%',
      '/.env',
      '/assets/%2e%2e/.env',
      '/assets/link.js',
      `/${'..%2f'.repeat(12)}etc%2fpasswd`,
      '//etc/passwd',
    ];
    for (const path of attempts) {
      const r = await raw(port, path);
      expect(r.status, path).toBe(404);
      expect(r.body.toString(), path).not.toContain(SECRET);
      expect(r.body.toString(), path).not.toContain('root:');
    }
  });

  test('says the dashboard is not built when its directory is missing, and the API still works', async ({ stack }) => {
    // A gateway of its own, with no build directory, in front of the file's simulators.
    const gateway: Gateway = await startGateway({
      env: {
        NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', WEB_DIST_DIR: join(base, 'missing'),
        MAPFLOW_URL: stack.sims.mapflow.url, MAPFLOW_TOKEN: stack.sims.mapflow.demoToken,
        FLAI_URL: stack.sims.flai.origin, FLAI_TOKEN: stack.sims.flai.demoToken,
        CUPIX_URL: stack.sims.cupix.url, CUPIX_TOKEN: stack.sims.cupix.demoToken,
      },
    });
    try {
      const page = await raw(gateway.port, '/');
      expect(page.status).toBe(503);
      expect(page.body.toString()).toContain('npm run build:web');
      const ide = await raw(gateway.port, '/graphql', { headers: { accept: 'text/html' } });
      expect(ide.status).toBe(503);
      const api = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await gateway.close();
    }
  });
});

describe('GraphiQL at /graphql', () => {
  test('is the page a browser gets (a GET accepting HTML with no query)', async ({ stack }) => {
    const port = stack.gateway.port;
    const r = await raw(port, '/graphql', { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body.toString()).toContain('graphiql page');
  });

  test('leaves GraphQL over HTTP GET exactly as it was', async ({ stack }) => {
    const port = stack.gateway.port;
    const q = `/graphql?query=${encodeURIComponent('{ __typename }')}`;
    const json = await raw(port, q, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(json.status).toBe(200);
    expect(JSON.parse(json.body.toString())).toEqual({ data: { __typename: 'Query' } });
    // A browser-like Accept with a query is an operation, not the page.
    const withQuery = await raw(port, q, { headers: { accept: 'text/html, application/json', 'apollo-require-preflight': 'true' } });
    expect(JSON.parse(withQuery.body.toString())).toEqual({ data: { __typename: 'Query' } });
    // CSRF prevention still refuses a simple GET.
    const simple = await raw(port, q, { headers: { accept: 'application/json' } });
    expect(simple.status).toBe(400);
    expect(simple.body.toString()).toContain('Cross-Site Request Forgery');
    // A JSON GET without a query is the error it always was.
    const empty = await raw(port, '/graphql', { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(empty.status).toBe(400);
    expect(empty.headers['content-type']).not.toContain('text/html');
  });

  test('needs no gateway key for the page, while every operation still does', async () => {
    // A stack of its own, with a gateway key.
    const keyed = await startStack({ env: { GATEWAY_API_KEYS: 'k-123', WEB_DIST_DIR: join(base, 'dist') } });
    try {
      const page = await raw(keyed.gateway.port, '/graphql', { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      const op = await raw(keyed.gateway.port, `/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'text/html', 'apollo-require-preflight': 'true' } });
      expect(op.status).toBe(401);
      expect((await keyed.op(WebTypenameDocument)).status).toBe(401);
      expect((await keyed.op(WebTypenameDocument, {}, { authorization: 'Bearer k-123' })).data).toEqual({ __typename: 'Query' });
    } finally {
      await keyed.close();
    }
  });
});
