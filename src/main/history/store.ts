/**
 * The history store (design.md §5): runs, calls, every SIP message raw with its stamps, Signals
 * with their (redacted) HTTP exchange, and checks, in one SQLite file.
 *
 * Every public write is atomic: one statement, or the caller's {@link HistoryStore.transaction}.
 * SQL lives in `statements.ts` and is used here by name only.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { HistoryPage, HistorySearchRequest, RunSummary, SignalListEntry } from '../../shared/contract';
import type { CallDetail, CallRole, CallSummary, CheckResult, LatencyMarks, ScriptStepRecord, SignalRecord, SipMessageRecord } from '../../shared/types';
import * as dashboard from './dashboard-queries';
import { HistoryOpenError, isMemoryFile, openDatabase } from './db';
import { MigrationMismatchError, migrate } from './migrations';
import { closeHistorySession, markInterruptedCalls, openHistorySession, type InterruptedSummary } from './interrupted';
import {
  callToRow,
  parseJson,
  rowToCallSummary,
  rowToCheck,
  rowToInvite,
  rowToMedia,
  rowToSignal,
  rowToSipMessage,
  rowToVerdict,
  signalToRow,
  sipMessageToRow,
  toBit,
  toBitOrNull,
  type CallToSave,
} from './rows';
import { searchCalls } from './search';
import { contactHistory, type ContactHistory } from './contact-search';
import { readRun, type RunRecord } from './runs';
import { rowToScriptStep, scriptStepToRow, withScriptSteps, type ScriptStepToSave } from './script-steps';
import { Statements, type CallSummaryRow } from './statements';

export type { CallToSave } from './rows';
export type { RunRecord } from './runs';
export type { ScriptStepToSave } from './script-steps';

/** Rows a listing returns when no limit is given. */
export const DEFAULT_LIST_LIMIT = 100;
/** The most rows one listing returns. */
export const MAX_LIST_LIMIT = 10_000;

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIST_LIMIT;
  return Math.min(MAX_LIST_LIMIT, Math.max(0, Math.floor(limit)));
}

/**
 * The history of this app in one SQLite file. Synchronous (better-sqlite3): each method returns
 * when its data is committed (or, inside {@link HistoryStore.transaction}, written to it).
 */
export class HistoryStore {
  private readonly st: Statements;
  /** Calls left open by a stopped process, marked `interrupted` when this store opened (interrupted.ts). */
  interruptedAtOpen: InterruptedSummary = { calls: 0, runs: 0, sessions: 0 };

  private constructor(
    private readonly db: Database.Database,
    /** Absolute path of the database file, or `:memory:`. */
    readonly file: string,
  ) {
    this.st = new Statements(db);
  }

  /**
   * Opens a history database, creating the file and its directory when absent, and applies the
   * missing migrations (each in one transaction).
   * @param file - path of the SQLite file, or `:memory:` for a throw-away store.
   * @throws HistoryOpenError when the file cannot be opened or is not a database, or a migration fails.
   * @throws MigrationMismatchError (its message names the migration) when an applied migration was
   *   edited, or the database comes from a newer version.
   */
  static open(file: string): HistoryStore {
    const db = openDatabase(file);
    try {
      migrate(db);
      const store = new HistoryStore(db, isMemoryFile(file) ? file : resolve(file));
      store.interruptedAtOpen = markInterruptedCalls(db);
      openHistorySession(db);
      return store;
    } catch (e) {
      db.close();
      if (e instanceof MigrationMismatchError || e instanceof HistoryOpenError) throw e;
      throw new HistoryOpenError(file, (e as Error).message, { cause: e });
    }
  }

  /** Closes the database (checkpointing the WAL). Idempotent; any other method then throws. */
  close(): void {
    closeHistorySession(this.db);
    if (this.db.open) this.db.close();
  }

  /**
   * Runs `fn` in one transaction: all its writes are committed together, or none when it throws
   * (the error is rethrown). Nested calls become savepoints.
   * @param fn - synchronous; a function returning a Promise is refused (TypeError, rolled back),
   *   because its awaited writes would escape the transaction.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(() => {
      const result = fn();
      if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
        throw new TypeError('HistoryStore.transaction takes a synchronous function (it returned a Promise)');
      }
      return result;
    })();
  }

  /**
   * Records the start of a run.
   * @returns the run id: `run.id`, or a new UUID.
   * @throws SqliteError when a run with that id exists.
   */
  createRun(run: {
    id?: string;
    kind: string;
    profile: string;
    transport: string;
    options?: Record<string, unknown>;
    startedWallMs: number;
  }): string {
    const id = run.id ?? randomUUID();
    this.st.exec('run_insert', {
      id,
      kind: run.kind,
      profile: run.profile,
      transport: run.transport,
      options_json: JSON.stringify(run.options ?? {}),
      started_wall_ms: run.startedWallMs,
    });
    return id;
  }

