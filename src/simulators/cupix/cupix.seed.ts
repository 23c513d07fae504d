import { IDENTITY } from './cupix.matrix.js';
import { buildGroup, uuidFor, type GroupSpec } from './cupix.seed-builder.js';
import { ALPHA_VARIANT_GROUPS } from './cupix.seed-variants.js';
import type { LifecyclePlan, Pointcloud } from './cupix.types.js';

/**
 * Tenant `alpha`: the documented pointclouds 5309 (group) and 5310 (sub) VERBATIM, plus demo data.
 * The docs show 5310 three times with different values (name "12116.cpc" / "3416.cpc", file name
 * "3416.cpc" / "406_3416.cpc" / "algtest.3406_3416.cpc", record/level stubs filled / empty); the
 * simulator serves the list example's values everywhere (see test/fixtures/vendor-docs/cupix/README.md).
 * 5309/5310 get capture 1201 (not documented) and nothing else lives in it, so
 * `GET /pointclouds?capture_id=1201&pointcloud_type=3d_reconstructed` answers exactly the list example.
 */
function documented(): Pointcloud[] {
  const common = {
    pointcloudType: '3d_reconstructed',
    state: 'done',
    potreeState: 'uploaded',
    editingState: 'skipped',
    errorCode: null,
    captureId: 1201,
    cluster: { id: 3416, name: 'Cluster 1' },
    facility: null,
    publishedAt: null,
    permission: 'F',
    useGeoreference: false,
    georeference: null,
  } as const;
  return [
    {
      ...common,
      id: 5309,
      uuid: uuidFor('alpha', 5309),
      name: 'Cluster 1',
      kind: 'group',
      parentId: null,
      recordId: 602,
      levelId: 20,
      meta: {
        prop: { tm: [...IDENTITY], wtm: [...IDENTITY], scale: [1, 1, 1], wscale: [1, 1, 1] },
        processor_version: '187\td65714cae268815527ca333e78ec5043f3bed354\t20231025_004940',
      },
      pointsCount: 183918,
      filesize: 0,
      createdAt: '2023-10-30T02:35:04.934Z',
      updatedAt: '2023-10-30T02:35:48.719Z',
    },
    {
      ...common,
      id: 5310,
      uuid: uuidFor('alpha', 5310),
      name: '12116.cpc',
      kind: 'sub',
      parentId: 5309,
      recordId: 602,
      levelId: 20,
      meta: {
        prop: {
          tm: [...IDENTITY],
          wtm: [...IDENTITY],
          original_file_name: '3416.cpc',
          original_point_count: 183918,
          original_size_in_mb: 3.63,
        },
        potree: {},
      },
      pointsCount: 183918,
      filesize: Math.round(3.63 * 1024 * 1024),
      createdAt: '2023-10-30T02:35:05.544Z',
      updatedAt: '2023-10-30T02:37:44.526Z',
    },
  ];
}

const PROCESSOR = '187\td65714cae268815527ca333e78ec5043f3bed354\t20231025_004940';

