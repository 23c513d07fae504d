import type { JobState } from '../generated/graphql';
import { boundsOf, kmPerLonDegree, polygonsOf, type PolygonRings } from './geometry';

export interface MapShape {
  id: string;
  label: string;
  state: JobState;
  geometry: unknown;
}

const W = 480;
const H = 300;
const PAD = 28;

/**
 * AOIs drawn as SVG shapes in an equirectangular view of their own extent (longitudes scaled by
 * the cosine of the mid latitude, so squares look square). Drawn here, so nothing is fetched:
 * no tiles, no map library.
 */
export function AoiMap({ shapes, title }: { shapes: MapShape[]; title: string }) {
  const drawn = shapes.map((s) => ({ ...s, polygons: polygonsOf(s.geometry) })).filter((s) => s.polygons.length);
  const bounds = boundsOf(drawn.flatMap((s) => s.polygons));
  if (!bounds) return <div className="aoi-map aoi-map-empty">No area to draw</div>;

  const midLat = (bounds.south + bounds.north) / 2;
  const kx = Math.cos((midLat * Math.PI) / 180);
  const spanX = Math.max((bounds.east - bounds.west) * kx, 1e-6);
  const spanY = Math.max(bounds.north - bounds.south, 1e-6);
  const scale = Math.min((W - 2 * PAD) / spanX, (H - 2 * PAD) / spanY);
  const ox = (W - spanX * scale) / 2;
  const oy = (H - spanY * scale) / 2;
  const x = (lon: number) => ox + (lon - bounds.west) * kx * scale;
  const y = (lat: number) => oy + (bounds.north - lat) * scale;
  const path = (poly: PolygonRings) => poly.map((ring) => `M${ring.map(([lon, lat]) => `${x(lon).toFixed(1)},${y(lat).toFixed(1)}`).join('L')}Z`).join('');

  const bar = scaleBar(spanX / kx, midLat, kx * scale);
  return (
    <svg className="aoi-map" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} data-testid="aoi-map">
      <defs>
        <pattern id="aoi-grid" width="24" height="24" patternUnits="userSpaceOnUse">
          <path d="M24 0H0V24" fill="none" className="aoi-grid-line" />
        </pattern>
      </defs>
      <rect width={W} height={H} className="aoi-map-bg" />
      <rect width={W} height={H} fill="url(#aoi-grid)" />
      {drawn.map((s) => (
        <g key={s.id} className={`aoi-shape aoi-${s.state.toLowerCase()}`} data-testid="aoi-shape">
          <title>{s.label}</title>
          {s.polygons.map((poly, i) => (
            <path key={i} d={path(poly)} fillRule="evenodd" />
          ))}
        </g>
      ))}
      <g className="aoi-scale" transform={`translate(${PAD - 12},${H - 14})`}>
        <path d={`M0,-5V0H${bar.px.toFixed(1)}V-5`} />
        <text x={bar.px + 6} y={0}>
          {bar.label}
        </text>
      </g>
      <text className="aoi-coords" x={W - 8} y={14} textAnchor="end">
        {midLat.toFixed(3)}°, {((bounds.west + bounds.east) / 2).toFixed(3)}°
      </text>
    </svg>
  );
}

/** A round distance about a quarter of the view wide. */
function scaleBar(spanLonDeg: number, lat: number, pxPerLonDeg: number): { px: number; label: string } {
  const perDeg = kmPerLonDegree(lat);
  const target = (spanLonDeg * perDeg) / 4;
  const steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
  const km = steps.find((s) => s >= target) ?? steps[steps.length - 1];
  return { px: (km / perDeg) * pxPerLonDeg, label: km < 1 ? `${Math.round(km * 1000)} m` : `${km} km` };
}
