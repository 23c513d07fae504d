import type { GroupSpec } from './cupix.seed-builder.js';

/**
 * Tenant `alpha`'s documented variants (SimContext.documentedVariants; docs/vendors.md, "Documented
 * variants"): answers the Cupix docs allow that their examples never show.
 *
 * - Group 5370 has a non-unit `scale`/`wscale` (the docs show `[1, 1, 1]` and `[]`), and its subs'
 *   `wtm` include that scale (`group.wtm × S × sub.tm`, see `GroupSpec.scale`): the docs say
 *   neither in which order a sub's final transform is composed nor whether `tm` includes the group's
 *   scale, so a gateway must not assume it does not.
 * - Sub 5373's `wtm` is `[]`, the value the docs show for a group's matrices.
 * - 5370-5373 carry a facility stub with an id; every example shows `{}`, the schema a Facility.
 * - Group 5380's `pointcloud_type` is one the docs do not list.
 * - 5370's `processor_version` is another than the documented one.
 *
 * They were created before every other item of `alpha`, so in the default order (`created_at desc`)
 * they come after the 21 others and leave every window of those where it was.
 */
export const ALPHA_VARIANT_GROUPS: GroupSpec[] = [
  {
    id: 5370, name: 'Cluster 4', type: '3d_reconstructed', cluster: { id: 3430, name: 'Cluster 4' }, captureId: 1207,
    recordId: 604, levelId: 22, levelElevation: 7.2, pose: { yawDeg: 75, t: [20.5, -3.75, 0] },
    createdAt: '2023-09-18T07:12:40.218Z', processorVersion: '191\t7c2e9a0f41d3b8e6a5c0f9d2e1b4a7c3d6e8f0a1\t20230914_221503',
    scale: 1.25, facility: { id: 4107, name: 'Riverside Tower' },
    subs: [
      { id: 5371, name: '11901.cpc', originalFileName: '1207_3430_a.cpc', points: 164_220, sizeMb: 3.25, pose: { yawDeg: 40, t: [2.4, 1.2, 0] } },
      { id: 5372, name: '11902.cpc', originalFileName: '1207_3430_b.cpc', points: 139_874, sizeMb: 2.77, pose: { yawDeg: -110, t: [5.6, -0.8, 0.05] } },
      { id: 5373, name: '11903.cpc', originalFileName: '1207_3430_c.cpc', points: 121_503, sizeMb: 2.4, pose: { yawDeg: 160, t: [8.1, 2.9, 0] }, noWorldTransform: true },
    ],
  },
  {
    id: 5380, name: 'Drone survey', type: 'photogrammetry', cluster: null, captureId: 1208,
    recordId: 604, levelId: 22, levelElevation: 0, pose: { yawDeg: 0, t: [0, 0, 0] },
    createdAt: '2023-09-12T10:05:00.000Z', processorVersion: '',
    subs: [],
  },
];
