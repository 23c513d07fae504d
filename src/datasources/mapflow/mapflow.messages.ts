import { MAPFLOW_ERROR_MESSAGES } from '../../vendor-docs/mapflow.error-messages.js';

/**
 * Rendering of Mapflow processing messages. The table of documented codes and templates is the
 * vendor's, shared with the simulator: src/vendor-docs/mapflow.error-messages.ts.
 */
export { MAPFLOW_ERROR_MESSAGES };

/** Parameter names the table spells differently from its template. */
const ALIASES: Readonly<Record<string, string>> = { real_source_type: 'real_source_types' };

/**
 * The human text of a processing message: its template with the parameters filled in. A placeholder
 * with no parameter stays as written (templates quote literal `{x}`, `{y}`, `{z}`). `null` for a code
 * the table does not document.
 */
export function renderMessage(code: string, parameters: Record<string, unknown> | null | undefined): string | null {
  const template = MAPFLOW_ERROR_MESSAGES[code];
  if (template === undefined) return null;
  if (!template.includes('{')) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = parameters?.[name] ?? (ALIASES[name] ? parameters?.[ALIASES[name]] : undefined);
    if (v === undefined || v === null) return whole;
    return typeof v === 'string' ? v : JSON.stringify(v);
  });
}
