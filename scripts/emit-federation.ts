/**
 * Federation 2 artifacts from the code (`npm run federation:emit`): each subgraph's SDL with its
 * federation directives (`federation/<name>.graphql`, what `_service { sdl }` answers), the unified
 * server's SDL as one subgraph (`federation/unified.graphql`), and the supergraph composed by
 * @apollo/composition (`supergraph.graphql`, with the `npm run start:federated` default URLs).
 *
 * `--check` (`npm run federation:check`, run by CI) fails when composition fails, when a committed
 * file differs from what the code emits, or when the composed API schema differs from the unified
 * schema (`schema.graphql`) in any type, field, argument, value or description: a client sees one
 * API whichever way it is served.
 * `--api-schema <file>` also writes the composed API schema there (CI checks it against the contract).
 */
import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { CompositionError, composeSupergraph, defaultSubgraphUrl } from '../src/federation/compose.js';
import { SUBGRAPH_NAMES } from '../src/federation/subgraphs.js';
import { buildGatewaySchema, buildServedSchema, printGatewaySchema, printSubgraphSdl, schemaCoordinates } from '../src/federation/build-schema.js';

const root = new URL('../', import.meta.url);
const args = process.argv.slice(2);
const check = args.includes('--check');
const apiOut = args.includes('--api-schema') ? args[args.indexOf('--api-schema') + 1] : undefined;

const subgraphs = [];
for (const name of SUBGRAPH_NAMES) subgraphs.push({ name, url: defaultSubgraphUrl(name), sdl: printSubgraphSdl(await buildServedSchema(name)) });

let supergraph;
try {
  supergraph = composeSupergraph(subgraphs);
} catch (err) {
  if (!(err instanceof CompositionError)) throw err;
  console.error(err.message);
  process.exit(1);
}
for (const hint of supergraph.hints) console.log(`composition hint: ${hint}`);

const files = new Map<string, string>([
  ...subgraphs.map((s) => [`federation/${s.name}.graphql`, s.sdl] as [string, string]),
  ['federation/unified.graphql', printSubgraphSdl(await buildServedSchema('unified'))],
  ['supergraph.graphql', supergraph.sdl.endsWith('\n') ? supergraph.sdl : supergraph.sdl + '\n'],
]);
const api = printGatewaySchema(supergraph.apiSchema);
if (apiOut) writeFileSync(apiOut, api);

if (check) {
  const problems: string[] = [];
  for (const [path, text] of files) {
    let committed = '';
    try {
      committed = readFileSync(new URL(path, root), 'utf8');
    } catch {
      committed = '';
    }
    if (committed !== text) problems.push(`${path} is out of date: run \`npm run federation:emit\` and commit it.`);
  }
  // The composed API must be the unified schema: any type, field, argument or value lost, added or changed fails.
  const unified = schemaCoordinates(await buildGatewaySchema());
  const composed = schemaCoordinates(supergraph.apiSchema);
  for (const [c, description] of unified) {
    if (!composed.has(c)) problems.push(`the composed API schema lacks ${c}, which the unified schema has`);
    else if (composed.get(c) !== description) problems.push(`the composed API schema describes ${c} otherwise than the unified schema`);
  }
  for (const c of composed.keys()) if (!unified.has(c)) problems.push(`the composed API schema has ${c}, which the unified schema has not`);
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log(`composition OK (${SUBGRAPH_NAMES.join(', ')}); federation/*.graphql and supergraph.graphql are up to date`);
} else {
  mkdirSync(new URL('federation/', root), { recursive: true });
  for (const [path, text] of files) writeFileSync(new URL(path, root), text);
  console.log(`wrote ${[...files.keys()].join(', ')}`);
}
