/** The little GeoJSON the dashboard needs: AOI polygons to draw, and a square to start a processing on. */

export type Position = [number, number];
export type Ring = Position[];
/** One polygon: its outer ring, then its holes. */
export type PolygonRings = Ring[];

export interface Polygon {
  type: 'Polygon';
  coordinates: PolygonRings;
}

const isPosition = (p: unknown): p is Position => Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number';
const isRing = (r: unknown): r is Ring => Array.isArray(r) && r.length >= 4 && r.every(isPosition);
const isPolygon = (rings: unknown): rings is PolygonRings => Array.isArray(rings) && rings.length > 0 && rings.every(isRing);

/** The polygons of a Polygon, a MultiPolygon or a Feature holding one; none for anything else. */
export function polygonsOf(geometry: unknown): PolygonRings[] {
  if (typeof geometry !== 'object' || geometry === null) return [];
  const g = geometry as { type?: unknown; coordinates?: unknown; geometry?: unknown };
  if (g.type === 'Feature') return polygonsOf(g.geometry);
  if (g.type === 'Polygon' && isPolygon(g.coordinates)) return [g.coordinates];
  if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) return g.coordinates.filter(isPolygon);
  return [];
}

export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

export function boundsOf(polygons: PolygonRings[]): Bounds | null {
  let b: Bounds | null = null;
  for (const poly of polygons) {
    for (const [lon, lat] of poly[0]) {
      b = b
        ? { west: Math.min(b.west, lon), south: Math.min(b.south, lat), east: Math.max(b.east, lon), north: Math.max(b.north, lat) }
        : { west: lon, south: lat, east: lon, north: lat };
    }
  }
  return b;
}

const KM_PER_DEGREE = 111.32;

/** A closed square of `sideKm` around a point, in lon/lat (Mapflow's order), for a new processing. */
export function squareAround(lon: number, lat: number, sideKm: number): Polygon {
  const dLat = sideKm / 2 / KM_PER_DEGREE;
  const dLon = dLat / Math.cos((lat * Math.PI) / 180);
  const r = (n: number) => Math.round(n * 1e6) / 1e6;
  const [w, s, e, n] = [r(lon - dLon), r(lat - dLat), r(lon + dLon), r(lat + dLat)];
  return { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
}

/** Kilometres per degree of longitude at a latitude (for the map's scale bar). */
export const kmPerLonDegree = (lat: number) => KM_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
