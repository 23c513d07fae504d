import type { Router, SimRequest, SimResult } from '../core/index.js';
import { badRequest, isResult } from './mapflow.errors.js';
import { geometryArea, parseGeometry } from './mapflow.geometry.js';
import { costOf, findWorkflowDef, parseBlocks } from './mapflow.service.js';
import { checkParams, dataProviderOf } from './mapflow.sources.js';
import type { MapflowTenant, Processing, TenantData } from './mapflow.types.js';
import { isObject } from './mapflow.util.js';

type Req = SimRequest<MapflowTenant>;

/** `POST /processing/cost/v2`: the price in credits, as a bare number in a text body. */
function cost(req: Req): SimResult {
  const t = req.tenant.data;
  const b = req.body;
  if (!isObject(b)) return badRequest('Request body must be a JSON object');
  if (b.wdId === undefined) return badRequest('wdId is required');
  const wd = findWorkflowDef(t, b.wdId, undefined);
  if (isResult(wd)) return wd;
  let area: number;
  if (b.geometry !== undefined && b.geometry !== null) {
    const g = parseGeometry(b.geometry);
    if (typeof g === 'string') return badRequest(g);
    area = geometryArea(g);
  } else if (typeof b.areaSqKm === 'number' && b.areaSqKm >= 0) {
    area = b.areaSqKm * 1e6;
  } else {
    return badRequest('Either geometry or a non-negative areaSqKm is required');
  }
  const paramsError = checkParams(b.params);
  if (paramsError) return badRequest(paramsError);
  const blocks = parseBlocks(b.blocks, wd);
  if (!Array.isArray(blocks)) return blocks;
  return { status: 200, text: String(costOf(area, wd, blocks)), contentType: 'application/json' };
}

const STATUS_ALIASES: Record<string, string> = { CANCELED: 'CANCELLED' };

const STATS_COLUMNS = ['projectName', 'name', 'email', 'area', 'cost', 'created', 'completionDate', 'status', 'percentCompleted', 'archived', 'dataProvider', 'linkToMap', 'scenario'] as const;

function statsRow(t: TenantData, p: Processing, archived: boolean): Record<(typeof STATS_COLUMNS)[number], string | null> {
  return {
    projectName: t.projects.get(p.projectId)?.name ?? null,
    name: p.name,
    email: p.email,
    area: String(p.area),
    cost: String(p.cost),
    created: p.created,
    completionDate: p.completionDate,
    status: p.status,
    percentCompleted: String(p.percentCompleted),
    archived: String(archived),
    dataProvider: dataProviderOf(p.params),
    linkToMap: `https://app.mapflow.ai/projects/${p.projectId}/processings/${p.id}`,
    scenario: t.workflowDefs.get(p.workflowDefId)?.name ?? null,
  };
}

function parseDate(v: unknown, field: string): number | null | SimResult {
  if (v === undefined || v === null) return null;
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(ms) ? badRequest(`${field} must be an ISO date-time`) : ms;
}

/**
 * `POST /processings/stats?type=JSON`: the processing history (numbers as strings per row, as
 * documented). [INFER] `page` is 1-based and only applies with `perPage`; rows come oldest first.
 */
function stats(req: Req): SimResult {
  const type = (req.query.get('type') ?? 'JSON').toUpperCase();
  if (type !== 'JSON' && type !== 'CSV') return badRequest('type must be JSON or CSV');
  const b = req.body ?? {};
  if (!isObject(b)) return badRequest('Request body must be a JSON object');
  const from = parseDate(b.dateFrom, 'dateFrom');
  const to = parseDate(b.dateTo, 'dateTo');
  if (isResult(from)) return from;
  if (isResult(to)) return to;
  if (b.statuses !== undefined && (!Array.isArray(b.statuses) || !b.statuses.every((s) => typeof s === 'string'))) {
    return badRequest('statuses must be an array of strings');
  }
  const statuses = (b.statuses as string[] | undefined)?.map((s) => STATUS_ALIASES[s.toUpperCase()] ?? s.toUpperCase());
  const terms = typeof b.terms === 'string' && b.terms.trim() ? b.terms.trim().toLowerCase() : null;
  const t = req.tenant.data;
  const archived = new Set(t.archivedProcessings);
  const rows = [...t.processings.values(), ...archived]
    .filter((p) => {
      const created = Date.parse(p.created);
      return (from === null || created >= from) && (to === null || created <= to) && (!statuses?.length || statuses.includes(p.status));
    })
    .sort((a, b2) => (a.created < b2.created ? -1 : a.created > b2.created ? 1 : 0))
    .map((p) => statsRow(t, p, archived.has(p)))
    .filter((r) => !terms || [r.name, r.projectName, r.email, r.scenario].some((s) => s?.toLowerCase().includes(terms)));
  let results = rows;
  if (typeof b.perPage === 'number' && b.perPage > 0) {
    const pageNo = typeof b.page === 'number' && b.page > 0 ? Math.floor(b.page) : 1;
    results = rows.slice((pageNo - 1) * b.perPage, pageNo * b.perPage);
  }
  const totalCost = rows.reduce((s, r) => s + Number(r.cost), 0);
  const totalArea = rows.reduce((s, r) => s + Number(r.area), 0);
  if (type === 'CSV') {
    const cols = STATS_COLUMNS;
    const esc = (v: unknown) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
    const csv = [cols.join(','), ...results.map((r) => cols.map((c) => esc(r[c])).join(','))].join('\n') + '\n';
    return { status: 200, text: csv, contentType: 'text/csv; charset=utf-8' };
  }
  return { status: 200, json: { results, total: rows.length, count: results.length, totalCost, totalArea } };
}

export function addAccountRoutes(router: Router<MapflowTenant>): void {
  router
    .add({ method: 'GET', template: '/user/status', summary: 'Account limits, models, teams and data providers', handler: (req) => ({ status: 200, json: req.tenant.data.userStatus }) })
    .add({
      method: 'POST',
      template: '/processing/cost/v2',
      summary: 'Price of a processing in credits (bare number): {wdId, geometry? | areaSqKm?, params?, blocks?}',
      openapi: { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' }, example: { wdId: '30ddfd15-04aa-47f6-9ceb-68ce709fd710', areaSqKm: 2.5 } } } } },
      handler: cost,
    })
    .add({
      method: 'POST',
      template: '/processings/stats',
      summary: 'Processing history: ?type=JSON (or CSV); {dateFrom?, dateTo?, statuses?, terms?, page?, perPage?}',
      openapi: { parameters: [{ name: 'type', in: 'query', required: false, schema: { type: 'string', enum: ['JSON', 'CSV'] } }] },
      handler: stats,
    });
}
