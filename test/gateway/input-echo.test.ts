import { describe, expect } from 'vitest';
import { HardeningCreateDatasetDocument } from '../generated/graphql.js';
import { test } from '../helpers/stack.helpers.js';
import { opUnchecked } from './gateway.helpers.js';

// graphql-js repeats a rejected input value in its coercion errors; inputs can carry write-only secrets.
const CANARY = 'canary-secret-5f1d8e';

describe('invalid inputs never echo their values', () => {
  test('drops the echoed object from a variable coercion error, keeping the reason', async ({ stack }) => {
    const res = await opUnchecked(stack, HardeningCreateDatasetDocument, {
      input: { name: 'x', type: 'POINTCLOUD', importFrom: { ftp: { host: 'ftp.example', username: 'u', password: CANARY } } },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('Field "path" of required type "String!" was not provided');
    expect(JSON.stringify(res)).not.toContain(CANARY);
    expect(stack.calls('flai')).toBe(0);
  });

  test('drops the echoed value of a wrongly typed nested field', async ({ stack }) => {
    const res = await opUnchecked(stack, HardeningCreateDatasetDocument, {
      input: { name: 'x', type: 'POINTCLOUD', importFrom: { s3: { bucket: 'b', accessKeyId: 'k', secretAccessKey: { nested: CANARY }, path: '/' } } },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('at "input.importFrom.s3.secretAccessKey"');
    expect(JSON.stringify(res)).not.toContain(CANARY);
  });
});
