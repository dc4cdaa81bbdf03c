import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { contactTimeline } from '../../../src/main/timeline/from-history';
import type { CallDetail } from '../../../src/shared/types';
import { ANCHOR, handoffLegs, leg, msg, signal } from '../../helpers/timeline/fixtures';

const CID = '18815573621';

function save(store: HistoryStore, call: CallDetail): void {
  const inviteMsg = call.messages.find((m) => m.method === 'INVITE' && m.status === undefined);
  store.saveCall({ ...call, invite: inviteMsg ? { raw: inviteMsg.raw, headers: [] } : null });
  for (const m of call.messages) store.addSipMessage(call.id, m);
}

describe('history: search by contact id across calls, Signals, imported captures and test runs', () => {
  let dir: string;
  let store: HistoryStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lab-contact-'));
    store = HistoryStore.open(join(dir, 'history.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds both legs of a handoff (the CXone side by its X- header), its Signal, an import, a test run and a stray Signal', () => {
    store.createRun({ id: 'run-1', kind: 'handoff', profile: 'watson', transport: 'tcp', startedWallMs: ANCHOR });
    const { cxone, bot } = handoffLegs(CID, 300);
    save(store, cxone);
    save(store, bot);
    store.addSignal(signal('sig-1', CID, 250, 202, { p1: 'k' }));

    store.createRun({ id: 'run-imp', kind: 'import', profile: 'watson', transport: 'udp', startedWallMs: ANCHOR + 10_000 });
    const c2 = 'imported-call';
    save(store, leg('imp-leg', 'uas', c2, CID, [msg(c2, 'in', 10_000, 'INVITE', 'INVITE', `X-ContactID: ${CID}\r\n`)], { runId: 'run-imp' }));

    store.createRun({ id: 'run-test', kind: 'test', profile: 'watson', transport: 'tcp', startedWallMs: ANCHOR + 20_000 });
    const c3 = 'test-call';
    save(store, leg('test-leg', 'uac', c3, null, [msg(c3, 'out', 20_000, 'INVITE', 'INVITE', `X-ContactID:${CID}\r\n`)], { runId: 'run-test' }));

    // A Signal sent for another call that named this contact (the bot read the wrong header).
    store.createRun({ id: 'run-other', kind: 'answer', profile: 'watson', transport: 'tcp', startedWallMs: ANCHOR + 30_000 });
    const c4 = 'other-call';
    save(store, leg('other-leg', 'uas', c4, '555', [msg(c4, 'in', 30_000, 'INVITE', 'INVITE', 'X-ContactID: 555\r\n')], { runId: 'run-other' }));
    store.addSignal(signal('sig-stray', CID, 30_100, 404, { p1: 'k' }, { callRef: null, runId: 'run-other' }));

    // Decoys: an id that only contains ours, and a header value that starts with it.
    const c5 = 'decoy';
    save(store, leg('decoy-1', 'uas', c5, `${CID}9`, [msg(c5, 'in', 40_000, 'INVITE', 'INVITE', `X-ContactID: ${CID}9\r\n`)], { runId: 'run-other' }));
    save(store, leg('decoy-2', 'uac', 'decoy-b', null, [msg('decoy-b', 'out', 40_000, 'INVITE', 'INVITE', `X-Other: 1${CID}\r\n`)], { runId: 'run-other' }));

    const h = store.contactHistory(CID);
    expect(h.calls.map((c) => [c.id, c.runKind])).toEqual([
      ['cxone-leg', 'handoff'], ['bot-leg', 'handoff'], ['imp-leg', 'import'], ['test-leg', 'test'],
    ]);
    expect(h.runs.map((r) => r.kind)).toEqual(['handoff', 'import', 'answer', 'test']);
    expect(h.input.signals.map((s) => s.id).sort()).toEqual(['sig-1', 'sig-stray']);
    const bot2 = h.input.calls.find((c) => c.call.id === 'bot-leg')!.call;
    expect(bot2.messages).toHaveLength(7);
    expect(bot2.signals.map((s) => s.id)).toEqual(['sig-1']);

    const { timeline } = contactTimeline(store, ` ${CID} `);
    expect(timeline.contactId).toBe(CID);
    expect(timeline.sources.filter((s) => s.kind === 'call')).toHaveLength(4);
    expect(timeline.events.filter((e) => e.kind === 'signal').map((e) => e.label)).toEqual(['Signal 202 → 18815573621 (8 ms)', 'Signal 404 → 18815573621 (8 ms)']);
    expect(timeline.agent?.outcome).toBe('REQAGENT');
  });

  it('finds nothing for an unknown or empty id', () => {
    expect(store.contactHistory('42').calls).toEqual([]);
    expect(contactTimeline(store, '  ').timeline.events).toEqual([]);
  });
});
