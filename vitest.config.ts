import { createRequire } from 'node:module';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// SWC instead of esbuild: type-graphql needs `emitDecoratorMetadata`, which esbuild does not emit.
// `graphql` is pinned to one module file: Vite would otherwise load its ESM build for our code and
// type-graphql would load the CJS one, and the two copies' `instanceof` checks disagree.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
