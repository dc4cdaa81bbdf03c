// The CXone script lane from the emulator's own steps (issue 15 item 1, history migration 7): a
// real handoff through the embedded emulator and the reference bot on loopback, written to a real
// SQLite file; the contact's timeline read back from it draws the steps the emulator took, at
// their own stamps between the INVITE and the BYE. A call without steps keeps the inferred lane.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { getProfile } from '../../../src/main/profiles';
import { runHandoff } from '../../../src/main/scenarios/handoff';
import { buildTimeline } from '../../../src/main/timeline/build';
import { contactTimeline } from '../../../src/main/timeline/from-history';
import type { CallDetail } from '../../../src/shared/types';
import { handoffLegs, signal } from '../../helpers/timeline/fixtures';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lab-script-steps-'));
  dirs.push(dir);
  return join(dir, 'history.db');
}

describe('the script lane as the emulator ran it', () => {
  it.each(['watson', 'kore'] as const)('%s handoff: the steps are stored on the CXone leg and drawn in order between the INVITE and the BYE', async (profileId) => {
    const dbFile = tempDb();
    const report = await runHandoff({ profile: profileId, transport: 'tcp', dbFile });
    expect(report.ok).toBe(true);
    const contactId = report.calls[0]!.contactId.value!;
    const profile = getProfile(profileId);
    const store = HistoryStore.open(dbFile);
    try {
      const legs = store.listCalls({ runId: report.runId });
      const cxone = legs.find((c) => c.role === 'uac')!;
      const bot = legs.find((c) => c.role === 'uas')!;
      const steps = store.scriptSteps(cxone.id);
      expect(store.scriptSteps(bot.id)).toEqual([]);
      expect(store.getCall(bot.id)?.scriptSteps).toBeUndefined();
      expect(store.getCall(cxone.id)?.scriptSteps).toEqual(steps);
      // Kinds set where the emulator took each step: the headers, PLACECALL, ONSIGNAL and the Signal,
      // the leg drop (CXone's BYE, or a wait for the bot's), then REQAGENT and the agent.
      const kinds = steps.map((s) => s.kind);
      const headers = kinds.filter((k) => k === 'sipputheader').length;
      expect(headers).toBeGreaterThanOrEqual(1);
      expect(kinds.slice(0, headers + 1)).toEqual([...Array<string>(headers).fill('sipputheader'), 'placecall']);
      expect(kinds).toEqual(expect.arrayContaining(['onsignal', 'signal', 'reqagent', 'agent']));
      expect(kinds.indexOf('reqagent')).toBeGreaterThan(kinds.indexOf('onsignal'));
      expect(kinds.at(-1)).toBe('agent');
      expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i + 1));
      expect(steps[0]!.text).toContain(`${profile.contactIdHeaders[0]} = `);
      expect(steps[0]!.source).toMatch(/seed \d{3}/);
      for (const s of steps) expect(s.wallMs - s.monoMs).toBeCloseTo(steps[0]!.wallMs - steps[0]!.monoMs, 0);
      if (profile.hangsUp === 'cxone') expect(steps.map((s) => s.label)).toContain('drop the bot leg');
      else expect(steps.map((s) => s.label)).toEqual(expect.arrayContaining(["wait for the bot's BYE", 'ONRELEASE (nothing more)']));

      const { timeline } = contactTimeline(store, contactId);
      const lane = timeline.events.filter((e) => e.lane === 'script');
      expect(lane.map((e) => e.label)).toEqual(steps.map((s) => s.label));
      for (const e of lane) expect(e.detail).toMatch(/as the emulator ran it/);
      const at = (label: string): number => lane.find((e) => e.label === label || e.label.startsWith(label))!.atMs;
      for (let i = 1; i < lane.length; i++) expect(lane[i]!.atMs).toBeGreaterThanOrEqual(lane[i - 1]!.atMs);
      const invite = timeline.events.find((e) => e.lane === 'caller' && e.label === 'INVITE')!;
      const firstBye = timeline.events.find((e) => e.kind === 'sip' && e.label === 'BYE')!;
      // PLACECALL leads to the INVITE; ONSIGNAL fires between the INVITE and the BYE that ends the bot
      // leg; REQAGENT and the agent come once the leg is gone.
      expect(at('PLACECALL')).toBeLessThanOrEqual(invite.atMs);
      expect(at('ONSIGNAL')).toBeGreaterThan(invite.atMs);
      expect(at('ONSIGNAL')).toBeLessThan(firstBye.atMs);
      expect(at('REQAGENT')).toBeGreaterThan(firstBye.atMs);
      // ONSIGNAL fired while the API answered the Signal (within its HTTP span).
      const sig = timeline.events.find((e) => e.kind === 'signal')!;
      expect(at('ONSIGNAL')).toBeGreaterThanOrEqual(sig.atMs);
      expect(at('ONSIGNAL')).toBeLessThanOrEqual(sig.atMs + sig.durMs);
      expect(timeline.agent?.outcome).toBe('REQAGENT');
      expect(timeline.agent?.onSignal?.atMs).toBe(at('ONSIGNAL'));
      expect(timeline.agent?.params).toEqual(profile.defaultSignal);
    } finally {
      store.close();
    }
  });

  it('a Signal accepted for the leg without ONSIGNAL: no ONSIGNAL, the Signal and the emulator\'s finding on the lane, ONRELEASE as the inference also says', async () => {
    const dbFile = tempDb();
    // Kore's Spawn script puts its own (child) id in the header while ONSIGNAL waits in Main: the bot
    // signals the child, the API accepts it (202), nothing fires; the bot hangs up → ONRELEASE.
    const report = await runHandoff({ profile: 'kore', transport: 'tcp', dbFile, topology: { headerHolds: 'placer', onSignalIn: 'main' } });
    const contactId = report.calls[0]!.contactId.value!;
    const store = HistoryStore.open(dbFile);
    try {
      const cxone = store.listCalls({ runId: report.runId }).find((c) => c.role === 'uac')!;
      const kinds = store.scriptSteps(cxone.id).map((s) => s.kind);
      expect(kinds).not.toContain('onsignal');
      expect(kinds).toEqual(expect.arrayContaining(['signal', 'note', 'onrelease', 'agent']));
      const { timeline } = contactTimeline(store, contactId);
      const lane = timeline.events.filter((e) => e.lane === 'script');
      expect(lane.some((e) => e.label.startsWith('ONSIGNAL'))).toBe(false);
      expect(lane.map((e) => e.label)).toEqual(expect.arrayContaining(['Signal 202 received', 'finding', 'ONRELEASE', 'ONRELEASE → agent', 'agent answered']));
      expect(lane.find((e) => e.label === 'finding')).toMatchObject({ ok: false });
      expect(timeline.events.find((e) => e.kind === 'signal')?.label).toMatch(/^Signal 202/);
      expect(timeline.agent?.outcome).toBe('ONRELEASE');
      expect(timeline.agent?.onSignal).toBeNull();
      // The same history without the steps: what the inference makes of it.
      const { input } = store.contactHistory(contactId);
      const bare = buildTimeline({ ...input, calls: input.calls.map(({ call: { scriptSteps: _s, ...call }, runKind }) => ({ call, runKind })) });
      expect(bare.agent?.outcome).toBe('ONRELEASE');
      expect(bare.events.filter((e) => e.lane === 'script').map((e) => e.label)).toEqual(['SIPPUTHEADER X-ExternalCallId', 'PLACECALL', 'ONRELEASE → agent']);
    } finally {
      store.close();
    }
  });

  it('a call without steps (a real CXone, an import, older history) keeps the lane inferred from SIP and Signals', () => {
    const store = HistoryStore.open(tempDb());
    try {
      const cid = '18815573621';
      store.createRun({ id: 'run-1', kind: 'import', profile: 'watson', transport: 'tcp', startedWallMs: Date.now() });
      const { cxone, bot } = handoffLegs(cid, 300);
      const save = (call: CallDetail): void => {
        const inv = call.messages.find((m) => m.method === 'INVITE' && m.status === undefined);
        store.saveCall({ ...call, invite: inv ? { raw: inv.raw, headers: [] } : null });
        for (const m of call.messages) store.addSipMessage(call.id, m);
      };
      save(cxone);
      save(bot);
      store.addSignal(signal('sig-1', cid, 250, 202, { p1: 'wa-key-1' }));
      expect(store.getCall('cxone-leg')?.scriptSteps).toBeUndefined();
      const { timeline } = contactTimeline(store, cid);
      const lane = timeline.events.filter((e) => e.lane === 'script');
      expect(lane.map((e) => e.label)).toEqual(['SIPPUTHEADER X-ContactID', 'PLACECALL', 'ONSIGNAL p1=wa-key-1', 'REQAGENT']);
      for (const e of lane) expect(e.detail).toMatch(/inferred from SIP and Signals/);
      expect(timeline.agent?.outcome).toBe('REQAGENT');
    } finally {
      store.close();
    }
  });
});
