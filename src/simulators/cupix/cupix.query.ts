import type { IncomingHttpHeaders } from 'node:http';
import type { SimResult } from '../core/index.js';
import { cupixErrors } from './cupix.errors.js';
import type { Pointcloud } from './cupix.types.js';

export const DEFAULT_PER_PAGE = 30;
/** [INFER] The real maximum is not documented; larger `per_page` values are capped to this. */
export const MAX_PER_PAGE = 100;

export interface Pagination {
  total_entries: number;
  total_pages: number;
  per_page: number;
  previous_page: number | null;
  current_page: number;
  next_page: number | null;
}

const ORDERABLE: Record<string, (p: Pointcloud) => string | number> = {
  created_at: (p) => p.createdAt,
  updated_at: (p) => p.updatedAt,
  id: (p) => p.id,
  name: (p) => p.name,
};

class BadParam extends Error {
  constructor(
    readonly param: string,
    detail: string,
  ) {
    super(detail);
  }
}

function int(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw new BadParam(name, `${JSON.stringify(v)} is not an integer`);
  return Number(v);
}

function intList(q: URLSearchParams, name: string): Set<number> | undefined {
  const raw = [...q.getAll(name), ...q.getAll(`${name}[]`)].flatMap((v) => v.split(',')).filter(Boolean);
  if (!raw.length) return undefined;
  if (raw.some((v) => !/^\d+$/.test(v))) throw new BadParam(name, 'must be a comma-separated list of integers');
  return new Set(raw.map(Number));
}

/**
 * `GET /pointclouds`: filters, order and will_paginate-style pagination over one tenant's pointclouds.
 * [INFER] Without `pointcloud_type` both types are listed (every doc example passes one); default order
 * is `created_at desc`, which is the order of the documented list example (5310 before 5309).
 */
export function listPointclouds(
  all: Iterable<Pointcloud>,
  q: URLSearchParams,
  headers: IncomingHttpHeaders,
): { items: Pointcloud[]; pagination: Pagination } | SimResult {
  try {
    const type = q.get('pointcloud_type') || 'all';
    if (!['uploaded', '3d_reconstructed', 'all'].includes(type)) {
      throw new BadParam('pointcloud_type', 'must be one of uploaded, 3d_reconstructed, all');
    }
    const recordId = int(q, 'record_id');
    const clusterId = int(q, 'cluster_id');
    const captureId = int(q, 'capture_id');
    const parentId = int(q, 'parent_id');
    const recordIds = intList(q, 'record_ids');
    const parentIds = intList(q, 'parent_ids');
    const levelIds = intList(q, 'level_ids');
    const search = q.get('q')?.toLowerCase();
    const sinceRaw = headers['x-cupix-updated-since'];
    const since = typeof sinceRaw === 'string' ? Date.parse(sinceRaw) : undefined;
    if (Number.isNaN(since)) throw new BadParam('X-CUPIX-UPDATED-SINCE', 'must be an ISO 8601 date-time');
    const orderBy = q.get('order_by') || 'created_at';
    if (!Object.hasOwn(ORDERABLE, orderBy)) throw new BadParam('order_by', `must be one of ${Object.keys(ORDERABLE).join(', ')}`);
    const key = ORDERABLE[orderBy];
    const sort = (q.get('sort') || 'desc').toLowerCase();
    if (sort !== 'asc' && sort !== 'desc') throw new BadParam('sort', 'must be asc or desc');
    const page = int(q, 'page') ?? 1;
    if (page < 1) throw new BadParam('page', 'must be >= 1');
    const perPageAsked = int(q, 'per_page') ?? DEFAULT_PER_PAGE;
    if (perPageAsked < 1) throw new BadParam('per_page', 'must be >= 1');
    const perPage = Math.min(perPageAsked, MAX_PER_PAGE);

    const matches: Pointcloud[] = [];
    for (const p of all) {
      if (type !== 'all' && p.pointcloudType !== type) continue;
      if (recordId !== undefined && p.recordId !== recordId) continue;
      if (recordIds && (p.recordId === null || !recordIds.has(p.recordId))) continue;
      if (clusterId !== undefined && p.cluster?.id !== clusterId) continue;
      if (captureId !== undefined && p.captureId !== captureId) continue;
      if (parentId !== undefined && p.parentId !== parentId) continue;
      if (parentIds && (p.parentId === null || !parentIds.has(p.parentId))) continue;
      if (levelIds && (p.levelId === null || !levelIds.has(p.levelId))) continue;
      if (search && !p.name.toLowerCase().includes(search)) continue;
      if (since !== undefined && Date.parse(p.updatedAt) <= since) continue;
      matches.push(p);
    }
    const dir = sort === 'asc' ? 1 : -1;
    matches.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return (ka < kb ? -1 : ka > kb ? 1 : a.id - b.id) * dir;
    });
    const total = matches.length;
    // will_paginate reports one (empty) page for an empty result.
    const totalPages = Math.max(1, Math.ceil(total / perPage));
    return {
      items: matches.slice((page - 1) * perPage, page * perPage),
      pagination: {
        total_entries: total,
        total_pages: totalPages,
        per_page: perPage,
        previous_page: page > 1 ? page - 1 : null,
        current_page: page,
        next_page: page < totalPages ? page + 1 : null,
      },
    };
  } catch (err) {
    if (err instanceof BadParam) return cupixErrors.invalidParam(err.param, err.message);
    throw err;
  }
}
