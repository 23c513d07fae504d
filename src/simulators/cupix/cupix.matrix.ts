/**
 * The transform convention of Cupix pointcloud metadata (`meta.prop.tm` / `meta.prop.wtm`), in one
 * place so that the simulator and the gateway agree on it.
 *
 * [INFER] (docs/vendors.md, "Cupix: transforms (tm, wtm)": the order is documented nowhere; every
 * doc example is the identity):
 * - A matrix is a flat array of 16 numbers in COLUMN-MAJOR order, exactly like three.js
 *   `Matrix4.elements` (the SiteView SDK hands out its camera matrix as a serialized three.js Matrix4):
 *   element (row r, column c) sits at index `c * 4 + r`, so the translation is at indices 12, 13, 14.
 * - Matrices act on column vectors: `p_world = M × p_local`.
 * - `tm` is the local transform relative to the parent frame, `wtm` the world transform. For a sub
 *   pointcloud `sub.wtm = group.wtm × sub.tm` (parent first); the "final tm" of a sub is its `wtm`.
 * - The simulator's groups sit in their level's frame: `group.wtm = level × group.tm`, where `level`
 *   lifts the group to the level's elevation, so a group's `tm` and `wtm` differ whenever that is not 0.
 */
export type Mat4 = readonly number[];
export type Vec3 = readonly [number, number, number];

export const IDENTITY: Mat4 = Object.freeze([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

/** `a × b` (apply `b` first, then `a`), both column-major. */
export function multiply(a: Mat4, b: Mat4): number[] {
  const out = new Array<number>(16);
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) {
      out[c * 4 + r] =
        a[r] * b[c * 4] + a[4 + r] * b[c * 4 + 1] + a[8 + r] * b[c * 4 + 2] + a[12 + r] * b[c * 4 + 3];
    }
  }
  return out;
}

/** The world transform of a child: `parentWtm × tm`. */
export function worldTransform(parentWtm: Mat4, tm: Mat4): number[] {
  return multiply(parentWtm, tm);
}

/** Applies a transform to a point (w = 1). */
export function transformPoint(m: Mat4, p: Vec3): [number, number, number] {
  const [x, y, z] = p;
  return [
    m[0] * x + m[4] * y + m[8] * z + m[12],
    m[1] * x + m[5] * y + m[9] * z + m[13],
    m[2] * x + m[6] * y + m[10] * z + m[14],
  ];
}

export function translation(t: Vec3): number[] {
  return [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, t[0], t[1], t[2], 1];
}

/** A scaling along the axes (a group's `scale`). */
export function scaling(s: Vec3): number[] {
  return [s[0], 0, 0, 0, 0, s[1], 0, 0, 0, 0, s[2], 0, 0, 0, 0, 1];
}

/**
 * A rigid transform: rotation `Rz(yaw) × Ry(pitch) × Rx(roll)` (degrees) followed by translation `t`.
 * Entries are rounded to 1e-12 so that e.g. cos(90°) is a clean 0 in the served JSON.
 */
export function rigid(rot: { yawDeg?: number; pitchDeg?: number; rollDeg?: number }, t: Vec3): number[] {
  const rad = Math.PI / 180;
  const [cz, sz] = [Math.cos((rot.yawDeg ?? 0) * rad), Math.sin((rot.yawDeg ?? 0) * rad)];
  const [cy, sy] = [Math.cos((rot.pitchDeg ?? 0) * rad), Math.sin((rot.pitchDeg ?? 0) * rad)];
  const [cx, sx] = [Math.cos((rot.rollDeg ?? 0) * rad), Math.sin((rot.rollDeg ?? 0) * rad)];
  // Row-major rows of R = Rz × Ry × Rx.
  const r = [
    [cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx],
    [sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx],
    [-sy, cy * sx, cy * cx],
  ];
  const round = (v: number) => Math.round(v * 1e12) / 1e12 + 0; // `+ 0` turns -0 into 0
  return [
    round(r[0][0]), round(r[1][0]), round(r[2][0]), 0,
    round(r[0][1]), round(r[1][1]), round(r[2][1]), 0,
    round(r[0][2]), round(r[1][2]), round(r[2][2]), 0,
    t[0], t[1], t[2], 1,
  ];
}
