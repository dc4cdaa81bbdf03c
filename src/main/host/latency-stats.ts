/**
 * Percentiles of the latency marks across calls, by profile and by run (issue 5 item 4). Pure
 * functions over the marks stored with each call (design.md §4 names them).
 */
import type { LatencyStats, MarkStats } from '../../shared/contract';
import { LATENCY_MARK_NAMES, type LatencyMarkName, type LatencyMarks } from '../../shared/types';

/** One call's marks as read from history. */
export interface LatencySample {
  id: string;
  runId: string | null;
  profile: string;
  startedWallMs: number;
  latency: LatencyMarks;
}

/**
 * The p-th percentile (0..100) of sorted values by the nearest-rank method: the smallest value with
 * at least p % of the values at or below it. Null for no values.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/** count, p50, p95, min and max of some values (ms); non-finite values are ignored. */
export function markStats(values: readonly number[]): MarkStats {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    min: sorted[0] ?? null,
    max: sorted[sorted.length - 1] ?? null,
  };
}

function statsOf(samples: readonly LatencySample[]): Partial<Record<LatencyMarkName, MarkStats>> {
  const out: Partial<Record<LatencyMarkName, MarkStats>> = {};
  for (const name of LATENCY_MARK_NAMES) {
    const values = samples.map((s) => s.latency[name]).filter((v): v is number => typeof v === 'number');
    if (values.length > 0) out[name] = markStats(values);
  }
  return out;
}

function dayOf(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(0, 10);
}

/**
 * Aggregates samples (any order) into {@link LatencyStats}: per profile, per run (calls without a
 * run grouped per UTC day as `day:YYYY-MM-DD`), and the per-call series oldest first.
 */
export function latencyStats(samples: readonly LatencySample[]): LatencyStats {
  const oldestFirst = [...samples].sort((a, b) => a.startedWallMs - b.startedWallMs);
  const byProfile = new Map<string, LatencySample[]>();
  const byRun = new Map<string, LatencySample[]>();
  const add = (m: Map<string, LatencySample[]>, key: string, s: LatencySample): void => {
    const list = m.get(key);
    if (list) list.push(s);
    else m.set(key, [s]);
  };
  for (const s of oldestFirst) {
    add(byProfile, s.profile, s);
    add(byRun, s.runId ?? `day:${dayOf(s.startedWallMs)}`, s);
  }
  return {
    calls: samples.length,
    overall: statsOf(oldestFirst),
    byProfile: Object.fromEntries([...byProfile].map(([p, list]) => [p, statsOf(list)])),
    byRun: [...byRun].map(([run, list]) => ({
      run,
      startedWallMs: list[0]!.startedWallMs,
      profile: [...new Set(list.map((s) => s.profile))].join(', '),
      marks: statsOf(list),
    })),
    series: oldestFirst.map((s) => ({ id: s.id, startedWallMs: s.startedWallMs, profile: s.profile, latency: s.latency })),
  };
}
