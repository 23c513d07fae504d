/** The Cupix datasource pieces that the simulator cannot exercise: malformed payloads, unknown literals, edge math. */
import 'reflect-metadata';
import { describe, expect, test } from 'vitest';
import { MAX_PER_PAGE } from '../../src/datasources/cupix/cupix.client.js';
import { cupixErrorInfo } from '../../src/datasources/cupix/cupix.errors.js';
import { DEFAULT_FIELDS, FieldMask, fieldsParam } from '../../src/datasources/cupix/cupix.fields.js';
import { PointcloudById } from '../../src/datasources/cupix/cupix.loaders.js';
import { toPointcloud, type Pointcloud } from '../../src/datasources/cupix/cupix.mappers.js';
import { PointcloudListResponseModel, PointcloudResponseModel } from '../../src/datasources/cupix/cupix.models.js';
import { finalGroupTransform, finalSubTransform, IDENTITY } from '../../src/datasources/cupix/cupix.transform.js';
import { parseVendor } from '../../src/datasources/shared/parse-vendor.js';
import { pagePlan } from '../../src/datasources/shared/paging.js';
import { UpstreamError } from '../../src/errors.js';


function badResponse(fn: () => unknown): UpstreamError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UpstreamError) return err;
    throw err;
  }
  throw new Error('expected an UpstreamError');
}

describe('payload validation', () => {
  test.each([
    ['a kind Cupix does not have', { result: { data: { id: '1', attributes: { kind: 'folder' } } } }, 'result.data.attributes.kind'],
    ['a matrix of words', { result: { data: { id: '1', attributes: { meta: { prop: { tm: ['a'] } } } } } }, 'result.data.attributes.meta.prop.tm.0'],
    ['no data', { result: {} }, 'result.data'],
    ['a timestamp that is not one', { result: { data: { id: '1', attributes: { updated_at: 'yesterday' } } } }, 'result.data.attributes.updated_at'],
  ])('%s → UPSTREAM_BAD_RESPONSE naming the field', (_what, body, path) => {
    const err = badResponse(() => parseVendor('CUPIX', PointcloudResponseModel, body, 'pointcloud'));
    expect(err.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(err.toGraphQLError().extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'CUPIX', upstreamStatus: 200 });
    expect(err.message).toContain(`Cupix sent an unexpected pointcloud: ${path}`);
  });

  test('a list without an array of items', () => {
    const err = badResponse(() => parseVendor('CUPIX', PointcloudListResponseModel, { result: { data: {}, pagination: null } }, 'pointcloud list'));
    expect(err.message).toContain('result.data');
  });
});

describe('mapping', () => {
  const parse = (attributes: Record<string, unknown>) => parseVendor('CUPIX', PointcloudResponseModel, { result: { data: { id: 42, attributes } } }, 'pointcloud').result.data;

  test('numeric strings become numbers, timestamps Dates, ids strings, empty stubs null', () => {
    const pc = toPointcloud(
      parse({
        name: 'x',
        state: 'done',
        meta: { prop: { tm: [], wtm: ['1', '0', '0', '0', '0', '1', '0', '0', '0', '0', '1', '0', '2.5', '0', '0', '1'], original_point_count: '3000000000', original_size_in_mb: '12.5' } },
        created_at: '2023-10-30T02:35:05.544Z',
        parent: { id: null },
        record: {},
        cluster: { id: null, name: null },
        level: { id: 20, type: 'Level' },
      }),
      DEFAULT_FIELDS | FieldMask.META,
    );
    expect(pc).toMatchObject({
      id: '42',
      parentId: null,
      record: null,
      cluster: null,
      level: { id: '20', name: null, type: 'Level' },
      createdAt: new Date('2023-10-30T02:35:05.544Z'),
      meta: { tm: [], originalPointCount: 3_000_000_000, originalSizeInMb: 12.5, originalFileName: null },
    });
    expect(pc.meta?.wtm?.[12]).toBe(2.5);
  });

  test.each([
    [{ state: 'done', potree_state: 'processing' }, 'SUCCEEDED', 'done', true],
    [{ state: null, potree_state: 'uploading' }, 'QUEUED', 'uploading', false],
    [{ potree_state: 'missing' }, 'QUEUED', 'missing', false],
    [{ state: 'processing' }, 'RUNNING', 'processing', false],
    [{ state: 'failed' }, 'FAILED', 'failed', true],
    [{ state: 'archived_by_robot' }, 'UNKNOWN', 'archived_by_robot', false],
  ])('status %o → %s (upstreamStatus %s)', (attrs, state, upstreamStatus, isTerminal) => {
    expect(toPointcloud(parse(attrs), DEFAULT_FIELDS)).toMatchObject({ state, upstreamStatus, isTerminal, __typename: 'Pointcloud', source: 'CUPIX' });
  });

  test('a fields mask names the vendor attributes, always with id', () => {
    expect(fieldsParam(FieldMask.NAME | FieldMask.PARENT)).toBe('id,name,parent');
    expect(fieldsParam(DEFAULT_FIELDS)).not.toContain('meta');
    expect(fieldsParam(FieldMask.META | FieldMask.STATE)).toBe('id,state,potree_state,meta');
  });
});

