/**
 * Checks a simulator's answers against the OpenAPI document it serves at `/openapi.json`: each answer
 * a running simulator sends (`SimHandle.onAnswer`) is looked up by route and status, its content type
 * must be one the operation declares, and a JSON body must validate (ajv) against the declared schema.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { SimAnswer, SimHandle } from '../../src/simulators/core/index.js';
import type { Tenant } from '../../src/simulators/core/definition.js';

type Json = Record<string, unknown>;

export interface ResponseObject {
  description: string;
  content?: Record<string, { schema?: unknown }>;
  headers?: Record<string, unknown>;
}

export interface Operation {
  responses: Record<string, ResponseObject>;
}

export interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

/**
 * OpenAPI 3.0 -> JSON Schema: `nullable: true` (which 3.0.3 only defines beside a `type`) becomes
 * `anyOf [schema, null]`; `example` goes. A `nullable` without a `type` is a mistake in the document.
 */
export function toJsonSchema(schema: unknown, at = '#'): unknown {
  if (Array.isArray(schema)) return schema.map((s, i) => toJsonSchema(s, `${at}/${i}`));
  if (!schema || typeof schema !== 'object') return schema;
  const src = schema as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === 'nullable' || key === 'example') continue;
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Json).map(([name, prop]) => [name, toJsonSchema(prop, `${at}/properties/${name}`)]))
        : toJsonSchema(value, `${at}/${key}`);
  }
  if (src.nullable !== true) return out;
  if (typeof src.type !== 'string') throw new Error(`${at}: nullable without a type (OpenAPI 3.0.3 ignores it)`);
  const { description, ...rest } = out;
  return { ...(description ? { description } : {}), anyOf: [rest, { type: 'null' }] };
}

export const isJsonMedia = (media: string): boolean => media === 'application/json' || media.endsWith('+json');

/** `GET /processings/{id}/v2` -> the operation of `/openapi.json` (undefined when it has none). */
export function operationOf(doc: OpenApiDoc, route: string): Operation | undefined {
  const space = route.indexOf(' ');
  return doc.paths[route.slice(space + 1)]?.[route.slice(0, space).toLowerCase()];
}

/** One vendor's served document, compiled: answers in, violations out. */
export class AnswerChecker {
  private readonly ajv = new Ajv.default({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly components: unknown;

  constructor(
    readonly vendor: string,
    readonly doc: OpenApiDoc,
  ) {
    addFormats.default(this.ajv);
    this.ajv.addFormat('binary', true);
    this.components = toJsonSchema(doc.components.schemas, '#/components/schemas');
  }

  static async load(sim: { vendor: string; origin: string }): Promise<AnswerChecker> {
    const res = await fetch(`${sim.origin}/openapi.json`);
    return new AnswerChecker(sim.vendor, (await res.json()) as OpenApiDoc);
  }

  /** The declared schema of one answer, compiled against the document's components. */
  validator(route: string, status: string, media: string): ValidateFunction {
    const key = `${route} ${status} ${media}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const schema = operationOf(this.doc, route)?.responses[status]?.content?.[media]?.schema;
      if (schema === undefined) throw new Error(`${this.vendor} ${key}: no schema declared`);
      const id = `${this.vendor}-${this.compiled.size}`;
      this.ajv.addSchema({ $id: id, components: { schemas: this.components }, answer: toJsonSchema(schema, key) });
      validate = this.ajv.getSchema(`${id}#/answer`) as ValidateFunction;
      this.compiled.set(key, validate);
    }
    return validate;
  }

  /** What is wrong with one answer (empty: it is what `/openapi.json` declares). */
  check(answer: SimAnswer): string[] {
    if (answer.route === null) return [];
    const at = `${this.vendor} ${answer.route} -> ${answer.status}`;
    const op = operationOf(this.doc, answer.route);
    if (!op) return [`${at}: the operation is not in /openapi.json`];
    const status = op.responses[String(answer.status)] ? String(answer.status) : op.responses.default ? 'default' : null;
    if (status === null) return [`${at}: status not declared (declared: ${Object.keys(op.responses).join(', ')})`];
    const declared = op.responses[status];
    const hasBody = answer.body !== undefined && Buffer.byteLength(answer.body) > 0;
    if (!declared.content) return hasBody ? [`${at}: a body, where the document declares none`] : [];
    if (!hasBody) return [`${at}: no body, where the document declares ${Object.keys(declared.content).join(', ')}`];
    const media = String(answer.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!declared.content[media]) return [`${at}: content type ${media || '(none)'} not declared (declared: ${Object.keys(declared.content).join(', ')})`];
    if (!isJsonMedia(media)) return [];
    let body: unknown;
    try {
      body = JSON.parse(String(answer.body));
    } catch {
      return [`${at}: ${media} that is not JSON`];
    }
    const validate = this.validator(answer.route, status, media);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${at}: ${e.instancePath || '(body)'} ${e.message ?? ''}`);
  }
}

/** Every answer of a simulator from now on, checked as it is sent. */
export interface AnswerRecorder {
  /** Every violation so far, each naming the route, the status and the ajv error path. */
  violations: string[];
  /** Route key -> the statuses of its checked answers (injected `corrupt` bodies are not checked). */
  checked: Map<string, Set<number>>;
  stop(): void;
}

export function recordAnswers<T extends Tenant>(sim: Pick<SimHandle<T>, 'onAnswer'>, checker: AnswerChecker): AnswerRecorder {
  const recorder: AnswerRecorder = { violations: [], checked: new Map(), stop: () => undefined };
  recorder.stop = sim.onAnswer((answer) => {
    if (answer.fault === 'corrupt' || answer.route === null) return;
    recorder.violations.push(...checker.check(answer));
    let statuses = recorder.checked.get(answer.route);
    if (!statuses) recorder.checked.set(answer.route, (statuses = new Set()));
    statuses.add(answer.status);
  });
  return recorder;
}
