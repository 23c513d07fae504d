import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { JobState, Source, type JobFields } from '../../src/schema/common/job.type.js';
import { decodeMessage, encodeMessage } from '../../src/status/codec.js';
import { credentialHash } from '../../src/credentials.js';
import { backoffDelay, fingerprint, isStale, nextPollDelay } from '../../src/status/targets.js';

const I = { runningMs: 5_000, queuedMs: 15_000, idleMs: 30_000, backoffMaxMs: 60_000 };

function job(state: JobState, over: Partial<JobFields> & Record<string, unknown> = {}): JobFields {
  const terminal = state === JobState.SUCCEEDED || state === JobState.FAILED || state === JobState.CANCELLED;
  return { __typename: 'Processing', id: 'p1', source: Source.MAPFLOW, state, upstreamStatus: state, progress: 0, isTerminal: terminal, ...over } as JobFields;
}

describe('poll interval', () => {
  it('is fast while anything runs (or is in an unknown state), slower while queued, slowest when all is finished', () => {
    expect(nextPollDelay([job(JobState.QUEUED), job(JobState.RUNNING)], I)).toBe(5_000);
    expect(nextPollDelay([job(JobState.UNKNOWN)], I)).toBe(5_000);
    expect(nextPollDelay([job(JobState.QUEUED), job(JobState.SUCCEEDED)], I)).toBe(15_000);
    // OK but NOT_ACCEPTED in review is not terminal: it waits like a queued job.
    expect(nextPollDelay([job(JobState.SUCCEEDED, { isTerminal: false })], I)).toBe(15_000);
    expect(nextPollDelay([job(JobState.SUCCEEDED), job(JobState.FAILED)], I)).toBe(30_000);
    expect(nextPollDelay([], I)).toBe(30_000);
  });

  it('backs off exponentially on consecutive errors, capped, and never polls before Retry-After', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, undefined, I))).toEqual([10_000, 20_000, 40_000, 60_000, 60_000]);
    expect(backoffDelay(1, 30, I)).toBe(30_000);
    expect(backoffDelay(1, 120, I)).toBe(120_000); // the vendor's Retry-After wins over the cap
    expect(backoffDelay(3, 2, I)).toBe(40_000);
  });
});

describe('change detection', () => {
  it('sees status, progress, review status, messages and outputs, and nothing else', () => {
    const base = job(JobState.RUNNING, { status: 'IN_PROGRESS', percentCompleted: 10, progress: 10, reviewStatus: null, messages: [], name: 'a', updatedAt: new Date(1) });
    const fp = fingerprint(base);
    expect(fingerprint({ ...base, name: 'renamed', updatedAt: new Date(2) } as JobFields)).toBe(fp);
    for (const change of [{ progress: 20, percentCompleted: 20 }, { reviewStatus: 'NOT_ACCEPTED' }, { messages: [{ code: 'x' }] }, { state: JobState.SUCCEEDED, upstreamStatus: 'OK' }]) {
      expect(fingerprint({ ...base, ...change } as JobFields)).not.toBe(fp);
    }
    const exec = { ...job(JobState.RUNNING), __typename: 'FlowExecution', outputDatasets: [{ datasetId: 'd', status: 'created' }] } as JobFields;
    expect(fingerprint({ ...exec, outputDatasets: [{ datasetId: 'd', status: 'ready' }] } as JobFields)).not.toBe(fingerprint(exec));
  });

  it('drops an answer older than the state already known', () => {
    const now = job(JobState.RUNNING, { updatedAt: new Date(2_000) });
    expect(isStale(job(JobState.QUEUED, { updatedAt: new Date(1_000) }), now)).toBe(true);
    expect(isStale(job(JobState.SUCCEEDED, { updatedAt: new Date(3_000) }), now)).toBe(false);
    expect(isStale(job(JobState.SUCCEEDED, { updatedAt: null }), now)).toBe(false);
  });
});

describe('credentials and messages', () => {
  it('names watchers by a hash of one vendor credential (org included), never the token', () => {
    const creds = { mapflow: { token: 'secret-a' }, flai: { token: 'secret-f', orgId: 'o1' }, cupix: null };
    const h = credentialHash('mapflow', creds);
    expect(h).toMatch(/^[\w-]{32}$/);
    expect(h).not.toContain('secret');
    expect(credentialHash('mapflow', { ...creds, mapflow: { token: 'secret-b' } })).not.toBe(h);
    expect(credentialHash('flai', creds)).not.toBe(credentialHash('flai', { ...creds, flai: { token: 'secret-f', orgId: 'o2' } }));
    expect(credentialHash('cupix', creds)).toBeNull();
  });

  it('carries dates through Redis as dates', () => {
    const at = new Date('2024-05-01T10:00:00.000Z');
    const msg = decodeMessage(encodeMessage({ t: 'change', at: 1, items: [job(JobState.RUNNING, { updatedAt: at, meta: { $date: 'text', n: 1 } })] }));
    expect(msg.t === 'change' && msg.items[0].updatedAt).toEqual(at);
    expect(msg.t === 'change' && msg.items[0]).toHaveProperty('meta', { $date: 'text', n: 1 });
  });
});
