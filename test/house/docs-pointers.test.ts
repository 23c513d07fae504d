import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The design notes the code relies on live in the repository's own docs/: every pointer a comment
 * or a doc makes, `(docs/<file>.md, "<heading>")`, must name a file that exists and a heading it
 * has; and nothing in src/ cites a file the repository does not have.
 */
const ROOT = new URL('../..', import.meta.url).pathname;

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? filesUnder(path, ext) : ext.test(name) ? [path] : [];
  });
}

/** A file's text with comment line prefixes removed, so a pointer broken over two comment lines reads as one. */
function flattened(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8').replace(/\n\s*(\*|\/\/)\s*/g, ' ');
}

const headings = new Map<string, Set<string>>();
function headingsOf(doc: string): Set<string> | undefined {
  if (!headings.has(doc)) {
    let text: string;
    try {
      text = readFileSync(join(ROOT, 'docs', `${doc}.md`), 'utf8');
    } catch {
      return undefined;
    }
    headings.set(doc, new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1].trim())));
  }
  return headings.get(doc);
}

/** Every `docs/<file>.md` a text names, with the quoted headings that follow it up to the pointer's end. */
function pointers(text: string): { doc: string; heading: string | null }[] {
  const found: { doc: string; heading: string | null }[] = [];
  for (const m of text.matchAll(/docs\/([\w-]+)\.md/g)) {
    const rest = text.slice(m.index + m[0].length, m.index + m[0].length + 240);
    const end = rest.search(/\)|\. |;|$/);
    const quoted = [...rest.slice(0, end === -1 ? undefined : end).matchAll(/"([^"]+)"/g)].map((q) => q[1]);
    if (!quoted.length) found.push({ doc: m[1], heading: null });
    for (const heading of quoted) found.push({ doc: m[1], heading });
  }
  return found;
}

const sources = [...filesUnder('src', /\.tsx?$/), ...filesUnder('docs', /\.md$/), 'README.md'];

describe('docs pointers', () => {
  it('name a doc of docs/ and, when they quote one, a heading of it', () => {
    const broken: string[] = [];
    let count = 0;
    for (const path of sources) {
      for (const { doc, heading } of pointers(flattened(path))) {
        count++;
        const known = headingsOf(doc);
        if (!known) broken.push(`${path}: docs/${doc}.md does not exist`);
        else if (heading !== null && !known.has(heading)) broken.push(`${path}: docs/${doc}.md has no heading "${heading}"`);
      }
    }
    expect(broken).toEqual([]);
    expect(count).toBeGreaterThan(20);
  });

  it('src/ cites no file outside the repository', () => {
    const outside = /upstream-reference|\/work\/shared|(\.\.\/)+shared\/(api-docs|design|tools)|api-docs\/|§\s*\d|(?<!docs\/)architecture\.md|house-style\.md/;
    const offenders = filesUnder('src', /\.tsx?$/).flatMap((path) =>
      readFileSync(join(ROOT, path), 'utf8')
        .split('\n')
        .flatMap((line, i) => (outside.test(line) ? [`${relative(ROOT, join(ROOT, path))}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });
});
