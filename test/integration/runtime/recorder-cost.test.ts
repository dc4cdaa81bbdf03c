// Issue 11 item 4: the recorder's cost per SIP message is one appended row. A live call that
// exchanges many in-dialog messages (SIP INFO DTMF) gains every message in history, on the event
// stream and in the dashboard's batches, while its call row is not rewritten for them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { LiveBatch } from '../../../src/shared/contract';
import { Lab } from '../../../src/main/lab';

let lab: Lab | undefined;
afterAll(async () => {
  await lab?.stop();
});

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

async function until<T>(fn: () => T | null | undefined | false, what: string, ms = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('call recorder', () => {
  it('40 in-dialog messages: each appended and announced once, the call row not rewritten for them', async () => {
    const pending: Array<() => void> = [];
    lab = await Lab.start({
      dbFile: join(mkdtempSync(join(tmpdir(), 'lab-rec-')), 'history.db'),
      host: 'browser',
      recordDir: null,
      startSavedListeners: false,
      keychainService: `cxone-sip-lab-test-${process.pid}`,
      batchScheduler: (flush) => {
        pending.push(flush);
        return () => pending.splice(pending.indexOf(flush), 1);
      },
    });
    const batches: LiveBatch[] = [];
    lab.onEvent((name, payload) => {
      if (name === 'live/batch') batches.push(payload as LiveBatch);
    });
    const { callRef } = ok(await lab.handlers['calls/place']({ target: '', profile: 'watson', transport: 'udp', headers: null, trunkId: null, botSignals: false }));
    const bot = await until(() => lab!.recorder.get(callRef), 'the bot leg');
    await until(() => bot.call.state === 'answered', 'answered');
    const uac = await until(() => lab!.recorder.all().find((t) => t.call.callId === bot.call.callId && t.call.role === 'uac'), 'the CXone leg');
    await until(() => lab!.recorder.all().every((t) => t.call.state === 'answered'), 'both legs answered');
    // The first RTP and first voice are summary changes: let the greeting's land first (the bot leg hears no caller here).
    await until(() => uac.lastSummary?.latency.answer_to_first_voice !== undefined, 'the greeting heard on the CXone leg');
    pending.splice(0).forEach((f) => f());
    batches.length = 0;

    const before = lab.store.getCall(uac.call.id)!.messages.length;
    const saves = vi.spyOn(lab.store, 'saveCall');
    const appends = vi.spyOn(lab.store, 'addSipMessage');
    const digits = '1234567890';
    ok(await lab.handlers['calls/dtmf']({ id: uac.call.id, digits, method: 'info' }));
    await until(() => bot.call.mediaReport().dtmf.length >= digits.length, 'every digit at the bot');
    await until(() => lab!.store.getCall(uac.call.id)!.messages.length >= before + 2 * digits.length, 'every INFO and its 200 on the CXone leg');
    // A sent UDP message is stored once its wire-thread stamp is back (call-recorder.ts): the bot leg's last 200 may land just after.
    await until(() => appends.mock.calls.length >= 4 * digits.length, 'every INFO and its 200 on both legs stored');
    pending.splice(0).forEach((f) => f());

    const gained = lab.store.getCall(uac.call.id)!.messages.length - before;
    expect(gained).toBeGreaterThanOrEqual(2 * digits.length);
    // Both legs' INFO transactions: each message one appended row …
    expect(appends.mock.calls.length).toBeGreaterThanOrEqual(4 * digits.length);
    // … and no call row rewritten for them (their summary does not change).
    expect(saves.mock.calls.filter(([c]) => c.id === uac.call.id || c.id === bot.call.id)).toHaveLength(0);
    // The dashboard got the new messages themselves, once each, and no whole call.
    const sent = batches.reduce((n, b) => n + (b.messages[uac.call.id]?.length ?? 0), 0);
    expect(sent).toBe(gained);
    expect(batches.flatMap((b) => b.calls)).toEqual([]);
  }, 60_000);
});
