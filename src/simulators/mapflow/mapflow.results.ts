import { footprintsInside } from './mapflow.geometry.js';
import type { Aoi, Processing, TenantData } from './mapflow.types.js';
import { rng } from './mapflow.util.js';

/** [INFER] Result classes by model family; Mapflow's vector results carry a `class_id` per feature. */
const CLASSES: { match: RegExp; classId: number; className: string; size: [number, number] }[] = [
  { match: /building/i, classId: 101, className: 'building', size: [8, 30] },
  { match: /forest/i, classId: 201, className: 'forest', size: [40, 120] },
  { match: /road/i, classId: 301, className: 'road', size: [60, 160] },
  { match: /construction/i, classId: 401, className: 'construction_site', size: [40, 100] },
];
const FALLBACK = { classId: 1, className: 'object', size: [10, 40] as [number, number] };
const MAX_FEATURES_PER_AOI = 120;

function featuresFor(p: Processing, wdName: string, aoi: Aoi) {
  const cls = CLASSES.find((c) => c.match.test(wdName)) ?? FALLBACK;
  const r = rng(`${p.id}#${p.run}#${aoi.id}`);
  const count = Math.max(3, Math.min(MAX_FEATURES_PER_AOI, Math.round(aoi.area / 4_000)));
  return footprintsInside(aoi.geometry, r, count, cls.size).map((geometry, i) => ({
    type: 'Feature',
    geometry,
    properties: {
      id: i + 1,
      class_id: cls.classId,
      class_name: cls.className,
      aoi_id: aoi.id,
      probability: Math.round((0.6 + r() * 0.39) * 100) / 100,
    },
  }));
}

/**
 * The processing's vector result as GeoJSON bytes: realistic footprints inside each AOI,
 * identical on every call (cached per processing run, so downloads cost nothing after the first).
 */
export function resultBytes(t: TenantData, p: Processing, aoiId: string | null): Buffer {
  const key = `${p.id}#${p.run}#${aoiId ?? '*'}`;
  const cached = t.results.get(key);
  if (cached) return cached;
  const wdName = t.workflowDefs.get(p.workflowDefId)?.name ?? '';
  const aois = aoiId ? p.aois.filter((a) => a.id === aoiId) : p.aois;
  const bytes = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: aois.flatMap((a) => featuresFor(p, wdName, a)) }));
  t.results.set(key, bytes);
  return bytes;
}