  /**
   * Records the end of a run and its outcome.
   * @param result - `ok` null when undecided; `endedWallMs` Unix ms.
   * @throws Error when no run has that id.
   */
  finishRun(id: string, result: { ok: boolean | null; endedWallMs: number }): void {
    const { changes } = this.st.exec('run_finish', { id, ok: toBitOrNull(result.ok), ended_wall_ms: result.endedWallMs });
    if (changes === 0) throw new Error(`history: no run ${id}`);
  }

  /**
   * Deletes a run with its calls, their SIP messages and checks, and the run's signals (signals of
   * its calls that carry no run id keep their record with `callRef` null).
   * @returns false when there was no such run.
   */
  deleteRun(id: string): boolean {
    return this.st.exec('run_delete', { id }).changes > 0;
  }

  /** A run with its call ids and run-level checks; null when unknown. */
  getRun(id: string): RunRecord | null {
    return this.read(() => {
      const row = this.st.one('run_by_id', { id });
      return row ? readRun(this.st, row) : null;
    });
  }

  /** Runs, newest first (by start time). `limit` defaults to 100, at most 10 000. */
  listRuns(opts: { limit?: number } = {}): RunRecord[] {
    return this.read(() => this.st.many('runs_recent', { limit: clampLimit(opts.limit) }).map((r) => readRun(this.st, r)));
  }

  /**
   * Inserts a call or updates it by `id`. The summary fields are replaced; the INVITE and the
   * contact-id verdict are replaced when given and kept when absent or null (once stored they are
   * never cleared).
   * @throws SqliteError when `runId` names no run.
   */
  saveCall(call: CallToSave): void {
    this.st.exec('call_upsert', callToRow(call));
  }

  /**
   * Appends a SIP message to a call, raw text as is (RFC 3261 digest credentials included: they
   * are a hash, part of the trace). Its `seq` is one more than the call's last.
   * @throws SqliteError when `callRef` names no call.
   */
  addSipMessage(callRef: string, rec: SipMessageRecord): void {
    this.st.exec('sip_message_insert', sipMessageToRow(callRef, rec));
  }

  /**
   * Records a Signal and its HTTP exchange, redacted first (`redact.ts`: secret headers and body
   * keys of the exchange, secret query parameters of the URL, tokens in the message). Without
   * `runId` the signal joins its call's run.
   * @throws SqliteError when the id exists, or `callRef`/`runId` names no call/run.
   */
  addSignal(rec: SignalRecord & { runId?: string | null }): void {
    this.st.exec('signal_insert', signalToRow(rec));
  }

  /**
   * Records a check. With `callRef` it shows in {@link getCall}; with only `runId`, in the run's
   * `checks`.
   * @throws SqliteError when `runId`/`callRef` names no run/call.
   */
  addCheck(check: CheckResult & { runId: string | null; callRef: string | null }): void {
    this.st.exec('check_insert', {
      run_id: check.runId,
      call_ref: check.callRef,
      name: check.name,
      ok: toBit(check.ok),
      detail: check.detail,
      warn: toBit(check.warn === true),
      source_json: check.source ? JSON.stringify(check.source) : null,
    });
  }

  /**
   * Appends one step of the emulated CXone script to the leg it placed (migration 7); its `seq` is
   * one more than the call's last. `runId` null: the call's run.
   * @throws SqliteError when `callRef` names no call (or `runId` no run).
   */
  addScriptStep(callRef: string, runId: string | null, step: ScriptStepToSave): void {
    this.st.exec('script_step_insert', scriptStepToRow(callRef, runId, step));
  }

  /** The emulated script's steps on one call, in `seq` order; empty when it had none. */
  scriptSteps(callRef: string): ScriptStepRecord[] {
    return this.st.many('script_steps_by_call', { call_ref: callRef }).map(rowToScriptStep);
  }

