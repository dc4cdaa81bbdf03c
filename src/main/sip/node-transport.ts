/**
 * `NodeSipTransport`: sip.js's Transport (sip-in-node.md §1.1) over Node sockets: UDP, TCP, and
 * TLS (TCP's framing over the sockets of a TLS {@link StreamSocketFactory}, tls-socket-factory.ts).
 *
 * It does what sip.js leaves to the transport: framing, routing each message to the right socket,
 * UDP retransmission, validation of incoming messages, and the Via/Request-URI edits that make
 * sip.js accept real peers. Every message is reported as a `SipMessageRecord` (shared/types.ts) with the exact
 * wire text and a monotonic stamp taken at the socket.
 *
 * State: `Disconnected → Connecting → Connected → Disconnecting → Disconnected` (the checked
 * diagram is in transport-state.ts). "Connected" means "listener up"; a lost TCP connection never
 * changes it (sip-in-node.md §1.7).
 *
 * A failed send (no connection, a TLS certificate refused…) rejects `send()`; sip.js turns that
 * into an internal 503 without the reason, so the error also goes to `onSendError` with the
 * message's Call-ID, for the call to show it.
 *
 * @remarks RFC 3261 §18 (transport layer), §18.2.2 (responses), §17 (timers, see
 * udp-retransmit.ts), §26.2 (TLS), RFC 5626 §4.4.1 (keep-alive), RFC 3581 (rport).
 */
import net from 'node:net';
import { EmitterImpl, TransportState, type Emitter, type Transport } from 'sip.js';
import { stampNow, type Stamp } from '../clock';
import type { SipTransportKind } from '../../shared/types';
import { headerValue, isParseError, parseSipMessage, topVia, viaBranch, type ParsedSipMessage } from './message';
import { RouteTable, requestTarget, udpResponseTarget, viaTarget, type HostPort } from './routing';
import { formatHostPort } from '../net/host-format';
import { tcpSocketFactory, type StreamConnection, type StreamSocketFactory } from './stream-connection';
import { StreamPool } from './stream-pool';
import { DEFAULT_UDP_TIMERS, UdpRetransmitter } from './udp-retransmit';
import { pendingSipJsParseFailures, takeSipJsParseFailure, watchSipJsParser } from './sipjs-parse-watch';
import { checkInbound, refuseInbound, refuseSipJsError, type InboundDecision } from './validation';
import { ServerTransactionBranches } from './transaction-key';
import { checkMove } from './state-machine';
import { TRANSPORT_TRANSITIONS } from './transport-state';
import { addViaPort, editForSipJs } from './wire-rewrite';
import { wireRecord, withStampToSettle } from './wire-record';
import { SipFaultCounters } from './fault-counters';
import { UdpWire } from './udp-wire';
import { FLUSH_CAP_MS, PROTOCOL_KINDS, REFUSALS_LOGGED_PER_KIND, UDP_SIZE_WARNING_BYTES, UDP_SOCKET_BUFFER_BYTES, type NodeSipTransportOptions } from './transport-options';
import type { SipLog } from './sip-log';

export type { SipLog, SipLogLevel } from './sip-log';
export { UDP_SIZE_WARNING_BYTES, type NodeSipTransportOptions } from './transport-options';

/** Where a message goes or came from. */
type Route = { kind: 'udp'; to: HostPort } | { kind: 'stream'; conn: StreamConnection };

/** sip.js Transport over Node UDP/TCP sockets. */
export class NodeSipTransport implements Transport {
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  private _state = TransportState.Disconnected;
  private readonly _stateChange = new EmitterImpl<TransportState>();
  private readonly opts: NodeSipTransportOptions;
  private readonly kind: SipTransportKind;
  private readonly log: SipLog;
  private readonly faults: SipFaultCounters;
  private readonly routes = new RouteTable<Route>();
  private readonly retransmitter: UdpRetransmitter;
  private readonly txBranches: ServerTransactionBranches;
  /** Refusals logged so far by kind (`<status> <phrase>`): the first few of a kind are logged. */
  private readonly refusalsLogged = new Map<string, number>();
  private readonly factory: StreamSocketFactory;
  private udp: UdpWire | undefined;
  private server: net.Server | undefined;
  private readonly pool: StreamPool;
  private boundPort = 0;
  /** Writes handed to a socket and not yet flushed: disconnect waits for them (bounded). */
  private readonly inflight = new Set<Promise<void>>();
  /** What {@link editForSipJs} needs of us (made once: it runs for every incoming message). */
  private readonly ours: Parameters<typeof editForSipJs>[2];

