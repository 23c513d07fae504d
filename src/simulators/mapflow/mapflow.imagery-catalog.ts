import type { SimResult } from '../core/index.js';
import { badRequest } from './mapflow.errors.js';
import { bbox, parseGeometry, polygonsOf } from './mapflow.geometry.js';
import type { JsonObject } from './mapflow.types.js';
import { intBetween, isObject, pick, rng } from './mapflow.util.js';

/**
 * The imagery catalogue behind `POST /catalog/meta`: scenes from the providers an imagery search
 * names (`sourceParams.imagerySearch.dataProvider`). [INFER] The scenes are seeded the same for
 * every account: boxes around a few cities, dated 2023-2025, with the documented fields.
 */

type Box = [number, number, number, number];

export interface Scene {
  id: string;
  box: Box;
  pixelResolution: number;
  acquisitionDate: string;
  productType: 'Scene' | 'Mosaic';
  sensor: string;
  colorBandOrder: string;
  cloudCover: number;
  offNadirAngle: number;
  providerName: string;
  zoom: number;
}

const CENTRES: [number, number][] = [
  [37.43, 55.7],
  [37.3, 55.64],
  [19.945, 50.0647],
  [-9.1393, 38.7223],
  [36.8219, -1.2921],
];
const PROVIDERS = [
  { name: 'orbview', sensors: ['WV02', 'WV03', 'GE01'], resolution: [0.3, 0.5] },
  { name: 'skywatch', sensors: ['PNEO', 'SPOT7'], resolution: [0.5, 1.5] },
];

function seedScenes(): Scene[] {
  const r = rng('mapflow:catalog');
  const scenes: Scene[] = [];
  CENTRES.forEach(([lon, lat], place) => {
    for (let k = 0; k < 6; k += 1) {
      const provider = PROVIDERS[k % 2];
      const half = 0.05 + intBetween(r, 0, 5) / 100;
      const day = Date.UTC(2023, 0, 1) + intBetween(r, 0, 900) * 86_400_000 + intBetween(r, 0, 86_399) * 1000;
      scenes.push({
        id: `10${place}00${k}0${String(intBetween(r, 100_000_000, 999_999_999))}`,
        box: [lon - half, lat - half, lon + half, lat + half],
        pixelResolution: provider.resolution[0] + (k % 3) * ((provider.resolution[1] - provider.resolution[0]) / 2),
        acquisitionDate: new Date(day).toISOString(),
        productType: k === 5 ? 'Mosaic' : 'Scene',
        sensor: pick(r, provider.sensors),
        colorBandOrder: 'RGB',
        cloudCover: intBetween(r, 0, 60) / 100,
        offNadirAngle: intBetween(r, 2, 35),
        providerName: provider.name,
        zoom: provider.name === 'orbview' ? 18 : 17,
      });
    }
  });
  return scenes;
}

export const CATALOG: readonly Scene[] = seedScenes();

export function sceneById(id: string): Scene | undefined {
  return CATALOG.find((scene) => scene.id === id);
}

const SORT_KEYS: Record<string, (s: Scene) => number | string> = {
  ACQUISITION_DATE: (s) => s.acquisitionDate,
  CLOUD_COVER: (s) => s.cloudCover,
  OFF_NADIR_ANGLE: (s) => s.offNadirAngle,
  PIXEL_RESOLUTION: (s) => s.pixelResolution,
  PROVIDER_NAME: (s) => s.providerName,
  SAT_ID: (s) => s.sensor,
  ZOOM: (s) => s.zoom,
};

const overlap = (a: Box, b: Box): number => Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));

function sceneJson(s: Scene): JsonObject {
  const [minX, minY, maxX, maxY] = s.box;
  return {
    id: s.id,
    footprint: { type: 'Polygon', coordinates: [[[minX, minY], [maxX, minY], [maxX, maxY], [minX, maxY], [minX, minY]]] },
    pixelResolution: s.pixelResolution,
    acquisitionDate: s.acquisitionDate,
    productType: s.productType,
    sensor: s.sensor,
    colorBandOrder: s.colorBandOrder,
    cloudCover: s.cloudCover,
    offNadirAngle: s.offNadirAngle,
    previewType: 'png',
    previewUrl: `https://api.mapflow.ai/rest/catalog/preview/${s.providerName}/${s.id}.png`,
    providerName: s.providerName,
  };
}

