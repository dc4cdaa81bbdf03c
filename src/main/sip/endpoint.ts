/**
 * `SipEndpoint`: one SIP listener (UDP, TCP or TLS) with one sip.js UserAgent, placing and taking calls
 * as {@link SipCall}s. It wires the pieces sip-in-node.md describes: {@link NodeSipTransport}, the
 * plain-RTP {@link RtpSdh}, the Contact port fix (§1.4), the Request-URI rewrite (§3.1), sip.js logs
 * routed to the app's logger, and the wire records routed to each call by Call-ID.
 */
import { networkInterfaces } from 'node:os';
import { Inviter, UserAgent, type Invitation, type LogLevel, type Session } from 'sip.js';
import type { ListenerInfo, SipHeader, SipMessageRecord, SipTransportKind } from '../../shared/types';
import type { MediaConfig } from '../media/media-config';
import { SipCall } from './call';
import { NodeSipTransport, type NodeSipTransportOptions, type SipLog, type SipLogLevel } from './node-transport';
import { outboundProxyRoute } from './outbound-proxy';
import { processSipFaults, SipFaultCounters, sipJsFaultKind } from './fault-counters';
import { installSipProcessGuard } from './process-guard';
import { useOurAllowList } from './methods';
import { rtpSdhFactory } from './rtp-sdh';
import { SharedRtpSink, sinkSdhFactory } from './sink-sdh';
import { formatHostPort } from '../net/host-format';
import { prepareSipTls, type SipTlsOptions, type TlsListenerCertificate } from './tls-setup';
import { monoNow } from '../clock';
import { sipUserAgent } from '../version';

/** Options of {@link SipEndpoint.start}. */
export interface SipEndpointOptions {
  /** `tls`: SIP over TLS (Via `SIP/2.0/TLS`, Contact `;transport=tls`), set up by `tls`. */
  transport: 'udp' | 'tcp' | 'tls';
  /**
   * TLS listener certificate and trusted CAs (transport `tls` only). Without a certificate, a
   * self-signed one made for this run is used.
   */
  tls?: SipTlsOptions;
  /** Address to bind (a concrete address, or 0.0.0.0 to listen on every interface). */
  host: string;
  /**
   * Address written in Via, Contact, SDP and the listener URI: the one the peer must reach.
   * Default: `host`, or for a wildcard `host` this machine's first non-internal IPv4 address.
   */
  advertiseHost?: string;
  /** Port to bind; 0 = ephemeral (read `listener.port`). */
  port: number;
  /** User part of our AOR and Contact; default `lab`. */
  user?: string;
  /** Receives every SIP message that crossed the socket, in wire order. */
  onWire?: (rec: SipMessageRecord) => void;
  log?: SipLog;
  /** RFC 3261 T1/T2 (ms) for the UDP timers; default 500 / 4000. */
  timers?: { t1Ms?: number; t2Ms?: number };
  /** Media of every call (recording, VAD, RTCP, RTP packet hook); see media-config.ts. */
  media?: MediaConfig;
  /**
   * Calls carry SDP but no media of their own (`lab load` without `--media`): every call's SDP
   * points at one RTP/RTCP socket pair shared by the endpoint, which drops what arrives; no
   * per-call socket, MediaSession, VAD or recording (sink-sdh.ts). `media` is then unused.
   */
  noMedia?: boolean;
  /**
   * Digest credentials (RFC 3261 §22.2: 401 WWW-Authenticate → Authorization; §22.3: 407
   * Proxy-Authenticate → Proxy-Authorization), answered by sip.js once per request (INVITE,
   * REGISTER…); a second challenge ends the request. Without credentials a challenge ends the
   * request at once. The password stays in the SIP layer: never logged nor recorded.
   */
  auth?: { username: string; password: string };
  /**
   * Outbound proxy (RFC 3261 §8.1.2): every out-of-dialog request carries `Route: <proxy;lr>` and
   * goes to it; see outbound-proxy.ts. `sip:proxy.example:5060` or `host[:port]`.
   */
  outboundProxy?: string;
}

