/**
 * A small scripted voice bot for the `lab emulate` tests: a SipEndpoint that answers the INVITE,
 * reads the contact id from the profile's X- header, gets an access-key token and sends the Signal
 * with plain HTTP calls (fetch over HTTP; node:https with the emulator's certificate over HTTPS) to
 * the API base the emulator handed out. What it does after that is its plan.
 */
import https from 'node:https';
import { SipEndpoint } from '../../../src/main/sip/endpoint';
import type { SipCall } from '../../../src/main/sip/call';
import type { SignalParams } from '../../../src/shared/types';

/** What the bot does on its call. */
export interface BotPlan {
  /** Header to read the contact id from (exact name). */
  header: string;
  /** p1..p9 to send. */
  params: SignalParams;
  /** API version in the Signal path; default v30.0. */
  apiVersion?: string;
  /** Contact id to signal, from the header's value; default the value itself. */
  signalId?: (headerValue: string) => string;
  /** `signal` (default), `hangup-only` (BYE, no Signal), `hangup-then-signal` (BYE, then a late Signal). */
  flow?: 'signal' | 'hangup-only' | 'hangup-then-signal';
  /** How many Signals to send (default 1). */
  signals?: number;
  /** Hang up right after the Signal (Kore). */
  hangUpAfterSignal?: boolean;
  /** Hang up this long after the Signal if the leg is still up (ms); default: wait for CXone. */
  hangUpAfterMs?: number;
}

/** Where the bot finds the emulated CXone API. */
export interface BotApi {
  base: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** The emulator's certificate (PEM) when it serves HTTPS. */
  ca?: string | null;
}

/** What the bot saw and did. */
export interface BotLog {
  headerValue: string | null;
  tokenStatus: number | null;
  signalStatuses: number[];
  endedBy: string | null;
}

async function post(url: string, headers: Record<string, string>, body: string | undefined, ca?: string | null): Promise<{ status: number; text: string }> {
  if (!url.startsWith('https:')) {
    const r = await fetch(url, { method: 'POST', headers, body });
    return { status: r.status, text: await r.text() };
  }
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'POST', headers, ca: ca ?? undefined }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The scripted bot: start it, give its URI to the emulator, then {@link setApi} once the emulator is ready. */
export class ScriptedBot {
  readonly log: BotLog = { headerValue: null, tokenStatus: null, signalStatuses: [], endedBy: null };
  readonly done: Promise<BotLog>;
  private api: Promise<BotApi>;
  private giveApi: (a: BotApi) => void = () => {};
  private finish: () => void = () => {};

  private constructor(
    readonly ep: SipEndpoint,
    private readonly plan: BotPlan,
  ) {
    this.api = new Promise((r) => (this.giveApi = r));
    this.done = new Promise((r) => (this.finish = () => r(this.log)));
    ep.onInvite = (call) => {
      this.handle(call).catch((e: unknown) => {
        this.log.endedBy = `error: ${(e as Error).message}`;
        this.finish();
      });
    };
  }

  /** Starts the bot's SIP endpoint on 127.0.0.1 (port 0); over TLS with a self-signed certificate kept in memory. */
  static async start(transport: 'udp' | 'tcp' | 'tls', plan: BotPlan): Promise<ScriptedBot> {
    const tls = transport === 'tls' ? { tls: { selfSigned: true, certDir: null } } : {};
    return new ScriptedBot(await SipEndpoint.start({ transport, host: '127.0.0.1', port: 0, user: 'bot', ...tls }), plan);
  }

  /** The SIP URI to call (the pseudo number's route). */
  get uri(): string {
    const l = this.ep.listener;
    return `sip:15550100@${l.host}:${l.port};transport=${l.transport}`;
  }

  setApi(api: BotApi): void {
    this.giveApi(api);
  }

  stop(): Promise<void> {
    return this.ep.stop();
  }

  private async handle(call: SipCall): Promise<void> {
    const p = this.plan;
    const value = call.invite?.parsed.headers.find((h) => h.name === p.header)?.value ?? null;
    this.log.headerValue = value;
    await call.accept();
    const api = await this.api;
    const hangup = async (): Promise<void> => {
      if (call.state === 'answered') await call.hangup().catch(() => {});
    };
    if (p.flow === 'hangup-only' || p.flow === 'hangup-then-signal') await hangup();
    if (p.flow !== 'hangup-only' && value) {
      const tok = await post(
        `${api.base}/authentication/v1/token/access-key`,
        { 'Content-Type': 'application/json' },
        JSON.stringify({ accessKeyId: api.accessKeyId, accessKeySecret: api.accessKeySecret }),
        api.ca,
      );
      this.log.tokenStatus = tok.status;
      const token = (JSON.parse(tok.text) as { access_token?: string }).access_token ?? '';
      const id = p.signalId ? p.signalId(value) : value;
      const query = new URLSearchParams(p.params as Record<string, string>).toString();
      const url = `${api.base}/incontactapi/services/${p.apiVersion ?? 'v30.0'}/interactions/${encodeURIComponent(id)}/signal?${query}`;
      for (let i = 0; i < (p.signals ?? 1); i++) {
        const r = await post(url, { Authorization: `Bearer ${token}` }, undefined, api.ca);
        this.log.signalStatuses.push(r.status);
      }
      if (p.hangUpAfterSignal) await hangup();
      else if (p.hangUpAfterMs !== undefined) await call.waitForEnd(p.hangUpAfterMs).catch(hangup);
    }
    const end = await call.waitForEnd(10_000).catch(() => null);
    this.log.endedBy = end?.by ?? null;
    this.finish();
  }
}
