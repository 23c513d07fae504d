import { createHash } from 'node:crypto';
import { rng } from '../core/random.js';
import { buildGroup, type GroupSpec, type Pose, type SubSpec } from './cupix.seed-builder.js';
import type { LifecyclePlan, Pointcloud } from './cupix.types.js';

/** Ids of generated tenants live in blocks of 100 from here, far from the documented 53xx ids. */
const GENERATED_ID_FLOOR = 100_000;
export const ID_BLOCK = 100;

/** A deterministic id block for a tenant name; `taken` rejects blocks another tenant already holds. */
export function idBlockFor(name: string, taken: (base: number) => boolean): number {
  const h = createHash('sha256').update(name).digest().readUInt32BE(0);
  let base = GENERATED_ID_FLOOR + (h % 9000) * ID_BLOCK;
  while (taken(base)) base += ID_BLOCK;
  return base;
}

/** mulberry32 seeded from a hash of the tenant name. */
function prng(seed: string): () => number {
  return rng(createHash('sha256').update(seed).digest().readUInt32BE(4));
}

/**
 * The seed of `beta` and of every tenant added with `POST /__sim/tenants`: deterministic from the
 * name. Three groups: a finished reconstruction, a processing one (one sub ends in error) and
 * uploaded laser scans (one still processing), all with non-identity transforms.
 */
export function generatedSeed(name: string, base: number, nowMs: number): { items: Pointcloud[]; plans: LifecyclePlan[] } {
  const rnd = prng(name);
  const pick = (lo: number, hi: number, digits = 2) => Math.round((lo + rnd() * (hi - lo)) * 10 ** digits) / 10 ** digits;
  const pose = (z = 0): Pose => ({ yawDeg: pick(-180, 180, 1), t: [pick(-20, 20), pick(-20, 20), z] });
  const record = 9000 + (base / ID_BLOCK) * 2;
  const level = 300 + (base / ID_BLOCK) * 2;
  const capture = 20_000 + (base / ID_BLOCK) * 2;
  const cluster = 40_000 + (base / ID_BLOCK) * 3;
  const sub = (id: number, ext: string, extra: Partial<SubSpec> = {}): SubSpec => {
    const points = Math.round(pick(80_000, 240_000, 0));
    const file = ext === 'cpc' ? `${id}.cpc` : `Scan_${String(id % 100).padStart(3, '0')}.e57`;
    return { id, name: file, originalFileName: file, points, sizeMb: pick(1.5, 4.8), pose: pose(ext === 'cpc' ? 0 : 1.5), ...extra };
  };
  const day = 86_400;
  const groups: GroupSpec[] = [
    {
      id: base + 1, name: 'Cluster 1', type: '3d_reconstructed', cluster: { id: cluster, name: 'Cluster 1' },
      captureId: capture, recordId: record, levelId: level, levelElevation: 0, pose: pose(),
      createdAt: new Date(nowMs - 9 * day * 1000).toISOString(), processorVersion: '188\t4b1f0e2c\t20240212_101500',
      subs: [sub(base + 2, 'cpc'), sub(base + 3, 'cpc'), sub(base + 4, 'cpc')],
    },
    {
      id: base + 10, name: 'Cluster 2', type: '3d_reconstructed', cluster: { id: cluster + 1, name: 'Cluster 2' },
      captureId: capture + 1, recordId: record + 1, levelId: level + 1, levelElevation: 3.2, pose: pose(),
      createdAt: { agoS: 12 }, processorVersion: '188\t4b1f0e2c\t20240212_101500',
      pending: { settleAfterS: 38, outcome: 'done' },
      subs: [
        sub(base + 11, 'cpc', { pending: { settleAfterS: 18, outcome: 'done' } }),
        sub(base + 12, 'cpc', { pending: { settleAfterS: 29, outcome: 'error' } }),
      ],
    },
    {
      id: base + 20, name: 'Laser scans', type: 'uploaded', cluster: null, captureId: capture + 2,
      recordId: record, levelId: level, levelElevation: 0, pose: pose(),
      createdAt: new Date(nowMs - 5 * day * 1000).toISOString(), processorVersion: '',
      subs: [sub(base + 21, 'e57'), sub(base + 22, 'e57', { pending: { settleAfterS: 33, outcome: 'done' } })],
    },
  ];
  const items: Pointcloud[] = [];
  const plans: LifecyclePlan[] = [];
  for (const g of groups) {
    const built = buildGroup(name, g, nowMs);
    items.push(...built.items);
    plans.push(...built.plans);
  }
  return { items, plans };
}
