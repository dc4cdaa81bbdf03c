/**
 * Opening the history database: file and directory creation, WAL, foreign keys, migrations
 * recorded with their hash, applied once, and refused when edited after being applied.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryOpenError, openDatabase } from '../../../src/main/history/db';
import {
  MIGRATIONS,
  MigrationMismatchError,
  appliedMigrations,
  migrate,
  migrationHash,
  type Migration,
} from '../../../src/main/history/migrations';
import { HistoryStore } from '../../../src/main/history/store';
import { tempDir } from './fixtures/sample-call';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** A second, raw connection on the same file, to look at what the store wrote. */
function raw(file: string): Database.Database {
  return new Database(file);
}

describe('HistoryStore.open', () => {
  it('creates the file and its parent directories, in WAL mode with foreign keys on', () => {
    const file = join(dir, 'nested', 'deeper', 'history.db');
    const store = HistoryStore.open(file);
    try {
      expect(existsSync(file)).toBe(true);
      expect(store.file).toBe(file);
      const db = openDatabase(file);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      db.close();
      const r = raw(file);
      expect(r.pragma('journal_mode', { simple: true })).toBe('wal'); // persistent in the file
      r.close();
    } finally {
      store.close();
    }
  });

  it('records every migration with its id, name, sha256 and applied time', () => {
    const file = join(dir, 'h.db');
    const before = Date.now();
    HistoryStore.open(file).close();
    const db = raw(file);
    const rows = appliedMigrations(db);
    db.close();
    expect(rows.map((r) => [r.id, r.name, r.sha256])).toEqual(
      MIGRATIONS.map((m) => [m.id, m.name, migrationHash(m.sql)]),
    );
    expect(rows[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const r of rows) expect(r.appliedWallMs).toBeGreaterThanOrEqual(before);
  });

  it('applies nothing twice on reopen, and only the missing ones when the code adds a migration', () => {
    const file = join(dir, 'h.db');
    HistoryStore.open(file).close();
    const db = raw(file);
    const first = appliedMigrations(db);
    db.close();

    const store = HistoryStore.open(file); // would fail with "table runs already exists" if re-applied
    store.close();
    const db2 = openDatabase(file);
    expect(appliedMigrations(db2)).toEqual(first);
    expect(migrate(db2)).toEqual([]);

    const extra: Migration = { id: MIGRATIONS.length + 1, name: 'add_note', sql: 'ALTER TABLE runs ADD COLUMN note TEXT;' };
    expect(migrate(db2, [...MIGRATIONS, extra])).toEqual([extra.id]);
    expect(migrate(db2, [...MIGRATIONS, extra])).toEqual([]);
    expect(appliedMigrations(db2).map((r) => r.name)).toEqual([...MIGRATIONS.map((m) => m.name), 'add_note']);
    db2.close();
  });

  it('refuses to open when an applied migration was edited, naming it', () => {
    const file = join(dir, 'h.db');
    HistoryStore.open(file).close();
    const db = raw(file);
    db.prepare('UPDATE schema_migrations SET sha256 = ? WHERE id = 1').run(migrationHash('-- edited'));
    db.close();

    let error: unknown;
    try {
      HistoryStore.open(file).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MigrationMismatchError);
    expect((error as MigrationMismatchError).migrationId).toBe(1);
    expect((error as Error).message).toContain('migration 1 "initial"');
    expect((error as Error).message).toContain('edited');
    expect((error as Error).message).toContain(file);
  });

  it('refuses a database written by a newer version (an unknown applied migration)', () => {
    const file = join(dir, 'h.db');
    const db = openDatabase(file);
    migrate(db, [...MIGRATIONS, { id: MIGRATIONS.length + 1, name: 'from_the_future', sql: 'SELECT 1;' }]);
    db.close();
    expect(() => HistoryStore.open(file)).toThrow(/migration \d+ "from_the_future".*newer version/);
  });

  it('rolls back a failing migration as a whole and names it', () => {
    const db = openDatabase(join(dir, 'h.db'));
    const bad: Migration = { id: MIGRATIONS.length + 1, name: 'half_done', sql: 'CREATE TABLE t1 (a); CREATE TABLE t1 (b);' };
    expect(() => migrate(db, [...MIGRATIONS, bad])).toThrow(/migration \d+ "half_done" failed/);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't1'").get()).toEqual({ n: 0 });
    expect(appliedMigrations(db).map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
    db.close();
  });

  it('throws a clear HistoryOpenError for a file that is not a database', () => {
    const file = join(dir, 'not-a-db.db');
    writeFileSync(file, 'this is not sqlite, just text that is long enough to have a header '.repeat(20));
    expect(() => HistoryStore.open(file)).toThrow(HistoryOpenError);
    expect(() => HistoryStore.open(file)).toThrow(/cannot open history database .*not-a-db\.db: .*not a database/);
  });

  it('throws a clear HistoryOpenError when the directory cannot be created', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    expect(() => HistoryStore.open(join(blocker, 'sub', 'h.db'))).toThrow(/cannot open history database .*cannot create its directory/);
  });

  it('accepts :memory: for a throw-away store', () => {
    const store = HistoryStore.open(':memory:');
    const id = store.createRun({ kind: 'dashboard', profile: 'kore', transport: 'udp', startedWallMs: 1 });
    expect(store.getRun(id)?.kind).toBe('dashboard');
    expect(store.file).toBe(':memory:');
    store.close();
    store.close(); // idempotent
  });
});
