import { describe, expect } from 'vitest';
import { presign } from '../../src/simulators/core/index.js';
import { ALPHA, BETA, getJson, test, type ErrorReply, type PointcloudListReply, type Sim } from './cupix.helpers.js';

async function redirect(sim: Sim, id: number, token: string = ALPHA): Promise<Response> {
  return fetch(`${sim.url}/pointclouds/${id}/download`, { headers: { 'x-cupix-auth': token }, redirect: 'manual' });
}

describe('cupix download', () => {
  test('a done sub is a 302 to a presigned URL on this simulator that serves a .cpc attachment', async ({ sim }) => {
    const r = await redirect(sim, 5310);
    expect(r.status).toBe(302);
    const location = r.headers.get('location') as string;
    expect(location.startsWith(`${sim.origin}/storage/`)).toBe(true);
    expect(new URL(location).searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    const file = await fetch(location); // no credential: the signature is the authorisation
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="12116.cpc"');
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('CPC\0');
    // The point count fills the file after the 140-byte header, 16 bytes a point.
    expect(bytes.readUInt32LE(8)).toBe(Math.floor((bytes.length - 140) / 16));
    // The declared file size of 5310 (`filesize`), made as it is sent.
    expect(bytes.length).toBe(Math.round(3.63 * 1024 * 1024));
    expect(Number(file.headers.get('content-length'))).toBe(bytes.length);
    // A Range read from a byte on (how a transfer resumes) gets the rest, 206.
    const rest = await fetch(location, { headers: { range: `bytes=${bytes.length - 100}-` } });
    expect(rest.status).toBe(206);
    expect(Buffer.from(await rest.arrayBuffer()).equals(bytes.subarray(bytes.length - 100))).toBe(true);
  });

  test('following the redirect (as clients do) yields the file; an uploaded scan comes as a zip', async ({ sim }) => {
    const r = await fetch(`${sim.url}/pointclouds/5351/download`, { headers: { 'x-cupix-auth': ALPHA } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/zip');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="L1_Scan_001.zip"');
    const bytes = Buffer.from(await r.arrayBuffer());
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(bytes.includes(Buffer.from('L1_Scan_001.ply'))).toBe(true);
  });

  test('a group is a 400 in the error envelope', async ({ sim }) => {
    const r = await getJson<ErrorReply>(`${sim.url}/pointclouds/5309/download`, ALPHA);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      result: {
        code: 'invalid_pointcloud_kind', type: 'bad_request', reason: 'group_pointcloud',
        message: 'A group pointcloud has no file; download its sub pointclouds',
      },
      session: null,
    });
  });

  test('a sub still processing or failed is a 400 (not ready)', async ({ sim }) => {
    for (const id of [5331, 5342]) {
      const r = await getJson<ErrorReply>(`${sim.url}/pointclouds/${id}/download`, ALPHA);
      expect(r.status).toBe(400);
      expect(r.body.result.code).toBe('pointcloud_not_ready');
    }
  });

  test('the download needs the credential, but not `fields`', async ({ sim }) => {
    expect((await fetch(`${sim.url}/pointclouds/5310/download`, { redirect: 'manual' })).status).toBe(401);
    expect((await redirect(sim, 5310)).status).toBe(302);
  });

  test('takes the token from `?x-cupix-auth=` too, as the vendor sample does, on the download only', async ({ sim }) => {
    const viaQuery = (id: number, token: string) => fetch(`${sim.url}/pointclouds/${id}/download?x-cupix-auth=${encodeURIComponent(token)}`, { redirect: 'manual' });
    sim.stats.reset();
    const ok = await viaQuery(5310, ALPHA);
    expect(ok.status).toBe(302);
    // The same storage object as with the header (the signature's expiry moves with the second).
    const path = (r: Response) => new URL(r.headers.get('location') as string).pathname;
    expect(path(ok)).toBe(path(await redirect(sim, 5310)));
    expect((await fetch(ok.headers.get('location') as string)).status).toBe(200);
    expect(sim.stats.count('GET /pointclouds/{id}/download', 'alpha')).toBe(2);
    const betaList = await getJson<PointcloudListReply>(`${sim.url}/pointclouds?fields=id,kind,state&per_page=100`, BETA);
    const betaSub = betaList.body.result.data.find(
      (d) => d.attributes.kind === 'sub' && d.attributes.state === 'done',
    );
    expect((await viaQuery(Number(betaSub?.id), BETA)).status).toBe(302);
    expect((await viaQuery(5310, BETA)).status).toBe(404); // alpha's sub, beta's token
    const wrong = await getJson(`${sim.url}/pointclouds/5310/download?x-cupix-auth=nope`);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(await unauthorizedBody(sim));
    const elsewhere = await getJson(`${sim.url}/pointclouds/5310?fields=id&x-cupix-auth=${ALPHA}`);
    expect(elsewhere.status).toBe(401);
  });

  test('a tampered or expired storage URL is an S3-style 403; an unknown key a 404', async ({ sim }) => {
    const location = (await redirect(sim, 5321)).headers.get('location') as string;
    const tampered = location.replace(/X-Amz-Signature=[0-9a-f]/, (m) => m.slice(0, -1) + (m.endsWith('0') ? '1' : '0'));
    const t = await fetch(tampered);
    expect(t.status).toBe(403);
    expect(await t.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const key = decodeURIComponent(new URL(location).pathname.slice('/storage/'.length));
    const expired = await fetch(presign(sim.origin, key, 60, Date.now() - 3_600_000));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
    const missing = await fetch(presign(sim.origin, 'pointclouds/alpha/5309/x.cpc', 60, Date.now()));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('<Code>NoSuchKey</Code>');
  });
});

/** The vendor's 401 body, as a request with no credential gets it. */
async function unauthorizedBody(sim: Sim): Promise<unknown> {
  return (await getJson(`${sim.url}/pointclouds/5310/download`)).body;
}