  /** Called by sip.js's UserAgent as `new transportConstructor(logger, transportOptions)`. */
  constructor(_logger: unknown, options: NodeSipTransportOptions) {
    watchSipJsParser();
    this.opts = options;
    this.kind = PROTOCOL_KINDS[options.protocol];
    this.ours = {
      tls: this.kind === 'tls',
      ourRequestUri: () => `sip:${options.user}@${formatHostPort(options.advertiseHost ?? options.host, this.boundPort)}`,
    };
    this.log = options.log ?? (() => {});
    this.faults = options.faults ?? new SipFaultCounters(this.log);
    this.factory = options.streamFactory ?? tcpSocketFactory;
    if (this.kind !== 'udp' && this.factory.kind !== this.kind) {
      throw new Error(`transport ${options.protocol} needs a ${this.kind} socket factory, got ${this.factory.kind}`);
    }
    this.pool = new StreamPool({
      factory: this.factory,
      localAddress: options.host,
      idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
      maxHeaderBytes: options.maxHeaderBytes,
      log: this.log,
      onMessage: (c, text, stamp) => this.inbound(text, stamp, { kind: 'stream', conn: c }, c.remote),
      onUnframeable: (c, head, reason, status) => {
        const d = refuseInbound(head, reason, status === 513 ? 'Message Too Large' : 'Bad Content-Length', status);
        if (d.action !== 'reject') return undefined;
        const parsed = parseSipMessage(d.response);
        if (!isParseError(parsed)) this.record(d.response, parsed, 'out', c.remote, c.local, stampNow());
        return Buffer.from(d.response, 'utf8');
      },
      onClose: (c, reason) => {
        this.log('info', `connection #${c.id} ${c.remote} closed: ${reason}`);
        this.routes.forget((r) => r.kind === 'stream' && r.conn === c);
      },
    });
    const timers = { ...DEFAULT_UDP_TIMERS, ...options.timers };
    this.retransmitter = new UdpRetransmitter(timers, (l, m) => this.log(l, `udp: ${m}`));
    this.txBranches = new ServerTransactionBranches(64 * timers.t1Ms);
  }

  /** `UDP`, `TCP` or `TLS`: sip.js writes it into the Via. */
  get protocol(): string {
    return this.opts.protocol;
  }

  /** Transport state (sip.js TransportState); "Connected" = listener up. */
  get state(): TransportState {
    return this._state;
  }

  /** Emits each new state (sip.js Transport interface). */
  get stateChange(): Emitter<TransportState> {
    return this._stateChange;
  }

  /** The bound port (0 before connect). */
  get port(): number {
    return this.boundPort;
  }

  /** The bound host. */
  get host(): string {
    return this.opts.host;
  }

  /**
   * Forgets what the transport keeps for a Call-ID whose call ended: its connection route and the
   * response routes of its requests (bounded live state; issue 11 item 4).
   */
  forgetCall(callId: string): void {
    this.routes.forgetCall(callId);
  }

  /** Sizes of the transport's per-call and per-transaction maps (name → entries). */
  liveMapSizes(): Record<string, number> {
    return { ...this.routes.sizes(), ...this.retransmitter.sizes(), rfc2543Branches: this.txBranches.size, parseWatch: pendingSipJsParseFailures(), udpPendingSends: this.udp?.pendingSends ?? 0 };
  }

  /** True while the listener is up. */
  isConnected(): boolean {
    return this._state === TransportState.Connected;
  }

  /** Binds the listener (UDP socket or stream server). Rejects when it cannot bind. */
  async connect(): Promise<void> {
    if (this._state === TransportState.Connected) return;
    if (this._state !== TransportState.Disconnected) throw new Error(`cannot connect in state ${this._state}`);
    this.transition(TransportState.Connecting);
    this.pool.reopen();
    try {
      if (this.kind === 'udp') await this.bindUdp();
      else await this.listenStream();
    } catch (e) {
      this.transition(TransportState.Disconnected, e instanceof Error ? e : new Error(String(e)));
      throw e;
    }
    this.transition(TransportState.Connected);
  }