const NUMBER_FILTERS = ['minResolution', 'maxResolution', 'maxCloudCover', 'minOffNadirAngle', 'maxOffNadirAngle', 'minAoiIntersectionPercent', 'limit', 'offset'] as const;

/** `POST /catalog/meta`: the scenes over the AOI that pass every filter, sorted, one page of them. */
export function searchCatalog(body: unknown): SimResult {
  if (!isObject(body)) return badRequest('Request body must be a JSON object');
  const geometry = parseGeometry(body.aoi);
  if (typeof geometry === 'string') return badRequest(`aoi: ${geometry}`);
  for (const key of NUMBER_FILTERS) {
    if (body[key] !== undefined && body[key] !== null && typeof body[key] !== 'number') return badRequest(`${key} must be a number`);
  }
  const from = body.acquisitionDateFrom ? Date.parse(String(body.acquisitionDateFrom)) : null;
  const to = body.acquisitionDateTo ? Date.parse(String(body.acquisitionDateTo)) : null;
  if (Number.isNaN(from) || Number.isNaN(to)) return badRequest('acquisitionDateFrom and acquisitionDateTo must be ISO date-times');
  const list = (v: unknown) => (Array.isArray(v) && v.length ? v.map((x) => String(x).toLowerCase()) : null);
  const providers = list(body.dataProviders);
  const products = list(body.productTypes);
  const sortBy = String(body.sortBy ?? 'ACQUISITION_DATE');
  const sortKey = SORT_KEYS[sortBy];
  if (!sortKey) return badRequest(`sortBy must be one of ${Object.keys(SORT_KEYS).join(', ')}`);
  const boxes = polygonsOf(geometry).map((p) => bbox(p));
  const aoiArea = boxes.reduce((sum, b) => sum + (b[2] - b[0]) * (b[3] - b[1]), 0);
  const n = (key: (typeof NUMBER_FILTERS)[number]) => (typeof body[key] === 'number' ? (body[key] as number) : null);
  const found = CATALOG.filter((s) => {
    const covered = boxes.reduce((sum, b) => sum + overlap(b, s.box), 0);
    if (covered <= 0) return false;
    const percent = aoiArea > 0 ? (covered / aoiArea) * 100 : 100;
    const checks: [number | null, boolean][] = [
      [n('minResolution'), s.pixelResolution >= (n('minResolution') ?? 0)],
      [n('maxResolution'), s.pixelResolution <= (n('maxResolution') ?? 0)],
      [n('maxCloudCover'), s.cloudCover <= (n('maxCloudCover') ?? 0)],
      [n('minOffNadirAngle'), s.offNadirAngle >= (n('minOffNadirAngle') ?? 0)],
      [n('maxOffNadirAngle'), s.offNadirAngle <= (n('maxOffNadirAngle') ?? 0)],
      [n('minAoiIntersectionPercent'), percent >= (n('minAoiIntersectionPercent') ?? 0)],
    ];
    const at = Date.parse(s.acquisitionDate);
    return (
      checks.every(([limit, passes]) => limit === null || passes) &&
      (from === null || at >= from) &&
      (to === null || at <= to) &&
      (!providers || providers.includes(s.providerName)) &&
      (!products || products.includes(s.productType.toLowerCase()))
    );
  });
  const desc = String(body.sortOrder ?? 'DESC').toUpperCase() === 'DESC';
  found.sort((a, b) => {
    const [x, y] = [sortKey(a), sortKey(b)];
    const order = x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1;
    return desc ? -order : order;
  });
  const offset = Math.max(0, Math.floor(n('offset') ?? 0));
  const limit = Math.max(0, Math.floor(n('limit') ?? 100));
  return { status: 200, json: found.slice(offset, offset + limit).map(sceneJson) };
}
