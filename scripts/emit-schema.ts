/**
 * Writes schema.graphql from the code (`npm run schema:emit`), or with `--check` fails when the
 * committed file differs from what the code emits (`npm run schema:check`, run by CI).
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { buildGatewaySchema, printGatewaySchema } from '../src/federation/build-schema.js';

const file = new URL('../schema.graphql', import.meta.url);
const sdl = printGatewaySchema(await buildGatewaySchema());
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    committed = '';
  }
  if (committed !== sdl) {
    console.error('schema.graphql is out of date: run `npm run schema:emit` and commit it.');
    process.exit(1);
  }
  console.log('schema.graphql is up to date');
} else {
  writeFileSync(file, sdl);
  console.log('wrote schema.graphql');
}
