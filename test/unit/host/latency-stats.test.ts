import { describe, expect, it } from 'vitest';
import { latencyStats, markStats, percentile } from '../../../src/main/host/latency-stats';

describe('percentile (nearest rank)', () => {
  it('picks the smallest value with at least p % at or below it', () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 95)).toBe(10);
    expect(percentile(v, 0)).toBe(1);
    expect(percentile([42], 95)).toBe(42);
    expect(percentile([], 50)).toBeNull();
  });
  it('markStats sorts and ignores non-finite values', () => {
    expect(markStats([30, 10, Number.NaN, 20])).toEqual({ count: 3, p50: 20, p95: 30, min: 10, max: 30 });
  });
});

describe('latencyStats', () => {
  const day = Date.UTC(2025, 2, 7, 12);
  const samples = [
    { id: 'a', runId: 'r1', profile: 'kore', startedWallMs: day + 3, latency: { invite_to_200: 30, signal_http_ms: 100 } },
    { id: 'b', runId: 'r1', profile: 'kore', startedWallMs: day + 1, latency: { invite_to_200: 10 } },
    { id: 'c', runId: null, profile: 'watson', startedWallMs: day + 2, latency: { invite_to_200: 20 } },
  ];
  it('groups by profile and by run (calls without a run by UTC day), series oldest first', () => {
    const s = latencyStats(samples);
    expect(s.calls).toBe(3);
    expect(s.overall.invite_to_200).toMatchObject({ count: 3, p50: 20, p95: 30 });
    expect(s.byProfile.kore!.invite_to_200).toMatchObject({ count: 2, p50: 10, p95: 30 });
    expect(s.byProfile.kore!.signal_http_ms).toMatchObject({ count: 1, p50: 100 });
    expect(s.byProfile.watson!.signal_http_ms).toBeUndefined();
    expect(s.byRun.map((r) => r.run)).toEqual(['r1', 'day:2025-03-07']);
    expect(s.series.map((x) => x.id)).toEqual(['b', 'c', 'a']);
  });
});
