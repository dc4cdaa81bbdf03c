/**
 * Schema migrations of the history database (design.md §5).
 *
 * Migrations are an ordered list; each one, once applied, is recorded in `schema_migrations` with
 * its id, name, the sha256 of its SQL and the wall-clock time it was applied. An applied migration
 * is never edited: when the code's SQL for an applied id hashes differently, {@link migrate}
 * refuses the database instead of guessing. To change the schema, append a new migration.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/** One schema change. `id`s start at 1 and increase by one; `sql` may hold several statements. */
export interface Migration {
  id: number;
  /** Short snake_case name, shown in errors. */
  name: string;
  /** SQL run with `exec`; must not contain `BEGIN`/`COMMIT` (the migrator wraps it in a transaction). */
  sql: string;
}

/**
 * Migration 1: runs, calls, SIP messages, signals, checks.
 *
 * Booleans are INTEGER 0/1 (NULL where the type allows null). Times are REAL milliseconds:
 * `*_wall_ms` Unix epoch, `mono_ms` monotonic. Structured fields are JSON text (`*_json`).
 * Enumerations that may grow (state, role, transport, kind) carry no CHECK, so that adding a value
 * needs no table rebuild. A call's messages and checks go with it; a signal outlives its call
 * (`call_ref` set to NULL) but goes with its run.
 */
const M1_INITIAL = `
CREATE TABLE runs (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL,
  profile         TEXT NOT NULL,
  transport       TEXT NOT NULL,
  options_json    TEXT NOT NULL DEFAULT '{}',
  started_wall_ms REAL NOT NULL,
  ended_wall_ms   REAL,
  ok              INTEGER CHECK (ok IN (0, 1))
);
CREATE INDEX runs_started ON runs (started_wall_ms);

CREATE TABLE calls (
  id                  TEXT PRIMARY KEY,
  run_id              TEXT REFERENCES runs (id) ON DELETE CASCADE,
  call_id             TEXT NOT NULL,
  role                TEXT NOT NULL,
  transport           TEXT NOT NULL,
  profile             TEXT NOT NULL,
  state               TEXT NOT NULL,
  from_uri            TEXT NOT NULL,
  to_uri              TEXT NOT NULL,
  request_uri         TEXT NOT NULL,
  contact_id          TEXT,
  contact_id_ok       INTEGER CHECK (contact_id_ok IN (0, 1)),
  started_wall_ms     REAL NOT NULL,
  ended_wall_ms       REAL,
  end_json            TEXT,
  latency_json        TEXT NOT NULL DEFAULT '{}',
  invite_raw          TEXT,
  invite_headers_json TEXT,
  verdict_json        TEXT
);
CREATE INDEX calls_contact_id ON calls (contact_id);
CREATE INDEX calls_call_id ON calls (call_id);
CREATE INDEX calls_run_id ON calls (run_id);
CREATE INDEX calls_started ON calls (started_wall_ms);

CREATE TABLE sip_messages (
  id          INTEGER PRIMARY KEY,
  call_ref    TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  call_id     TEXT NOT NULL,
  direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  transport   TEXT NOT NULL,
  local_addr  TEXT NOT NULL,
  remote_addr TEXT NOT NULL,
  mono_ms     REAL NOT NULL,
  wall_ms     REAL NOT NULL,
  first_line  TEXT NOT NULL,
  method      TEXT NOT NULL,
  status      INTEGER,
  raw         TEXT NOT NULL
);
CREATE UNIQUE INDEX sip_messages_call_seq ON sip_messages (call_ref, seq);

CREATE TABLE signals (
  id            TEXT PRIMARY KEY,
  call_ref      TEXT REFERENCES calls (id) ON DELETE SET NULL,
  run_id        TEXT REFERENCES runs (id) ON DELETE CASCADE,
  contact_id    TEXT NOT NULL,
  params_json   TEXT NOT NULL,
  url           TEXT NOT NULL,
  status        INTEGER,
  ok            INTEGER NOT NULL CHECK (ok IN (0, 1)),
  message       TEXT NOT NULL,
  ms            REAL,
  token_ms      REAL,
  done_mono_ms  REAL,
  wall_ms       REAL NOT NULL,
  exchange_json TEXT NOT NULL
);
CREATE INDEX signals_call_ref ON signals (call_ref);
CREATE INDEX signals_run_id ON signals (run_id);

CREATE TABLE checks (
  id       INTEGER PRIMARY KEY,
  run_id   TEXT REFERENCES runs (id) ON DELETE CASCADE,
  call_ref TEXT REFERENCES calls (id) ON DELETE CASCADE,
  name     TEXT NOT NULL,
  ok       INTEGER NOT NULL CHECK (ok IN (0, 1)),
  detail   TEXT NOT NULL
);
CREATE INDEX checks_run_id ON checks (run_id);
CREATE INDEX checks_call_ref ON checks (call_ref);
`;

