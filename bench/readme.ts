/**
 * The README's benchmark section, one column pair per Node version. bench/results.md holds the latest
 * run (on whichever Node its servers ran, BENCH_NODE or the machine's); `syncReadme` files its header
 * and table in bench/results-by-node.json under that Node's major version (replacing the earlier run
 * on that version), then writes the table of every version kept there into README.md, between the
 * `<!-- bench:start -->` and `<!-- bench:end -->` markers. `npm run bench` calls it after writing its
 * results; standalone: `npx tsx bench/readme.ts` (e.g. after restoring results).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

/** The versions the README always has a column for (the one CI runs besides the machine's, and the machine's). */
const SHOWN_MAJORS = ['20', '24'];

/** One run's table as results.md has it: figure, gateway, floor / minimum, ratio (median), spread, target. */
export interface NodeRun {
  node: string;
  /** results.md's lines above the table: date, machine, Node, settings. */
  header: string[];
  rows: string[][];
}

export type RunsByNode = Record<string, NodeRun>;

const cells = (line: string) => line.replace(/^\|\s*/, '').replace(/\s*\|$/, '').split(/\s+\|\s+/);

/** The header and table of a results.md, and the Node its servers ran on (`· node v24.1.0 ·` in its first line). */
export function parseResults(resultsMd: string): NodeRun {
  const lines = resultsMd.split('\n');
  const firstRow = lines.findIndex((l) => l.startsWith('|'));
  if (firstRow < 0) throw new Error('bench/results.md has no table');
  let lastRow = firstRow;
  while (lastRow + 1 < lines.length && lines[lastRow + 1].startsWith('|')) lastRow++;
  const header = lines.slice(1, firstRow).filter((l) => l.trim() && !l.startsWith('#'));
  const node = /· node (v\d+\.\d+\.\d+)/.exec(header[0] ?? '')?.[1];
  if (!node) throw new Error('bench/results.md does not say which Node it ran on');
  return { node, header, rows: lines.slice(firstRow + 2, lastRow + 1).map(cells) };
}

const major = (node: string) => /^v(\d+)/.exec(node)![1];

/** A figure's row across versions: its name without the load it was measured at (e.g. `, 1713 rps`), which differs per run. */
const figureKey = (name: string) => name.replace(/, \d+ rps\)/, ')');

/** The README block: each version's header lines, then one table with a gateway and a ratio column per version. */
export function readmeBlock(runs: RunsByNode): string {
  const majors = [...new Set([...SHOWN_MAJORS, ...Object.keys(runs)])].sort((a, b) => Number(a) - Number(b));
  const figures: string[] = [];
  const byFigure = new Map<string, Record<string, string[]>>();
  for (const m of majors) {
    for (const row of runs[m]?.rows ?? []) {
      const key = figureKey(row[0]);
      if (!byFigure.has(key)) {
        figures.push(key);
        byFigure.set(key, {});
      }
      byFigure.get(key)![m] = row;
    }
  }
  const intro = majors.flatMap((m) => {
    const run = runs[m];
    if (!run) return [`**Node ${m}:** not measured yet (\`BENCH_NODE=<node ${m} binary> npm run bench\`).  `, ''];
    return [`**Node ${run.node}:** ${run.header[0]}  `, ...run.header.slice(1).map((l) => `${l}  `), ''];
  });
  const header = ['figure', ...majors.flatMap((m) => [`Node ${m}: gateway`, `Node ${m}: ratio (median; spread)`]), 'target'];
  const body = figures.map((f) => {
    const perMajor = byFigure.get(f)!;
    const latest = majors.map((m) => perMajor[m]).filter(Boolean).at(-1)!;
    return [
      f,
      ...majors.flatMap((m) => {
        const row = perMajor[m];
        if (!row) return ['not measured yet', '—'];
        return [row[1], row[4] && row[4] !== '—' ? `${row[3]} (${row[4]})` : row[3]];
      }),
      latest[5],
    ];
  });
  const table = [header, header.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`);
  return [
    START,
    '',
    ...intro,
    ...table,
    '',
    'Method, settings, every note and the floor figures of the latest run: [bench/results.md](bench/results.md); raw figures: `bench/results.json`; each Node version\'s latest table: `bench/results-by-node.json`.',
    '',
    END,
  ].join('\n');
}

/** Files bench/results.md under its Node version in bench/results-by-node.json, and writes every version's table into README.md. */
export function syncReadme(root: string): void {
  const byNodePath = join(root, 'bench/results-by-node.json');
  const runs = (existsSync(byNodePath) ? JSON.parse(readFileSync(byNodePath, 'utf8')) : {}) as RunsByNode;
  const latest = parseResults(readFileSync(join(root, 'bench/results.md'), 'utf8'));
  runs[major(latest.node)] = latest;
  writeFileSync(byNodePath, JSON.stringify(runs, null, 2) + '\n');
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
  writeFileSync(readmePath, readme.slice(0, start) + readmeBlock(runs) + readme.slice(end + END.length));
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  syncReadme(join(dirname(fileURLToPath(import.meta.url)), '..'));
  console.log('README.md: benchmark section updated from bench/results.md and bench/results-by-node.json');
}
