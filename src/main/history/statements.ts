/**
 * Every SQL statement of the history store, by name (style.md, "Bruno's SQLite package").
 *
 * Like sqlc/Bruno's `-- name: calls_by_contact :many`, each entry has a name, a result kind
 * (`exec`: no rows; `one`: first row or null; `many`: all rows) and its SQL. {@link StatementTypes}
 * gives each name its bind parameters and row shape, so the compiler checks every call site. Only
 * names cross module boundaries: no SQL text lives outside this file, `search-statements.ts` (the
 * history search, merged in here) and the migrations.
 *
 * Row shapes live in `statement-rows.ts` and are re-exported here; `rows.ts` maps them to the
 * domain types of `src/shared/types.ts`.
 */
import type Database from 'better-sqlite3';
import { SEARCH_STATEMENTS, type SearchStatementTypes } from './search-statements';
import { CONTACT_STATEMENTS, type ContactStatementTypes } from './contact-statements';
import {
  CALL_SUMMARY_COLUMNS,
  NEWEST_FIRST,
  type CallRow,
  type CallSummaryRow,
  type CheckRow,
  type RunRow,
  type ScriptStepRow,
  type SettingRow,
  type SignalRow,
  type SipMessageRow,
  type Spec,
  type StatementKind,
  type StatementTable,
} from './statement-rows';

export type {
  CallRow,
  CallSummaryRow,
  CheckRow,
  RunRow,
  ScriptStepRow,
  SettingRow,
  SignalRow,
  SipMessageRow,
  StatementKind,
} from './statement-rows';
export type { CallSearchRow, PrefixRange, SearchFilter } from './search-statements';

type ById = { id: string };
type ByRun = { run_id: string };
type ByCall = { call_ref: string };
type Limit = { limit: number };

/**
 * Each statement's name → its kind, bind parameters (`@name` in the SQL) and row shape; the search
 * statements come from {@link SearchStatementTypes}.
 */
export interface StatementTypes extends SearchStatementTypes, ContactStatementTypes {
  run_insert: Spec<'exec', Omit<RunRow, 'ended_wall_ms' | 'ok'>, never>;
  run_finish: Spec<'exec', Pick<RunRow, 'id' | 'ended_wall_ms' | 'ok'>, never>;
  run_delete: Spec<'exec', ById, never>;
  run_by_id: Spec<'one', ById, RunRow>;
  runs_recent: Spec<'many', Limit, RunRow>;
  call_ids_by_run: Spec<'many', ByRun, { id: string }>;
  checks_by_run: Spec<'many', ByRun, CheckRow>;
  call_upsert: Spec<'exec', CallRow, never>;
  call_by_id: Spec<'one', ById, CallRow>;
  call_by_sip_call_id: Spec<'one', { call_id: string }, CallSummaryRow>;
  call_by_sip_call_id_and_role: Spec<'one', { call_id: string; role: string }, CallSummaryRow>;
  calls_recent: Spec<'many', Limit, CallSummaryRow>;
  calls_by_run: Spec<'many', ByRun & Limit, CallSummaryRow>;
  calls_by_contact: Spec<'many', { contact_id: string } & Limit, CallSummaryRow>;
  calls_by_run_and_contact: Spec<'many', ByRun & { contact_id: string } & Limit, CallSummaryRow>;
  sip_message_insert: Spec<'exec', Omit<SipMessageRow, 'seq'>, never>;
  sip_messages_by_call: Spec<'many', ByCall, SipMessageRow>;
  signal_insert: Spec<'exec', SignalRow, never>;
  signals_by_call: Spec<'many', ByCall, SignalRow>;
  check_insert: Spec<'exec', CheckRow, never>;
  checks_by_call: Spec<'many', ByCall, CheckRow>;
  script_step_insert: Spec<'exec', Omit<ScriptStepRow, 'seq'>, never>;
  script_steps_by_call: Spec<'many', ByCall, ScriptStepRow>;
  runs_recent_counted: Spec<'many', Limit, RunRow & { call_count: number }>;
  signals_recent: Spec<'many', Limit, SignalRow & { profile: string | null }>;
  calls_latency_recent: Spec<'many', Limit, Pick<CallSummaryRow, 'id' | 'run_id' | 'profile' | 'started_wall_ms' | 'latency_json'>>;
  setting_upsert: Spec<'exec', SettingRow, never>;
  setting_delete: Spec<'exec', Pick<SettingRow, 'kind' | 'id'>, never>;
  settings_by_kind: Spec<'many', Pick<SettingRow, 'kind'>, SettingRow>;
}

