import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The dashboard's build (`npm run build:web`), beside `src/` and `dist/` alike. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.map', '.svg', '.txt']);

/**
 * The pages hold no data and load nothing from elsewhere: everything, GraphQL over HTTP and
 * graphql-ws included, comes from this origin, and the browser is told to refuse anything else.
 * CodeMirror (GraphiQL) sets inline styles, hence `style-src 'unsafe-inline'`; GraphiQL's fonts are
 * inlined in its CSS as data: URLs.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

interface CachedFile {
  mtimeMs: number;
  size: number;
  etag: string;
  body: Buffer;
  gzip: Buffer | null;
}

export interface WebAssets {
  /** Answers a GET or HEAD for a file of the build (`/` is `index.html`); false when there is none. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
  /** GraphiQL's page (for a browser's GET of /graphql). */
  graphiql(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/**
 * Static files of the built dashboard and GraphiQL. Only files inside `dir` are ever read: the path
 * is decoded once, resolved against the directory and checked to stay in it, symlinks included;
 * dot-files are never served. Files under `/assets/` carry a content hash in their names and are
 * cached for a year; the pages are revalidated (ETag) every time.
 */
export function createWebAssets(dir: string = DEFAULT_WEB_DIR): WebAssets {
  const root = resolve(dir);
  const cache = new Map<string, CachedFile>();
  let realRoot: string | null = null;

  async function load(relative: string): Promise<{ file: CachedFile; ext: string } | null> {
    const file = resolve(root, '.' + relative);
    if (!file.startsWith(root + sep)) return null;
    let info;
    try {
      realRoot ??= await realpath(root);
      const real = await realpath(file);
      if (!real.startsWith(realRoot + sep)) return null;
      info = await stat(real);
      if (!info.isFile()) return null;
      const hit = cache.get(real);
      const ext = extname(real).toLowerCase();
      if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return { file: hit, ext };
      const body = await readFile(real);
      const entry: CachedFile = {
        mtimeMs: info.mtimeMs,
        size: info.size,
        etag: `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
        body,
        gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body) : null,
      };
      cache.set(real, entry);
      return { file: entry, ext };
    } catch {
      return null;
    }
  }

  function send(req: IncomingMessage, res: ServerResponse, { file, ext }: { file: CachedFile; ext: string }, { immutable }: { immutable: boolean }): void {
    const headers: Record<string, string | number> = {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag: file.etag,
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
      ...(ext === '.html' ? PAGE_HEADERS : {}),
    };
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? (file.gzip as Buffer) : file.body;
    if (gzip) headers['content-encoding'] = 'gzip';
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function notBuilt(res: ServerResponse, what: string): void {
    const text = `The ${what} is not built: run \`npm run build:web\` (npm start and npm test do it).\n`;
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
    res.end(text);
  }

  return {
    async serve(req, res, path) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        return false;
      }
      if (decoded.includes('\0') || decoded.includes('\\') || /(^|\/)\./.test(decoded)) return false;
      if (decoded === '/' || decoded === '/index.html') {
        const page = await load('/index.html');
        if (!page) notBuilt(res, 'dashboard');
        else send(req, res, page, { immutable: false });
        return true;
      }
      const found = await load(decoded);
      if (!found) return false;
      send(req, res, found, { immutable: decoded.startsWith('/assets/') });
      return true;
    },
    async graphiql(req, res) {
      const page = await load('/graphiql.html');
      if (!page) return notBuilt(res, 'GraphiQL page');
      send(req, res, page, { immutable: false });
    },
  };
}

/** A browser's navigation to /graphql: a GET that accepts HTML and asks no query. */
export function wantsGraphiql(req: IncomingMessage, search: string): boolean {
  if (req.method !== 'GET' || !String(req.headers.accept ?? '').includes('text/html')) return false;
  return !new URLSearchParams(search).has('query');
}
