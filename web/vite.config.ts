import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The dashboard (`index.html`) and GraphiQL (`graphiql.html`), built into web/dist, which the gateway
 * serves at `/` and `/graphql`. Everything they need is bundled: no CDN, no web fonts, no tiles.
 * `npm run web:dev` serves them with hot reload, /graphql (HTTP and WebSocket) proxied to `npm start`'s
 * gateway on localhost:4000.
 */
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // GraphiQL (CodeMirror, its editor plugins) is large by nature; it only loads on /graphql.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      input: { dashboard: `${root}index.html`, graphiql: `${root}graphiql.html` },
      // React Server Components' "use client" markers in GraphiQL's UI libraries mean nothing here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: { '/graphql': { target: 'http://localhost:4000', ws: true, changeOrigin: true } },
  },
});