  /**
   * Calls, newest first (by start time), optionally of one run and/or one ContactId.
   * `limit` defaults to 100, at most 10 000.
   */
  listCalls(opts: { limit?: number; runId?: string; contactId?: string } = {}): CallSummary[] {
    const limit = clampLimit(opts.limit);
    const { runId, contactId } = opts;
    let rows: CallSummaryRow[];
    if (runId !== undefined && contactId !== undefined) {
      rows = this.st.many('calls_by_run_and_contact', { run_id: runId, contact_id: contactId, limit });
    } else if (runId !== undefined) {
      rows = this.st.many('calls_by_run', { run_id: runId, limit });
    } else if (contactId !== undefined) {
      rows = this.st.many('calls_by_contact', { contact_id: contactId, limit });
    } else {
      rows = this.st.many('calls_recent', { limit });
    }
    return rows.map(rowToCallSummary);
  }

  /**
   * Everything about one call: SIP messages in `seq` order, signals in time order, its checks in
   * insertion order. Null when unknown.
   */
  getCall(id: string): CallDetail | null {
    return this.read(() => {
      const row = this.st.one('call_by_id', { id });
      if (!row) return null;
      return {
        ...rowToCallSummary(row),
        invite: rowToInvite(row),
        verdict: rowToVerdict(row),
        media: rowToMedia(row),
        messages: this.st.many('sip_messages_by_call', { call_ref: id }).map(rowToSipMessage),
        signals: this.st.many('signals_by_call', { call_ref: id }).map(rowToSignal),
        checks: this.st.many('checks_by_call', { call_ref: id }).map(rowToCheck),
        ...withScriptSteps(this.st.many('script_steps_by_call', { call_ref: id }).map(rowToScriptStep)),
      };
    });
  }

  /**
   * The call with this SIP Call-ID. Both legs of an emulated call share one Call-ID in one
   * process: give `role` to choose the leg; otherwise the most recently started call is returned.
   * Null when none.
   */
  findCallBySipCallId(callId: string, role?: CallRole): CallSummary | null {
    const row =
      role === undefined
        ? this.st.one('call_by_sip_call_id', { call_id: callId })
        : this.st.one('call_by_sip_call_id_and_role', { call_id: callId, role });
    return row ? rowToCallSummary(row) : null;
  }

  /**
   * One page of the history search, newest first: `text` as a prefix of the contact id or Call-ID,
   * or a substring (≥ 3 characters) of From, To or the Request-URI (`search.ts` has the details).
   */
  searchCalls(q: HistorySearchRequest): HistoryPage {
    return searchCalls(this.st, q);
  }

  /** Everything that carried one contact id (issue 15): calls of every run kind, their twin legs, Signals; contact-search.ts. */
  contactHistory(contactId: string, opts: { limit?: number } = {}): ContactHistory {
    return this.read(() => contactHistory(this.st, contactId, clampLimit(opts.limit ?? MAX_LIST_LIMIT)));
  }

  /** Runs with their number of calls, newest first. `limit` defaults to 100, at most 10 000. */
  listRunSummaries(opts: { limit?: number } = {}): RunSummary[] {
    return dashboard.listRunSummaries(this.st, clampLimit(opts.limit));
  }

  /** Signals of every call, newest first, with their call's profile (already redacted when stored). */
  listSignals(opts: { limit?: number } = {}): SignalListEntry[] {
    return dashboard.listSignals(this.st, clampLimit(opts.limit));
  }

  /** The latency marks of the newest calls that have any, newest first. `limit` defaults to 100, at most 10 000. */
  latencySamples(opts: { limit?: number } = {}): Array<{ id: string; runId: string | null; profile: string; startedWallMs: number; latency: LatencyMarks }> {
    return dashboard.latencySamples(this.st, clampLimit(opts.limit));
  }

  /**
   * Stores one non-secret setting (JSON) under `kind`/`id`, replacing it. The caller validates the
   * value and keeps secrets out of it (they belong in the keychain).
   */
  putSetting(kind: string, id: string, value: unknown, wallMs: number = Date.now()): void {
    this.st.exec('setting_upsert', { kind, id, json: JSON.stringify(value), updated_wall_ms: wallMs });
  }

  /** Deletes a setting. @returns false when there was none. */
  deleteSetting(kind: string, id: string): boolean {
    return this.st.exec('setting_delete', { kind, id }).changes > 0;
  }

  /** Every setting of a kind, oldest first, as parsed JSON (a damaged row is skipped). */
  listSettings(kind: string): Array<{ id: string; value: unknown }> {
    return this.st
      .many('settings_by_kind', { kind })
      .map((r) => ({ id: r.id, value: parseJson<unknown>(r.json, undefined) }))
      .filter((r) => r.value !== undefined);
  }

  /** Runs several reads on one snapshot (a deferred transaction), so that another process's write cannot land between them. */
  private read<T>(fn: () => T): T {
    return this.db.transaction(fn).deferred();
  }
}
