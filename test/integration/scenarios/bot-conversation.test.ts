/**
 * The reference bot converses over real SIP and RTP on loopback: it greets (TTS text), listens to
 * the caller's speech and digits, and signals the emulated CXone API with what it heard; a caller
 * who says nothing takes the no-input path; nothing per call is left once a call ended.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { monoNow } from '../../../src/main/clock';
import { conversationOf } from '../../../src/main/media/conversation';
import { getProfile } from '../../../src/main/profiles';
import { BotAgent, type BotAgentOptions, type BotCallResult } from '../../../src/main/scenarios/bot-agent';
import { CallRecorder } from '../../../src/main/scenarios/call-recorder';
import { SipEndpoint } from '../../../src/main/sip/endpoint';
import { client, emulator, signalsOf } from '../cxone/helpers';

const CONTACT = '20000000100';
const endpoints: SipEndpoint[] = [];
afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((e) => e.stop()));
});

async function start(profileId: string, header: string, over: Partial<BotAgentOptions>) {
  const api = await emulator();
  api.contacts.add({ contactId: CONTACT, role: 'master', toAddr: '+18005550000', onSignal: () => {} });
  const signals = signalsOf(api);
  const bot = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'bot' });
  const cxone = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'cxone' });
  endpoints.push(bot, cxone);
  const agent = new BotAgent({
    endpoint: bot, profile: getProfile(profileId), recorder: new CallRecorder(null, null), runId: null, client: client(api),
    autoSignal: true, dropWaitMs: 1000, maxCallMs: 20_000, greeting: 'Hello, how can I help you?', ...over,
  });
  const done = new Promise<BotCallResult>((resolve) => agent.once('call-done', resolve));
  const call = cxone.invite(`sip:15550100@127.0.0.1:${bot.listener.port};transport=udp`, { extraHeaders: [{ name: header, value: CONTACT }] });
  await call.waitForState('answered', 5000);
  return { agent, done, call, signals };
}

describe('the reference bot converses', () => {
  it('Kore: greets, hears the caller speak and press 2 (SIP INFO), signals AgentHandoff with what it heard, and hangs up', async () => {
    const { agent, done, call, signals } = await start('kore', 'X-ExternalCallId', {
      conversation: { onDtmf: { '2': { p1: 'AgentHandoff', p3: 'kore-{digits}' } }, requireBoth: true, silentForMs: 400 },
    });
    expect(agent.liveMapSizes()).toEqual({ calls: 1 });
    const me = conversationOf(call);
    const answered = monoNow() - 1000;
    await me.waitForSpeech({ withinMs: 5000, sinceMonoMs: answered }); // the greeting
    await me.waitForSilence({ forMs: 300, withinMs: 10_000 });
    await me.say('I want to talk to a person');
    expect(signals).toHaveLength(0); // speech alone is not enough with requireBoth
    await me.sendDtmf('2', 'info');
    const r = await done;
    expect(r.signal).toMatchObject({ ok: true });
    expect(r.signal!.params).toEqual({ p1: 'AgentHandoff', p3: 'kore-2' });
    expect(signals.map((s) => s.params)).toEqual([{ p1: 'AgentHandoff', p3: 'kore-2' }]);
    expect(r.heard).toMatchObject({ digits: '2', by: 'both' });
    expect(r.heard!.speechMs).toBeGreaterThan(500);
    expect(r.heard!.summary).toMatch(/^dtmf:2,speech:\d+\.\ds$/);
    expect(call.end).toMatchObject({ by: 'remote', reason: 'BYE' }); // Kore's bot ends its own leg
    expect(agent.liveMapSizes()).toEqual({ calls: 0 });
    expect(agent.results).toHaveLength(0);
  });

  it('Synthflow: a spoken turn alone triggers the profile Signal, with what it heard in p2', async () => {
    const { done, call } = await start('synthflow', 'X-MasterId', { greeting: null, conversation: { silentForMs: 300 } });
    await conversationOf(call).say('Sales please');
    const r = await done.finally(() => call.hangup().catch(() => {}));
    expect(r.signal!.params).toMatchObject({ p1: 'Sales', p2: expect.stringMatching(/^speech:\d+\.\ds$/) });
    expect(r.heard?.by).toBe('speech');
  });

  it('Watson: a caller who says nothing gets p1=hangup after the listening window; an RFC 4733 digit not listed is ignored', async () => {
    const { done, call } = await start('watson', 'X-ContactID', { greeting: null, conversation: { onDtmf: { '9': { p1: 'agent' } }, listenMs: 600 } });
    await conversationOf(call).sendDtmf('1');
    const r = await done.finally(() => call.hangup().catch(() => {}));
    expect(r.signal!.params).toEqual({ p1: 'hangup', p2: 'dtmf:1' });
    expect(r.heard).toMatchObject({ by: 'no-input', digits: '1' });
  });
});
