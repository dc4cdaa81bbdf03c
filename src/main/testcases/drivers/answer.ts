/**
 * `answer` mode (design.md §2, mode 1): the app is the bot. It listens (`sip.listen`), takes the
 * first INVITE (later ones get 486 Busy Here), checks it (`expect_header`, the contact-id verdict by
 * the profile), answers, and the steps are the bot's side: greet (`say`/`play`), listen
 * (`expect_speech`, `expect_dtmf`), `signal` to the configured CXone API for the INVITE's contact id,
 * `hangup` or `expect_hangup`.
 *
 * The API: `cxone.api: embedded` (default; an emulator in this process, which registers the
 * INVITE's contact id as an active contact), `discover` (the API host from the token's tenant), or
 * a base URL; the access key is `cxone.access_key_id` / `access_key_secret` (write the secret as
 * `${env:…}` or `${keychain:…}`), with `cxone.client_id` / `client_secret` and `cxone.auth` (the
 * issuer) for a registered app's OAuth password grant.
 */
import { CxoneClient } from '../../cxone/client';
import { defaultAuthBase } from '../../cxone/urls';
import type { EmbeddedCxone } from '../../emulator/embedded';
import { verifyContactId } from '../../profiles';
import type { TrackedCall } from '../../scenarios/call-recorder';
import type { SipCall } from '../../sip/call';
import { sendDtmfInfo } from '../../sip/dtmf-info';
import { answerRecord, delay, inviteRecord, caseTls, type CaseDriver, type DriverFacts, type DriverInput, type DriverStart } from '../driver';
import { Feed } from '../feed';
import { feedDigits, type SeenDigit } from '../steps';
import type { ContactIdVerdict } from '../../../shared/types';

/**
 * Parses `sip.listen`: `<udp|tcp|tls>:<host>:<port>` (IPv6 in brackets).
 * @throws Error naming the expected form.
 */
export function parseListenSpec(value: string): { transport: 'udp' | 'tcp' | 'tls'; host: string; port: number } {
  const m = /^(udp|tcp|tls):(\[[^\]]+\]|[^:]+):(\d{1,5})$/i.exec(value.trim());
  if (!m || Number(m[3]) > 65535) throw new Error(`sip.listen "${value}": expected <udp|tcp|tls>:<host>:<port>, e.g. udp:0.0.0.0:5060`);
  return { transport: m[1]!.toLowerCase() as 'udp' | 'tcp' | 'tls', host: m[2]!.replace(/^\[|\]$/g, ''), port: Number(m[3]) };
}

/** The answer driver (see the file comment). */
export class AnswerDriver implements CaseDriver {
  call: SipCall | null = null;
  private tracked: TrackedCall | null = null;
  private verdict: ContactIdVerdict | null = null;
  private embedded: EmbeddedCxone | null = null;

  constructor(private readonly input: DriverInput) {}

