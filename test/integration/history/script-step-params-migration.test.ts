/**
 * History migration 8 (a script step's Signal parameters p1..p9 and contact as data, issue 15) on a
 * database written by the previous version (migrations 1..7, with a call and its stored steps):
 * opening it applies migration 8 only; the old steps read back with no parameters and no contact
 * ("none recorded", though their text names them); a new step's p1..p9 and contact round-trip.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/history/db';
import { MIGRATIONS, appliedMigrations, migrate } from '../../../src/main/history/migrations';
import { HistoryStore } from '../../../src/main/history/store';
import { contactTimeline } from '../../../src/main/timeline/from-history';
import { tempDir } from './fixtures/sample-call';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const CID = '18815573621';

describe('history migration 8: script_step_params', () => {
  it('applies on an existing v7 database with steps; old steps read with no parameters; new ones keep p1..p9 and the contact', () => {
    const file = join(dir, 'v7.db');
    const old = openDatabase(file);
    expect(migrate(old, MIGRATIONS.filter((m) => m.id <= 7))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    old.prepare(`INSERT INTO runs (id, kind, profile, transport, started_wall_ms) VALUES ('run-old', 'handoff', 'watson', 'tcp', 1)`).run();
    old.prepare(`INSERT INTO calls (id, run_id, call_id, role, transport, profile, state, from_uri, to_uri, request_uri, contact_id, started_wall_ms)
      VALUES ('call-old', 'run-old', 'cid-1', 'uac', 'tcp', 'watson', 'ended', 'sip:a@x', 'sip:b@x', 'sip:b@x', '${CID}', 1)`).run();
    // A step as version 7 wrote it: the parameters in the text only.
    old.prepare(`INSERT INTO script_steps (call_ref, run_id, seq, mono_ms, wall_ms, kind, label, text, source)
      VALUES ('call-old', 'run-old', 1, 10, 1010, 'onsignal', 'ONSIGNAL p1=wa-key-1', 'ONSIGNAL fired in the script (${CID}) with p1=wa-key-1 [seed 002]', 'seed 002')`).run();
    old.close();

    const store = HistoryStore.open(file);
    try {
      const db = openDatabase(file);
      expect(appliedMigrations(db).map((m) => [m.id, m.name]).at(-1)).toEqual([8, 'script_step_params']);
      db.close();
      const [v7] = store.scriptSteps('call-old');
      expect(v7).toMatchObject({ seq: 1, kind: 'onsignal', label: 'ONSIGNAL p1=wa-key-1', params: null, contactId: null });
      expect(v7!.text).toContain('p1=wa-key-1'); // kept as it was, not parsed back
      // The timeline reads the old row without its parameters: "none recorded", the contact is the one searched.
      const tl = contactTimeline(store, CID).timeline;
      expect(tl.events.find((e) => e.lane === 'script' && e.label.startsWith('ONSIGNAL'))!.detail).toMatch(/on ONSIGNAL: none recorded/);
      expect(tl.agent?.onSignal?.contactId).toBe(CID);

      // Round trip: p1..p9 and the contact as the emulator gave them; empty values are dropped; no parameters is NULL.
      store.addScriptStep('call-old', null, { monoMs: 20, wallMs: 1020, kind: 'signal', label: 'Signal 202 received', step: 'Signal to 1 (the script): 202', source: null, params: { p3: 'c=d&e', p1: 'wa-key-2', p2: '' }, contactId: '18815573622' });
      store.addScriptStep('call-old', null, { monoMs: 21, wallMs: 1021, kind: 'onsignal', label: 'ONSIGNAL', step: 'ONSIGNAL fired', source: null, params: {}, contactId: CID });
      store.addScriptStep('call-old', null, { monoMs: 22, wallMs: 1022, kind: 'reqagent', label: 'REQAGENT', step: 'REQAGENT', source: null });
      const steps = store.scriptSteps('call-old');
      expect(steps.map((s) => [s.seq, s.params, s.contactId])).toEqual([
        [1, null, null],
        [2, { p1: 'wa-key-2', p3: 'c=d&e' }, '18815573622'],
        [3, null, CID],
        [4, null, null],
      ]);
      const raw = openDatabase(file);
      expect(raw.prepare('SELECT params_json FROM script_steps WHERE seq = 2').get()).toEqual({ params_json: '{"p1":"wa-key-2","p3":"c=d&e"}' });
      raw.close();
      expect(store.getCall('call-old')?.scriptSteps).toEqual(steps);
    } finally {
      store.close();
    }
    const again = openDatabase(file);
    expect(migrate(again)).toEqual([]);
    again.close();
  });
});
