// Issue 14 through `lab emulate`'s run (the app as CXone for a scripted bot on loopback): the
// topology option per run, the configurable Signal status (202 by default is a choice: NICE
// documents none), and a wrong leg under the profile's own assumed topology (Kore) as a warning.
import { afterEach, describe, expect, it } from 'vitest';
import { parseTopologySpec } from '../../../src/main/profiles/topology';
import { runEmulate, type EmulateOptions, type EmulateReady } from '../../../src/main/scenarios/emulate';
import type { CallReport, RunReport } from '../../../src/main/scenarios/run-report';
import { ScriptedBot, type BotPlan } from '../scenarios/emulate-scripted-bot';

const bots: ScriptedBot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((b) => b.stop()));
});

async function emulate(plan: BotPlan, opts: Partial<EmulateOptions> & { profile: string }): Promise<{ report: RunReport; call: CallReport; ready: EmulateReady }> {
  const bot = await ScriptedBot.start('tcp', plan);
  bots.push(bot);
  let ready: EmulateReady | undefined;
  const report = await runEmulate({
    sipTarget: bot.uri,
    apiListen: { host: '127.0.0.1', port: 0 },
    sip: { transport: 'tcp', host: '127.0.0.1', port: 0 },
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
  return { report, call: report.calls[0]!, ready: ready! };
}

const check = (call: CallReport, name: string) => call.checks.find((c) => c.name === name);

describe('emulate: topology, Signal status, assumed topology', () => {
  it('Kore (topology assumed here): a Signal to the spawned leg is a warning naming the Main script; the TLS rule warns over TCP', async () => {
    const { call, ready } = await emulate({ header: 'X-ExternalCallId', params: { p1: 'AgentHandoff' }, signalId: (v) => String(Number(v) + 1), hangUpAfterMs: 200 }, { profile: 'kore' });
    const leg = check(call, 'signal-contact-id')!;
    expect(leg).toMatchObject({ ok: true, warn: true, source: { kind: 'assumed' } });
    expect(leg.detail).toContain(`wrong leg: this id, ${ready.childId}, is the spawned leg's id (the Spawn script)`);
    expect(leg.detail).toContain(`the script waiting in ONSIGNAL is the Main script's, MasterId ${ready.masterId}`);
    expect(check(call, 'placecall-tls')).toMatchObject({ ok: true, warn: true, source: { kind: 'seed', ref: '000_d4ad4dad8823db79.txt' } });
  });

  it('the topology per run: a parent/child whose child waits in ONSIGNAL (NICE backchannel) takes the child id', async () => {
    const { call, ready } = await emulate({ header: 'X-ContactID', params: { p1: 'x' } }, { profile: 'custom', topology: parseTopologySpec('parent-child,header=placer,onsignal=placer') });
    expect(call.invite.headers).toContainEqual({ name: 'X-ContactID', value: ready.childId });
    expect(check(call, 'signal-contact-id')).toMatchObject({ ok: true });
    expect(call.cxone?.onSignal).toEqual({ p1: 'x' });
  });

  it('the Signal status is configurable (default 202, a choice)', async () => {
    const { call } = await emulate({ header: 'X-ContactID', params: { p1: 'wa-1' } }, { profile: 'watson', signalStatus: 200 } as Partial<EmulateOptions> & { profile: string });
    expect(call.signal?.status).toBe(200);
    expect(check(call, 'signal-accepted')?.ok).toBe(true);
  });
});

describe('parseTopologySpec', () => {
  it('reads a kind and the two settings', () => {
    expect(parseTopologySpec('single')).toEqual({ kind: 'single' });
    expect(parseTopologySpec('main-spawn,header=placer')).toEqual({ kind: 'main-spawn', headerHolds: 'placer' });
    expect(parseTopologySpec('onsignal=placer')).toEqual({ onSignalIn: 'placer' });
    expect(() => parseTopologySpec('master')).toThrow('--topology "master": [single|main-spawn|parent-child]');
  });
});
