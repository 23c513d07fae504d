import type { Geometry, Polygon } from './mapflow.types.js';
import type { Rng } from './mapflow.util.js';
import { isObject } from './mapflow.util.js';

const R = 6378137;
const rad = (d: number) => (d * Math.PI) / 180;

/** Checks a processing geometry; returns the geometry, or the reason it is not acceptable. */
export function parseGeometry(g: unknown): Geometry | string {
  if (!isObject(g)) return 'Field geometry is required and must be a GeoJSON geometry object';
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    return `Geometry must be of type Polygon or MultiPolygon, got ${JSON.stringify(g.type ?? null)}`;
  }
  if (!Array.isArray(g.coordinates)) return 'Geometry coordinates must be an array';
  const polygons = g.type === 'Polygon' ? [g.coordinates] : (g.coordinates as unknown[]);
  if (polygons.length === 0) return 'Geometry must contain at least one polygon';
  for (const poly of polygons) {
    const err = checkPolygon(poly);
    if (err) return err;
  }
  return g as unknown as Geometry;
}

function checkPolygon(poly: unknown): string | null {
  if (!Array.isArray(poly) || poly.length === 0) return 'Polygon must have at least one linear ring';
  for (const ring of poly) {
    if (!Array.isArray(ring) || ring.length < 4) return 'Each linear ring must have at least 4 positions';
    for (const pos of ring) {
      if (!Array.isArray(pos) || pos.length < 2 || typeof pos[0] !== 'number' || typeof pos[1] !== 'number') {
        return 'Each position must be an array of [longitude, latitude] numbers';
      }
      if (!Number.isFinite(pos[0]) || pos[0] < -180 || pos[0] > 180) return `Longitude ${pos[0]} is out of range [-180, 180]`;
      if (!Number.isFinite(pos[1]) || pos[1] < -90 || pos[1] > 90) return `Latitude ${pos[1]} is out of range [-90, 90]`;
    }
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) return 'Linear ring is not closed: first and last positions differ';
  }
  return null;
}

/** The polygons of a geometry: one AOI each. */
export function polygonsOf(g: Geometry): Polygon[] {
  return g.type === 'Polygon' ? [g] : g.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
}

function ringArea(ring: number[][]): number {
  const n = ring.length;
  if (n <= 2) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const lower = ring[i];
    const middle = ring[(i + 1) % n];
    const upper = ring[(i + 2) % n];
    total += (rad(upper[0]) - rad(lower[0])) * Math.sin(rad(middle[1]));
  }
  return Math.abs((total * R * R) / 2);
}

/** Geodesic area of a polygon in m², holes subtracted, rounded like the API (integer m²). */
export function polygonArea(p: Polygon): number {
  const [outer, ...holes] = p.coordinates;
  return Math.round(Math.max(0, ringArea(outer) - holes.reduce((s, h) => s + ringArea(h), 0)));
}

export function geometryArea(g: Geometry): number {
  return polygonsOf(g).reduce((s, p) => s + polygonArea(p), 0);
}

export function bbox(p: Polygon): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of p.coordinates[0]) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

function inRing(x: number, y: number, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInPolygon(x: number, y: number, p: Polygon): boolean {
  const [outer, ...holes] = p.coordinates;
  return inRing(x, y, outer) && !holes.some((h) => inRing(x, y, h));
}

/** A square-ish polygon of about `sizeM` metres around a lon/lat, for seeds. */
export function squareAround(lon: number, lat: number, widthM: number, heightM = widthM): Polygon {
  const dx = widthM / 2 / (111_320 * Math.cos(rad(lat)));
  const dy = heightM / 2 / 110_574;
  const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
  const [x0, x1, y0, y1] = [r6(lon - dx), r6(lon + dx), r6(lat - dy), r6(lat + dy)];
  return { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] };
}

/**
 * Building-like footprints (rotated rectangles, `sizeM` metres across) inside a polygon:
 * every vertex lies inside it. Deterministic for a given PRNG.
 */
export function footprintsInside(p: Polygon, r: Rng, count: number, sizeM: [number, number]): Polygon[] {
  const [minX, minY, maxX, maxY] = bbox(p);
  const midLat = (minY + maxY) / 2;
  const mx = 1 / (111_320 * Math.cos(rad(midLat)));
  const my = 1 / 110_574;
  const out: Polygon[] = [];
  for (let tries = 0; out.length < count && tries < count * 20; tries++) {
    const cx = minX + r() * (maxX - minX);
    const cy = minY + r() * (maxY - minY);
    const w = sizeM[0] + r() * (sizeM[1] - sizeM[0]);
    const h = w * (0.5 + r() * 0.7);
    const a = r() * Math.PI;
    const corners = [[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]].map(([u, v]) => [
      Math.round((cx + (u * Math.cos(a) - v * Math.sin(a)) * mx) * 1e7) / 1e7,
      Math.round((cy + (u * Math.sin(a) + v * Math.cos(a)) * my) * 1e7) / 1e7,
    ]);
    if (!corners.every(([x, y]) => pointInPolygon(x, y, p))) continue;
    out.push({ type: 'Polygon', coordinates: [[...corners, corners[0]]] });
  }
  return out;
}
