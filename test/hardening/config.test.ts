import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

/** The hardening variables of src/config.ts: validated, with the documented defaults. */
describe('hardening configuration', () => {
  it('defaults: introspection and suggestions on outside production, off in it; batching off; rate limits on', () => {
    const dev = loadConfig({});
    expect(dev).toMatchObject({ GRAPHQL_INTROSPECTION: true, GRAPHQL_FIELD_SUGGESTIONS: true, GRAPHQL_BATCHING: false, RATE_LIMIT_PER_IP: 1200, RATE_LIMIT_PER_KEY: 6000 });
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ GRAPHQL_INTROSPECTION: false, GRAPHQL_FIELD_SUGGESTIONS: false });
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHQL_FIELD_SUGGESTIONS: '1' })).toMatchObject({ GRAPHQL_INTROSPECTION: true, GRAPHQL_FIELD_SUGGESTIONS: true });
    expect(dev.FLAI_STORAGE_HOSTS).toEqual(['*.amazonaws.com']);
    expect(loadConfig({ CUPIX_STORAGE_HOSTS: 'a.example.com, *.b.example.com', WS_ALLOWED_ORIGINS: 'https://x.example' })).toMatchObject({
      CUPIX_STORAGE_HOSTS: ['a.example.com', '*.b.example.com'],
      WS_ALLOWED_ORIGINS: ['https://x.example'],
    });
  });

  it('refuses bad values, naming each variable and never echoing the value', () => {
    let error: unknown;
    try {
      loadConfig({ GRAPHQL_INTROSPECTION: 'maybe-secret', UPSTREAM_BREAKER_THRESHOLD: '0', GRAPHQL_MAX_DEPTH: '-1', RATE_LIMIT_PER_IP: 'many', UPSTREAM_RETRIES: '1.5' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.join('\n');
    for (const name of ['GRAPHQL_INTROSPECTION', 'UPSTREAM_BREAKER_THRESHOLD', 'GRAPHQL_MAX_DEPTH', 'RATE_LIMIT_PER_IP', 'UPSTREAM_RETRIES']) expect(issues).toContain(name);
    expect(issues).not.toContain('maybe-secret');
  });
});
