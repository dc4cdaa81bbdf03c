// `runEmulate` (the app as CXone for a real bot) driven by a small scripted bot on loopback: the
// bot answers the INVITE, reads the contact id, gets a token and sends the Signal with plain HTTP
// calls to the API base the emulator handed out. The report shows the token request, the Signal,
// the checks and the ONSIGNAL outcome; wrong legs, faults and the ONRELEASE path are reported.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../../src/main/emulator/faults';
import { HistoryStore } from '../../../src/main/history/store';
import { runEmulate, type EmulateOptions, type EmulateReady } from '../../../src/main/scenarios/emulate';
import type { CallReport, RunReport } from '../../../src/main/scenarios/run-report';
import { ScriptedBot, type BotPlan } from './emulate-scripted-bot';

const bots: ScriptedBot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((b) => b.stop()));
});

async function emulate(
  transport: 'udp' | 'tcp' | 'tls',
  plan: BotPlan,
  opts: Partial<EmulateOptions> & { profile: string },
  started?: ScriptedBot,
): Promise<{ report: RunReport; call: CallReport; bot: ScriptedBot; ready: EmulateReady }> {
  const bot = started ?? (await ScriptedBot.start(transport, plan));
  if (!started) bots.push(bot);
  let ready: EmulateReady | undefined;
  const report = await runEmulate({
    sipTarget: bot.uri,
    apiListen: { host: '127.0.0.1', port: 0 },
    sip: { transport, host: '127.0.0.1', port: 0 },
    timeoutMs: 5000,
    dropWaitMs: 500,
    agentAnswerDelayMs: 5,
    settleMs: 200,
    onReady: (r) => {
      ready = r;
      bot.setApi({ base: r.apiBase, accessKeyId: r.credentials.accessKeyId, accessKeySecret: r.credentials.accessKeySecret, ca: r.certPem });
    },
    ...opts,
  });
  await bot.done;
  return { report, call: report.calls[0]!, bot, ready: ready! };
}

const check = (call: CallReport, name: string) => call.checks.find((c) => c.name === name);

