/**
 * WKT footprints (`POLYGON ((x y, ...))`, `MULTIPOLYGON (((...)), ((...)))`) as GeoJSON, the way
 * Mapflow's data catalogue sends them (docs/vendors.md, "Mapflow: Data API"). Anything else,
 * including a footprint that is already GeoJSON, is passed through or read as `null`: a footprint
 * is shown, never needed, so it never fails a query.
 */

type Ring = [number, number][];

function parseRings(body: string): Ring[] | null {
  const rings: Ring[] = [];
  const pattern = /\(([^()]*)\)/g;
  for (let m = pattern.exec(body); m; m = pattern.exec(body)) {
    const ring: Ring = [];
    for (const pair of m[1].split(',')) {
      const parts = pair.trim().split(/\s+/).map(Number);
      if (parts.length < 2 || parts.some((n) => !Number.isFinite(n))) return null;
      ring.push([parts[0], parts[1]]);
    }
    if (ring.length < 4) return null;
    rings.push(ring);
  }
  return rings.length ? rings : null;
}

export function wktToGeoJson(footprint: string | Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!footprint) return null;
  if (typeof footprint !== 'string') return typeof footprint.type === 'string' ? footprint : null;
  const m = /^\s*(MULTIPOLYGON|POLYGON)\s*(?:Z\s*)?\((.*)\)\s*$/is.exec(footprint);
  if (!m) return null;
  const kind = m[1].toUpperCase();
  if (kind === 'POLYGON') {
    const rings = parseRings(m[2]);
    return rings ? { type: 'Polygon', coordinates: rings } : null;
  }
  const polygons: Ring[][] = [];
  for (const part of m[2].split(/\)\s*\)\s*,\s*\(\s*\(/)) {
    const rings = parseRings(`((${part.replace(/^[\s(]+|[\s)]+$/g, '')}))`);
    if (!rings) return null;
    polygons.push(rings);
  }
  return { type: 'MultiPolygon', coordinates: polygons };
}