/**
 * Migration 2: the audio of a call (`MediaReport` as JSON: RTP/RTCP statistics, DTMF, recording
 * path, one-way-audio verdict). NULL for calls without media and for calls stored before it.
 */
const M2_CALL_MEDIA = `ALTER TABLE calls ADD COLUMN media_json TEXT;`;

/**
 * Migration 3: the dashboard's settings and history search (issue 5).
 *
 * - `settings`: non-secret settings as JSON by kind (`connection`, `listener`, `trunk`, `profile`)
 *   and id. Secrets are never here: they live in the OS keychain only.
 * - `calls_numbers`: an FTS5 trigram index of From, To and Request-URI, so that a number is found
 *   as a substring without scanning `calls`. It is an external-content table on `calls.rowid`, kept
 *   by triggers; `calls` has no INTEGER PRIMARY KEY, so after a VACUUM (which the app never runs)
 *   the index must be rebuilt with `INSERT INTO calls_numbers(calls_numbers) VALUES ('rebuild')`.
 * - indexes for the verdict filter and the Signals list.
 */
const M3_SETTINGS_AND_SEARCH = `
CREATE TABLE settings (
  kind            TEXT NOT NULL,
  id              TEXT NOT NULL,
  json            TEXT NOT NULL,
  updated_wall_ms REAL NOT NULL,
  PRIMARY KEY (kind, id)
);

CREATE VIRTUAL TABLE calls_numbers USING fts5(
  from_uri, to_uri, request_uri, content = 'calls', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO calls_numbers (calls_numbers) VALUES ('rebuild');
CREATE TRIGGER calls_numbers_insert AFTER INSERT ON calls BEGIN
  INSERT INTO calls_numbers (rowid, from_uri, to_uri, request_uri)
    VALUES (new.rowid, new.from_uri, new.to_uri, new.request_uri);
END;
CREATE TRIGGER calls_numbers_delete AFTER DELETE ON calls BEGIN
  INSERT INTO calls_numbers (calls_numbers, rowid, from_uri, to_uri, request_uri)
    VALUES ('delete', old.rowid, old.from_uri, old.to_uri, old.request_uri);
END;
CREATE TRIGGER calls_numbers_update AFTER UPDATE OF from_uri, to_uri, request_uri ON calls
  WHEN old.from_uri IS NOT new.from_uri OR old.to_uri IS NOT new.to_uri OR old.request_uri IS NOT new.request_uri
BEGIN
  INSERT INTO calls_numbers (calls_numbers, rowid, from_uri, to_uri, request_uri)
    VALUES ('delete', old.rowid, old.from_uri, old.to_uri, old.request_uri);
  INSERT INTO calls_numbers (rowid, from_uri, to_uri, request_uri)
    VALUES (new.rowid, new.from_uri, new.to_uri, new.request_uri);
END;

CREATE INDEX calls_verdict_started ON calls (contact_id_ok, started_wall_ms);
CREATE INDEX signals_wall ON signals (wall_ms);
`;

/**
 * Migration 4: interrupted calls (issue 12; see interrupted.ts). `history_sessions` lists the
 * processes that have the file open (pid, host); `calls.session_id` names the session that inserted
 * a call (set by that connection's TEMP trigger); a partial index finds the calls still open.
 * A call of a stopped session is later stored with state `interrupted`.
 */
