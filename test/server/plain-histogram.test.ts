import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PlainHistogram } from '../../src/observability/plain-histogram.js';

/** PlainHistogram renders what prom-client's Histogram would: cumulative `le` buckets (value ≤ bound), +Inf, sum, count. */
describe('PlainHistogram', () => {
  it('renders cumulative buckets, sum and count per label set, in the text format', async () => {
    const registry = new Registry();
    const h = new PlainHistogram({ name: 't_seconds', help: 'test', labelNames: ['route'] as const, buckets: [0.01, 0.1, 1], registers: [registry] });
    const a = h.cell({ route: 'GET /a/{id}' });
    const b = h.cell({ route: 'GET /b' });
    for (const v of [0.005, 0.01, 0.05, 0.5, 7]) a.observe(v);
    b.observe(0.2);
    const text = await registry.metrics();
    const lines = text.split('\n').filter((l) => l.startsWith('t_seconds'));
    expect(lines).toEqual([
      't_seconds_bucket{route="GET /a/{id}",le="0.01"} 2',
      't_seconds_bucket{route="GET /a/{id}",le="0.1"} 3',
      't_seconds_bucket{route="GET /a/{id}",le="1"} 4',
      't_seconds_bucket{route="GET /a/{id}",le="+Inf"} 5',
      't_seconds_sum{route="GET /a/{id}"} 7.5649999999999995',
      't_seconds_count{route="GET /a/{id}"} 5',
      't_seconds_bucket{route="GET /b",le="0.01"} 0',
      't_seconds_bucket{route="GET /b",le="0.1"} 0',
      't_seconds_bucket{route="GET /b",le="1"} 1',
      't_seconds_bucket{route="GET /b",le="+Inf"} 1',
      't_seconds_sum{route="GET /b"} 0.2',
      't_seconds_count{route="GET /b"} 1',
    ]);
    expect(text).toContain('# TYPE t_seconds histogram');
    const json = await registry.getMetricsAsJSON();
    expect(json.find((m) => m.name === 't_seconds')?.values).toHaveLength(12);
  });
});
