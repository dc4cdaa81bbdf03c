/**
 * Calls left open by a process that stopped (issue 12 §3): a `lab answer` killed with SIGKILL, a
 * crash, a power cut. Their rows say `answered` (or `ringing`…) for ever unless someone closes them.
 *
 * How it is decided, without guessing from the clock:
 * - Each connection ({@link openHistorySession}, called by `HistoryStore.open`) writes a row in
 *   `history_sessions` (its pid and host) and a TEMP trigger that stamps every call it inserts with
 *   that session's id (`calls.session_id`). A TEMP trigger belongs to the connection only, so other
 *   processes sharing the file stamp their own calls.
 * - At open, every call still open (no end stamp, state not ended/failed/interrupted) whose session
 *   is gone (its process is not alive on this host, or no session at all: written before migration
 *   4) is marked `interrupted`, its end stamp set to the time it was last seen (its last SIP
 *   message's wall clock, else its start), and its run closed with `ok = 0` when still open.
 * - A clean close deletes the session row ({@link closeHistorySession}).
 *
 * A call of a live process (the dashboard and a `lab answer` on one file) is never touched. A
 * session on another host is left alone (its process cannot be checked from here).
 *
 * SQL of this concern lives here (like search-statements.ts, one concept per file); the schema is
 * migration 4 in migrations.ts.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';

/** What {@link markInterruptedCalls} changed. */
export interface InterruptedSummary {
  /** Calls marked `interrupted`. */
  calls: number;
  /** Runs closed (ended stamp set, `ok = 0`) because one of their calls was interrupted. */
  runs: number;
  /** Sessions of stopped processes removed. */
  sessions: number;
}

/** The `end` stored on an interrupted call (JSON of `CallEnd`). */
export const INTERRUPTED_REASON = 'interrupted: the process recording it stopped before the call ended';

/**
 * True when a process with this pid runs on this machine (signal 0: nothing is sent; EPERM means
 * it exists but is someone else's). A zombie (killed, not yet reaped by its parent: state `Z` in
 * Linux's /proc/<pid>/stat, proc(5)) is not alive.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S …": the state follows the last ')' (comm may hold parentheses).
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS, Windows): trust kill(0)
  }
}

/** Sessions opened by this process, by connection (for the clean close). */
const sessions = new WeakMap<Database.Database, string>();

/**
 * Registers this connection as a live session and stamps the calls it inserts with the session id
 * (a TEMP trigger: per connection). In-memory databases get one too (harmless).
 * @returns the session id (UUID). @throws SqliteError when migration 4 is not applied.
 */
export function openHistorySession(db: Database.Database, now: () => number = Date.now): string {
  const id = randomUUID();
  db.prepare('INSERT INTO history_sessions (id, pid, host, opened_wall_ms) VALUES (?, ?, ?, ?)').run(id, process.pid, hostname(), now());
  // The id is a UUID we made (hex and dashes): safe to inline; a trigger body takes no parameters.
  db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS calls_session_stamp AFTER INSERT ON main.calls
    FOR EACH ROW WHEN new.session_id IS NULL
    BEGIN UPDATE main.calls SET session_id = '${id}' WHERE rowid = new.rowid; END`);
  sessions.set(db, id);
  return id;
}

/**
 * Removes this connection's session row (a clean close: its open calls, if any, will be marked
 * interrupted by the next start since no live session owns them). Never throws.
 */
export function closeHistorySession(db: Database.Database): void {
  const id = sessions.get(db);
  if (!id || !db.open) return;
  try {
    db.prepare('DELETE FROM history_sessions WHERE id = ?').run(id);
  } catch {
    // A read-only or busy file: the row stays and the next start checks the pid instead.
  }
  sessions.delete(db);
}

/**
 * Marks the calls of stopped processes `interrupted` (see the file comment), in one transaction.
 * @param alive - whether a pid is alive on this host (tests pass their own).
 * @returns the counts. @throws SqliteError on a database error (the transaction is rolled back).
 */
export function markInterruptedCalls(db: Database.Database, alive: (pid: number) => boolean = processAlive): InterruptedSummary {
  const host = hostname();
  const rows = db.prepare<[], { id: string; pid: number; host: string }>('SELECT id, pid, host FROM history_sessions').all();
  const dead = rows.filter((r) => r.host === host && !alive(r.pid)).map((r) => r.id);
  const live = rows.filter((r) => !dead.includes(r.id)).map((r) => r.id);
  const tx = db.transaction((): InterruptedSummary => {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS live_sessions (id TEXT PRIMARY KEY)');
    db.exec('DELETE FROM temp.live_sessions');
    const addLive = db.prepare('INSERT INTO temp.live_sessions (id) VALUES (?)');
    for (const id of live) addLive.run(id);
    const open = db
      .prepare<[], { id: string; run_id: string | null; last_seen: number }>(
        `SELECT c.id, c.run_id,
                COALESCE((SELECT MAX(m.wall_ms) FROM sip_messages m WHERE m.call_ref = c.id), c.started_wall_ms) AS last_seen
           FROM calls c
          WHERE c.ended_wall_ms IS NULL
            AND c.state NOT IN ('ended', 'failed', 'interrupted')
            AND (c.session_id IS NULL OR c.session_id NOT IN (SELECT id FROM temp.live_sessions))`,
      )
      .all();
    const mark = db.prepare(`UPDATE calls SET state = 'interrupted', ended_wall_ms = ?, end_json = ? WHERE id = ?`);
    const end = JSON.stringify({ by: 'none', reason: INTERRUPTED_REASON });
    const runLastSeen = new Map<string, number>();
    for (const c of open) {
      mark.run(c.last_seen, end, c.id);
      if (c.run_id) runLastSeen.set(c.run_id, Math.max(runLastSeen.get(c.run_id) ?? 0, c.last_seen));
    }
    const closeRun = db.prepare('UPDATE runs SET ended_wall_ms = ?, ok = 0 WHERE id = ? AND ended_wall_ms IS NULL');
    let runs = 0;
    for (const [runId, at] of runLastSeen) runs += closeRun.run(at, runId).changes;
    const drop = db.prepare('DELETE FROM history_sessions WHERE id = ?');
    for (const id of dead) drop.run(id);
    return { calls: open.length, runs, sessions: dead.length };
  });
  return tx.immediate();
}
