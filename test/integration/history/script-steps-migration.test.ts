/**
 * History migration 7 (the emulated CXone script's steps, issue 15 item 1) on a database written
 * by the previous version (migrations 1..6, with a call in it): opening it applies migration 7 (and later ones),
 * the old call reads back without steps, and steps can then be stored on it and read in order.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/history/db';
import { MIGRATIONS, appliedMigrations, migrate } from '../../../src/main/history/migrations';
import { HistoryStore } from '../../../src/main/history/store';
import { tempDir } from './fixtures/sample-call';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

describe('history migration 7: script_steps', () => {
  it('applies on an existing v6 database; old calls have no steps; new steps are kept in order, and go with their call', () => {
    const file = join(dir, 'v6.db');
    const v6 = MIGRATIONS.filter((m) => m.id <= 6);
    const old = openDatabase(file);
    expect(migrate(old, v6)).toEqual([1, 2, 3, 4, 5, 6]);
    old.prepare(`INSERT INTO runs (id, kind, profile, transport, started_wall_ms) VALUES ('run-old', 'handoff', 'watson', 'tcp', 1)`).run();
    old.prepare(`INSERT INTO calls (id, run_id, call_id, role, transport, profile, state, from_uri, to_uri, request_uri, started_wall_ms)
      VALUES ('call-old', 'run-old', 'cid-1', 'uac', 'tcp', 'watson', 'ended', 'sip:a@x', 'sip:b@x', 'sip:b@x', 1)`).run();
    expect(old.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'script_steps'").get()).toEqual({ n: 0 });
    old.close();

    const store = HistoryStore.open(file);
    try {
      const db = openDatabase(file);
      // Migration 7, then the later ones (8: a step's parameters as data, script-step-params-migration.test.ts).
      expect(appliedMigrations(db).map((m) => [m.id, m.name]).filter(([id]) => (id as number) > 6)).toEqual(MIGRATIONS.filter((m) => m.id > 6).map((m) => [m.id, m.name]));
      db.close();
      const before = store.getCall('call-old');
      expect(before?.id).toBe('call-old');
      expect(before?.scriptSteps).toBeUndefined();
      expect(store.scriptSteps('call-old')).toEqual([]);

      store.addScriptStep('call-old', null, { monoMs: 10, wallMs: 1010, kind: 'sipputheader', label: 'SIPPUTHEADER X-ContactID', step: 'SIPPUTHEADER X-ContactID = 123 [seed 002]', source: 'seed 002' });
      store.addScriptStep('call-old', null, { monoMs: 11, wallMs: 1011, kind: 'placecall', label: 'PLACECALL', step: 'PLACECALL sip:b@x', source: null });
      const steps = store.scriptSteps('call-old');
      expect(steps.map((s) => [s.seq, s.kind, s.label, s.source])).toEqual([
        [1, 'sipputheader', 'SIPPUTHEADER X-ContactID', 'seed 002'],
        [2, 'placecall', 'PLACECALL', null],
      ]);
      expect(store.getCall('call-old')?.scriptSteps).toEqual(steps);
      // A step for an unknown call is refused (foreign key); the steps go with their run.
      expect(() => store.addScriptStep('no-such-call', null, { monoMs: 1, wallMs: 1, kind: 'note', label: 'x', step: 'x', source: null })).toThrow(/FOREIGN KEY/);
      expect(store.deleteRun('run-old')).toBe(true);
      expect(store.scriptSteps('call-old')).toEqual([]);
    } finally {
      store.close();
    }
    // Opening again applies nothing.
    const again = openDatabase(file);
    expect(migrate(again)).toEqual([]);
    again.close();
  });
});