  async start(): Promise<DriverStart> {
    const { tc, profile, deps, tap } = this.input;
    const listen = parseListenSpec(tc.sip?.listen ?? `${tc.sip?.transport ?? tc.transport ?? 'udp'}:127.0.0.1:5060`);
    const client = await this.client();
    const ep = await deps.startEndpoint({
      transport: listen.transport,
      host: listen.host,
      port: listen.port,
      user: 'bot',
      ...caseTls({ ...this.input, transport: listen.transport }),
      ...(tc.sip?.advertise ? { advertiseHost: tc.sip.advertise } : {}),
      media: { onRtpPacket: tap.onRtpPacket },
    });
    const first = new Promise<SipCall>((resolve) => {
      ep.onInvite = (call) => {
        if (this.call) {
          call.reject(486).catch(() => {});
          return;
        }
        this.call = call;
        resolve(call);
      };
    });
    deps.log('info', `test: ${tc.name}: listening on ${ep.listener.uri}`);
    const call = await Promise.race([first, delay(tc.timeout, this.input.abort).then(() => null)]);
    if (!call) return { ok: false, detail: `no INVITE arrived on ${ep.listener.uri} within ${tc.timeout} ms`, inviteMonoMs: null };
    call.on('ended', () => tap.close());
    const headers = call.invite?.parsed.headers ?? [];
    this.verdict = verifyContactId(headers, profile);
    this.tracked = deps.recorder.track(call, { runId: deps.runId, profile: profile.id });
    this.tracked.setVerdict(this.verdict);
    const contactId = this.verdict.value ?? '';
    if (this.embedded && contactId) this.embedded.api.contacts.add({ contactId, role: 'master', onSignal: () => {} });
    const inviteMonoMs = inviteRecord(call)?.monoMs ?? 0;
    tap.originMonoMs = inviteMonoMs;
    const digits = new Feed<SeenDigit>();
    feedDigits(call, digits);
    try {
      await call.accept();
    } catch (e) {
      return { ok: false, detail: `could not answer: ${(e as Error).message}`, inviteMonoMs };
    }
    const tracked = this.tracked;
    return {
      ok: true,
      inviteMonoMs,
      env: {
        mode: 'answer',
        call,
        tap,
        caseDir: this.input.caseDir,
        speak: deps.speak,
        signals: null,
        onSignalContactId: null,
        sendSignal: async (params) => {
          const rec = await client.signal(contactId, params, { callRef: call.id });
          tracked.addSignal(rec);
          return rec;
        },
        digits,
        sendInfoDtmf: (d, durationMs) => sendDtmfInfo(call, d, { durationMs }),
        inviteHeaders: headers,
        answeredMonoMs: answerRecord(call)?.monoMs ?? inviteMonoMs,
        abort: this.input.abort,
      },
    };
  }

  /** The CXone API client the bot signals through (see the file comment). */
  private async client(): Promise<CxoneClient> {
    const { tc, profile, deps } = this.input;
    const api = tc.cxone?.api ?? 'embedded';
    if (api === 'embedded') {
      this.embedded = await deps.startCxone('127.0.0.1');
      return this.embedded.clientFor(profile);
    }
    const id = tc.cxone?.access_key_id;
    const secret = tc.cxone?.access_key_secret;
    if (!id || !secret) throw new Error('answer mode with a real CXone API needs cxone.access_key_id and cxone.access_key_secret (e.g. "${env:CXONE_ACCESS_KEY_SECRET}")');
    const apiBase = api === 'discover' ? undefined : api;
    if (apiBase !== undefined && !/^https?:\/\//i.test(apiBase)) throw new Error(`cxone.api "${api}": expected embedded, discover or an https:// base URL`);
    const authBase = tc.cxone?.auth ?? (apiBase ? defaultAuthBase(apiBase) : undefined);
    const c = tc.cxone ?? {};
    // A registered app's OAuth password grant (PolyAI, cxone-reference.md §1b) when its client is given: `auth` is then the issuer.
    if ((c.client_id === undefined) !== (c.client_secret === undefined)) throw new Error('cxone.client_id and cxone.client_secret go together (the OAuth password grant of a registered app)');
    if (c.client_id && !c.auth) throw new Error('the OAuth password grant needs cxone.auth: the issuer (OpenID discovery at {issuer}/.well-known/openid-configuration)');
    const oauth = c.client_id && c.client_secret && c.auth ? { issuer: c.auth, clientId: c.client_id, clientSecret: c.client_secret } : undefined;
    return new CxoneClient({
      ...(oauth ? { oauth } : authBase ? { authBase } : {}),
      ...(apiBase ? { apiBase } : {}),
      apiVersion: profile.apiVersion,
      pathStyle: profile.pathStyle,
      credentials: { accessKeyId: id, accessKeySecret: secret },
    });
  }

  async finish(): Promise<DriverFacts> {
    const v = this.verdict;
    const id = v?.value;
    if (this.embedded && id) this.embedded.api.contacts.end(id);
    return {
      contactId: v ? { ok: v.ok, detail: v.ok ? `${v.header} = ${v.value}` : v.problems.join('; ') || 'no usable contact id' } : null,
      action: null,
      outcome: null,
      latency: this.tracked?.latency() ?? {},
    };
  }
}
