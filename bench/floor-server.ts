/**
 * The FLOOR of `npm run bench`: the least a server can do to answer the bench's two operations. Plain
 * `node:http` plus an undici keep-alive Pool per vendor, no GraphQL library, no validation library: it
 * dispatches on `operationName`, makes exactly the vendor calls the gateway makes (same paths, query
 * strings, bodies, page sizes, sort orders and `fields=`), maps the payloads by hand and answers the
 * same `{"data": ...}` JSON. Env (same names as the gateway): PORT, MAPFLOW_URL (…/rest),
 * MAPFLOW_TOKEN, FLAI_URL (host), FLAI_TOKEN, CUPIX_URL (…/api/v1), CUPIX_TOKEN.
 *
 * With FLOOR_GRAPHQL=apollo it is the bench's second reference, the STACK FLOOR: the same vendor
 * calls and hand mapping, but each request goes through a bare Apollo Server 5 and graphql-js, on a
 * schema written in SDL whose root resolvers are the functions below (no type-graphql, DataLoader,
 * validation, resilience, metrics, rate limit or per-request context). It measures what Apollo
 * Server and graphql-js alone cost on this machine, i.e. the most the gateway could reach while it
 * runs on them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

interface Vendor {
  pool: Pool;
  /** Path prefix of the vendor base URL (`/rest`, `/api/v1`). */
  prefix: string;
  headers: Record<string, string>;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = Record<string, unknown>;

function must(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`floor: ${name} is required`);
  return v;
}

function vendor(base: string, headers: Record<string, string>): Vendor {
  const u = new URL(base);
  return {
    // The gateway's Agent: keep-alive 30 s, up to 128 connections per origin, no pipelining.
    pool: new Pool(u.origin, { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 }),
    prefix: u.pathname.replace(/\/+$/, ''),
    headers: { accept: 'application/json', ...headers },
  };
}

const mapflow = vendor(must('MAPFLOW_URL'), { authorization: `Basic ${must('MAPFLOW_TOKEN')}` });
const flai = vendor(`${must('FLAI_URL').replace(/\/+$/, '')}/api/v1`, { authorization: `Bearer ${must('FLAI_TOKEN')}` });
const cupix = vendor(must('CUPIX_URL'), { 'x-cupix-auth': must('CUPIX_TOKEN') });