  /** Closes the listener and every connection, and stops every timer. */
  async disconnect(): Promise<void> {
    if (this._state === TransportState.Disconnected || this._state === TransportState.Disconnecting) return;
    this.transition(TransportState.Disconnecting);
    this.retransmitter.dispose();
    // Let the last responses (e.g. a 480 sent just before stop) leave before closing the sockets.
    let flushTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inflight]),
      new Promise<void>((r) => (flushTimer = setTimeout(r, FLUSH_CAP_MS))),
    ]);
    clearTimeout(flushTimer);
    this.pool.closeAll('transport disconnect');
    this.routes.clear();
    this.txBranches.clear();
    const udp = this.udp;
    this.udp = undefined;
    if (udp) await udp.close();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
    this.transition(TransportState.Disconnected);
  }

  /** Same as {@link NodeSipTransport.disconnect}. */
  dispose(): Promise<void> {
    return this.disconnect();
  }

  /**
   * Sends one message from sip.js: adds our port to the Via of a request, finds the destination
   * (see routing.ts), writes UTF-8 bytes, records it, and starts UDP retransmission where due.
   * @returns rejects when the transport is not connected or the destination cannot be reached
   *          (sip.js then makes an internal 503 or a transaction error).
   */
  async send(message: string): Promise<void> {
    if (this._state !== TransportState.Connected) throw new Error(`transport is ${this._state}`);
    // A request gets our port in its Via first; the message is parsed once, as it goes out.
    const text = message.startsWith('SIP/2.0 ') ? message : addViaPort(message, this.boundPort, this.kind === 'udp');
    const parsed = parseSipMessage(text);
    if (isParseError(parsed)) throw new Error(`cannot send an unparseable message: ${parsed.error}`);
    // A response carries the peer's own branch again (transaction-key.ts, RFC 3261 §17.2.3);
    // routing and retransmission keys keep using the branch sip.js saw.
    const { text: wire, parsed: wireParsed } = this.txBranches.restore(text, parsed);
    let route: Route;
    try {
      route = await this.routeFor(parsed);
    } catch (e) {
      throw this.sendFailed(parsed, e);
    }
    const sending = this.write(route, wire, wireParsed);
    if (route.kind === 'udp') {
      // Registered before the send completes: on loopback the answer can come back first.
      this.retransmitter.onSent(parsed, () => {
        this.write(route, wire, wireParsed).catch((e: Error) => this.log('warn', `retransmission failed: ${e.message}`));
      });
    } else if (parsed.kind === 'request') {
      const callId = headerValue(parsed.headers, 'call-id');
      if (callId) this.routes.setCall(callId, route);
    }
    try {
      await sending;
    } catch (e) {
      if (route.kind === 'udp') this.retransmitter.forget(parsed);
      throw this.sendFailed(parsed, e);
    }
  }

  /** Logs a failed send and tells `onSendError`; returns the error for `send()` to reject with. */
  private sendFailed(msg: ParsedSipMessage, e: unknown): Error {
    const error = e instanceof Error ? e : new Error(String(e));
    this.log('warn', `cannot send "${msg.startLine}": ${error.message}`);
    try {
      this.opts.onSendError?.(headerValue(msg.headers, 'call-id') ?? '', error, msg.startLine);
    } catch (err) {
      this.log('error', `onSendError handler threw: ${err instanceof Error ? err.message : String(err)}`);
    }
    return error;
  }

  /** Moves along the diagram of transport-state.ts (an illegal move throws in tests, warns in production). */
  private transition(next: TransportState, error?: Error): void {
    const prev = this._state;
    checkMove(`transport ${this.opts.protocol}`, TRANSPORT_TRANSITIONS, prev, next, this.log);
    this._state = next;
    this.log('debug', `transport ${this.opts.protocol}: ${prev} → ${next}`);
    this._stateChange.emit(next);
    if (next === TransportState.Connected) this.onConnect?.();
    if (prev === TransportState.Connected && next !== TransportState.Connected) this.onDisconnect?.(error);
  }

  /** Binds the UDP socket on the wire thread (udp-wire.ts): datagrams are stamped there. */
  private async bindUdp(): Promise<void> {
    const wire = await UdpWire.open({
      host: this.opts.host,
      port: this.opts.port,
      // A burst (200 calls/s, a busy event loop) must not overflow the kernel's default buffer
      // (~200 KB) and lose ACKs; the kernel caps it at net.core.rmem_max/wmem_max.
      bufferBytes: UDP_SOCKET_BUFFER_BYTES,
      onDatagram: (text, stamp, from) => this.inbound(text, stamp, { kind: 'udp', to: from }, formatHostPort(from.host, from.port)),
      onError: (message) => this.log('warn', message),
      onPriority: (value) => this.log('info', `SIP wire thread (udp-wire.ts) scheduling: ${value}`),
    });
    if (wire.bufferProblem) this.log('debug', `udp socket buffers left as they are: ${wire.bufferProblem}`);
    this.udp = wire;
    this.boundPort = wire.port;
  }

  private async listenStream(): Promise<void> {
    this.server = await this.factory.listen(this.opts.host, this.opts.port, (socket) => {
      const conn = this.pool.adopt(socket);
      this.log('info', `connection #${conn.id} accepted from ${conn.remote}`);
    });
    this.server.on('error', (e) => this.log('error', `${this.factory.kind} listener: ${e.message}`));
    const addr = this.server.address();
    this.boundPort = typeof addr === 'object' && addr ? addr.port : this.opts.port;
  }

  /** Chooses the socket for an outgoing message (RFC 3261 §18.2.2 for responses, §8.1.2 for requests). */
  private async routeFor(msg: ParsedSipMessage): Promise<Route> {
    const via = topVia(msg.headers);
    if (msg.kind === 'response') {
      const branch = via ? viaBranch(via) : undefined;
      const known = branch ? this.routes.getBranch(branch) : undefined;
      if (known && (known.kind === 'udp' || known.conn.alive)) return known;
      const target = viaTarget(msg);
      if (!target) throw new Error('response without a usable Via');
      return this.kind === 'udp' ? { kind: 'udp', to: target } : { kind: 'stream', conn: await this.pool.connectTo(target) };
    }
    const callId = headerValue(msg.headers, 'call-id');
    if (this.kind !== 'udp' && callId) {
      const known = this.routes.getCall(callId);
      if (known?.kind === 'stream' && known.conn.alive) return known;
    }
    const target = requestTarget(msg, this.kind);
    if (!target) throw new Error(`no usable Route or Request-URI in "${msg.startLine}"`);
    return this.kind === 'udp' ? { kind: 'udp', to: target } : { kind: 'stream', conn: await this.pool.connectTo(target) };
  }

  /** Writes one message (first send or retransmission) and records it. */
  private write(route: Route, text: string, parsed: ParsedSipMessage): Promise<void> {
    const p = this.writeNow(route, text, parsed);
    this.inflight.add(p);
    const forget = (): void => void this.inflight.delete(p);
    p.then(forget, forget);
    return p;
  }

  private async writeNow(route: Route, text: string, parsed: ParsedSipMessage): Promise<void> {
    if (route.kind === 'udp') {
      const udp = this.udp;
      if (!udp) throw new Error('udp socket closed');
      const size = Buffer.byteLength(text, 'utf8');
      if (size > UDP_SIZE_WARNING_BYTES) {
        this.log('warn', `sending ${size} bytes over UDP (over ${UDP_SIZE_WARNING_BYTES}, RFC 3261 §18.1.1): "${parsed.startLine}"`);
      }
      // Hand the datagram to the wire thread (udp-wire.ts) and record it at once (the call's logic
      // reads its sent messages at once); its stamp becomes the wire thread's before it is stored.
      const stamp = stampNow();
      const sent = udp.send(text, route.to.port, route.to.host);
      this.record(text, parsed, 'out', formatHostPort(route.to.host, route.to.port), this.localUdp(), stamp, sent);
      await sent;
      return;
    }
    const stamp = stampNow();
    const written = route.conn.write(Buffer.from(text, 'utf8'));
    this.record(text, parsed, 'out', route.conn.remote, route.conn.local, stamp);
    await written;
  }

  private localUdp(): string {
    return formatHostPort(this.opts.advertiseHost ?? this.opts.host, this.boundPort);
  }

  private record(
    raw: string,
    parsed: ReturnType<typeof parseSipMessage>,
    direction: 'in' | 'out',
    remote: string,
    local: string,
    stamp: Stamp,
    /** The stamp that replaces `stamp` once known (a UDP send's, taken on the wire thread). */
    better?: Promise<Stamp>,
  ): void {
    if (!this.opts.onWire) return;
    try {
      const rec = wireRecord(raw, parsed, { direction, transport: this.kind, local, remote, stamp });
      if (better) {
        const settled = better.then(
          (at) => {
            rec.monoMs = at.monoMs;
            rec.wallMs = at.wallMs;
          },
          () => undefined, // a failed send keeps the first stamp (send() reports the failure)
        );
        withStampToSettle(rec, settled);
      }
      this.opts.onWire(rec);
    } catch (e) {
      this.log('error', `onWire handler threw: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * Sends a stateless refusal back where the request came from (RFC 3261 §18.2.2: on UDP to the
   * source address, at the sent-by port unless the Via asks for rport), counts it, and logs why: the
   * first {@link REFUSALS_LOGGED_PER_KIND} of each status and phrase at `warn`, later ones at `debug`;
   * a refusal by a cap (size, header count) is logged once.
   */
  private reject(decision: Extract<InboundDecision, { action: 'reject' }>, source: Route, remote: string): void {
    const kind = `${decision.status} ${decision.phrase}`;
    const line = `incoming request from ${remote} answered ${kind}: ${decision.reason}`;
    if (decision.cap) this.faults.note(`refused-${decision.cap}`, line);
    const n = (this.refusalsLogged.get(kind) ?? 0) + 1;
    if (n <= REFUSALS_LOGGED_PER_KIND) this.refusalsLogged.set(kind, n);
    this.log(n <= REFUSALS_LOGGED_PER_KIND && !decision.cap ? 'warn' : 'debug', line);
    const resp = parseSipMessage(decision.response);
    if (isParseError(resp)) return;
    const to = source.kind === 'udp' ? { kind: 'udp' as const, to: udpResponseTarget(topVia(resp.headers), source.to) } : source;
    this.write(to, decision.response, resp).catch((e: Error) => this.log('warn', `sending ${decision.status} failed: ${e.message}`));
  }

  /**
   * Handles one incoming message: record, validate, absorb retransmissions, remember routes, edit,
   * deliver. A UDP request's route is its source address and port (symmetric, as with rport,
   * RFC 3581), which also serves peers that ignore rport.
   */
  private inbound(raw: string, stamp: Stamp, source: Route, remote: string): void {
    try {
      const local = source.kind === 'stream' ? source.conn.local : this.localUdp();
      const parsedRaw = parseSipMessage(raw);
      this.record(raw, parsedRaw, 'in', remote, local, stamp);
      // sip.js's own parse of the delivered text is the last check (see sipjs-parse-watch.ts).
      const decision = checkInbound(raw, this.kind, { parsed: parsedRaw, sipJs: 'skip', limits: this.opts.limits });
      if (decision.action === 'drop') {
        this.log('warn', `incoming message from ${remote} dropped: ${decision.reason}`);
        return;
      }
      if (decision.action === 'reject') {
        this.reject(decision, source, remote);
        return;
      }
      let msg = decision.parsed;
      let text = decision.text;
      // RFC 3261 §17.2.3: the top Via branch sip.js sees is the request's transaction key (branch,
      // sent-by and method; the RFC 2543 rules without the magic cookie), and tel: From/To URIs
      // are SIP URIs sip.js can read (RFC 3966): transaction-key.ts, tel-identity.ts.
      ({ text, parsed: msg } = this.txBranches.rekey(text, msg));
      if (source.kind === 'udp' && this.retransmitter.onReceived(msg).absorb) return;
      if (msg.kind === 'request') {
        const via = topVia(msg.headers);
        const branch = via ? viaBranch(via) : undefined;
        const callId = headerValue(msg.headers, 'call-id');
        // An ACK gets no response: it neither needs a response route nor may revive an ended call's.
        if (branch && msg.method !== 'ACK') {
          this.routes.setBranch(branch, source.kind === 'udp' ? { kind: 'udp', to: udpResponseTarget(via, source.to) } : source, callId);
        }
        if (callId && source.kind === 'stream' && (msg.method !== 'ACK' || this.routes.hasCall(callId))) this.routes.setCall(callId, source);
      }
      text = editForSipJs(text, msg, this.ours);
      this.onMessage?.(text);
      const sipJsError = takeSipJsParseFailure(text);
      if (sipJsError) {
        const refusal = refuseSipJsError(raw, sipJsError);
        if (refusal.action === 'reject') this.reject(refusal, source, remote);
        else if (refusal.action === 'drop') this.log('warn', `incoming message from ${remote} dropped: ${refusal.reason}`);
      }
    } catch (e) {
      this.log('error', `incoming message from ${remote} caused an error (ignored): ${e instanceof Error ? e.stack : String(e)}`);
      this.faults.note('inbound-error', e instanceof Error ? e.message : String(e), true);
    }
  }
}
