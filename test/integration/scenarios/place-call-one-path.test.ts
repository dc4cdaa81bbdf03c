// Issue 11 item 2: the `call` kind has one path (runs/placed-call.ts) for `lab call` and the
// dashboard's "Place call". With real parts (loopback SIP, a sip.js far end, the embedded CXone
// emulator, SQLite in a temp dir): a dashboard-style call (a caller-owned endpoint, the emulated
// script attached) now gets what only the CLI had (the answer timeout's CANCEL, the prompt, the
// checks on the call's history row) and keeps what was its own (ONSIGNAL through the emulator API,
// the caller's endpoint left running, onPlaced right after the INVITE); a CLI-style call runs the
// same function and lands the same way.
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedCxone } from '../../../src/main/emulator/embedded';
import type { PlacedCallRef } from '../../../src/main/runs/placed-call';
import { LabRuntime } from '../../../src/main/runtime/lab-runtime';
import type { PlaceCallRunReport } from '../../../src/main/scenarios/place-call-report';
import { SipEndpoint } from '../../../src/main/sip/endpoint';

const PROMPT = resolve(import.meta.dirname, '../../../resources/prompts/caller.wav');
const RUNS = resolve(import.meta.dirname, '../../../src/main/runs');

let runtime: LabRuntime;
let cxone: EmbeddedCxone;
/** The dashboard's CXone-side endpoint: owned by the test, never by a run. */
let caller: SipEndpoint;
let bot: SipEndpoint;

beforeAll(async () => {
  runtime = LabRuntime.open({ dbFile: join(mkdtempSync(join(tmpdir(), 'one-path-')), 'history.db') });
  cxone = await runtime.embeddedCxone();
  caller = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'cxone' });
  bot = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'bot' });
});
afterAll(async () => {
  await bot?.stop();
  await caller?.stop();
  await runtime?.close();
});

const target = (): string => `sip:bot@127.0.0.1:${bot.listener.port}`;

/** The checks stored on the call's history row, by name. */
function storedChecks(callRef: string): Record<string, boolean> {
  const row = runtime.store!.getCall(callRef);
  return Object.fromEntries((row?.checks ?? []).map((c) => [c.name, c.ok]));
}

describe('the call kind: one path for lab call and the dashboard', () => {
  it('has one INVITE call site, in runs/placed-call.ts', () => {
    const sites = readdirSync(RUNS)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => (readFileSync(join(RUNS, f), 'utf8').match(/\.invite\(/g) ?? []).map(() => f));
    expect(sites).toEqual(['placed-call.ts']);
  });

  it('dashboard-style, not answered: CANCEL after the answer timeout, the script’s outcome, checks on the call row, endpoint left running', async () => {
    bot.onInvite = () => {};
    const placed: PlacedCallRef[] = [];
    const report = await runtime.run<PlaceCallRunReport>('call', {
      target: target(),
      profile: 'watson',
      transport: 'udp',
      endpoint: caller,
      emulator: { api: cxone.api },
      fromUser: 'cxone',
      answerTimeoutMs: 300,
      onPlaced: (p: PlacedCallRef) => placed.push(p),
    });
    const c = report.calls[0]!;
    expect(placed).toEqual([{ callRef: c.callRef, callId: c.callId }]);
    expect(report.ok).toBe(false);
    expect(c.end).toEqual({ by: 'local', reason: 'CANCEL' });
    expect(c.cxone!.outcome).toMatch(/^PLACECALL failed: /);
    expect(c.invite.headers).toContainEqual({ name: 'X-ContactID', value: c.cxone!.masterId });
    expect(storedChecks(c.callRef)).toMatchObject({ 'call-answered': false, 'x-headers-sent': true });
    // The contacts the script registered have ended with the call.
    expect(cxone.api.contacts.get(c.cxone!.masterId)?.endedWallMs ?? 'gone').not.toBeNull();
  });

  it('dashboard-style, answered: the prompt plays, the bot’s Signal fires ONSIGNAL, the script drops the leg; checks on the call row', async () => {
    const client = cxone.clientFor(runtime.profile('watson'));
    let signalled: Promise<unknown> = Promise.resolve();
    bot.onInvite = (call) => {
      const id = /^X-ContactID: *(\d+)\r?$/m.exec(call.invite!.raw)?.[1] ?? '';
      void (async () => {
        await call.accept();
        signalled = client.signal(id, { p1: 'hangup' });
        await signalled;
      })().catch(() => {});
    };
    const report = await runtime.run<PlaceCallRunReport>('call', {
      target: target(),
      profile: 'watson',
      transport: 'udp',
      endpoint: caller,
      emulator: { api: cxone.api },
      fromUser: 'cxone',
      prompt: PROMPT,
    });
    await signalled;
    const c = report.calls[0]!;
    expect(c.cxone).toMatchObject({ onSignal: { p1: 'hangup' }, signalledContactId: c.cxone!.masterId, outcome: 'HANGUP' });
    expect(c.end).toMatchObject({ by: 'local', reason: 'BYE' });
    expect(c.checks.map((k) => k.name)).toEqual(expect.arrayContaining(['call-answered', 'x-headers-sent', 'prompt-played']));
    expect(storedChecks(c.callRef)).toMatchObject({ 'call-answered': true, 'x-headers-sent': true, 'prompt-played': true });
    expect(report.ok).toBe(c.checks.every((k) => k.ok));
  });

  it('CLI-style (the run’s own endpoint, no script) goes through the same function: same report, checks on the call row', async () => {
    bot.onInvite = (call) => {
      void (async () => {
        await call.accept();
        await call.hangup();
      })().catch(() => {});
    };
    const report = await runtime.run<PlaceCallRunReport>('call', { target: target(), profile: 'watson', transport: 'udp', local: { host: '127.0.0.1' }, prompt: null, recordDir: null });
    const c = report.calls[0]!;
    expect(c.end).toEqual({ by: 'remote', reason: 'BYE' });
    expect(c.cxone).toMatchObject({ onSignal: null, signalledContactId: null, outcome: 'PLACECALL answered; the far end hung up' });
    expect(storedChecks(c.callRef)).toMatchObject({ 'call-answered': true, 'x-headers-sent': true });
    // The caller-owned endpoint of the dashboard-style runs is still up: it places this one too.
    bot.onInvite = () => {};
    const again = await runtime.run<PlaceCallRunReport>('call', { target: target(), profile: 'watson', transport: 'udp', endpoint: caller, emulator: { api: cxone.api }, answerTimeoutMs: 200 });
    expect(again.calls[0]!.end).toEqual({ by: 'local', reason: 'CANCEL' });
  });
});
