import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  buildSchema,
  Lexer,
  parse,
  print,
  separateOperations,
  Source,
  specifiedRules,
  TokenKind,
  validate,
  visit,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { graphqlLimits } from '../../src/server/graphql-limits.js';
import { operationCost } from '../../src/server/query-cost.js';

/**
 * "Defaults that comfortably fit the dashboard's own queries": every operation of the web dashboard
 * (web/src/**\/*.graphql, sent one operation with its fragments at a time) and of the tests' and
 * bench's documents (test/documents, sent as whole files with the shared fragments they spread)
 * passes the default limits, and uses at most a third of each: tokens, depth, aliases, directives
 * and cost, measured the way the limits measure them.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const schema = buildSchema(readFileSync(`${root}schema.graphql`, 'utf8'));
const config = loadConfig({});
const limits = graphqlLimits(config);
const MAX = {
  tokens: config.GRAPHQL_MAX_TOKENS,
  depth: config.GRAPHQL_MAX_DEPTH,
  aliases: config.GRAPHQL_MAX_ALIASES,
  directives: config.GRAPHQL_MAX_DIRECTIVES,
  cost: config.GRAPHQL_MAX_COST,
};
type Measure = keyof typeof MAX;

const graphqlFiles = (dir: string) =>
  readdirSync(`${root}${dir}`, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(`${root}${dir}/${f}`, 'utf8'));

/** What a client sends: [label, the document text, the operation's name]. */
const sent: [string, string, string][] = [];
// The dashboard's documents share fragments across files; codegen gives each operation its own document.
for (const [name, doc] of Object.entries(separateOperations(parse(graphqlFiles('web/src').join('\n'))))) sent.push([`web ${name}`, print(doc), name]);
// The tests and the bench send each file whole, with an operationName, and with the shared fragments
// (test/documents/fragments-*.graphql) its operations spread: they count toward the file's tokens.
const testDocuments = graphqlFiles('test/documents').map((text) => parse(text));
const sharedFragments = new Map<string, FragmentDefinitionNode>();
for (const doc of testDocuments) for (const def of doc.definitions) if (def.kind === 'FragmentDefinition') sharedFragments.set(def.name.value, def);
/** The file with the definitions of the fragments it spreads, directly or through other fragments, that it does not hold. */
function withSharedFragments(doc: DocumentNode): DocumentNode {
  const defined = new Set(doc.definitions.flatMap((def) => (def.kind === 'FragmentDefinition' ? [def.name.value] : [])));
  const added: FragmentDefinitionNode[] = [];
  const add = (node: ASTNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (defined.has(name)) return;
        defined.add(name);
        added.push(sharedFragments.get(name)!);
        add(sharedFragments.get(name)!);
      },
    });
  add(doc);
  return { ...doc, definitions: [...doc.definitions, ...added] };
}
for (const doc of testDocuments) {
  const text = print(withSharedFragments(doc));
  for (const def of doc.definitions) if (def.kind === 'OperationDefinition') sent.push([`test/documents ${def.name!.value}`, text, def.name!.value]);
}

function tokens(text: string): number {
  const lexer = new Lexer(new Source(text));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
}

/** Tokens of the text sent; the rest of the one operation, with the fragments it uses. */
function measure(text: string, operationName: string): Record<Measure, number> {
  const doc: DocumentNode = separateOperations(parse(text))[operationName];
  const found: Partial<Record<Measure, number>> = {};
  const at = (m: Measure) => (_context: unknown, d: { n: number }) => {
    found[m] = Math.max(found[m] ?? 0, d.n);
  };
  const accept = (m: Measure) => ({ n: Number.MAX_SAFE_INTEGER, propagateOnRejection: false, onAccept: [at(m)] });
  const cost: ValidationRule = (context) => ({
    OperationDefinition(op: OperationDefinitionNode) {
      found.cost = operationCost(context, op);
    },
  });
  const errors = validate(schema, doc, [
    maxDepthRule({ ...accept('depth'), flattenFragments: true, ignoreIntrospection: true }),
    maxAliasesRule(accept('aliases')),
    maxDirectivesRule(accept('directives')),
    cost,
  ]);
  expect(errors).toEqual([]);
  return { tokens: tokens(text), depth: found.depth!, aliases: found.aliases!, directives: found.directives!, cost: found.cost! };
}

describe('the default limits fit the dashboard\'s own operations with room to spare', () => {
  it('finds the documents (every dashboard panel, the tests\' and the bench\'s)', () => {
    expect(sent.filter(([l]) => l.startsWith('web ')).length).toBeGreaterThanOrEqual(9);
    expect(sent.filter(([l]) => l.startsWith('test/documents ')).length).toBeGreaterThanOrEqual(8);
    expect(sent.map(([l]) => l)).toContain('web Dashboard');
  });

  it.each(sent)('%s passes the default limits', (_label, text) => {
    const doc = parse(text, limits.parseOptions);
    expect(validate(schema, doc, [...specifiedRules, ...limits.validationRules]).map((e) => e.message)).toEqual([]);
  });

  it.each(sent)('%s uses at most a third of each limit', (label, text, name) => {
    const used = measure(text, name);
    for (const m of Object.keys(MAX) as Measure[]) {
      expect(used[m], `${label}: ${m} ${used[m]} of ${MAX[m]}`).toBeLessThanOrEqual(MAX[m] / 3);
    }
  });
});