describe('errors', () => {
  test('the vendor envelope gives the message and code; anything else nothing', () => {
    expect(cupixErrorInfo(400, { result: { code: 'invalid_parameter', type: 'bad_request', reason: 'x', message: 'Invalid parameter page' }, session: null })).toEqual({
      message: 'Invalid parameter page',
      vendorCode: 'invalid_parameter',
    });
    expect(cupixErrorInfo(404, null)).toEqual({});
    expect(cupixErrorInfo(502, '<html>Bad gateway</html>')).toEqual({});
  });
});

describe('paging', () => {
  test.each([
    [0, 20, { perPage: 20, pages: [1] }],
    [40, 20, { perPage: 20, pages: [3] }],
    [5, 10, { perPage: 15, pages: [1] }],
    [95, 10, { perPage: 15, pages: [7] }],
    [150, 100, { perPage: 100, pages: [2, 3] }],
  ])('offset %i, limit %i → %o', (offset, limit, expected) => {
    const { perPage, pages } = pagePlan(offset, limit, MAX_PER_PAGE);
    const w = { perPage, pages };
    expect(w).toEqual(expected);
    const start = (w.pages[0] - 1) * w.perPage;
    expect(start).toBeLessThanOrEqual(offset);
    expect(start + w.pages.length * w.perPage).toBeGreaterThanOrEqual(offset + limit);
  });
});

describe('transforms', () => {
  const T = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 5, 6, 7, 1];
  const R = [0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]; // 90° about z
  test('[] counts as the identity; the order decides which transform applies first', () => {
    expect(finalSubTransform([], T, 'parent-first')).toEqual(T);
    expect(finalSubTransform(null, T, 'parent-first')).toEqual(T);
    expect(finalSubTransform(R, T, 'parent-first')).toEqual([0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, -6, 5, 7, 1]);
    expect(finalSubTransform(R, T, 'child-first')).toEqual([0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, 5, 6, 7, 1]);
    expect(finalGroupTransform([])).toEqual([...IDENTITY]);
    expect(finalSubTransform([1, 2, 3], T, 'parent-first')).toBeNull();
  });
});

describe('pointcloudById', () => {
  test('serves a cached object only when its fields cover the lookup; merges masks asked in one tick', async () => {
    const calls: [string, number][] = [];
    const loader = new PointcloudById(async (id, mask) => {
      calls.push([id, mask]);
      return { __typename: 'Pointcloud', id, fields: mask, name: `n${id}` } as Pointcloud;
    }, (task) => task());
    loader.prime({ __typename: 'Pointcloud', id: '1', fields: FieldMask.ID | FieldMask.KIND } as Pointcloud);
    expect(loader.load('1', FieldMask.KIND)).toMatchObject({ id: '1' });
    expect(calls).toEqual([]);
    const [a, b] = await Promise.all([loader.load('1', FieldMask.ID | FieldMask.NAME), loader.load('1', FieldMask.META)]);
    expect(calls).toEqual([['1', FieldMask.ID | FieldMask.NAME | FieldMask.META]]);
    expect(a).toBe(b);
    expect(loader.load('1', FieldMask.NAME)).toBe(a);
    // Neither cached object has both the name and the kind: fetched again, with exactly that.
    await loader.load('1', FieldMask.NAME | FieldMask.KIND);
    expect(calls).toEqual([
      ['1', FieldMask.ID | FieldMask.NAME | FieldMask.META],
      ['1', FieldMask.NAME | FieldMask.KIND],
    ]);
  });
});
