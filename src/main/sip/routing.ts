/**
 * Where the transport sends what sip.js hands it. sip.js gives `send()` only the message text, so
 * the transport remembers where requests came from and reads the destination from the message.
 *
 * @remarks
 * - RFC 3261 §18.2.2: a response goes back on the connection (or to the UDP source) of its request,
 *   found by the top Via branch; failing that, to the Via `received`/`rport`/sent-by.
 * - RFC 3261 §12.2.1.1, §8.1.2: a request goes to the first Route URI, else to the Request-URI.
 * - RFC 5626 (sip.js puts `;ob` in its Contact): in-dialog requests reuse the live connection of
 *   the dialog, found by Call-ID.
 */
import { Grammar } from 'sip.js';
import { monoNow } from '../clock';
import { headerValue, splitHeaderList, topVia, type ParsedSipMessage } from './message';
import { sentByHasPort, sentByHost } from './wire-rewrite';

/** A host and port to send to. `host` is a name, IPv4 or IPv6 (without brackets). */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * Default port of a SIP URI without one (RFC 3261 §19.1.2, RFC 3263 §4.2): 5061 for `sips:` and
 * for TLS (a `transport=tls` parameter, or no parameter and the sending transport is TLS), else 5060.
 */
function defaultPort(scheme: string, transportParam: string | undefined, sendingTransport: string | undefined): number {
  if (scheme.toLowerCase() === 'sips') return 5061;
  const t = (transportParam ?? sendingTransport ?? '').toLowerCase();
  return t === 'tls' ? 5061 : 5060;
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Reads the host and port of a SIP URI (`sip:user@host:port;params`, optionally in `<…>`).
 * @param transport - the sending transport (`udp`/`tcp`/`tls`), for the default port.
 * @returns the target, or undefined when the URI cannot be parsed.
 */
export function uriTarget(uriText: string, transport?: string): HostPort | undefined {
  const inner = /<([^>]*)>/.exec(uriText)?.[1] ?? uriText.trim();
  const uri = Grammar.URIParse(inner);
  if (!uri) return undefined;
  const param = uri.getParam('transport');
  return { host: unbracket(uri.host), port: uri.port ?? defaultPort(uri.scheme, typeof param === 'string' ? param : undefined, transport) };
}

/**
 * Destination of an outgoing request: the first Route URI when there is one, else the Request-URI.
 * @param transport - the sending transport, for the default port (see {@link uriTarget}).
 * @returns the target, or undefined when neither can be parsed.
 */
export function requestTarget(msg: ParsedSipMessage, transport?: string): HostPort | undefined {
  const route = headerValue(msg.headers, 'route');
  if (route) {
    const first = splitHeaderList(route)[0];
    if (first) return uriTarget(first, transport);
  }
  return msg.requestUri ? uriTarget(msg.requestUri, transport) : undefined;
}

/**
 * Destination of a response read from its top Via (RFC 3261 §18.2.2, RFC 3581 §4): the `maddr`
 * at the sent-by port when there is one; else host from `received` or the sent-by, port from
 * `rport=N` or the sent-by (when absent, 5061 for a TLS Via, else 5060). A multicast maddr is sent
 * to with the socket's default TTL (the Via's `ttl` is not applied).
 */
export function viaTarget(msg: ParsedSipMessage): HostPort | undefined {
  const via = topVia(msg.headers);
  if (!via) return undefined;
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+([^;,\s]+)(.*)$/i.exec(via);
  if (!m) return undefined;
  const sentBy = m[2]!;
  const params = m[3] ?? '';
  const received = /;\s*received=([^;,\s]+)/i.exec(params)?.[1];
  const rport = /;\s*rport=(\d+)/i.exec(params)?.[1];
  const maddr = /;\s*maddr=([^;,\s]+)/i.exec(params)?.[1];
  const sentPort = sentByHasPort(sentBy) ? Number(/:(\d+)$/.exec(sentBy)![1]) : m[1]!.toUpperCase() === 'TLS' ? 5061 : 5060;
  if (maddr) return { host: unbracket(maddr), port: sentPort };
  const host = unbracket(received ?? sentByHost(sentBy));
  return { host, port: rport ? Number(rport) : sentPort };
}

interface Entry<R> {
  route: R;
  expiresAt: number;
  /** The Call-ID a branch route belongs to (so that the call's end can forget it). */
  callId?: string;
}

/**
 * Remembers routes by Via branch (for responses) and by Call-ID (for in-dialog requests), with
 * expiry, and forgets a call's routes when it ends ({@link RouteTable.forgetCall}). `R` is the
 * transport's notion of a route (a connection, or a UDP address).
 */
export class RouteTable<R> {
  private readonly branches = new Map<string, Entry<R>>();
  private readonly calls = new Map<string, Entry<R>>();
  /** Call-ID → branches set for it (an index for forgetCall). */
  private readonly branchesByCall = new Map<string, Set<string>>();

  /**
   * @param branchTtlMs - how long a branch route is kept (ms); must outlast the transaction (64·T1).
   * @param callTtlMs - how long a Call-ID route is kept after its last use (ms).
   */
  constructor(
    private readonly branchTtlMs = 5 * 60_000,
    private readonly callTtlMs = 2 * 60 * 60_000,
  ) {}

  /** Remembers where the request with this top Via branch (of Call-ID `callId`) came from. */
  setBranch(branch: string, route: R, callId?: string): void {
    this.put(this.branches, branch, route, this.branchTtlMs);
    if (callId !== undefined) {
      this.branches.get(branch)!.callId = callId;
      let set = this.branchesByCall.get(callId);
      if (!set) this.branchesByCall.set(callId, (set = new Set()));
      set.add(branch);
    }
  }

  /** The route of a Via branch, if known and not expired. */
  getBranch(branch: string): R | undefined {
    return this.get(this.branches, branch);
  }

  /** Remembers the connection a dialog's messages use. */
  setCall(callId: string, route: R): void {
    this.put(this.calls, callId, route, this.callTtlMs);
  }

  /** The route of a Call-ID, if known and not expired (refreshes its expiry). */
  getCall(callId: string): R | undefined {
    const r = this.get(this.calls, callId);
    if (r !== undefined) this.put(this.calls, callId, r, this.callTtlMs);
    return r;
  }

  /** True when the Call-ID has a route (without refreshing it). */
  hasCall(callId: string): boolean {
    return this.get(this.calls, callId) !== undefined;
  }

  /** Forgets the Call-ID's route and every branch route of its requests (the call ended). */
  forgetCall(callId: string): void {
    this.calls.delete(callId);
    for (const b of this.branchesByCall.get(callId) ?? []) this.branches.delete(b);
    this.branchesByCall.delete(callId);
  }

  /** Forgets every route for which `dead` is true (e.g. a closed connection). */
  forget(dead: (route: R) => boolean): void {
    for (const map of [this.branches, this.calls]) {
      for (const [k, e] of map) if (dead(e.route)) this.drop(map, k, e);
    }
  }

  /** Forgets everything. */
  clear(): void {
    this.branches.clear();
    this.calls.clear();
    this.branchesByCall.clear();
  }

  /** Live entries: `branchRoutes`, `callRoutes`, `branchIndex` (Call-IDs with branch routes). */
  sizes(): Record<string, number> {
    return { branchRoutes: this.branches.size, callRoutes: this.calls.size, branchIndex: this.branchesByCall.size };
  }

  private drop(map: Map<string, Entry<R>>, key: string, e: Entry<R>): void {
    map.delete(key);
    if (map === this.branches && e.callId !== undefined) {
      const set = this.branchesByCall.get(e.callId);
      set?.delete(key);
      if (set?.size === 0) this.branchesByCall.delete(e.callId);
    }
  }

  private put(map: Map<string, Entry<R>>, key: string, route: R, ttl: number): void {
    const now = monoNow();
    if (map.size > 4096) for (const [k, e] of map) if (e.expiresAt <= now) this.drop(map, k, e);
    map.delete(key);
    map.set(key, { route, expiresAt: now + ttl });
  }

  private get(map: Map<string, Entry<R>>, key: string): R | undefined {
    const e = map.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= monoNow()) {
      this.drop(map, key, e);
      return undefined;
    }
    return e.route;
  }
}

/**
 * Where responses to a request received over UDP go (RFC 3261 §18.2.2 with RFC 3581): to the
 * Via's `maddr` at the sent-by port when it has one; else to the source address, at the source
 * port when the top Via asks for it with `rport`, otherwise at the port of its sent-by (5060 when
 * it has none).
 * @param via - the request's top Via value.
 * @param source - the datagram's source address.
 */
export function udpResponseTarget(via: string | undefined, source: HostPort): HostPort {
  if (!via) return source;
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*[A-Za-z]+\s+([^;,\s]+)(.*)$/i.exec(via);
  if (!m) return source;
  const params = m[2] ?? '';
  const sentBy = m[1]!;
  const port = sentByHasPort(sentBy) ? Number(/:(\d+)$/.exec(sentBy)![1]) : 5060;
  // §18.2.2: a maddr names where the response goes (at the sent-by port); it wins over rport (RFC 3581 §4).
  const maddr = /;\s*maddr=([^;,\s]+)/i.exec(params)?.[1];
  if (maddr) return { host: unbracket(maddr), port };
  if (/;\s*rport(?:[=;,\s]|$)/i.test(params)) return source;
  return { host: source.host, port };
}