const M4_INTERRUPTED_CALLS = `
CREATE TABLE history_sessions (
  id             TEXT PRIMARY KEY,
  pid            INTEGER NOT NULL,
  host           TEXT NOT NULL,
  opened_wall_ms REAL NOT NULL
);
ALTER TABLE calls ADD COLUMN session_id TEXT;
CREATE INDEX calls_open ON calls (ended_wall_ms) WHERE ended_wall_ms IS NULL;
`;

/**
 * Migration 5: the search by contact id (issue 15) looks Signals up by the contact id they named
 * (`history/contact-statements.ts`); calls are already indexed by contact id and Call-ID.
 */
const M5_SIGNALS_BY_CONTACT = `CREATE INDEX signals_contact_id ON signals (contact_id);`;

/**
 * Migration 6: a check's warning flag and its rule's source (issue 14): `warn` (a check built on an
 * assumption, which never fails) and `source_json` (`{kind, ref, why?}`: seed, NICE doc, RFC, or
 * assumed), so reports from history show a rule's source beside its verdict. Older rows: 0 and NULL.
 */
const M6_CHECK_SOURCES = `
ALTER TABLE checks ADD COLUMN warn INTEGER NOT NULL DEFAULT 0 CHECK (warn IN (0, 1));
ALTER TABLE checks ADD COLUMN source_json TEXT;
`;

/**
 * Migration 7: the emulated CXone script's own steps (issue 15 item 1), so the timeline's script
 * lane draws what the emulator did instead of inferring it from SIP and Signals. Keyed by the leg
 * the script placed (`call_ref`, the CXone side) and its run; `seq` orders a call's steps; `kind`
 * is one of sipputheader, placecall, onsignal, signal, reqagent, hangup, onrelease, agent, end,
 * note (checked in code, no CHECK: see migration 1 on enumerations); `source` is the cited source.
 */
const M7_SCRIPT_STEPS = `
CREATE TABLE script_steps (
  id       INTEGER PRIMARY KEY,
  call_ref TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  run_id   TEXT REFERENCES runs (id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL,
  mono_ms  REAL NOT NULL,
  wall_ms  REAL NOT NULL,
  kind     TEXT NOT NULL,
  label    TEXT NOT NULL,
  text     TEXT NOT NULL,
  source   TEXT
);
CREATE UNIQUE INDEX script_steps_call_seq ON script_steps (call_ref, seq);
CREATE INDEX script_steps_run_id ON script_steps (run_id);
`;

/**
 * Migration 8: a script step's Signal parameters and contact as data (issue 15), so the timeline
 * reads ONSIGNAL's p1..p9 without parsing the step's text. `params_json` is the JSON object of
 * p1..p9 the step carried (NULL: none); `contact_id` the contact it concerns (the script that
 * fired ONSIGNAL, the contact a Signal named; NULL for other steps). Rows stored before this
 * migration keep NULL in both: their parameters are in `text` only and are not read back.
 */
const M8_SCRIPT_STEP_PARAMS = `
ALTER TABLE script_steps ADD COLUMN params_json TEXT;
ALTER TABLE script_steps ADD COLUMN contact_id TEXT;
`;

/** Every migration of the history database, in order. Append only; never edit an entry. */
export const MIGRATIONS: readonly Migration[] = [
  { id: 1, name: 'initial', sql: M1_INITIAL },
  { id: 2, name: 'call_media', sql: M2_CALL_MEDIA },
  { id: 3, name: 'settings_and_search', sql: M3_SETTINGS_AND_SEARCH },
  { id: 4, name: 'interrupted_calls', sql: M4_INTERRUPTED_CALLS },
  { id: 5, name: 'signals_by_contact', sql: M5_SIGNALS_BY_CONTACT },
  { id: 6, name: 'check_sources', sql: M6_CHECK_SOURCES },
  { id: 7, name: 'script_steps', sql: M7_SCRIPT_STEPS },
  { id: 8, name: 'script_step_params', sql: M8_SCRIPT_STEP_PARAMS },
];

/**
 * sha256 of a migration's SQL, lowercase hex: the fingerprint recorded when it is applied.
 * @param sql - the migration's exact SQL text (no normalisation: any edit changes the hash).
 */
