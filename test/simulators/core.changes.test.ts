import { describe, expect, it } from 'vitest';
import { ChangeLog, VirtualClock } from '../../src/simulators/core/index.js';

function log(max: number, n: number): ChangeLog {
  const clock = new VirtualClock(0);
  const l = new ChangeLog(clock, max);
  for (let i = 1; i <= n; i++) {
    l.record(clock.now(), { tenant: i % 2 ? 'alpha' : 'beta', entity: i % 3 ? 'processing' : 'aoi', id: `p${i % 4}`, field: 'status', from: null, to: i });
  }
  return l;
}

describe('ChangeLog', () => {
  it('keeps the last `max` changes in seq order, across many compactions', () => {
    const l = log(5, 1_003);
    expect(l.size).toBe(5);
    expect(l.lastSeq).toBe(1_003);
    expect(l.since().map((c) => c.seq)).toEqual([999, 1_000, 1_001, 1_002, 1_003]);
  });

  it('since(seq) returns exactly the kept changes after seq, for any seq', () => {
    const l = log(7, 40);
    for (const seq of [0, 10, 33, 34, 35, 39, 40, 41]) {
      expect(l.since(seq).map((c) => c.seq), String(seq)).toEqual([34, 35, 36, 37, 38, 39, 40].filter((s) => s > seq));
    }
  });

  it('filters by entity, id and tenant together', () => {
    const l = log(100, 24);
    const got = l.since(0, { entity: 'processing', id: 'p1', tenant: 'alpha' });
    expect(got.map((c) => c.seq)).toEqual([1, 5, 13, 17]);
    expect(got.every((c) => c.entity === 'processing' && c.id === 'p1' && c.tenant === 'alpha')).toBe(true);
  });
});
