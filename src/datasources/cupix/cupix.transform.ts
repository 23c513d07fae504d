/**
 * The one module that composes Cupix transforms (`meta.prop.tm` / `meta.prop.wtm`) into
 * `finalTransform`. The vendor does not document the order or the layout; what is assumed here, and
 * why, is in docs/vendors.md, "Cupix: transforms (tm, wtm)": 16 numbers in column-major order acting on column
 * vectors, `tm` local to the parent, `wtm` world, and an empty array the identity.
 */
export type TransformOrder = 'parent-first' | 'child-first';

export const IDENTITY: readonly number[] = Object.freeze([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

/** `[]` is the identity; anything else must be a 4×4 matrix. */
export function asMatrix(m: readonly number[]): readonly number[] | null {
  if (m.length === 0) return IDENTITY;
  return m.length === 16 ? m : null;
}

/** `a × b` for column-major 4×4 matrices (apply `b` first, then `a`). */
export function multiply(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(16);
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) {
      out[c * 4 + r] = a[r] * b[c * 4] + a[4 + r] * b[c * 4 + 1] + a[8 + r] * b[c * 4 + 2] + a[12 + r] * b[c * 4 + 3];
    }
  }
  return out;
}

/**
 * The final transform of a sub from its group's `wtm` and its own `tm` (the group's is `null` for a
 * sub without a parent: then it is the sub's `tm`). `parent-first` is `group.wtm × sub.tm` (the
 * scene-graph convention, equal to the sub's own `wtm` when the vendor's data is consistent);
 * `child-first` is `sub.tm × group.wtm` (CUPIX_TRANSFORM_ORDER). `null` when a matrix is neither
 * empty nor 4×4.
 */
export function finalSubTransform(groupWtm: readonly number[] | null, subTm: readonly number[], order: TransformOrder): number[] | null {
  const parent = groupWtm === null ? IDENTITY : asMatrix(groupWtm);
  const local = asMatrix(subTm);
  if (!parent || !local) return null;
  return order === 'parent-first' ? multiply(parent, local) : multiply(local, parent);
}

/** A group has no parent in the model: its final transform is its own world transform. */
export function finalGroupTransform(wtm: readonly number[]): number[] | null {
  const m = asMatrix(wtm);
  return m ? [...m] : null;
}

/**
 * [INFER] Two matrices agree when no element differs by more than this, relative to the element's
 * size (at least 1): room for the vendor rounding what it stores, none for another transform.
 */
export const AGREEMENT_TOLERANCE = 1e-6;

/** The largest difference between two 4×4 matrices, element by element, relative to the elements' size (at least 1). */
export function matrixDifference(a: readonly number[], b: readonly number[]): number {
  let largest = 0;
  for (let i = 0; i < 16; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i]), Math.abs(b[i])));
  return largest;
}
