import type { Tenant, VendorDefinition } from './definition.js';
import type { ResponseDoc } from './openapi-docs.js';

const SECURITY: Record<string, { scheme: Record<string, unknown>; name: string }> = {
  mapflow: { name: 'BasicToken', scheme: { type: 'http', scheme: 'basic', description: 'Pre-encoded base64(email:apiToken), sent as is' } },
  flai: { name: 'BearerToken', scheme: { type: 'http', scheme: 'bearer', description: 'Personal access token `<id>|<secret>`' } },
  cupix: { name: 'CupixAuth', scheme: { type: 'apiKey', in: 'header', name: 'x-cupix-auth' } },
};

/** An OpenAPI responses object: the vendor's error answers, then the route's own (which win on the same status). */
function responsesOf(docs: readonly ResponseDoc[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of docs) {
    out[String(d.status)] = {
      description: d.description,
      ...(d.content ? { content: Object.fromEntries(Object.entries(d.content).map(([type, schema]) => [type, { schema }])) } : {}),
      ...(d.headers ? { headers: d.headers } : {}),
    };
  }
  return out;
}

/** An OpenAPI 3 document of what the simulator implements, generated from its route table. */
export function buildOpenApi<T extends Tenant>(def: VendorDefinition<T>, origin: string): Record<string, unknown> {
  const sec = SECURITY[def.vendor];
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of def.router.list()) {
    const params = [...r.template.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const op: Record<string, unknown> = {
      summary: r.summary,
      operationId: `${r.method.toLowerCase()}${r.template.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters: params,
      ...(r.public ? { security: [] } : {}),
      ...(r.openapi ?? {}),
      // What a route answers is declared in one place only: the vendor's `<vendor>.openapi.ts`.
      responses: responsesOf([...def.openapi.errors, ...(def.openapi.routes[`${r.method} ${r.template}`] ?? [])]),
    };
    if (r.openapi?.parameters) op.parameters = [...params, ...(r.openapi.parameters as unknown[])];
    (paths[r.template] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.0.3',
    info: { title: `${def.title} (local simulator)`, version: '1.0.0' },
    servers: [{ url: origin + def.basePath }],
    components: { securitySchemes: { [sec.name]: sec.scheme }, schemas: def.openapi.schemas },
    security: [{ [sec.name]: [] }],
    paths,
  };
}
