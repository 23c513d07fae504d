import type { MapflowErrorCode } from '../../vendor-docs/mapflow.error-messages.js';
import type { ProcessingMessage } from './mapflow.types.js';

/**
 * A processing failure message as the API reports it: `{code, parameters}`, every parameter a
 * string, plus `level`. The API sends no human text; the codes and their templates are the vendor's
 * table in src/vendor-docs/mapflow.error-messages.ts, so only documented codes compile here.
 */
export function message(code: MapflowErrorCode, parameters: Record<string, string | number> = {}): ProcessingMessage {
  const p: Record<string, string> = {};
  for (const [k, v] of Object.entries(parameters)) p[k] = String(v);
  return { code, parameters: { ...p, level: 'error' } };
}
