/**
 * Copies the latest benchmark table (bench/results.md: its date-and-machine line and its table) into
 * README.md, between the `<!-- bench:start -->` and `<!-- bench:end -->` markers. `npm run bench` calls
 * it after writing its results; standalone: `npx tsx bench/readme.ts` (e.g. after restoring results).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

/** The README block for a results.md: its header lines up to the table, the table, a pointer to the rest. */
export function readmeBlock(resultsMd: string): string {
  const lines = resultsMd.split('\n');
  const firstRow = lines.findIndex((l) => l.startsWith('|'));
  if (firstRow < 0) throw new Error('bench/results.md has no table');
  let lastRow = firstRow;
  while (lastRow + 1 < lines.length && lines[lastRow + 1].startsWith('|')) lastRow++;
  const header = lines.slice(1, firstRow).filter((l) => l.trim() && !l.startsWith('#'));
  return [START, '', ...header.map((l) => `${l}  `), '', ...lines.slice(firstRow, lastRow + 1), '', 'Method, settings and every note: [bench/results.md](bench/results.md); raw figures: `bench/results.json`.', '', END].join('\n');
}

/** Replaces the marked section of README.md with the table of bench/results.md. */
export function syncReadme(root: string): void {
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
  const block = readmeBlock(readFileSync(join(root, 'bench/results.md'), 'utf8'));
  writeFileSync(readmePath, readme.slice(0, start) + block + readme.slice(end + END.length));
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  syncReadme(join(dirname(fileURLToPath(import.meta.url)), '..'));
  console.log('README.md: benchmark section updated from bench/results.md');
}