class VendorError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call(v: Vendor, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Obj> {
  const headers = body === undefined ? v.headers : { ...v.headers, 'content-type': 'application/json' };
  const res = await v.pool.request({ method, path: v.prefix + path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode < 200 || res.statusCode >= 300) throw new VendorError(res.statusCode, `HTTP ${res.statusCode} from ${path}`);
  return JSON.parse(text) as Obj;
}

// ---------------------------------------------------------------- status tables (architecture.md)

const MAPFLOW_STATUS: Record<string, string> = {
  UNPROCESSED: 'UNPROCESSED',
  IN_PROGRESS: 'IN_PROGRESS',
  AWAITING: 'AWAITING',
  OK: 'OK',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
  CANCELED: 'CANCELLED',
  REFUNDED: 'REFUNDED',
};
const MAPFLOW_STATE: Record<string, string> = {
  UNPROCESSED: 'QUEUED',
  AWAITING: 'QUEUED',
  IN_PROGRESS: 'RUNNING',
  OK: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
  REFUNDED: 'CANCELLED',
  UNKNOWN: 'UNKNOWN',
};
const MAPFLOW_TERMINAL = new Set(['OK', 'FAILED', 'CANCELLED', 'REFUNDED']);

const FLAI_EXECUTION: Record<string, [status: string, state: string]> = {
  queued: ['QUEUED', 'QUEUED'],
  created: ['QUEUED', 'QUEUED'],
  processing: ['PROCESSING', 'RUNNING'],
  finished: ['FINISHED', 'SUCCEEDED'],
  finish: ['FINISHED', 'SUCCEEDED'],
  failed: ['FAILED', 'FAILED'],
  stopped: ['STOPPED', 'CANCELLED'],
};

const CUPIX_STATE: Record<string, string> = {
  created: 'QUEUED',
  uploading: 'QUEUED',
  missing: 'QUEUED',
  processing: 'RUNNING',
  done: 'SUCCEEDED',
  uploaded: 'SUCCEEDED',
  error: 'FAILED',
  failed: 'FAILED',
};
const CUPIX_KIND: Record<string, string> = { group: 'GROUP', sub: 'SUB' };

// ---------------------------------------------------------------- mapping helpers

const num = (v: unknown): number | null => (v === null || v === undefined ? null : typeof v === 'number' ? v : Number(v));

/** Mapflow instants are UTC; one without a zone is read as UTC too. */
function isoDate(v: unknown): string | null {
  if (typeof v !== 'string' || !v) return null;
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`).toISOString();
}

const str = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

// ---------------------------------------------------------------- SingleProcessing

async function singleProcessing(variables: Obj): Promise<Json> {
  const id = String(variables.id);
  let m: Obj;
  try {
    m = await call(mapflow, 'GET', `/processings/${encodeURIComponent(id)}/v2`);
  } catch (err) {
    if (err instanceof VendorError && err.status === 404) return { processing: null };
    throw err;
  }
  const status = MAPFLOW_STATUS[String(m.status)] ?? 'UNKNOWN';
  const rs = m.reviewStatus as Obj | null | undefined;
  const review = rs ? (rs.reviewStatus ?? rs.status ?? null) : null;
  const pct = num(m.percentCompleted) ?? 0;
  const wd = m.workflowDef as Obj | null | undefined;
  return {
    processing: {
      id: String(m.id),
      name: str(m.name),
      status,
      state: MAPFLOW_STATE[status],
      progress: pct,
      percentCompleted: pct,
      isTerminal: MAPFLOW_TERMINAL.has(status) && !(status === 'OK' && review === 'NOT_ACCEPTED'),
      createdAt: isoDate(m.created),
      updatedAt: isoDate(m.updated),
      workflowDef: wd ? { id: String(wd.id), name: String(wd.name) } : null,
    },
  };
}

// ---------------------------------------------------------------- Dashboard

const PAGE = { sortBy: 'CREATED', sortOrder: 'DESC' } as const;

async function dashboardProjects(): Promise<Json> {
  const page = await call(mapflow, 'POST', '/projects/page', { limit: 5, offset: 0, ...PAGE });
  const projects = page.results as Obj[];
  const nodes = await Promise.all(
    projects.map(async (p): Promise<Json> => {
      const id = String(p.id);
      const pp = await call(mapflow, 'POST', `/projects/${encodeURIComponent(id)}/processings/v2/page`, { limit: 5, offset: 0, ...PAGE });
      const results = (pp.results as Obj[]).slice(0, 5);
      return {
        id,
        name: String(p.name),
        processings: {
          totalCount: num(pp.total) ?? 0,
          nodes: results.map((m) => ({
            id: String(m.id),
            name: str(m.name),
            status: MAPFLOW_STATUS[String(m.status)] ?? 'UNKNOWN',
            percentCompleted: num(m.percentCompleted) ?? 0,
          })),
        },
      };
    }),
  );
  return { totalCount: num(page.total) ?? 0, nodes };
}

let flaiOrg: Promise<string> | undefined;
/** The organization of the Flai token, asked once (`GET /oauth/me`), as the gateway does. */
function org(): Promise<string> {
  flaiOrg ??= call(flai, 'GET', '/oauth/me').then((me) => String(me.active_organization_id));
  return flaiOrg;
}

async function dashboardFlowExecutions(): Promise<Json> {
  const page = await call(flai, 'GET', `/organization/${encodeURIComponent(await org())}/flow-executions?page=1&per_page=5`);
  const items = (page.items as Obj[]).slice(0, 5);
  return {
    totalCount: num((page.pagination as Obj).total_items) ?? 0,
    nodes: items.map((m) => {
      const [status, state] = FLAI_EXECUTION[String(m.status).trim().toLowerCase()] ?? ['UNKNOWN', 'UNKNOWN'];
      return { id: String(m.id), status, state, progress: null };
    }),
  };
}

/** The gateway's sparse fieldset for `{ id name kind state }`: id, name, state+potree_state, kind. */
const POINTCLOUD_QUERY = `?fields=${encodeURIComponent('id,name,state,potree_state,kind')}&pointcloud_type=all&page=1&per_page=10`;

async function dashboardPointclouds(): Promise<Json> {
  const body = await call(cupix, 'GET', `/pointclouds${POINTCLOUD_QUERY}`);
  const result = body.result as Obj;
  const items = (result.data as Obj[]).slice(0, 10);
  const pagination = result.pagination as Obj | null | undefined;
  return {
    totalCount: num(pagination?.total_entries) ?? items.length,
    nodes: items.map((item) => {
      const a = item.attributes as Obj;
      const literal = String(a.state ?? a.potree_state ?? '');
      return {
        id: String(item.id),
        name: str(a.name),
        kind: CUPIX_KIND[String(a.kind)] ?? null,
        state: (literal && CUPIX_STATE[literal]) || 'UNKNOWN',
      };
    }),
  };
}

interface Answer {
  data: Record<string, Json>;
  errors?: { message: string; path: string[] }[];
}

/** The three vendors in parallel; a failed vendor nulls only its field, as the gateway does. */
async function dashboard(): Promise<Answer> {
  const fields = { projects: dashboardProjects(), flowExecutions: dashboardFlowExecutions(), pointclouds: dashboardPointclouds() };
  const answer: Answer = { data: {} };
  for (const [name, pending] of Object.entries(fields)) {
    try {
      answer.data[name] = await pending;
    } catch (err) {
      answer.data[name] = null;
      (answer.errors ??= []).push({ message: err instanceof Error ? err.message : String(err), path: [name] });
    }
  }
  return answer;
}

// ---------------------------------------------------------------- HTTP

function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

type Answerer = (req: IncomingMessage, res: ServerResponse, body: unknown) => Promise<void>;

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST' || req.url !== '/graphql') return send(res, 404, { error: 'Not found' });
  const body = JSON.parse(await readBody(req)) as { operationName?: string; variables?: Obj };
  if (viaApollo) return viaApollo(req, res, body);
  if (body.operationName === 'SingleProcessing') return send(res, 200, { data: await singleProcessing(body.variables ?? {}) });
  if (body.operationName === 'Dashboard') return send(res, 200, await dashboard());
  send(res, 400, { errors: [{ message: `floor serves only SingleProcessing and Dashboard, not ${String(body.operationName)}` }] });
}

// ---------------------------------------------------------------- FLOOR_GRAPHQL=apollo

/** The fields of the bench's two operations; enums as strings (the JSON is the same). */
const STACK_SDL = `
  type Query { processing(id: ID!): Processing, projects(first: Int): ProjectConnection, flowExecutions(first: Int): FlowExecutionConnection, pointclouds(first: Int): PointcloudConnection }
  type WorkflowDef { id: ID!, name: String }
  type Processing { id: ID!, name: String, status: String, state: String, progress: Float, percentCompleted: Float, isTerminal: Boolean, createdAt: String, updatedAt: String, workflowDef: WorkflowDef }
  type ProcessingConnection { totalCount: Int!, nodes: [Processing!]! }
  type Project { id: ID!, name: String, processings(first: Int): ProcessingConnection }
  type ProjectConnection { totalCount: Int!, nodes: [Project!]! }
  type FlowExecution { id: ID!, status: String, state: String, progress: Float }
  type FlowExecutionConnection { totalCount: Int!, nodes: [FlowExecution!]! }
  type Pointcloud { id: ID!, name: String, kind: String, state: String }
  type PointcloudConnection { totalCount: Int!, nodes: [Pointcloud!]! }
`;

/** Root resolvers: each answers its whole subtree with the same calls and mapping as the plain floor. */
const STACK_ROOT = {
  processing: async ({ id }: { id: string }) => ((await singleProcessing({ id })) as Obj).processing,
  projects: () => dashboardProjects(),
  flowExecutions: () => dashboardFlowExecutions(),
  pointclouds: () => dashboardPointclouds(),
};

/** A bare Apollo Server on STACK_SDL; loaded only in this mode, so that the plain floor's start-up and memory stay its own. */
async function stackFloor(): Promise<Answerer> {
  const [{ ApolloServer, HeaderMap }, disabled, { buildSchema }] = await Promise.all([import('@apollo/server'), import('@apollo/server/plugin/disabled'), import('graphql')]);
  const server = new ApolloServer({
    schema: buildSchema(STACK_SDL),
    rootValue: STACK_ROOT,
    csrfPrevention: true,
    // What the gateway turns off too (src/server/apollo.ts).
    plugins: [disabled.ApolloServerPluginCacheControlDisabled(), disabled.ApolloServerPluginInlineTraceDisabled(), disabled.ApolloServerPluginLandingPageDisabled()],
  });
  await server.start();
  return async (req, res, body) => {
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    const result = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: 'POST', headers, search: '', body }, context: async () => ({}) });
    if (result.body.kind !== 'complete') throw new Error('floor: incremental delivery is not served');
    const out: Record<string, string | number> = { 'content-length': Buffer.byteLength(result.body.string) };
    for (const [k, v] of result.headers) out[k] = v;
    res.writeHead(result.status ?? 200, out);
    res.end(result.body.string);
  };
}

if (process.env.FLOOR_GRAPHQL && process.env.FLOOR_GRAPHQL !== 'apollo') throw new Error(`floor: FLOOR_GRAPHQL is "apollo" or unset, not "${process.env.FLOOR_GRAPHQL}"`);
const viaApollo = process.env.FLOOR_GRAPHQL === 'apollo' ? await stackFloor() : null;

const server = createServer((req, res) => {
  handle(req, res).catch((err: unknown) => {
    if (!res.headersSent) send(res, 502, { data: null, errors: [{ message: err instanceof Error ? err.message : String(err) }] });
    else res.destroy();
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  // The harness reads this line to learn the port.
  console.log(`floor${viaApollo ? ' (Apollo Server)' : ''} listening on ${(server.address() as AddressInfo).port}`);
});
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.once(sig, () => {
    server.close();
    void Promise.all([mapflow.pool.close(), flai.pool.close(), cupix.pool.close()]).then(() => process.exit(0));
  });
}
