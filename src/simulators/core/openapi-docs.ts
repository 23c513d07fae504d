/** How a simulator declares its answers for `/openapi.json` (built by openapi.ts). */

/** An OpenAPI 3.0 Schema Object (a JSON Schema dialect: `nullable`, no type arrays). */
export type JsonSchema = Record<string, unknown>;

/** One answer of an operation as `/openapi.json` declares it. */
export interface ResponseDoc {
  /** The HTTP status, or `default` for every status the operation does not list. */
  status: number | 'default';
  description: string;
  /** Media type -> schema of the body; absent: the answer has no body (a 204, a 302). */
  content?: Record<string, JsonSchema>;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

/**
 * What a simulator declares about its answers: named schemas (`components.schemas`), the answers
 * of each route by its key (`GET /processings/{id}/v2`, as the router and the stats name it), and
 * the error answers every operation may give. One file per vendor (`<vendor>.openapi.ts`).
 */
export interface VendorOpenApi {
  schemas: Record<string, JsonSchema>;
  routes: Record<string, readonly ResponseDoc[]>;
  errors: readonly ResponseDoc[];
}

/** A reference to one of the vendor's named schemas. */
export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** A JSON answer (200 unless said otherwise). */
export function jsonAnswer(description: string, schema: JsonSchema, status = 200): ResponseDoc {
  return { status, description, content: { 'application/json': schema } };
}

const described = (schema: JsonSchema, description?: string): JsonSchema => (description ? { ...schema, description } : schema);

/**
 * Short builders for the vendors' schema tables (OpenAPI 3.0 flavour). An `object` lists its
 * known properties and takes others too (no `additionalProperties: false`): a vendor may add fields.
 */
export const schemaOf = {
  str: (description?: string): JsonSchema => described({ type: 'string' }, description),
  nullableStr: (description?: string): JsonSchema => described({ type: 'string', nullable: true }, description),
  num: (description?: string): JsonSchema => described({ type: 'number' }, description),
  int: (description?: string): JsonSchema => described({ type: 'integer' }, description),
  bool: (description?: string): JsonSchema => described({ type: 'boolean' }, description),
  dateTime: (description?: string): JsonSchema => described({ type: 'string', format: 'date-time' }, description),
  arrayOf: (items: JsonSchema, description?: string): JsonSchema => described({ type: 'array', items }, description),
  /** A string-valued map, e.g. the parameters of a message. */
  stringMap: (description?: string): JsonSchema => described({ type: 'object', additionalProperties: { type: 'string' } }, description),
  object: (properties: Record<string, JsonSchema>, opts: { required?: string[]; description?: string; nullable?: boolean } = {}): JsonSchema => ({
    type: 'object',
    ...(opts.description ? { description: opts.description } : {}),
    ...(opts.required?.length ? { required: opts.required } : {}),
    properties,
    ...(opts.nullable ? { nullable: true } : {}),
  }),
};
