/**
 * Compares a value served by a simulator with a documented example payload, field by field:
 * every field of the example must be present with the same JSON type and the same string format
 * (UUID, ISO timestamp, Flai's `YYYY-MM-DD HH:MM:SS`, numeric string, ...). Extra fields are allowed.
 * A `null` in the example says the field exists and may be null, so any value is accepted there.
 */
export type Format =
  | 'uuid'
  | 'iso-datetime'
  | 'flai-datetime'
  | 'date'
  | 'numeric-string'
  | 'url'
  | 'string';

export function stringFormat(s: string): Format {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)) return 'uuid';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) return 'iso-datetime';
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s)) return 'flai-datetime';
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return 'date';
  if (/^-?\d+(\.\d+)?$/.test(s)) return 'numeric-string';
  if (/^https?:\/\//.test(s)) return 'url';
  return 'string';
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'number' : 'number';
  return typeof v;
}

/** Returns every difference as `path: expected X, got Y`; an empty list means the shapes agree. */
export function shapeDiff(actual: unknown, expected: unknown, path = '$', opts: { formats?: boolean } = {}): string[] {
  const checkFormats = opts.formats ?? true;
  if (expected === null) return [];
  const ek = kind(expected);
  const ak = kind(actual);
  if (ek !== ak) return [`${path}: expected ${ek}, got ${ak} (${JSON.stringify(actual)?.slice(0, 80)})`];
  if (ek === 'string' && checkFormats) {
    const ef = stringFormat(expected as string);
    const af = stringFormat(actual as string);
    // A documented placeholder like "string" or a name says nothing about the format.
    if (ef !== 'string' && ef !== af) return [`${path}: expected format ${ef}, got ${af} (${JSON.stringify(actual)})`];
  }
  if (ek === 'array') {
    const ea = expected as unknown[];
    const aa = actual as unknown[];
    if (ea.length === 0) return [];
    if (aa.length === 0) return [`${path}: expected a non-empty array like the example`];
    return aa.flatMap((item, i) => shapeDiff(item, ea[0], `${path}[${i}]`, opts));
  }
  if (ek === 'object') {
    const eo = expected as Record<string, unknown>;
    const ao = actual as Record<string, unknown>;
    return Object.keys(eo).flatMap((k) =>
      k in ao ? shapeDiff(ao[k], eo[k], `${path}.${k}`, opts) : [`${path}.${k}: missing`],
    );
  }
  return [];
}
