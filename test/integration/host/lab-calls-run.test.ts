// The dashboard's calls/place is the `call` run kind on the Lab's runtime (issue 11): the same kind
// `lab call` runs. With real parts (SIP on loopback, the embedded CXone emulator, SQLite in a temp
// dir): a call to the built-in reference bot returns as soon as the INVITE is out, stays up until
// the user hangs up, then its run ends on the runtime's stream with lab call's report shape, its
// run row is in history, and every live map is empty again.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../../src/main/lab';
import type { RuntimeEventMap } from '../../../src/main/runtime/events';
import type { PlaceCallRunReport } from '../../../src/main/scenarios/place-call-report';

let lab: Lab;
const savedBus = process.env.DBUS_SESSION_BUS_ADDRESS;

beforeAll(async () => {
  process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/cxone-sip-lab-calls-run-test';
  lab = await Lab.start({ dbFile: join(mkdtempSync(join(tmpdir(), 'lab-calls-run-')), 'history.db'), host: 'browser', keychainService: `cxone-sip-lab-test-${process.pid}`, recordDir: null });
});
afterAll(async () => {
  await lab?.stop();
  if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus;
});

const ok = <T,>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

/** Resolves with the first event of `name` that `pick` accepts. */
function next<E extends keyof RuntimeEventMap>(name: E, pick: (p: RuntimeEventMap[E]) => boolean): Promise<RuntimeEventMap[E]> {
  return new Promise((resolve) => {
    const off = lab.runtime.events.on(name, (p) => {
      if (!pick(p)) return;
      off();
      resolve(p);
    });
  });
}

describe('calls/place runs the call kind on the runtime', () => {
  it('returns once the INVITE is out, keeps the call until hangup, then ends the run with lab call’s report', async () => {
    const started = next('run/started', (p) => p.kind === 'call');
    const { callRef } = ok(await lab.handlers['calls/place']({ target: '', profile: 'kore', transport: 'udp', headers: null, trunkId: null, botSignals: false }));
    const run = await started;
    expect(lab.runtime.running()).toContainEqual({ kind: 'call', count: 1 });
    const bot = lab.recorder.get(callRef);
    expect(bot?.call.role).toBe('uas');
    await bot!.call.waitForState('answered', 10_000);

    const reported = next('run/call', (p) => p.runId === run.runId);
    const ended = next('run/ended', (p) => p.runId === run.runId);
    ok(await lab.handlers['calls/hangup']({ id: callRef }));
    const report = (await reported).report as PlaceCallRunReport['calls'][number];
    const end = await ended;
    expect(end).toMatchObject({ kind: 'call', error: null });
    expect(report.cxone?.masterId).toMatch(/^\d{11}$/);
    expect(report.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['call-answered', 'x-headers-sent']));
    expect(report.checks.find((c) => c.name === 'call-answered')?.ok).toBe(true);
    expect(report.contactId.value).toBe(report.invite.headers.find((h) => h.name === report.contactId.header)?.value);

    const runs = ok(await lab.handlers['history/runs']({ limit: 10 }));
    expect(runs.find((r) => r.id === run.runId)).toMatchObject({ kind: 'call', profile: 'kore', transport: 'udp', ok: end.ok, callCount: 1 });
    // run/ended is announced just before the runtime lets go of the run: it leaves on the next turns.
    while (lab.runtime.running().some((r) => r.kind === 'call')) await new Promise((r) => setTimeout(r, 10));
    expect(lab.runtime.liveMapSizes()).toMatchObject({ 'lab.emulated': 0, 'lab.botByCallId': 0 });
  });

  it('a target that is not a SIP URI is refused before any run starts', async () => {
    let startedRuns = 0;
    const off = lab.runtime.events.on('run/started', () => startedRuns++);
    const r = await lab.handlers['calls/place']({ target: 'bot.example', profile: 'kore', transport: 'udp', headers: null, trunkId: null, botSignals: false });
    off();
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/must be a SIP URI/) });
    expect(startedRuns).toBe(0);
  });
});