/** Options of {@link SipEndpoint.invite}. */
export interface InviteOptions {
  /** Headers written verbatim into the INVITE (e.g. `X-ContactID: 998877`). */
  extraHeaders?: SipHeader[];
  /** User part of the From URI (host = ours); default: our user. */
  fromUser?: string;
  /** The whole From URI (e.g. `sip:alice@trunk.example`, a trunk account's AOR); wins over `fromUser`. */
  fromUri?: string;
  fromDisplayName?: string;
}

/** How long {@link SipEndpoint.stop} waits for live calls to end (ms). */
const STOP_GRACE_MS = 3000;
/**
 * Records of Call-IDs without a call yet, kept for at most this many Call-IDs. A burst (200 calls/s
 * behind a stalled event loop, with the UDP socket's 4 MB buffer) can read thousands of INVITEs
 * before sip.js hands the first to onInvite: evicting their records would lose the INVITE the call
 * reads its headers from.
 */
const MAX_BUFFERED_CALL_IDS = 8192;
/** …and for at most this long (ms, 64·T1): a call is made soon after its INVITE, the rest is stray. */
const BUFFERED_TTL_MS = 32_000;
/**
 * Ended calls kept for {@link SipEndpoint.calls} and for their late messages (a retransmitted 200
 * to our BYE, an ACK after a 486): a fixed-size history, not live state.
 */
const RECENT_ENDED_CALLS = 64;

const SIPJS_LEVELS: Readonly<Record<LogLevel, SipLogLevel>> = { error: 'error', warn: 'warn', log: 'debug', debug: 'debug' };

/** A SIP endpoint: listener + UserAgent + calls. */
export class SipEndpoint {
  /** The bound listener (real port even when started with port 0). */
  readonly listener: ListenerInfo;
  /**
   * Called for each incoming INVITE. The call already holds its INVITE and is `ringing` (the 180
   * went out); the handler decides: `call.accept()` or `call.reject()`. Without a handler, the
   * call is rejected with 486.
   */
  onInvite?: (call: SipCall) => void;
  /** Live calls (not ended nor failed), by Call-ID; an ended call leaves at once. */
  private readonly byCallId = new Map<string, SipCall>();
  /** The last {@link RECENT_ENDED_CALLS} ended calls, oldest first. */
  private readonly recent: SipCall[] = [];
  private readonly bySession = new WeakMap<Session, SipCall>();
  private readonly created = new WeakMap<SipCall, number>();
  private nextSeq = 0;
  private readonly buffered = new Map<string, { at: number; records: SipMessageRecord[] }>();
  private readonly watchers = new Map<string, (rec: SipMessageRecord) => void>();
  private stopping: Promise<void> | undefined;
  private faults: SipFaultCounters = processSipFaults;
  /** The certificate the TLS listener presents (transport `tls`), else null. */
  tlsCertificate: TlsListenerCertificate | null = null;
  /** The RTP sink of media-less calls (option `noMedia`), else null. */
  private sink: SharedRtpSink | null = null;

  private constructor(
    private readonly ua: UserAgent,
    private readonly transport: NodeSipTransport,
    private readonly opts: SipEndpointOptions & { user: string; advertiseHost: string },
    private readonly log: SipLog,
  ) {
    const hp = formatHostPort(opts.advertiseHost, transport.port);
    this.listener = { transport: opts.transport, host: opts.advertiseHost, port: transport.port, uri: `sip:${opts.user}@${hp};transport=${opts.transport}` };
  }