/** Every statement name. */
export type StatementName = keyof StatementTypes;
/** The names of statements of one kind. */
export type NamesOf<K extends StatementKind> = {
  [N in StatementName]: StatementTypes[N]['kind'] extends K ? N : never;
}[StatementName];
/** Bind parameters of a statement. */
export type ParamsOf<N extends StatementName> = StatementTypes[N]['params'];
/** Row shape of a statement. */
export type RowOf<N extends StatementName> = StatementTypes[N]['row'];

/** The SQL of every statement, by name. */
export const STATEMENTS: StatementTable<StatementTypes> = {
  run_insert: {
    kind: 'exec',
    sql: `INSERT INTO runs (id, kind, profile, transport, options_json, started_wall_ms)
          VALUES (@id, @kind, @profile, @transport, @options_json, @started_wall_ms)`,
  },
  run_finish: { kind: 'exec', sql: 'UPDATE runs SET ok = @ok, ended_wall_ms = @ended_wall_ms WHERE id = @id' },
  run_delete: { kind: 'exec', sql: 'DELETE FROM runs WHERE id = @id' },
  run_by_id: { kind: 'one', sql: 'SELECT * FROM runs WHERE id = @id' },
  runs_recent: { kind: 'many', sql: `SELECT * FROM runs ${NEWEST_FIRST} LIMIT @limit` },
  call_ids_by_run: {
    kind: 'many',
    sql: 'SELECT id FROM calls WHERE run_id = @run_id ORDER BY started_wall_ms, rowid',
  },
  checks_by_run: {
    kind: 'many',
    sql: `SELECT run_id, call_ref, name, ok, detail, warn, source_json FROM checks
          WHERE run_id = @run_id AND call_ref IS NULL ORDER BY id`,
  },
  // Upsert: an INVITE or verdict already stored is kept when the new row has none (NULL).
  call_upsert: {
    kind: 'exec',
    sql: `INSERT INTO calls (id, run_id, call_id, role, transport, profile, state, from_uri, to_uri, request_uri,
            contact_id, contact_id_ok, started_wall_ms, ended_wall_ms, end_json, latency_json,
            invite_raw, invite_headers_json, verdict_json, media_json)
          VALUES (@id, @run_id, @call_id, @role, @transport, @profile, @state, @from_uri, @to_uri, @request_uri,
            @contact_id, @contact_id_ok, @started_wall_ms, @ended_wall_ms, @end_json, @latency_json,
            @invite_raw, @invite_headers_json, @verdict_json, @media_json)
          ON CONFLICT (id) DO UPDATE SET
            run_id = excluded.run_id, call_id = excluded.call_id, role = excluded.role,
            transport = excluded.transport, profile = excluded.profile, state = excluded.state,
            from_uri = excluded.from_uri, to_uri = excluded.to_uri, request_uri = excluded.request_uri,
            contact_id = excluded.contact_id, contact_id_ok = excluded.contact_id_ok,
            started_wall_ms = excluded.started_wall_ms, ended_wall_ms = excluded.ended_wall_ms,
            end_json = excluded.end_json, latency_json = excluded.latency_json,
            invite_raw = coalesce(excluded.invite_raw, calls.invite_raw),
            invite_headers_json = CASE WHEN excluded.invite_raw IS NULL
              THEN calls.invite_headers_json ELSE excluded.invite_headers_json END,
            verdict_json = coalesce(excluded.verdict_json, calls.verdict_json),
            media_json = coalesce(excluded.media_json, calls.media_json)`,
  },
  call_by_id: { kind: 'one', sql: 'SELECT * FROM calls WHERE id = @id' },
  call_by_sip_call_id: {
    kind: 'one',
    sql: `SELECT ${CALL_SUMMARY_COLUMNS} FROM calls WHERE call_id = @call_id ${NEWEST_FIRST} LIMIT 1`,
  },
  call_by_sip_call_id_and_role: {
    kind: 'one',
    sql: `SELECT ${CALL_SUMMARY_COLUMNS} FROM calls WHERE call_id = @call_id AND role = @role ${NEWEST_FIRST} LIMIT 1`,
  },
  calls_recent: { kind: 'many', sql: `SELECT ${CALL_SUMMARY_COLUMNS} FROM calls ${NEWEST_FIRST} LIMIT @limit` },
  calls_by_run: {
    kind: 'many',
    sql: `SELECT ${CALL_SUMMARY_COLUMNS} FROM calls WHERE run_id = @run_id ${NEWEST_FIRST} LIMIT @limit`,
  },
  calls_by_contact: {
    kind: 'many',
    sql: `SELECT ${CALL_SUMMARY_COLUMNS} FROM calls WHERE contact_id = @contact_id ${NEWEST_FIRST} LIMIT @limit`,
  },
  calls_by_run_and_contact: {
    kind: 'many',
    sql: `SELECT ${CALL_SUMMARY_COLUMNS} FROM calls WHERE run_id = @run_id AND contact_id = @contact_id
          ${NEWEST_FIRST} LIMIT @limit`,
  },
  // seq = 1 + the call's highest seq, computed in the same statement (atomic under the write lock).
  sip_message_insert: {
    kind: 'exec',
    sql: `INSERT INTO sip_messages (call_ref, seq, call_id, direction, transport, local_addr, remote_addr,
            mono_ms, wall_ms, first_line, method, status, raw)
          SELECT @call_ref, coalesce(max(seq), 0) + 1, @call_id, @direction, @transport, @local_addr, @remote_addr,
            @mono_ms, @wall_ms, @first_line, @method, @status, @raw
          FROM sip_messages WHERE call_ref = @call_ref`,
  },
  sip_messages_by_call: {
    kind: 'many',
    sql: `SELECT call_ref, seq, call_id, direction, transport, local_addr, remote_addr, mono_ms, wall_ms,
            first_line, method, status, raw
          FROM sip_messages WHERE call_ref = @call_ref ORDER BY seq`,
  },
  // A signal sent for a call belongs to that call's run unless a run is given.
  signal_insert: {
    kind: 'exec',
    sql: `INSERT INTO signals (id, call_ref, run_id, contact_id, params_json, url, status, ok, message, ms,
            token_ms, done_mono_ms, wall_ms, exchange_json)
          VALUES (@id, @call_ref, coalesce(@run_id, (SELECT run_id FROM calls WHERE id = @call_ref)),
            @contact_id, @params_json, @url, @status, @ok, @message, @ms, @token_ms, @done_mono_ms, @wall_ms,
            @exchange_json)`,
  },
  signals_by_call: {
    kind: 'many',
    sql: 'SELECT * FROM signals WHERE call_ref = @call_ref ORDER BY wall_ms, rowid',
  },
  check_insert: {
    kind: 'exec',
    sql: `INSERT INTO checks (run_id, call_ref, name, ok, detail, warn, source_json) VALUES (@run_id, @call_ref, @name, @ok, @detail, @warn, @source_json)`,
  },
  checks_by_call: {
    kind: 'many',
    sql: 'SELECT run_id, call_ref, name, ok, detail, warn, source_json FROM checks WHERE call_ref = @call_ref ORDER BY id',
  },
  // The emulated CXone script's steps on the leg it placed (migration 7); seq as for SIP messages.
  script_step_insert: {
    kind: 'exec',
    sql: `INSERT INTO script_steps (call_ref, run_id, seq, mono_ms, wall_ms, kind, label, text, source, params_json, contact_id)
          SELECT @call_ref, coalesce(@run_id, (SELECT run_id FROM calls WHERE id = @call_ref)), coalesce(max(seq), 0) + 1,
            @mono_ms, @wall_ms, @kind, @label, @text, @source, @params_json, @contact_id
          FROM script_steps WHERE call_ref = @call_ref`,
  },
  script_steps_by_call: {
    kind: 'many',
    sql: `SELECT call_ref, run_id, seq, mono_ms, wall_ms, kind, label, text, source, params_json, contact_id
          FROM script_steps WHERE call_ref = @call_ref ORDER BY seq`,
  },
  // History search (issue 5 item 5): search-statements.ts.
  ...SEARCH_STATEMENTS,
  // Search by contact id (issue 15): contact-statements.ts.
  ...CONTACT_STATEMENTS,
  runs_recent_counted: {
    kind: 'many',
    sql: `SELECT runs.*, (SELECT count(*) FROM calls WHERE calls.run_id = runs.id) AS call_count
          FROM runs ${NEWEST_FIRST} LIMIT @limit`,
  },
  signals_recent: {
    kind: 'many',
    sql: `SELECT signals.*, calls.profile AS profile FROM signals LEFT JOIN calls ON calls.id = signals.call_ref
          ORDER BY signals.wall_ms DESC, signals.rowid DESC LIMIT @limit`,
  },
  calls_latency_recent: {
    kind: 'many',
    sql: `SELECT id, run_id, profile, started_wall_ms, latency_json FROM calls
          WHERE latency_json <> '{}' ${NEWEST_FIRST} LIMIT @limit`,
  },
  // Settings (no secret ever: the keychain holds those).
  setting_upsert: {
    kind: 'exec',
    sql: `INSERT INTO settings (kind, id, json, updated_wall_ms) VALUES (@kind, @id, @json, @updated_wall_ms)
          ON CONFLICT (kind, id) DO UPDATE SET json = excluded.json, updated_wall_ms = excluded.updated_wall_ms`,
  },
  setting_delete: { kind: 'exec', sql: 'DELETE FROM settings WHERE kind = @kind AND id = @id' },
  settings_by_kind: { kind: 'many', sql: 'SELECT * FROM settings WHERE kind = @kind ORDER BY updated_wall_ms, id' },
};

