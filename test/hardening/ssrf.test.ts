import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect } from 'vitest';
import { checkStorageUrl, isPrivateAddress } from '../../src/datasources/http/storage-urls.js';
import { FLAI_DEMO_TENANTS } from '../../src/simulators/flai/index.js';
import { HardeningDownloadFilesDocument, HardeningPointcloudDownloadDocument, HardeningUrlLikeIdsDocument } from '../generated/graphql.js';
import { IDS, test } from './hardening.helpers.js';

/**
 * No SSRF: the gateway only ever calls the configured vendor origins; the presigned URLs vendors
 * return are passed on only when they point at the vendor's storage. A canary server stands for
 * an internal service: it must never be called, nor handed to a client.
 */
let canary: Server;
let canaryHits = 0;
let canaryOrigin = '';
test.beforeAll(async () => {
  canary = createServer((_req, res) => {
    canaryHits++;
    res.end('internal secret');
  });
  await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
  canaryOrigin = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((r) => canary.close(() => r())));
test.beforeEach(() => {
  canaryHits = 0;
});
test.override('rigOptions', { proxy: ['cupix', 'flai'] });

describe('checkStorageUrl', () => {
  const API = 'http://127.0.0.1:4103/api/v1';
  const HOSTS = ['*.amazonaws.com', 'files.example.net'];
  test.each([
    ['http://127.0.0.1:4103/storage/k?sig=1', 'the vendor\'s own API host (the simulators)'],
    ['https://127.0.0.1:4103/storage/k', 'the API host over https'],
    ['https://bucket.s3.eu-central-1.amazonaws.com/k?X-Amz-Signature=abc', 'an allowed wildcard host'],
    ['https://files.example.net/k', 'an allowed exact host'],
  ])('passes %s (%s)', (url) => {
    expect(checkStorageUrl('CUPIX', url, API, HOSTS)).toBe(url);
  });

  test.each([
    ['https://evil.example.com/k', /not an allowed storage host/],
    ['https://s3.amazonaws.com.evil.com/k', /not an allowed storage host/],
    ['https://amazonaws.com/k', /not an allowed storage host/],
    ['http://bucket.s3.amazonaws.com/k', /http is not https/],
    ['https://169.254.169.254/latest/meta-data/', /private address/],
    ['https://10.0.0.5/k', /private address/],
    ['https://192.168.1.1/k', /private address/],
    ['https://[::1]/k', /private address/],
    ['https://[::ffff:127.0.0.1]/k', /private address/],
    ['https://localhost/k', /private address/],
    ['http://127.0.0.1:4104/k', /http is not https/],
    ['https://user:pw@bucket.s3.amazonaws.com/k', /user info/],
    ['file:///etc/passwd', /file is not https/],
    ['javascript:alert(1)', /javascript is not https/],
    ['not a url', /not a URL/],
  ])('refuses %s', (url, why) => {
    let error: unknown;
    try {
      checkStorageUrl('CUPIX', url, API, HOSTS);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'CUPIX', message: expect.stringMatching(why) });
    expect((error as Error).message).not.toContain(url);
  });

  test('knows private addresses', () => {
    for (const h of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fc00::1', 'fe80::1', '::ffff:7f00:1', 'localhost']) {
      expect(isPrivateAddress(h), h).toBe(true);
    }
    for (const h of ['8.8.8.8', '172.32.0.1', 's3.amazonaws.com', '2001:db8::1']) expect(isPrivateAddress(h), h).toBe(false);
  });
});

describe('through the gateway', () => {
  const flai = FLAI_DEMO_TENANTS[0];
  // What the vendors answer through the proxies: redirects and file URLs to the canary.
  test.beforeAll(({ rig }) => {
    const cupix = rig.proxies.cupix!;
    cupix.respond(
      (r) => r.path === '/api/v1/pointclouds/5310/download',
      () => ({ status: 302, headers: { location: `${canaryOrigin}/latest/meta-data/iam` } }),
    );
    const f = rig.proxies.flai!;
    const org = `/api/v1/organization/${flai.orgId}`;
    const download = (id: string) => ({ id, status: 'download-prepared', items: [{ model_name: 'datasets', model_id: 'ds-1' }], files: [{ id: `f-${id}`, name: 'ds.zip', size: 10 }] });
    f.respond((r) => r.path === `${org}/downloads/dl-canary`, () => ({ status: 200, json: download('dl-canary') }));
    f.respond((r) => r.path === `${org}/downloads/dl-s3`, () => ({ status: 200, json: download('dl-s3') }));
    f.respond((r) => r.path === `${org}/file-downloads/f-dl-canary/download`, () => ({ status: 200, json: { url: `${canaryOrigin}/internal` } }));
    f.respond((r) => r.path === `${org}/file-downloads/f-dl-s3/download`, () => ({ status: 200, json: { url: 'https://flai-exports.s3.eu-west-1.amazonaws.com/ds.zip?X-Amz-Signature=abc' } }));
  });

  test('a Cupix download redirecting to an internal address is refused, not followed, not handed out', async ({ rig }) => {
    const r = await rig.op(HardeningPointcloudDownloadDocument, { id: IDS.pointcloud });
    expect(r.data?.pointcloud).toEqual({ id: IDS.pointcloud, downloadUrl: null });
    expect(r.errors?.[0]).toMatchObject({ path: ['pointcloud', 'downloadUrl'], extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: 'CUPIX' } });
    expect(JSON.stringify(r)).not.toContain(canaryOrigin);
    expect(canaryHits).toBe(0);
  });

  test('a Flai file URL on an internal address is refused; one on its S3 storage is passed on, never fetched by the gateway', async ({ rig }) => {
    const bad = await rig.op(HardeningDownloadFilesDocument, { id: 'dl-canary' });
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: 'FLAI' } });
    expect(JSON.stringify(bad)).not.toContain(canaryOrigin);
    const good = await rig.op(HardeningDownloadFilesDocument, { id: 'dl-s3' });
    expect(good.errors).toBeUndefined();
    expect(good.data?.datasetDownload?.files).toEqual([{ url: 'https://flai-exports.s3.eu-west-1.amazonaws.com/ds.zip?X-Amz-Signature=abc' }]);
    expect(canaryHits).toBe(0);
  });

  test('ids that look like URLs stay path segments on the vendor\'s own host', async ({ rig }) => {
    const host = canaryOrigin.replace('http://', '');
    rig.resetCounts();
    const r = await rig.op(HardeningUrlLikeIdsDocument, { a: `${canaryOrigin}/x`, b: `//${host}/y`, c: `@${host}`, d: `../../../..//${host}` });
    expect(r.data).toEqual({ a: null, b: null, c: null, d: null });
    expect(rig.calls('mapflow') + rig.calls('cupix') + rig.calls('flai')).toBe(4);
    expect(canaryHits).toBe(0);
  });
});
