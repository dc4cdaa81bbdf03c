// calls/dtmf (the dashboard keypad) with real parts: a listener of the settings answers as the bot,
// a call is placed to it, and digits keyed on the CXone leg by RFC 4733 and SIP INFO reach the bot
// leg's media report; a call that is not live is refused; the payload schema refuses non-digits.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../../src/main/lab';
import { validatePayload } from '../../../src/main/host/payload-schemas';

let lab: Lab;
const savedBus = process.env.DBUS_SESSION_BUS_ADDRESS;

beforeAll(async () => {
  process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/cxone-sip-lab-dtmf-test';
  lab = await Lab.start({ dbFile: join(mkdtempSync(join(tmpdir(), 'lab-dtmf-')), 'history.db'), host: 'browser', keychainService: `cxone-sip-lab-test-${process.pid}` });
});
afterAll(async () => {
  await lab?.stop();
  if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus;
});

async function until<T>(fn: () => T | null | undefined, what: string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const ok = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('calls/dtmf', () => {
  it('keys digits by RFC 4733 and SIP INFO on a live call; the far end records both', async () => {
    const view = ok(await lab.handlers['settings/saveListener']({ transport: 'udp', host: '127.0.0.1', port: 0, advertiseHost: null, profile: 'watson', enabled: true }));
    const target = view.uri!.replace(/^sip:bot@/, 'sip:15550100@').replace(/;transport=udp$/, '');
    const { callRef } = ok(await lab.handlers['calls/place']({ target, profile: 'watson', transport: 'udp', headers: null, trunkId: null, botSignals: false }));
    await until(() => lab.recorder.get(callRef)?.call.state === 'answered', 'answered');
    const uac = lab.recorder.get(callRef)!.call;
    const uas = await until(() => lab.store.findCallBySipCallId(uac.callId, 'uas'), 'the bot leg');
    ok(await lab.handlers['calls/dtmf']({ id: callRef, digits: '5', method: 'rfc4733' }));
    ok(await lab.handlers['calls/dtmf']({ id: callRef, digits: '#', method: 'info' }));
    const bot = lab.recorder.get(uas.id)!.call;
    await until(() => bot.mediaReport().dtmf.length === 2, 'both digits at the bot');
    expect(bot.mediaReport().dtmf.map((d) => `${d.direction}${d.digit}/${d.via ?? 'rfc4733'}`)).toEqual(['in5/rfc4733', 'in#/info']);
    await uac.hangup();
    await until(() => uac.state === 'ended', 'ended');
    const r = await lab.handlers['calls/dtmf']({ id: callRef, digits: '1', method: 'rfc4733' });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/answered live call/) });
  });

  it('the payload schema accepts digits and the two methods only', () => {
    expect(validatePayload('calls/dtmf', { id: 'x', digits: '12*#AD', method: 'info' }).ok).toBe(true);
    expect(validatePayload('calls/dtmf', { id: 'x', digits: '1x', method: 'info' }).ok).toBe(false);
    expect(validatePayload('calls/dtmf', { id: 'x', digits: '1', method: 'inband' }).ok).toBe(false);
  });
});
