import { buildSchema } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApollo } from '../../src/server/apollo.js';
import { graphqlLimits } from '../../src/server/graphql-limits.js';
import { createLogger, withoutCredentials } from '../../src/observability/logger.js';

describe('withoutCredentials: a URL fit for a log line', () => {
  it.each([
    ['https://user:pass@otel.example.com:4318/v1/traces', 'https://otel.example.com:4318/v1/traces'],
    ['https://api.cupix.example/api/v1/pointclouds?x-cupix-auth=SECRET&page=2', 'https://api.cupix.example/api/v1/pointclouds'],
    ['https://bucket.s3.amazonaws.com/k.laz?X-Amz-Signature=SIG&X-Amz-Credential=AKIA#frag', 'https://bucket.s3.amazonaws.com/k.laz'],
    ['not a url SECRET', '[invalid URL]'],
  ])('%s → %s', (url, safe) => {
    expect(withoutCredentials(url)).toBe(safe);
  });
});

describe("Apollo Server's own logger", () => {
  it('is ours (pino, redacted), not the console', () => {
    const lines: string[] = [];
    const log = createLogger('debug', (l) => lines.push(l));
    const apollo = createApollo(buildSchema('type Query { a: Int }'), log, 'test', { limits: graphqlLimits(loadConfig({})), batching: false });
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    try {
      apollo.logger.warn('a notice');
      apollo.logger.error(new TypeError('plugin failed'));
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 'warn', source: 'apollo', msg: 'a notice' }),
      expect.objectContaining({ level: 'error', source: 'apollo', error: 'TypeError', msg: 'plugin failed' }),
    ]);
  });
});
