/**
 * A run as the history store returns it (design.md §5): the `runs` row with its call ids and
 * run-level checks, read through the connection's {@link Statements}.
 */
import type { CheckResult } from '../../shared/types';
import { fromBit, parseJson, rowToCheck } from './rows';
import type { RunRow, Statements } from './statements';

/** One test run (a handoff, an answer session, a dashboard session) and the calls it made. */
export interface RunRecord {
  id: string;
  /** e.g. `handoff`, `answer`, `dashboard`. */
  kind: string;
  /** Vendor profile id. */
  profile: string;
  transport: string;
  options: Record<string, unknown>;
  /** Unix epoch ms. */
  startedWallMs: number;
  /** Unix epoch ms; null while the run is going on. */
  endedWallMs: number | null;
  /** Outcome; null while running or when undecided. */
  ok: boolean | null;
  /** Internal ids of the run's calls, oldest first. */
  callIds: string[];
  /** Run-level checks (those recorded without a call), in insertion order. */
  checks: CheckResult[];
}


/**
 * Reads a run's calls and run-level checks and maps its row to a {@link RunRecord} (an
 * unparseable `options_json` reads as `{}`). Call inside a read transaction for one snapshot.
 */
export function readRun(st: Statements, r: RunRow): RunRecord {
  return {
    id: r.id,
    kind: r.kind,
    profile: r.profile,
    transport: r.transport,
    options: parseJson<Record<string, unknown>>(r.options_json, {}),
    startedWallMs: r.started_wall_ms,
    endedWallMs: r.ended_wall_ms,
    ok: fromBit(r.ok),
    callIds: st.many('call_ids_by_run', { run_id: r.id }).map((c) => c.id),
    checks: st.many('checks_by_run', { run_id: r.id }).map(rowToCheck),
  };
}
