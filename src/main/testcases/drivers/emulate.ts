/**
 * `emulate` mode (design.md §2, mode 2): the app is CXone for a real bot. It serves the emulated
 * CXone API the bot is configured with (`cxone.api_listen`, the case's credentials), places the
 * call with the profile's X- headers and an emulated contact id, and the steps are the caller's
 * side of the bot leg while the emulated script plays ONSIGNAL / ONRELEASE.
 */
import { caseTopology } from '../../profiles/topology';
import { randomBytes } from 'node:crypto';
import { CxoneEmulatorApi } from '../../emulator/api-server';
import { ChildScript } from '../../emulator/child-script';
import { parseFault } from '../../emulator/faults';
import { sipMarks } from '../../scenarios/latency';
import { caseTls, type CaseDriver, type DriverFacts, type DriverInput, type DriverStart } from '../driver';
import { timeToGreeting } from './facts';
import { startScriptCall, type ScriptCall } from './script-call';

/** The emulate driver (see the file comment). */
export class EmulateDriver implements CaseDriver {
  private sc: ScriptCall | null = null;
  private api: CxoneEmulatorApi | null = null;

  constructor(private readonly input: DriverInput) {}

  get call() {
    return this.sc?.script.call ?? null;
  }

  async start(): Promise<DriverStart> {
    const { tc, profile, deps, tap, transport } = this.input;
    const target = tc.sip?.target;
    if (!target) throw new Error('emulate mode needs sip.target (the SIP URI of the bot)');
    const listen = parseHostPort(tc.cxone?.api_listen ?? '127.0.0.1:0');
    const c = tc.cxone ?? {};
    const host = tc.sip?.host ?? (/@(127\.|localhost|\[::1\])/i.test(target) ? '127.0.0.1' : '0.0.0.0');
    const ep = await deps.startEndpoint({
      transport,
      host,
      port: 0,
      user: 'cxone',
      ...caseTls(this.input),
      ...(tc.sip?.advertise ? { advertiseHost: tc.sip.advertise } : {}),
      media: { onRtpPacket: tap.onRtpPacket },
    });
    // The API's public address (in discovery and the token's claims): the listen host, or for a
    // wildcard the address the SIP side advertises, as lab emulate does.
    const wildcard = listen.host === '0.0.0.0' || listen.host === '::' || listen.host === '';
    const publicHost = wildcard ? ep.listener.host : listen.host;
    const scheme = c.https ? 'https' : 'http';
    const fixedBase = listen.port > 0 ? `${scheme}://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${listen.port}` : undefined;
    this.api = await CxoneEmulatorApi.start({
      host: listen.host,
      port: listen.port,
      accessKeys: [{ accessKeyId: c.access_key_id ?? 'lab', accessKeySecret: c.access_key_secret ?? randomBytes(24).toString('base64') }],
      oauthClients: [{ clientId: c.client_id ?? 'lab-app', clientSecret: c.client_secret ?? randomBytes(24).toString('base64url') }],
      faults: (tc.faults ?? []).map(parseFault),
      ...(c.https ? { tls: 'self-signed' as const } : {}),
      ...(fixedBase ? { apiEndpoint: fixedBase } : {}),
    });
    deps.log('info', `test: ${tc.name}: emulated CXone API at ${fixedBase ?? this.api.baseUrl}, calling ${target}`);
    const script = new ChildScript({
      endpoint: ep,
      api: this.api,
      profile,
      target,
      recorder: deps.recorder,
      runId: deps.runId,
      maxCallMs: tc.timeout,
      topology: caseTopology(tc.cxone?.topology),
      placeCallRules: true,
      callerPrompt: null,
      settleMs: 500,
    });
    const { start, sc } = await startScriptCall(this.input, this.api, script);
    this.sc = sc;
    return start;
  }

  async finish(): Promise<DriverFacts> {
    const sc = this.sc;
    if (!sc) return { contactId: null, action: null, outcome: null, latency: {} };
    const outcome = await sc.done;
    sc.detach();
    const call = sc.script.call;
    const owner = sc.owner;
    const signalled = sc.signals.all;
    const right = signalled.find((s) => s.contactId === owner);
    const header = sc.script.header;
    const contactId = signalled.length
      ? {
          ok: right !== undefined,
          detail: right
            ? `CXone put ${header.name}: ${header.value}; the bot signalled ${right.contactId} (where ONSIGNAL is)`
            : `CXone put ${header.name}: ${header.value}; the bot signalled ${signalled.map((s) => s.contactId).join(', ')}, not ${owner} (where ONSIGNAL is)`,
        }
      : { ok: false, detail: `CXone put ${header.name}: ${header.value}; the bot sent no Signal` };
    const latency: DriverFacts['latency'] = { ...(call ? sipMarks(call.messages, 'uac') : {}), ...timeToGreeting(this.input.tap, call) };
    const bye = right && call ? call.messages.find((m) => m.method === 'BYE' && m.status === undefined && m.monoMs >= right.monoMs) : undefined;
    if (right && bye) latency.signal_to_bye_ms = Math.round((bye.monoMs - right.monoMs) * 10) / 10;
    return { contactId, action: outcome.action, outcome: outcome.outcome, latency };
  }

  async close(): Promise<void> {
    const api = this.api;
    this.api = null;
    await api?.stop();
  }
}

/** `host:port` (IPv6 in brackets) → parts. @throws Error for another form. */
export function parseHostPort(v: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(v.trim());
  if (!m || Number(m[2]) > 65535) throw new Error(`"${v}": expected host:port, e.g. 127.0.0.1:8088`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}
