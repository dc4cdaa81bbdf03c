/**
 * `call` mode: a plain outbound call through a trunk or straight to a SIP URI, as CXone's
 * PLACECALL would place it (the headers of `sip.headers`, digest auth, an outbound proxy), with no
 * emulated API: the steps are the caller's side of a conversation with whatever answers (a bot's
 * number, an IVR). Signal expectations are not available in this mode.
 */
import { placeCallRuleChecks } from '../../profiles/placecall-checks';
import { sipMarks } from '../../scenarios/latency';
import type { SipCall } from '../../sip/call';
import { sendDtmfInfo } from '../../sip/dtmf-info';
import { answerRecord, inviteRecord, caseTls, type CaseDriver, type DriverFacts, type DriverInput, type DriverStart } from '../driver';
import { Feed } from '../feed';
import { feedDigits, type SeenDigit } from '../steps';
import { timeToGreeting } from './facts';

/** The call driver (see the file comment). */
export class CallDriver implements CaseDriver {
  call: SipCall | null = null;

  constructor(private readonly input: DriverInput) {}

  async start(): Promise<DriverStart> {
    const { tc, deps, tap, transport } = this.input;
    const sip = tc.sip ?? {};
    const target = sip.target;
    if (!target) throw new Error('call mode needs sip.target (the SIP URI or number@trunk to call)');
    if ((sip.username === undefined) !== (sip.password === undefined)) throw new Error('call mode: give both sip.username and sip.password (the password as ${keychain:account} or ${env:NAME})');
    const host = sip.host ?? (/@(127\.|localhost|\[::1\])/i.test(target) ? '127.0.0.1' : '0.0.0.0');
    const ep = await deps.startEndpoint({
      transport,
      host,
      port: 0,
      user: 'lab',
      ...caseTls(this.input),
      ...(sip.advertise ? { advertiseHost: sip.advertise } : {}),
      ...(sip.username !== undefined && sip.password !== undefined ? { auth: { username: sip.username, password: sip.password } } : {}),
      ...(sip.outbound_proxy ? { outboundProxy: sip.outbound_proxy } : {}),
      media: { onRtpPacket: tap.onRtpPacket },
    });
    const call = ep.invite(target, {
      extraHeaders: Object.entries(sip.headers ?? {}).map(([name, value]) => ({ name, value })),
      ...(sip.from ? { fromUri: sip.from } : {}),
    });
    this.call = call;
    const tracked = deps.recorder.track(call, { runId: deps.runId, profile: this.input.profile.id });
    // Seed facts about the PLACECALL (TLS trunk, E.164, the bot's number) as warnings (issue 14).
    tracked.addChecks(placeCallRuleChecks(this.input.profile, { requestUri: target, transport }));
    call.on('ended', () => tap.close());
    const digits = new Feed<SeenDigit>();
    feedDigits(call, digits);
    try {
      await call.waitForState('answered', tc.timeout);
    } catch {
      const why = call.end ? `${call.end.by === 'remote' ? 'the far end' : 'our side'}: ${call.end.reason}` : `still ${call.state} after ${tc.timeout} ms`;
      return { ok: false, detail: `the call was not answered (${why})`, inviteMonoMs: inviteRecord(call)?.monoMs ?? null };
    }
    const inviteMonoMs = inviteRecord(call)?.monoMs ?? 0;
    tap.originMonoMs = inviteMonoMs;
    return {
      ok: true,
      inviteMonoMs,
      env: {
        mode: 'call',
        call,
        tap,
        caseDir: this.input.caseDir,
        speak: deps.speak,
        signals: null,
        onSignalContactId: null,
        sendSignal: null,
        digits,
        sendInfoDtmf: (d, durationMs) => sendDtmfInfo(call, d, { durationMs }),
        inviteHeaders: call.invite?.parsed.headers ?? [],
        answeredMonoMs: answerRecord(call)?.monoMs ?? inviteMonoMs,
        abort: this.input.abort,
      },
    };
  }

  async finish(): Promise<DriverFacts> {
    const call = this.call;
    return { contactId: null, action: null, outcome: null, latency: call ? { ...sipMarks(call.messages, 'uac'), ...timeToGreeting(this.input.tap, call) } : {} };
  }
}
