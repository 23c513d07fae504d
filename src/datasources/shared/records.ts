/** A JSON object (not null, not an array): what a vendor's free-form field must be before its keys are read. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