export function migrationHash(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/**
 * The database disagrees with the code's migrations: an applied migration was edited, or the
 * database holds a migration this version does not know (it was written by a newer version).
 * The message names the migration and the file.
 */
export class MigrationMismatchError extends Error {
  override readonly name = 'MigrationMismatchError';
  constructor(
    message: string,
    /** Id of the offending migration. */
    readonly migrationId: number,
  ) {
    super(message);
  }
}

/** One row of `schema_migrations`. */
export interface AppliedMigration {
  id: number;
  name: string;
  sha256: string;
  /** Unix epoch ms at which the migration was applied. */
  appliedWallMs: number;
}

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL,
  sha256          TEXT NOT NULL,
  applied_wall_ms REAL NOT NULL
)`;

/**
 * Reads the ledger of applied migrations, in id order.
 * @returns an empty list when the ledger does not exist yet.
 */
export function appliedMigrations(db: Database.Database): AppliedMigration[] {
  db.exec(CREATE_LEDGER);
  const rows = db
    .prepare<[], { id: number; name: string; sha256: string; applied_wall_ms: number }>(
      'SELECT id, name, sha256, applied_wall_ms FROM schema_migrations ORDER BY id',
    )
    .all();
  return rows.map((r) => ({ id: r.id, name: r.name, sha256: r.sha256, appliedWallMs: r.applied_wall_ms }));
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.id !== i + 1) {
      throw new Error(`migration list out of order: entry ${i} has id ${m.id}, expected ${i + 1} ("${m.name}")`);
    }
  });
}

function mismatch(db: Database.Database, m: Migration, storedHash: string): MigrationMismatchError {
  return new MigrationMismatchError(
    `history database ${db.name}: migration ${m.id} "${m.name}" was edited after it was applied ` +
      `(sha256 in database ${storedHash.slice(0, 12)}…, in code ${migrationHash(m.sql).slice(0, 12)}…). ` +
      'An applied migration is never edited: restore it and add a new migration instead.',
    m.id,
  );
}

/**
 * Brings the database up to date: verifies every applied migration against the code, then applies
 * the missing ones in order, each in its own IMMEDIATE transaction together with its ledger row
 * (so a crash leaves either the whole migration or none of it). A migration applied meanwhile by
 * another process on the same file is verified instead of applied again.
 *
 * @param db - an open connection.
 * @param migrations - the ordered list (defaults to {@link MIGRATIONS}; tests pass longer lists).
 * @param now - wall clock for the ledger's applied time (Unix ms).
 * @returns the ids applied by this call (empty when the schema was current).
 * @throws MigrationMismatchError when an applied migration's hash differs from the code's, or the
 *   database holds a migration id the list does not have.
 * @throws Error when the list is not numbered 1, 2, 3… or a migration's SQL fails (that migration
 *   is rolled back; the message names it).
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => number = Date.now,
): number[] {
  checkOrder(migrations);
  const applied = appliedMigrations(db);
  for (const row of applied) {
    const m = migrations[row.id - 1];
    if (!m) {
      throw new MigrationMismatchError(
        `history database ${db.name}: it has migration ${row.id} "${row.name}", which this version does not know ` +
          '(the database was written by a newer version of the app).',
        row.id,
      );
    }
    if (migrationHash(m.sql) !== row.sha256) throw mismatch(db, m, row.sha256);
  }

  const findHash = db.prepare<[number], { sha256: string }>('SELECT sha256 FROM schema_migrations WHERE id = ?');
  const record = db.prepare<[number, string, string, number]>(
    'INSERT INTO schema_migrations (id, name, sha256, applied_wall_ms) VALUES (?, ?, ?, ?)',
  );
  const done: number[] = [];
  const appliedIds = new Set(applied.map((r) => r.id));
  for (const m of migrations.filter((x) => !appliedIds.has(x.id))) {
    const apply = db.transaction(() => {
      const existing = findHash.get(m.id);
      if (existing) {
        if (existing.sha256 !== migrationHash(m.sql)) throw mismatch(db, m, existing.sha256);
        return;
      }
      try {
        db.exec(m.sql);
      } catch (e) {
        throw new Error(`history database ${db.name}: migration ${m.id} "${m.name}" failed: ${(e as Error).message}`, {
          cause: e,
        });
      }
      record.run(m.id, m.name, migrationHash(m.sql), now());
      done.push(m.id);
    });
    apply.immediate();
  }
  return done;
}
