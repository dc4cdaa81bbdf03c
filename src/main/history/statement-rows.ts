/**
 * The row shapes of the history tables, as the named statements read and write them, and what
 * every statement file shares: the statement spec type and the common SQL pieces.
 *
 * Rows are the database's shapes (snake_case, booleans as 0/1, JSON as text); `rows.ts` maps them
 * to the domain types of `src/shared/types.ts`. Follows style.md ("Bruno's SQLite package").
 */

/** A row of `runs`. */
export interface RunRow {
  id: string;
  kind: string;
  profile: string;
  transport: string;
  options_json: string;
  started_wall_ms: number;
  ended_wall_ms: number | null;
  ok: 0 | 1 | null;
}

/** The columns of `calls` a listing needs (no INVITE text, no verdict). */
export interface CallSummaryRow {
  id: string;
  run_id: string | null;
  call_id: string;
  role: string;
  transport: string;
  profile: string;
  state: string;
  from_uri: string;
  to_uri: string;
  request_uri: string;
  contact_id: string | null;
  contact_id_ok: 0 | 1 | null;
  started_wall_ms: number;
  ended_wall_ms: number | null;
  end_json: string | null;
  latency_json: string;
}

/** A full row of `calls`. `invite_headers_json` is set exactly when `invite_raw` is. */
export interface CallRow extends CallSummaryRow {
  invite_raw: string | null;
  invite_headers_json: string | null;
  verdict_json: string | null;
  media_json: string | null;
}

/** A row of `sip_messages` as read back (without its own id). `status` is null for a request. */
export interface SipMessageRow {
  call_ref: string;
  seq: number;
  call_id: string;
  direction: string;
  transport: string;
  local_addr: string;
  remote_addr: string;
  mono_ms: number;
  wall_ms: number;
  first_line: string;
  method: string;
  status: number | null;
  raw: string;
}

/** A row of `signals`. `exchange_json` is already redacted. */
export interface SignalRow {
  id: string;
  call_ref: string | null;
  run_id: string | null;
  contact_id: string;
  params_json: string;
  url: string;
  status: number | null;
  ok: 0 | 1;
  message: string;
  ms: number | null;
  token_ms: number | null;
  done_mono_ms: number | null;
  wall_ms: number;
  exchange_json: string;
}

/** A row of `checks`. */
export interface CheckRow {
  run_id: string | null;
  call_ref: string | null;
  name: string;
  ok: 0 | 1;
  detail: string;
  /** 1 when the check is a warning (issue 14, migration 6). */
  warn: 0 | 1;
  /** The rule's source as JSON `{kind, ref, why?}`; null when none (migration 6). */
  source_json: string | null;
}

/** A row of `script_steps` (migration 7) as read back (without its own id). */
export interface ScriptStepRow {
  call_ref: string;
  run_id: string | null;
  seq: number;
  mono_ms: number;
  wall_ms: number;
  kind: string;
  label: string;
  text: string;
  source: string | null;
  /** JSON of the step's p1..p9 (migration 8); null: none, or a row stored before it. */
  params_json: string | null;
  /** The contact the step concerns (migration 8); null: none, or a row stored before it. */
  contact_id: string | null;
}

/** A row of `settings`: one non-secret setting as JSON. */
export interface SettingRow {
  kind: string;
  id: string;
  json: string;
  updated_wall_ms: number;
}

/** What a statement returns: nothing, one row or null, or all rows. */
export type StatementKind = 'exec' | 'one' | 'many';

/** One statement's type: its kind, bind parameters (`@name` in the SQL) and row shape. */
export interface Spec<K extends StatementKind, P, R> {
  kind: K;
  params: P;
  row: R;
}

/** The SQL of each statement of a types table `T` (name → {@link Spec}), with its kind. */
export type StatementTable<T extends { [N in keyof T]: Spec<StatementKind, unknown, unknown> }> = {
  readonly [N in keyof T]: { kind: T[N]['kind']; sql: string };
};

/** The columns of {@link CallSummaryRow}, for a `SELECT` list. */
export const CALL_SUMMARY_COLUMNS = `id, run_id, call_id, role, transport, profile, state, from_uri, to_uri, request_uri,
  contact_id, contact_id_ok, started_wall_ms, ended_wall_ms, end_json, latency_json`;
/** Newest first by start time; `rowid` breaks ties (insertion order). */
export const NEWEST_FIRST = 'ORDER BY started_wall_ms DESC, rowid DESC';