describe('lab emulate with a scripted bot', () => {
  it('Watson over TCP: the token request, the Signal, the checks and ONSIGNAL → REQAGENT are reported; history kept, no secret', async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'lab-emulate-')), 'h.db');
    const { report, call, bot, ready } = await emulate('tcp', { header: 'X-ContactID', params: { p1: 'wa-session-1', p2: 'vip' } }, { profile: 'watson', dbFile });
    expect(call.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report).toMatchObject({ ok: true, kind: 'emulate', profile: 'watson', transport: 'tcp' });
    expect(bot.log.headerValue).toBe(ready.masterId);
    expect(call.invite.headers).toContainEqual({ name: 'X-ContactID', value: ready.masterId });
    // The token request and the Signal, as the bot sent them, secrets redacted.
    const [token, signal] = call.api!.requests;
    expect(token).toMatchObject({ kind: 'token', status: 200 });
    expect(token!.summary).toMatch(/access-key flow/);
    expect(token!.exchange!.request.body).toContain(ready.credentials.accessKeyId);
    expect(token!.exchange!.request.body).toContain('[redacted]');
    expect(signal).toMatchObject({ kind: 'signal', status: 202 });
    expect(signal!.exchange!.request.url).toContain(`/incontactapi/services/v30.0/interactions/${ready.masterId}/signal?p1=wa-session-1&p2=vip`);
    expect(signal!.exchange!.request.headers.Authorization).toBe('[redacted]');
    expect(call.signal).toMatchObject({ status: 202, ok: true, params: { p1: 'wa-session-1', p2: 'vip' } });
    expect(call.checks.map((c) => c.name)).toEqual([
      'call-answered', 'token-request', 'signal-received', 'signal-url', 'signal-contact-id', 'signal-params', 'signal-accepted', 'onsignal', 'leg-dropped', 'single-signal',
    ]);
    expect(check(call, 'token-request')?.detail).toMatch(/access-key flow/);
    expect(check(call, 'signal-url')?.detail).toMatch(/v30\.0/);
    // ONSIGNAL: CXone drops the leg, then REQAGENT once.
    expect(call.cxone).toMatchObject({ action: 'REQAGENT', outcome: 'REQAGENT', transfers: 1, onSignalCount: 1, onSignal: { p1: 'wa-session-1', p2: 'vip' } });
    expect(call.cxone?.legDrop).toMatchObject({ ok: true, by: 'cxone', expectedBy: 'cxone' });
    expect(call.end?.by).toBe('local');
    expect(call.latency.invite_to_200).toBeGreaterThanOrEqual(0);
    expect(call.latency.signal_to_bye_ms).toBeGreaterThanOrEqual(0);
    const json = JSON.stringify(report);
    expect(json).not.toContain(ready.credentials.accessKeySecret);
    expect(json).not.toMatch(/Bearer (?!\[redacted\])/);
    const store = HistoryStore.open(dbFile);
    try {
      expect(store.getRun(report.runId)?.ok).toBe(true);
      const detail = store.getCall(call.callRef);
      expect(detail?.signals.map((s) => s.status)).toEqual([202]);
      expect(detail?.checks.map((c) => c.name)).toContain('signal-contact-id');
      expect(JSON.stringify(detail)).not.toContain(ready.credentials.accessKeySecret);
    } finally {
      store.close();
    }
  });

  it('Kore over UDP: the bot ends its own leg after the Signal, as the profile expects', async () => {
    const { report, call } = await emulate('udp', { header: 'X-ExternalCallId', params: { p1: 'AgentHandoff', p3: 's-1' }, apiVersion: 'v28.0', hangUpAfterSignal: true }, { profile: 'kore' });
    expect(call.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(call.cxone?.legDrop).toMatchObject({ ok: true, by: 'bot', expectedBy: 'bot' });
    expect(call.cxone).toMatchObject({ action: 'REQAGENT', transfers: 1 });
  });

  it('Synthflow bot signalling the child id: a wrong-leg finding, nothing happens, the bot hangs up → ONRELEASE', async () => {
    const { report, call, ready } = await emulate(
      'tcp',
      { header: 'X-MasterId', params: { p1: 'Sales' }, signalId: (v) => String(Number(v) + 1), hangUpAfterMs: 200 },
      { profile: 'synthflow' },
    );
    expect(report.ok).toBe(false);
    expect(call.cxone?.signalledContactId).toBe(ready.childId);
    const leg = check(call, 'signal-contact-id');
    expect(leg?.ok).toBe(false);
    expect(leg?.detail).toMatch(/wrong leg/);
    expect(leg?.detail).toContain(`MasterId ${ready.masterId}`);
    expect(call.cxone?.notes?.join(' ')).toMatch(/no ONSIGNAL, nothing happens/);
    expect(check(call, 'signal-accepted')?.ok).toBe(true);
    expect(check(call, 'onsignal')?.ok).toBe(false);
    expect(call.cxone).toMatchObject({ onSignal: null, action: 'ONRELEASE-transfer', transfers: 1 });
    expect(call.contactId.problems.join(' ')).toContain(ready.childId);
  });

  it("fault no-leg-drop: the Signal gets 202 but the leg stays up, flagged after the configured wait", async () => {
    const { report, call } = await emulate('tcp', { header: 'X-ContactID', params: { p1: 'wa-1' } }, { profile: 'watson', faults: [parseFault('no-leg-drop')], dropWaitMs: 300 });
    expect(report.ok).toBe(false);
    expect(call.signal?.status).toBe(202);
    const drop = check(call, 'leg-dropped');
    expect(drop).toMatchObject({ ok: false, detail: 'signal accepted but the leg was not dropped within 0.3 s' });
    expect(call.cxone?.legDrop).toMatchObject({ ok: false, by: null, waitMs: 300 });
    expect(call.cxone?.outcome).toMatch(/no-leg-drop/);
    expect(call.api?.faults).toEqual(['no-leg-drop']);
    expect(call.cxone?.transfers).toBe(0);
  });

  it('API faults reach the bot: a 429 it does not retry leaves the Signal refused, and the report says so', async () => {
    const { report, call } = await emulate('tcp', { header: 'X-ContactID', params: { p1: 'wa-429' }, hangUpAfterMs: 100 }, { profile: 'watson', faults: [parseFault('rate-limit:5')] });
    expect(report.ok).toBe(false);
    expect(call.api?.faults).toEqual(['rate-limit:5']);
    expect(call.api?.requests.find((r) => r.kind === 'signal')?.exchange?.response?.headers['retry-after']).toBe('5');
    expect(check(call, 'signal-accepted')).toMatchObject({ ok: false, detail: expect.stringMatching(/refused; last 429/) });
    expect(call.cxone).toMatchObject({ onSignal: null, action: 'ONRELEASE-transfer' });
  });

  it('the bot hangs up without signalling: ONRELEASE → transfer, once', async () => {
    const { report, call } = await emulate('udp', { header: 'X-ContactID', params: {}, flow: 'hangup-only' }, { profile: 'watson' });
    expect(report.ok).toBe(false);
    expect(call.signal).toBeNull();
    expect(call.cxone).toMatchObject({ action: 'ONRELEASE-transfer', transfers: 1, onSignal: null });
    expect(call.cxone?.outcome).toMatch(/ONRELEASE → transfer/);
    expect(check(call, 'signal-received')?.detail).toMatch(/hung up without signalling/);
    expect(check(call, 'token-request')?.ok).toBe(false);
  });

  it('a Signal after the bot already hung up: ONRELEASE has transferred, the late ONSIGNAL does not transfer again', async () => {
    const { report, call } = await emulate('tcp', { header: 'X-ContactID', params: { p1: 'wa-late' }, flow: 'hangup-then-signal' }, { profile: 'watson', settleMs: 400 });
    expect(report.ok).toBe(false);
    expect(call.cxone).toMatchObject({ action: 'ONRELEASE-transfer', transfers: 1 });
    expect(check(call, 'onsignal')).toMatchObject({ ok: false, detail: expect.stringMatching(/after the bot's BYE/) });
    expect(call.cxone?.notes?.join(' ')).toMatch(/after the bot's BYE|already handled/);
  });

  it('p1=hangup → HANGUP: CXone drops the leg and disconnects the caller, no transfer', async () => {
    const { report, call } = await emulate('tcp', { header: 'X-ContactID', params: { p1: 'hangup' } }, { profile: 'watson' });
    expect(report.ok).toBe(true);
    expect(call.cxone).toMatchObject({ action: 'HANGUP', outcome: 'HANGUP', transfers: 0 });
    expect(call.end?.by).toBe('local');
  });

  it('a duplicate Signal is a finding: ONSIGNAL fires twice, the transferred flag keeps it to one transfer', async () => {
    const { report, call } = await emulate('tcp', { header: 'X-ContactID', params: { p1: 'wa-dup' }, signals: 2 }, { profile: 'watson' });
    expect(report.ok).toBe(false);
    expect(check(call, 'single-signal')).toMatchObject({ ok: false });
    expect(call.cxone).toMatchObject({ onSignalCount: 2, transfers: 1 });
    expect(call.cxone?.notes?.join(' ')).toMatch(/duplicate Signal/);
  });

  it('SIP over TLS and the API over HTTPS: the bot trusts the generated certificate, whose fingerprint is reported', async () => {
    const bot = await ScriptedBot.start('tls', { header: 'X-ContactID', params: { p1: 'wa-tls' } });
    bots.push(bot);
    const caPem = [bot.ep.tlsCertificate!.certPem];
    const { report, call, ready } = await emulate('tls', { header: 'X-ContactID', params: { p1: 'wa-tls' } }, {
      profile: 'watson',
      https: true,
      sip: { transport: 'tls', host: '127.0.0.1', port: 0, tls: { caPem, systemCas: false } },
    }, bot);
    expect(call.transport).toBe('tls');
    expect(ready.apiBase).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.certFingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(call.api?.certFingerprint256).toBe(ready.certFingerprint256);
    expect(call.api?.requests.map((r) => r.exchange?.request.url.slice(0, 8))).toEqual(['https://', 'https://']);
    expect(report.ok).toBe(true);
  });
});
