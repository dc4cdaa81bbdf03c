/**
 * The verdict history and latency trend of each scenario (issue 6, monitoring): the stored runs
 * of one kind (e.g. `handoff`) grouped by profile and transport, oldest first, with each run's
 * verdict, failed checks and latency marks, and the median / 95th percentile of each mark.
 */
import { LATENCY_MARK_NAMES, type LatencyMarkName, type LatencyMarks } from '../../shared/types';
import type { HistoryStore } from '../history/store';

/** One run of a scenario. */
export interface TrendPoint {
  runId: string;
  startedWallMs: number;
  /** The run's verdict; null while running or undecided. */
  ok: boolean | null;
  /** Latency of the run: the bot leg's marks, with the CXone leg's view of INVITE→100/180/200 (as the run report). */
  latency: LatencyMarks;
  /** Names of the checks that failed (empty when it passed). */
  failedChecks: string[];
  /** Faults injected in the emulator for this run (CLI spellings). */
  faults: string[];
}

/** Summary statistics of one latency mark over a trend (ms). */
export interface MarkTrend {
  count: number;
  median: number;
  p95: number;
  last: number;
}

/** The history of one scenario: kind + profile + transport. */
export interface ScenarioTrend {
  kind: string;
  profile: string;
  transport: string;
  /** Oldest first. */
  points: TrendPoint[];
  passed: number;
  failed: number;
  marks: Partial<Record<LatencyMarkName, MarkTrend>>;
}

/** The q-quantile (0..1) of sorted numbers, nearest rank. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * Reads the trends of every scenario of a kind.
 * @param opts.kind - run kind (default `handoff`); `profile`/`transport` restrict to one scenario.
 * @param opts.limit - newest runs considered (default 200).
 * @returns one trend per scenario, most recently run first.
 */
export function scenarioTrends(store: HistoryStore, opts: { kind?: string; profile?: string; transport?: string; limit?: number } = {}): ScenarioTrend[] {
  const kind = opts.kind ?? 'handoff';
  const runs = store
    .listRuns({ limit: 10_000 })
    .filter((r) => r.kind === kind && (opts.profile === undefined || r.profile === opts.profile) && (opts.transport === undefined || r.transport === opts.transport))
    .slice(0, opts.limit ?? 200);
  const groups = new Map<string, ScenarioTrend>();
  for (const run of runs) {
    const key = `${run.profile}|${run.transport}`;
    let g = groups.get(key);
    if (!g) {
      g = { kind, profile: run.profile, transport: run.transport, points: [], passed: 0, failed: 0, marks: {} };
      groups.set(key, g);
    }
    const calls = store.listCalls({ runId: run.id, limit: 50 });
    const latency: LatencyMarks = {};
    for (const c of calls.filter((x) => x.role === 'uas')) Object.assign(latency, c.latency);
    for (const c of calls.filter((x) => x.role === 'uac')) {
      for (const m of ['invite_to_100', 'invite_to_180', 'invite_to_200'] as const) if (c.latency[m] !== undefined) latency[m] = c.latency[m];
    }
    const failedChecks =
      run.ok === false
        ? [...run.checks, ...calls.flatMap((c) => store.getCall(c.id)?.checks ?? [])].filter((k) => !k.ok).map((k) => k.name)
        : [];
    const faults = Array.isArray(run.options.faults) ? run.options.faults.map(String) : [];
    g.points.push({ runId: run.id, startedWallMs: run.startedWallMs, ok: run.ok, latency, failedChecks: [...new Set(failedChecks)], faults });
    if (run.ok === true) g.passed++;
    if (run.ok === false) g.failed++;
  }
  for (const g of groups.values()) {
    g.points.reverse();
    for (const name of LATENCY_MARK_NAMES) {
      const values = g.points.map((p) => p.latency[name]).filter((v): v is number => v !== undefined);
      if (values.length === 0) continue;
      const sorted = [...values].sort((a, b) => a - b);
      g.marks[name] = { count: values.length, median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), last: values[values.length - 1]! };
    }
  }
  return [...groups.values()];
}

const TREND_MARKS: readonly LatencyMarkName[] = ['invite_to_200', 'answer_to_first_voice', 'signal_http_ms', 'signal_to_bye_ms'];

/**
 * The trend for a terminal: one line per run (time, PASS/FAIL, key marks, failed checks), then
 * pass count and median / p95 per mark.
 * @param lastRuns - how many of the newest runs to list (default 20).
 */
export function formatTrend(t: ScenarioTrend, lastRuns = 20): string {
  const lines = [`${t.kind} ${t.profile} ${t.transport}: ${t.passed} passed, ${t.failed} failed of ${t.points.length} run(s)`];
  for (const p of t.points.slice(-lastRuns)) {
    const marks = TREND_MARKS.map((m) => `${m}=${p.latency[m] ?? '-'}`).join(' ');
    const verdict = p.ok === null ? '....' : p.ok ? 'PASS' : 'FAIL';
    const extra = [p.faults.length ? `faults ${p.faults.join(',')}` : '', p.failedChecks.length ? `failed: ${p.failedChecks.join(', ')}` : ''].filter(Boolean).join('; ');
    lines.push(`  ${new Date(p.startedWallMs).toISOString().slice(0, 19).replace('T', ' ')}  ${verdict}  ${marks}${extra ? `  (${extra})` : ''}`);
  }
  const stats = LATENCY_MARK_NAMES.flatMap((m) => {
    const s = t.marks[m];
    return s ? [`${m} median ${s.median} p95 ${s.p95} (n=${s.count})`] : [];
  });
  if (stats.length > 0) lines.push(`  latency ms: ${stats.join('; ')}`);
  return lines.join('\n');
}
