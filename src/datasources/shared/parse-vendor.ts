import type { z } from 'zod';
import { UpstreamError, type Source } from '../../errors.js';
import { label } from '../http/upstream-http.js';

/**
 * Validates a vendor payload against its zod model. A mismatch is the vendor's fault
 * (UPSTREAM_BAD_RESPONSE, naming the first bad path), never a crash. A free function, so a model's
 * unit test needs no client.
 */
export function parseVendor<S extends z.ZodType>(source: Source, model: S, data: unknown, what: string): z.infer<S> {
  const r = model.safeParse(data);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  throw new UpstreamError(
    source,
    200,
    'UPSTREAM_BAD_RESPONSE',
    `${label(source)} sent an unexpected ${what}: ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid'}`,
  );
}
