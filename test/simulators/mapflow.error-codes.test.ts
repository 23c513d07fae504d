/**
 * Mapflow's documented error table (test/fixtures/vendor-docs/mapflow/error-codes.txt, verbatim)
 * against the one table the code holds (src/vendor-docs/mapflow.error-messages.ts), the gateway's
 * rendering of it, and the codes the simulator emits.
 */
import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { renderMessage } from '../../src/datasources/mapflow/mapflow.messages.js';
import { MAPFLOW_ERROR_MESSAGES } from '../../src/vendor-docs/mapflow.error-messages.js';
import { ALPHA, BETA, client, test, type AoiReply, type Json, type ProcessingReply } from './mapflow.helpers.js';

interface Row {
  code: string;
  parameters: string[];
  description: string;
}

/**
 * The page renders the table one cell per line, each ending in `|`, after a `---|---|---|` rule.
 * A row is a code and then `parameters, description`, or, for a code without parameters,
 * `description` and an empty cell (the page's own order; the last row's empty cell is cut off).
 */
function documentedRows(): Row[] {
  const text = readFileSync(new URL('../fixtures/vendor-docs/mapflow/error-codes.txt', import.meta.url), 'utf8');
  const lines = text.split('\n');
  const rule = lines.indexOf('---|---|---|');
  expect(lines.slice(0, rule)).toEqual(['Error messages in API', 'Error code |', 'Parameters |', 'Description |']);
  const cells = lines.slice(rule + 1).filter((l) => l.length).map((l) => l.replace(/ ?\|$/, ''));
  const isCode = (c: string) => /^[a-z-]+\.\w+$/.test(c);
  expect(isCode(cells[0])).toBe(true);
  const rows: Row[] = [];
  for (let i = 0; i < cells.length; ) {
    const code = cells[i++];
    const rest: string[] = [];
    while (i < cells.length && !isCode(cells[i])) rest.push(cells[i++]);
    expect(rest.length, code).toBeGreaterThanOrEqual(1);
    expect(rest.length, code).toBeLessThanOrEqual(2);
    const [params, description] = rest.length === 2 && rest[1] !== '' ? rest : ['', rest[0]];
    expect(description, code).not.toBe('');
    rows.push({ code, description, parameters: params ? params.split(', ') : [] });
  }
  return rows;
}

const rows = documentedRows();

describe('mapflow error table', () => {
  test('holds every documented code, and no other, with its template verbatim', () => {
    expect(rows).toHaveLength(51);
    expect(Object.keys(MAPFLOW_ERROR_MESSAGES).sort()).toEqual(rows.map((r) => r.code).sort());
    for (const r of rows) expect(MAPFLOW_ERROR_MESSAGES[r.code], r.code).toBe(r.description);
  });

  test('the gateway describes every documented code, filling every documented parameter', () => {
    for (const r of rows) {
      // The page's own typo: InvalidZoomValue's parameter cell reads `actual_zoom}`.
      const names = r.parameters.map((p) => p.replace(/\}$/, ''));
      const text = renderMessage(r.code, Object.fromEntries(names.map((n) => [n, `<${n}>`])));
      expect(text, r.code).not.toBeNull();
      // Every placeholder but the literal `{x}`, `{y}`, `{z}` of the TMS/XYZ templates gets its value.
      const used = [...r.description.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((p) => !['x', 'y', 'z'].includes(p));
      for (const p of used) expect(text, `${r.code} placeholder {${p}}`).not.toContain(`{${p}}`);
    }
  });
});

describe('mapflow simulator failure messages', () => {
  test('every message on a seeded processing or AOI of either tenant has a documented code', async ({ sim }) => {
    const codes = new Set<string>();
    for (const token of [ALPHA, BETA]) {
      const api = client(sim, token);
      const projects = (await api.get<Json[]>('/projects')).body;
      const lists = await Promise.all(projects.map((p) => api.get<ProcessingReply[]>(`/projects/${p.id as string}/processings/v2`)));
      const processings = lists.flatMap((l) => l.body);
      expect(processings.length).toBeGreaterThan(10);
      for (const p of processings.filter((x) => x.status === 'FAILED')) {
        for (const m of p.messages) codes.add(m.code);
        for (const a of (await api.get<AoiReply[]>(`/processings/${p.id}/aois`)).body) {
          for (const m of a.messages) codes.add(m.code);
        }
      }
    }
    expect(codes.size).toBeGreaterThanOrEqual(3);
    for (const c of codes) expect(Object.hasOwn(MAPFLOW_ERROR_MESSAGES, c), c).toBe(true);
  });
});
