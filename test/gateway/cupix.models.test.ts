/** The Cupix zod models read on their own: the vendor's documented examples, and what a bad payload becomes, with no HTTP client. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { PointcloudListResponseModel, PointcloudResponseModel } from '../../src/datasources/cupix/cupix.models.js';
import { parseVendor } from '../../src/datasources/shared/parse-vendor.js';
import { UpstreamError } from '../../src/errors.js';

const example = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/vendor-docs/cupix/${name}`, import.meta.url), 'utf8'));

describe('Cupix models through parseVendor', () => {
  test('the documented pointcloud example parses: string id, numeric matrix, parent stub', () => {
    const item = parseVendor('CUPIX', PointcloudResponseModel, example('pointcloud-get.json'), 'pointcloud').result.data;
    expect(item.id).toBe('5310');
    expect(item.attributes).toMatchObject({ kind: 'sub', state: 'done', parent: { id: 5309 } });
    expect(item.attributes.meta?.prop?.tm).toHaveLength(16);
  });

  test('the documented list example parses with its pagination', () => {
    const { result } = parseVendor('CUPIX', PointcloudListResponseModel, example('pointcloud-list.json'), 'pointcloud list');
    expect(result.data.map((item) => item.id)).toEqual(['5310', '5309']);
    expect(result.pagination).toMatchObject({ total_entries: 2, total_pages: 1, per_page: 30, current_page: 1 });
  });

  test('a payload off the model is UPSTREAM_BAD_RESPONSE from Cupix, naming the first bad path', () => {
    let caught: unknown;
    try {
      parseVendor('CUPIX', PointcloudResponseModel, { result: { data: { id: '1', attributes: { kind: 'folder' } } } }, 'pointcloud');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UpstreamError);
    const err = caught as UpstreamError;
    expect(err.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(err.message).toContain('Cupix sent an unexpected pointcloud: result.data.attributes.kind');
    expect(err.toGraphQLError().extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'CUPIX', upstreamStatus: 200 });
  });
});