  /**
   * Binds the listener and starts the UserAgent.
   * @throws (rejects) when the port cannot be bound or the options are invalid.
   */
  static async start(options: SipEndpointOptions): Promise<SipEndpoint> {
    const opts = { ...options, user: options.user ?? 'lab', advertiseHost: options.advertiseHost ?? advertisedAddress(options.host) };
    const log: SipLog = opts.log ?? (() => {});
    installSipProcessGuard(log);
    useOurAllowList();
    const faults = new SipFaultCounters(log, processSipFaults);
    const aor = UserAgent.makeURI(`sip:${opts.user}@${opts.advertiseHost}`);
    if (!aor) throw new Error(`invalid user or host for a SIP URI: "${opts.user}@${opts.advertiseHost}"`);
    // Callbacks need the endpoint, which exists only after the transport is bound.
    const ref: { ep?: SipEndpoint } = {};
    const early: SipMessageRecord[] = [];
    const tls = opts.transport === 'tls' ? await prepareSipTls(opts.tls ?? {}, [opts.advertiseHost, opts.host], log) : undefined;
    const sink = opts.noMedia ? new SharedRtpSink(opts.host) : null;
    const transportOptions: NodeSipTransportOptions = {
      protocol: opts.transport === 'udp' ? 'UDP' : opts.transport === 'tls' ? 'TLS' : 'TCP',
      streamFactory: tls?.factory,
      // sip.js reports a failed send as a bare 503: the call keeps the transport's reason.
      onSendError: (callId, e) => ref.ep?.byCallId.get(callId)?._noteFailure(e.message),
      host: opts.host,
      advertiseHost: opts.advertiseHost,
      port: opts.port,
      user: opts.user,
      log,
      faults,
      timers: opts.timers,
      onWire: (rec) => (ref.ep ? ref.ep.onWireRecord(rec) : early.push(rec)),
    };
    const ua = new UserAgent({
      uri: aor,
      viaHost: opts.advertiseHost,
      contactName: opts.user,
      userAgentString: sipUserAgent,
      contactParams: { transport: opts.transport },
      forceRport: opts.transport === 'udp',
      transportConstructor: NodeSipTransport,
      transportOptions,
      sessionDescriptionHandlerFactory: sink ? sinkSdhFactory(sink, { advertiseHost: opts.advertiseHost }) : rtpSdhFactory({ host: opts.host, advertiseHost: opts.advertiseHost, log, media: opts.media }, (sdh, session) => {
        // Called by sip.js while it builds an answer or offer: a throw here must not reach it.
        try {
          ref.ep?.bySession.get(session)?._attachSdh(sdh);
        } catch (e) {
          log('error', `attaching the media of a call failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
      logBuiltinEnabled: false,
      logConfiguration: false,
      logLevel: 'log',
      logConnector: (level, category, _label, content) => {
        const text = String(content);
        log(SIPJS_LEVELS[level] ?? 'debug', `${category}: ${text}`);
        const kind = sipJsFaultKind(text);
        if (kind) faults.note(kind, text, true);
      },
      delegate: { onInvite: (inv) => ref.ep?.onIncomingInvite(inv) },
      authorizationUsername: opts.auth?.username,
      authorizationPassword: opts.auth?.password,
      preloadedRouteSet: opts.outboundProxy ? [outboundProxyRoute(opts.outboundProxy)] : [],
    });
    // Without credentials sip.js would still answer a challenge, with a digest of "undefined":
    // let the 401/407 end the request instead.
    if (!opts.auth) ua.userAgentCore.configuration.authenticationFactory = () => undefined;
    await ua.start();
    const transport = ua.transport as NodeSipTransport;
    // sip.js never writes a port in its Contact or AOR (sip-in-node.md §1.4): set the bound one.
    ua.contact.uri.port = transport.port;
    aor.port = transport.port;
    const ep = new SipEndpoint(ua, transport, opts, log);
    ep.tlsCertificate = tls?.certificate ?? null;
    ep.faults = faults;
    ep.sink = sink;
    ref.ep = ep;
    for (const rec of early) ep.onWireRecord(rec);
    log('info', `SIP endpoint listening on ${ep.listener.uri}`);
    return ep;
  }

  /**
   * What this endpoint caught instead of letting it end the process, by kind (e.g.
   * `session-terminated-twice`, `ack-timeout-after-end`, `inbound-error`, `refused-too-many-headers`);
   * see fault-counters.ts. Each kind was logged once.
   */
  faultCounts(): Record<string, number> {
    return this.faults.snapshot();
  }

  /** The transport kind of this endpoint. */
  get kind(): SipTransportKind {
    return this.opts.transport;
  }

  /**
   * Places a call. Returns at once with the call in state `inviting`; the INVITE (with an SDP
   * offer) goes out as soon as the RTP socket is bound.
   * @param target - SIP URI of the callee, e.g. `sip:bot@10.0.0.5:5060`; over TLS
   *   `sip:bot@bot.example.com;transport=tls` (port 5061 when absent; the URI host is the name the
   *   peer's certificate must hold). A `sips:` URI is sent as `sip:…;transport=tls`.
   * @throws when the endpoint is stopped, the URI is invalid (or `sips:` on a non-TLS endpoint), or a
   *   header name/value is unusable. TLS failures (untrusted CA, wrong name, expired, refused) end
   *   the call `failed` with the reason in `call.end.reason`.
   */
  invite(target: string, opts: InviteOptions = {}): SipCall {
    if (this.stopping) throw new Error('the SIP endpoint is stopped');
    const uri = UserAgent.makeURI(target);
    if (!uri) throw new Error(`invalid SIP URI "${target}"`);
    if (uri.scheme.toLowerCase() === 'sips') {
      // sip.js cannot make the sips: Contact a sips: Request-URI requires (RFC 3261 §8.1.1.8): a
      // sips: target is sent as sip:…;transport=tls (RFC 5630 §3.1.3), on TLS only. (A far end that
      // keeps the dialog on sips: anyway is served: node-transport.ts hands sip.js those requests as sip:.)
      if (this.opts.transport !== 'tls') throw new Error(`"${target}" is a sips: URI: it needs a TLS endpoint (transport tls)`);
      uri.scheme = 'sip';
      uri.port ??= 5061;
      uri.setParam('transport', 'tls');
    }
    const extraHeaders = (opts.extraHeaders ?? []).map((h) => {
      if (!/^[A-Za-z0-9.!%*_+`'~-]+$/.test(h.name) || /[\r\n]/.test(h.value)) {
        throw new Error(`unusable header ${JSON.stringify(h.name)}: ${JSON.stringify(h.value)}`);
      }
      return `${h.name}: ${h.value}`;
    });
    const params: { fromUri?: string; fromDisplayName?: string } = {};
    if (opts.fromUser) params.fromUri = `sip:${opts.fromUser}@${formatHostPort(this.opts.advertiseHost, this.transport.port)}`;
    if (opts.fromUri) params.fromUri = opts.fromUri;
    if (opts.fromDisplayName) params.fromDisplayName = opts.fromDisplayName;
    const inviter = new Inviter(this.ua, uri, { extraHeaders, params });
    const call = new SipCall({
      role: 'uac',
      callId: inviter.request.callId,
      transport: this.opts.transport,
      originalRequestUri: target,
      mediaHost: this.opts.advertiseHost,
      log: this.log,
    });
    this.register(call, inviter);
    call.transition('inviting');
    this.sendInvite(inviter, call.callId);
    return call;
  }

  /**
   * Sends a new call's INVITE. sip.js keeps the delegates given here as long as the INVITE's
   * transaction (64·T1 after a 2xx, RFC 6026 Timer M): they find the live call by its Call-ID
   * rather than hold it (a closure here must not capture the call, nor share a scope that does).
   */
  private sendInvite(inviter: Inviter, callId: string): void {
    const live = (): SipCall | undefined => this.byCallId.get(callId) ?? this.recentCall(callId);
    inviter
      .invite({
        requestDelegate: {
          onReject: (r) => live()?._noteFailure(`${r.message.statusCode} ${r.message.reasonPhrase} (no such response on the wire: generated by the SIP stack)`),
        },
      })
      .catch((e: unknown) => {
        live()?._noteFailure(`INVITE not sent: ${e instanceof Error ? e.message : String(e)}`);
        this.log('warn', `call ${callId}: INVITE not sent: ${e instanceof Error ? e.message : String(e)}`);
      });
  }

  /**
   * The live calls and the last 64 ended ones, in creation order (an ended call leaves the live
   * maps at once; this short history is fixed-size).
   */
  calls(): SipCall[] {
    const seq = (c: SipCall): number => this.created.get(c) ?? 0;
    return [...this.recent, ...this.byCallId.values()].sort((a, b) => seq(a) - seq(b));
  }

  /**
   * Sizes of every per-call in-memory map of the SIP layer (name → entries), for the runtime's
   * live-state report; all are 0 once every call ended and the transaction timers ran out (64·T1
   * on UDP). Covers this endpoint (live calls, records waiting for their call, Call-ID watchers),
   * the transport (response and connection routes, UDP retransmission timers and caches, RFC 2543
   * branches) and sip.js (sessions, dialogs, transactions' user agents).
   */
  liveMapSizes(): Record<string, number> {
    this.sweepBuffered();
    const core = this.ua.userAgentCore;
    return {
      calls: this.byCallId.size,
      bufferedCallIds: this.buffered.size,
      callIdWatchers: this.watchers.size,
      ...this.transport.liveMapSizes(),
      sipjsSessions: Object.keys(this.ua._sessions).length,
      sipjsDialogs: core.dialogs.size,
      sipjsServerTransactions: core.userAgentServers.size,
      sipjsClientTransactions: core.userAgentClients.size,
    };
  }

  /**
   * Follows the wire records of a Call-ID that is not a call (e.g. a registration's REGISTERs).
   * @returns a function that stops following it.
   */
  watchCallId(callId: string, onRecord: (rec: SipMessageRecord) => void): () => void {
    this.watchers.set(callId, onRecord);
    return () => {
      if (this.watchers.get(callId) === onRecord) this.watchers.delete(callId);
    };
  }

  /** @internal The sip.js UserAgent, for SIP features beyond calls (registration.ts). */
  get userAgent(): UserAgent {
    return this.ua;
  }

  /**
   * Ends live calls (BYE, CANCEL or reject), waits up to 3 s for them, stops the UserAgent and
   * closes every socket. Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    const live = [...this.byCallId.values()].filter((c) => c.state !== 'ended' && c.state !== 'failed');
    await Promise.all(
      live.map(async (c) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          // Bounded as a whole: sip.js holds a UAS's BYE until the ACK comes (RFC 3261 §15), and a
          // silent peer never sends it.
          await Promise.race([
            c.hangup().then(() => c.waitForEnd(STOP_GRACE_MS)),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no end within ${STOP_GRACE_MS} ms (state '${c.state}')`)), STOP_GRACE_MS);
            }),
          ]);
        } catch (e) {
          this.log('warn', `stop: call ${c.callId} did not end cleanly: ${e instanceof Error ? e.message : String(e)}`);
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.ua.stop().catch((e: Error) => this.log('warn', `stop: ${e.message}`)),
      new Promise<void>((r) => (timer = setTimeout(r, STOP_GRACE_MS))),
    ]);
    clearTimeout(timer);
    await this.transport.dispose();
    this.sink?.close();
    for (const c of [...this.byCallId.values()]) c._abandon('endpoint stopped');
    this.log('info', `SIP endpoint ${this.listener.uri} stopped`);
  }

  private register(call: SipCall, session: Invitation | Inviter): void {
    this.created.set(call, this.nextSeq++);
    this.byCallId.set(call.callId, call);
    this.bySession.set(session, call);
    for (const rec of this.buffered.get(call.callId)?.records ?? []) call._onWire(rec);
    this.buffered.delete(call.callId);
    call.once('ended', () => this.retire(call));
    call._attachSession(session);
  }

  /** An ended call leaves the live maps (here and in the transport) and joins the short history. */
  private retire(call: SipCall): void {
    try {
      if (this.byCallId.get(call.callId) === call) this.byCallId.delete(call.callId);
      this.recent.push(call);
      if (this.recent.length > RECENT_ENDED_CALLS) this.recent.shift();
      this.transport.forgetCall(call.callId);
      // sip.js keeps an ended INVITE's session for 64·T1 (its transaction's Timer M): let it not keep the call.
      const session = call.sipSession;
      if (session) this.bySession.delete(session);
      call._releaseSession();
    } catch (e) {
      this.log('error', `call ${call.callId}: cleaning up after its end failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Drops expired buffered records: the map is in arrival order, so it stops at the first live one. */
  private sweepBuffered(): void {
    const now = monoNow();
    for (const [id, b] of this.buffered) {
      if (now - b.at <= BUFFERED_TTL_MS) return;
      this.buffered.delete(id);
    }
  }

  private onWireRecord(rec: SipMessageRecord): void {
    try {
      this.opts.onWire?.(rec);
    } catch (e) {
      this.log('error', `onWire handler threw: ${e instanceof Error ? e.message : String(e)}`);
    }
    const call = this.byCallId.get(rec.callId) ?? this.recentCall(rec.callId);
    if (call) {
      call._onWire(rec);
      return;
    }
    const watcher = this.watchers.get(rec.callId);
    if (watcher) {
      try {
        watcher(rec);
      } catch (e) {
        this.log('error', `wire watcher of ${rec.callId} threw: ${e instanceof Error ? e.message : String(e)}`);
      }
      return;
    }
    if (rec.callId === '') return;
    let entry = this.buffered.get(rec.callId);
    if (!entry) {
      this.sweepBuffered();
      if (this.buffered.size >= MAX_BUFFERED_CALL_IDS) this.buffered.delete(this.buffered.keys().next().value!);
      entry = { at: monoNow(), records: [] };
      this.buffered.set(rec.callId, entry);
    }
    if (entry.records.length < 64) entry.records.push(rec);
  }

  /** An ended call of the short history with this Call-ID (newest first), for its late messages. */
  private recentCall(callId: string): SipCall | undefined {
    for (let i = this.recent.length - 1; i >= 0; i--) if (this.recent[i]!.callId === callId) return this.recent[i];
    return undefined;
  }

  private onIncomingInvite(invitation: Invitation): void {
    try {
      const call = new SipCall({
        role: 'uas',
        callId: invitation.request.callId,
        transport: this.opts.transport,
        mediaHost: this.opts.advertiseHost,
        log: this.log,
      });
      this.register(call, invitation);
      call.transition('inviting');
      call.transition('ringing');
      const refuse = (status: number, why: string): void => {
        this.log('info', `call ${call.callId}: rejected with ${status}: ${why}`);
        call.reject(status).catch((e: Error) => this.log('warn', `call ${call.callId}: reject failed: ${e.message}`));
      };
      if (this.stopping) refuse(480, 'the endpoint is stopping');
      else if (!this.onInvite) refuse(486, 'no onInvite handler');
      else this.onInvite(call);
    } catch (e) {
      this.log('error', `incoming INVITE handling failed: ${e instanceof Error ? e.stack : String(e)}`);
    }
  }
}

/**
 * The address to advertise for a bind address: itself when concrete; for a wildcard (0.0.0.0, ::)
 * the first non-internal IPv4 address of this machine, else 127.0.0.1.
 */
export function advertisedAddress(bindHost: string): string {
  if (bindHost !== '0.0.0.0' && bindHost !== '::' && bindHost !== '') return bindHost;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