/** Demo groups of `alpha`: non-identity transforms, both types, finished, processing and failed ones. */
const ALPHA_GROUPS: GroupSpec[] = [
  {
    id: 5320, name: 'Cluster 2', type: '3d_reconstructed', cluster: { id: 3417, name: 'Cluster 2' }, captureId: 1202,
    recordId: 602, levelId: 20, levelElevation: 0, pose: { yawDeg: 30, t: [12.5, -4.2, 0] },
    createdAt: '2023-11-02T08:14:22.130Z', processorVersion: PROCESSOR,
    subs: [
      { id: 5321, name: '12131.cpc', originalFileName: '1202_3417_a.cpc', points: 201_344, sizeMb: 3.98, pose: { yawDeg: 90, t: [1.5, 2, 0.1] } },
      { id: 5322, name: '12132.cpc', originalFileName: '1202_3417_b.cpc', points: 176_502, sizeMb: 3.49, pose: { yawDeg: -45, t: [4.2, -1.3, 0] } },
      { id: 5323, name: '12133.cpc', originalFileName: '1202_3417_c.cpc', points: 158_877, sizeMb: 3.14, pose: { yawDeg: 180, pitchDeg: 2, t: [7.9, 0.6, -0.05] } },
    ],
  },
  {
    id: 5330, name: 'Cluster 1', type: '3d_reconstructed', cluster: { id: 3420, name: 'Cluster 1' }, captureId: 1203,
    recordId: 603, levelId: 21, levelElevation: 3.6, pose: { yawDeg: -60, t: [3, 8, 0] },
    createdAt: { agoS: 30 }, processorVersion: PROCESSOR, pending: { settleAfterS: 40, outcome: 'done' },
    subs: [
      { id: 5331, name: '12201.cpc', originalFileName: '1203_3420_a.cpc', points: 190_220, sizeMb: 3.76, pose: { yawDeg: 15, t: [0.8, 1.1, 0] }, pending: { settleAfterS: 20, outcome: 'done' } },
      { id: 5332, name: '12202.cpc', originalFileName: '1203_3420_b.cpc', points: 143_019, sizeMb: 2.83, pose: { yawDeg: 105, rollDeg: -1.5, t: [3.4, -2.2, 0.02] }, pending: { settleAfterS: 32, outcome: 'done' } },
      { id: 5333, name: '12203.cpc', originalFileName: '1203_3420_c.cpc', points: 98_441, sizeMb: 1.95, pose: { yawDeg: -120, t: [6.1, 0.4, 0] }, pending: { settleAfterS: 26, outcome: 'error' } },
    ],
  },
  {
    id: 5340, name: 'Cluster 3', type: '3d_reconstructed', cluster: { id: 3421, name: 'Cluster 3' }, captureId: 1203,
    recordId: 603, levelId: 21, levelElevation: 3.6, pose: { yawDeg: 135, t: [-6.5, 14.25, 0] },
    createdAt: '2023-11-07T13:02:51.402Z', processorVersion: PROCESSOR,
    subs: [
      { id: 5341, name: '12211.cpc', originalFileName: '1203_3421_a.cpc', points: 167_300, sizeMb: 3.31, pose: { yawDeg: 60, t: [2, 0, 0] } },
      { id: 5342, name: '12212.cpc', originalFileName: '1203_3421_b.cpc', points: 0, sizeMb: 0.01, pose: { yawDeg: -30, t: [5, 1, 0] }, failed: true },
    ],
  },
  {
    id: 5350, name: 'Level 1 laser scans', type: 'uploaded', cluster: null, captureId: 1205,
    recordId: 602, levelId: 20, levelElevation: 0, pose: { yawDeg: 12.5, t: [-150.25, 320.75, 0] },
    createdAt: '2023-11-03T16:40:09.017Z', processorVersion: '',
    georeference: { epsg_code: '2263', x: '987654.32', y: '210987.65', z: '12.5', lat: 40.7128, lon: -74.006, alt: 10.2, bearing: 12.5 },
    subs: [
      { id: 5351, name: 'L1_Scan_001.e57', originalFileName: 'L1_Scan_001.e57', points: 1_204_551, sizeMb: 24.6, pose: { yawDeg: 0, t: [0, 0, 1.45] } },
      { id: 5352, name: 'L1_Scan_002.e57', originalFileName: 'L1_Scan_002.e57', points: 1_187_902, sizeMb: 24.1, pose: { yawDeg: 87.3, t: [9.8, 0.35, 1.45] } },
      { id: 5353, name: 'L1_Scan_003.e57', originalFileName: 'L1_Scan_003.e57', points: 1_099_310, sizeMb: 22.4, pose: { yawDeg: 176.8, pitchDeg: 0.4, t: [10.1, 12.6, 1.47] } },
      { id: 5354, name: 'L1_Scan_004.e57', originalFileName: 'L1_Scan_004.e57', points: 1_150_048, sizeMb: 23.3, pose: { yawDeg: -93.1, t: [-0.2, 12.9, 1.44] }, pending: { settleAfterS: 45, outcome: 'done' } },
    ],
  },
  {
    id: 5360, name: 'Level 2 laser scans', type: 'uploaded', cluster: null, captureId: 1206,
    recordId: 603, levelId: 21, levelElevation: 3.6, pose: { yawDeg: 12.5, t: [-150.25, 320.75, 0] },
    createdAt: '2023-11-08T09:21:44.880Z', processorVersion: '',
    subs: [
      { id: 5361, name: 'L2_Scan_001.e57', originalFileName: 'L2_Scan_001.e57', points: 987_114, sizeMb: 20.2, pose: { yawDeg: 45, t: [2.2, 3.3, 1.5] } },
      { id: 5362, name: 'L2_Scan_002.e57', originalFileName: 'L2_Scan_002.e57', points: 1_010_876, sizeMb: 20.7, pose: { yawDeg: -135, t: [8.4, 6.6, 1.5] } },
    ],
  },
];

/** `documentedVariants`: with the groups of cupix.seed-variants.ts (SimContext.documentedVariants). */
export function alphaSeed(nowMs: number, opts: { documentedVariants: boolean }): { items: Pointcloud[]; plans: LifecyclePlan[] } {
  const items: Pointcloud[] = documented();
  const plans: LifecyclePlan[] = [];
  for (const g of opts.documentedVariants ? [...ALPHA_GROUPS, ...ALPHA_VARIANT_GROUPS] : ALPHA_GROUPS) {
    const built = buildGroup('alpha', g, nowMs);
    items.push(...built.items);
    plans.push(...built.plans);
  }
  return { items, plans };
}
