import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));

/**
 * The built dashboard the gateway serves (web/dist), checked to exist and to be newer than its
 * sources, so a browser test never runs against a stale build. `npm test` builds it first.
 */
export function requireWebBuild(): string {
  const index = join(WEB, 'dist', 'index.html');
  if (!existsSync(index)) throw new Error('The dashboard is not built (web/dist/index.html is missing): run `npm run build:web` (`npm test` runs it first).');
  const built = statSync(index).mtimeMs;
  const sources = [join(WEB, 'src'), join(WEB, 'public'), join(WEB, 'index.html'), join(WEB, 'graphiql.html'), join(WEB, 'vite.config.ts')];
  const stale = sources.flatMap(files).find((f) => statSync(f).mtimeMs > built);
  if (stale) throw new Error(`web/dist is older than ${stale.slice(WEB.length - 4)}: run \`npm run build:web\` (\`npm test\` runs it first).`);
  return join(WEB, 'dist');
}

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => files(join(path, name)));
}