/**
 * The prepared statements of one connection, run by name. All are prepared up front, so a
 * statement that does not fit the schema fails when the store opens, not on first use.
 */
export class Statements {
  private readonly prepared = new Map<StatementName, Database.Statement>();

  /**
   * @param db - an open, migrated connection.
   * @throws Error naming the statement when its SQL does not prepare against the schema.
   */
  constructor(db: Database.Database) {
    for (const [name, { sql }] of Object.entries(STATEMENTS) as [StatementName, { sql: string }][]) {
      try {
        this.prepared.set(name, db.prepare(sql));
      } catch (e) {
        throw new Error(`history statement ${name} does not prepare: ${(e as Error).message}`, { cause: e });
      }
    }
  }

  private stmt(name: StatementName): Database.Statement {
    const s = this.prepared.get(name);
    if (!s) throw new Error(`unknown history statement ${name}`);
    return s;
  }

  /**
   * Runs an `exec` statement.
   * @returns better-sqlite3's result: `changes` (rows written) and `lastInsertRowid`.
   * @throws SqliteError on a constraint violation (unknown foreign key, duplicate id…).
   */
  exec<N extends NamesOf<'exec'>>(name: N, params: ParamsOf<N>): Database.RunResult {
    return this.stmt(name).run(params);
  }

  /** Runs a `one` statement: the first row, or null when there is none. */
  one<N extends NamesOf<'one'>>(name: N, params: ParamsOf<N>): RowOf<N> | null {
    return (this.stmt(name).get(params) as RowOf<N> | undefined) ?? null;
  }

  /** Runs a `many` statement: all rows, in the statement's order. */
  many<N extends NamesOf<'many'>>(name: N, params: ParamsOf<N>): RowOf<N>[] {
    return this.stmt(name).all(params) as RowOf<N>[];
  }
}
