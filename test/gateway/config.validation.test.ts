import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * Configuration is validated at start: the real entry point (`src/main.ts`), spawned with bad
 * values, exits 78 (EX_CONFIG) with one message naming every bad variable, and never echoes a
 * value (it may be a token).
 */

function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_(URL|TOKEN|SECRET)$|^PORT$|^FILTER_MAX_PAGES$/.test(k)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: new URL('../..', import.meta.url),
    env: { ...base, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

// Values that look like credentials; none may appear in the output.
const SECRETISH = {
  MAPFLOW_URL: 'mf-token-3c9f0e7a1b2d4c5e',
  CUPIX_URL: 'ftp://cupix-token-9e8d7c6b5a@files.example.org/',
  RESULTS_URL_SECRET: 'tiny-secret-42',
  REDIS_URL: 'http://redis-pass-5f4e3d2c1b@127.0.0.1:6379',
};

describe('configuration at start', () => {
  it('exits 78 naming every bad variable at once, echoing none of their values', async () => {
    const r = await runMain({ PORT: 'eighty', FILTER_MAX_PAGES: '0', UPSTREAM_CONCURRENCY: '-2', CUPIX_TRANSFORM_ORDER: 'sideways', ...SECRETISH });
    expect(r.code).toBe(78);
    expect(r.stdout).not.toContain('gateway listening');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    const named = lines.slice(1).map((l) => /^ {2}- ([A-Z_]+): \S/.exec(l)?.[1]);
    expect(named.sort()).toEqual(['CUPIX_TRANSFORM_ORDER', 'CUPIX_URL', 'FILTER_MAX_PAGES', 'MAPFLOW_URL', 'PORT', 'REDIS_URL', 'RESULTS_URL_SECRET', 'UPSTREAM_CONCURRENCY']);
    for (const value of [...Object.values(SECRETISH), 'eighty', 'sideways', 'cupix-token-9e8d7c6b5a', 'redis-pass-5f4e3d2c1b']) expect(r.stderr).not.toContain(value);
  }, 60_000);

  it('exits 78 for one bad value too: PORT out of range', async () => {
    const r = await runMain({ PORT: '70000' });
    expect(r.code).toBe(78);
    expect(r.stderr.trim().split('\n')).toEqual(['Invalid configuration:', expect.stringMatching(/^ {2}- PORT: .*65535/)]);
    expect(r.stderr).not.toContain('70000');
  }, 60_000);
});
