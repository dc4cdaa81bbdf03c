/**
 * The dashboard's listings across the whole history (issue 5: `history/runs`, `signals/list`,
 * `latency/stats`): runs with their call counts, recent Signals with their call's profile, and the
 * latency marks of recent calls. Each runs one named statement through the connection's
 * {@link Statements}; the caller clamps `limit`.
 */
import type { RunSummary, SignalListEntry } from '../../shared/contract';
import type { LatencyMarks } from '../../shared/types';
import { fromBit, parseJson, rowToSignal } from './rows';
import type { Statements } from './statements';

/** Runs with their number of calls, newest first; at most `limit` (already clamped). */
export function listRunSummaries(st: Statements, limit: number): RunSummary[] {
  return st.many('runs_recent_counted', { limit }).map((r) => ({
    id: r.id,
    kind: r.kind,
    profile: r.profile,
    transport: r.transport,
    startedWallMs: r.started_wall_ms,
    endedWallMs: r.ended_wall_ms,
    ok: fromBit(r.ok),
    callCount: r.call_count,
  }));
}

/** Signals of every call, newest first, with their call's profile (already redacted when stored). */
export function listSignals(st: Statements, limit: number): SignalListEntry[] {
  return st.many('signals_recent', { limit }).map((r) => ({ ...rowToSignal(r), profile: r.profile }));
}

/** The latency marks of the newest calls that have any, newest first (a damaged JSON reads as `{}`). */
export function latencySamples(
  st: Statements,
  limit: number,
): Array<{ id: string; runId: string | null; profile: string; startedWallMs: number; latency: LatencyMarks }> {
  return st.many('calls_latency_recent', { limit }).map((r) => ({
    id: r.id,
    runId: r.run_id,
    profile: r.profile,
    startedWallMs: r.started_wall_ms,
    latency: parseJson<LatencyMarks>(r.latency_json, {}),
  }));
}
