/**
 * The house rules CI checks (npm run depcheck): which layer may import which (docs/architecture.md,
 * "Layers"). Type-only imports count too: a circle of types is still a circle for a reader.
 */
const GATEWAY = '^src/(app|main|context|credentials|config|errors)\\.ts$|^src/(server|resolvers|datasources|status|links|observability|schema|federation)/';

export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circle in src/: every module can be read, tested and moved from the bottom up.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'simulators-apart',
      severity: 'error',
      comment:
        'The simulators stand in for the vendors: they import nothing of the gateway, only the vendor facts both share (src/vendor-docs) and process plumbing that knows neither (src/lifecycle).',
      from: { path: '^src/simulators/' },
      to: { path: GATEWAY },
    },
    {
      name: 'no-import-of-entry-points',
      severity: 'error',
      comment: 'src/app.ts and src/main.ts start the process (main.ts runs app.ts); nothing else in src/ builds on them.',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^src/(app|main)\\.ts$' },
    },
    {
      name: 'context-is-the-root',
      severity: 'error',
      comment: 'GatewayContext is the composition root: the transports and resolvers build on it, nothing below them imports it.',
      from: { path: '^src/(datasources|status|links|observability|schema|lifecycle|vendor-docs)/|^src/(credentials|config|errors)\\.ts$' },
      to: { path: '^src/context\\.ts$' },
    },
    {
      name: 'schema-has-no-io',
      severity: 'error',
      comment:
        'src/schema holds type-graphql classes only: no transport, vendor client, live status or Redis. It may read the job registry (a table with no I/O) for the job types it names.',
      from: { path: '^src/schema/' },
      to: {
        path: '^src/(server|resolvers|status|links|observability|federation|lifecycle|simulators)/|^src/(app|main|context)\\.ts$|^src/datasources/(?!job-registry\\.ts$)|^(undici|ioredis|ws|pino|prom-client)$|^node:(http|https|net|fs|child_process)$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'datasources-below-status-and-transport',
      severity: 'error',
      comment: 'Vendor services know nothing of live status, transports, resolvers or federation.',
      from: { path: '^src/datasources/' },
      to: { path: '^src/(server|status|resolvers|federation)/|^src/(app|main|context)\\.ts$' },
    },
    {
      name: 'status-below-transport',
      severity: 'error',
      comment: 'Live status talks to a port (credentials, connection, a services factory), never to transports or resolvers.',
      from: { path: '^src/status/' },
      to: { path: '^src/(server|resolvers|federation)/|^src/(app|main|context)\\.ts$' },
    },
    {
      name: 'observability-is-low',
      severity: 'error',
      comment: 'Logs, metrics and tracing sit low in the house: everything may import them, they import no layer.',
      from: { path: '^src/observability/' },
      to: { path: '^src/(server|resolvers|datasources|status|links|schema|federation)/|^src/(app|main|context)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/|^node:|^(undici|ioredis|ws|pino|prom-client)$',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
