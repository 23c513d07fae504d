import { badInput } from '../../errors.js';

type FieldPath = string[];

/**
 * Where a Flai create keeps the caller's idempotencyKey (Flai has none of its own): our choice,
 * in the only fields the docs show Flai keeping and sending back (docs/decisions.md, "Flai creates:
 * idempotency keys in names"). A dataset keeps it at the end of its `description`; a flow execution,
 * of which Flai keeps nothing the caller writes but its outputs, at the end of each writer's
 * `dataset_name`, which comes back as `output_datasets[].dataset_name`. The gateway shows neither
 * mark: `unstamped` takes it off every name and description it maps.
 */
const MARK = /\s*\[gatewayIdempotencyKey=([A-Za-z0-9._:-]{1,64})\]$/;
const KEY = /^[A-Za-z0-9._:-]{1,64}$/;

/** The caller's key, or null; a key that could not be kept in a name is BAD_USER_INPUT. */
export function checkFlaiIdempotencyKey(key: string | null | undefined, path: FieldPath): string | null {
  if (key === null || key === undefined) return null;
  if (!KEY.test(key)) throw badInput('idempotencyKey must be 1 to 64 letters, digits, ".", "_", ":" or "-" (Flai keeps it in a name)', path);
  return key;
}

/** `text` with the key's mark at its end. */
export function stamp(text: string | null | undefined, key: string): string {
  const mark = `[gatewayIdempotencyKey=${key}]`;
  return text ? `${text} ${mark}` : mark;
}

/** The key marked at the end of `text`, or null. */
export function stampOf(text: string | null | undefined): string | null {
  return text ? (MARK.exec(text)?.[1] ?? null) : null;
}

/** `text` without the key's mark (a text that was only the mark is empty). */
export function unstamped(text: string): string {
  return text.replace(MARK, '');
}

/** The caller's node options with the key stamped on every `dataset_name` (the writers' output names). */
export function stampNodeOptions(options: Record<string, Record<string, unknown>>, key: string, path: FieldPath): Record<string, Record<string, unknown>> {
  let stamped = 0;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [node, values] of Object.entries(options)) {
    const name = values.dataset_name;
    if (typeof name === 'string' && name.trim()) {
      out[node] = { ...values, dataset_name: stamp(name, key) };
      stamped++;
    } else out[node] = values;
  }
  if (!stamped) {
    throw badInput('idempotencyKey needs a writer node with a dataset_name in nodeOptions, e.g. {"point_cloud_writer_1": {"dataset_name": "..."}}: Flai keeps the key in the output dataset\'s name', path);
  }
  return out;
}
