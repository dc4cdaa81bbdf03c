/**
 * Opening the history database file (design.md §5): better-sqlite3 with WAL, foreign keys on and a
 * busy timeout, so that the app, the CLI and a second window can share one file.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';

/** How long (ms) a connection waits for another connection's write lock before `SQLITE_BUSY`. */
export const BUSY_TIMEOUT_MS = 5_000;

/** The history database could not be opened (path, permissions, not a database, no WAL…). */
export class HistoryOpenError extends Error {
  override readonly name = 'HistoryOpenError';
  constructor(
    /** The file as given to {@link openDatabase}. */
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot open history database ${file}: ${reason}`, options);
  }
}

/** True for SQLite's in-memory database names (`:memory:` or the empty string for a temp db). */
export function isMemoryFile(file: string): boolean {
  return file === ':memory:' || file === '';
}

/**
 * Opens (creating when absent) a SQLite file for the history store and sets it up:
 * - creates the parent directory;
 * - `journal_mode = WAL`: readers do not block the writer, and a crash mid-transaction leaves the
 *   last committed state;
 * - `synchronous = NORMAL`: with WAL this is still crash-consistent (a power loss may drop the
 *   last commits, never corrupt the file) and avoids an fsync per commit on the main thread, which
 *   runs the SIP stack;
 * - `foreign_keys = ON` (SQLite's default is off, per connection);
 * - `busy_timeout` = {@link BUSY_TIMEOUT_MS}.
 *
 * `:memory:` is accepted (no directory, journal mode `memory`).
 *
 * @param file - path of the database file, or `:memory:`.
 * @returns the open connection; the caller closes it.
 * @throws HistoryOpenError when the directory cannot be created, the file cannot be opened or is
 *   not a SQLite database, or WAL / foreign keys cannot be enabled. The connection is closed first.
 */
export function openDatabase(file: string): Database.Database {
  const memory = isMemoryFile(file);
  if (!memory) {
    try {
      mkdirSync(dirname(resolve(file)), { recursive: true });
    } catch (e) {
      throw new HistoryOpenError(file, `cannot create its directory: ${(e as Error).message}`, { cause: e });
    }
  }
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (e) {
    throw new HistoryOpenError(file, (e as Error).message, { cause: e });
  }
  try {
    // The first statement reads the header: "file is not a database" surfaces here.
    const mode = String(db.pragma('journal_mode = WAL', { simple: true })).toLowerCase();
    if (!memory && mode !== 'wal') {
      throw new Error(`WAL journal mode is not available on this file system (journal_mode=${mode})`);
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (Number(db.pragma('foreign_keys', { simple: true })) !== 1) {
      throw new Error('foreign keys cannot be enabled');
    }
    return db;
  } catch (e) {
    db.close();
    throw new HistoryOpenError(file, (e as Error).message, { cause: e });
  }
}
