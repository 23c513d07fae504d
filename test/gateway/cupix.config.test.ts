import { describe, expect } from 'vitest';
import { cupixMatrix } from '../../src/simulators/cupix/index.js';
import { CupixFinalTransformDocument, CupixIdNameDocument, CupixTransformsWithParentDocument, CupixWithAccountDocument } from '../generated/graphql.js';
import { ALPHA, byId, expectMatrix, test, vendorList } from './cupix.helpers.js';

const childFirst = test.extend('stackOptions', { scope: 'file' }, { env: { CUPIX_TRANSFORM_ORDER: 'child-first' } });
const noCredential = test.extend('stackOptions', { scope: 'file' }, { env: { CUPIX_TOKEN: '' } });

describe('CUPIX_TRANSFORM_ORDER=child-first', () => {
  childFirst('finalTransform = sub.tm × group.wtm where the sub has no wtm of its own (5373, `wtm: []`): the order decides', async ({ stack }) => {
    const alpha = await vendorList(stack, ALPHA);
    const res = await stack.op(CupixTransformsWithParentDocument, { id: '5373' });
    expect(res.errors).toBeUndefined();
    const sub = byId(alpha, '5373').attributes.meta.prop;
    const group = byId(alpha, '5370').attributes.meta.prop;
    expect(res.data!.pointcloud).toMatchObject({ worldTransform: [], parent: { id: '5370' } });
    expectMatrix(res.data!.pointcloud!.finalTransform, cupixMatrix.multiply(sub.tm, group.wtm));
    // parent-first would give group.wtm × sub.tm; with rotations and translations on both sides they differ.
    const parentFirst = cupixMatrix.multiply(group.wtm, sub.tm);
    expect(res.data!.pointcloud!.finalTransform!.some((v, i) => Math.abs(v - parentFirst[i]) > 1e-3)).toBe(true);
    expect(stack.calls('cupix')).toBe(2);
  });

  childFirst("a sub whose own wtm contradicts sub.tm × group.wtm (5332, stored parent first): the vendor's wtm, never the other product", async ({ stack }) => {
    const alpha = await vendorList(stack, ALPHA);
    const res = await stack.op(CupixTransformsWithParentDocument, { id: '5332' });
    expect(res.errors).toBeUndefined();
    const sub = byId(alpha, '5332').attributes.meta.prop;
    const group = byId(alpha, '5330').attributes.meta.prop;
    expect(res.data!.pointcloud!.parent).toEqual({ id: '5330' });
    expect(res.data!.pointcloud!.finalTransform).toEqual(sub.wtm);
    const childFirstProduct = cupixMatrix.multiply(sub.tm, group.wtm);
    expect(childFirstProduct.some((v, i) => Math.abs(v - sub.wtm[i]) > 1e-3)).toBe(true);
    expectMatrix(cupixMatrix.multiply(group.wtm, sub.tm), sub.wtm);
    expect(stack.calls('cupix')).toBe(2);
  });

  childFirst('a GROUP is not affected: its own wtm', async ({ stack }) => {
    const alpha = await vendorList(stack, ALPHA);
    const res = await stack.op(CupixFinalTransformDocument, { id: '5320' });
    expect(res.data!.pointcloud!.finalTransform).toEqual(byId(alpha, '5320').attributes.meta.prop.wtm);
  });
});

describe('no Cupix credential on the server', () => {
  noCredential('UNAUTHENTICATED on exactly the Cupix fields; the other vendors answer', async ({ stack }) => {
    const res = await stack.op(CupixWithAccountDocument, { id: '5310' });
    expect(res.data).toEqual({ pointcloud: null, pointclouds: null, account: { email: expect.any(String) } });
    expect(res.errors?.map((e) => e.path)).toEqual(expect.arrayContaining([['pointcloud'], ['pointclouds']]));
    expect(res.errors).toHaveLength(2);
    for (const e of res.errors!) {
      expect(e.extensions).toMatchObject({ code: 'UNAUTHENTICATED', source: 'CUPIX' });
      expect(e.message).toBe('Cupix credentials missing: set CUPIX_TOKEN or send x-cupix-token');
    }
    expect(stack.calls('cupix')).toBe(0);
  });

  noCredential('a caller\'s own x-cupix-token still works', async ({ stack }) => {
    const res = await stack.op(CupixIdNameDocument, { id: '5310' }, { 'x-cupix-token': ALPHA });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ pointcloud: { id: '5310', name: '12116.cpc' } });
  });
});
