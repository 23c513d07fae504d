import { describe, expect, it } from 'vitest';
import { mapflowErrorInfo } from '../../src/datasources/mapflow/mapflow.errors.js';
import { wktToGeoJson } from '../../src/datasources/mapflow/mapflow.wkt.js';

/** Mapflow's WKT footprints as GeoJSON, and the data catalogue's error bodies in words (docs/vendors.md, "Mapflow: Data API"). */

const ring = (x: number, y: number, d: number) => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];
const wktRing = (x: number, y: number, d: number) => `(${ring(x, y, d).map(([a, b]) => `${a} ${b}`).join(', ')})`;

describe('wktToGeoJson', () => {
  it('reads a POLYGON, with its holes', () => {
    expect(wktToGeoJson(`POLYGON (${wktRing(0, 0, 10)}, ${wktRing(2, 2, 1)})`)).toEqual({ type: 'Polygon', coordinates: [ring(0, 0, 10), ring(2, 2, 1)] });
  });

  it('reads a MULTIPOLYGON, one with a hole, and ignores a Z marker and the case', () => {
    const text = `multipolygon Z ((${wktRing(0, 0, 10)}, ${wktRing(2, 2, 1)}), (${wktRing(20, 0, 5)}))`;
    expect(wktToGeoJson(text)).toEqual({ type: 'MultiPolygon', coordinates: [[ring(0, 0, 10), ring(2, 2, 1)], [ring(20, 0, 5)]] });
  });

  it('passes GeoJSON through and reads anything else as null, never failing', () => {
    const geo = { type: 'Polygon', coordinates: [ring(0, 0, 1)] };
    expect(wktToGeoJson(geo)).toBe(geo);
    for (const bad of ['POINT (1 2)', 'POLYGON ((0 0, 1 1))', 'POLYGON ((a b, 1 1, 2 2, a b))', '', 'nonsense', null, undefined, { coordinates: [] }]) {
      expect(wktToGeoJson(bad as never), String(bad)).toBeNull();
    }
  });
});

describe("the data catalogue's error bodies", () => {
  it('words the documented codes from their parameters and passes the code on', () => {
    expect(mapflowErrorInfo(404, { detail: { code: 'ItemNotFound', parameters: { instance_type: 'image', uid: 'abc' } } })).toEqual({
      message: 'The image abc does not exist or is not yours',
      vendorCode: 'ItemNotFound',
    });
    expect(mapflowErrorInfo(400, { detail: { code: 'FileTooBig', parameters: { max_file_size: 10, actual_file_size: 11 } } })).toEqual({
      message: 'The file is too big: 11 bytes, at most 10',
      vendorCode: 'FileTooBig',
    });
    expect(mapflowErrorInfo(400, { detail: { code: 'ImageExtentTooBig', parameters: { filename: 'a.tif' } } })).toEqual({ message: 'ImageExtentTooBig (filename=a.tif)', vendorCode: 'ImageExtentTooBig' });
    expect(mapflowErrorInfo(400, { detail: { code: 'FileOpenError', parameters: {}, message: 'We could not open and read the image you have uploaded' } })).toEqual({
      message: 'We could not open and read the image you have uploaded',
      vendorCode: 'FileOpenError',
    });
    expect(mapflowErrorInfo(422, { detail: 'Field required' })).toEqual({ message: 'Field required', vendorCode: undefined });
  });
});
