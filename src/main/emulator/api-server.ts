/**
 * The CXone emulator's HTTP(S) server: tokens (access key and OAuth password grant), discovery,
 * Signal a Contact, active contacts, contact details, end, server time, and injected faults.
 * It is the HTTP peer of the CXone client in tests and in the "both emulated" and "app is CXone"
 * modes (design.md §2), so it answers like CXone where that is known and explains itself in JSON
 * error bodies, in an emulator-only header and in its events where CXone would not.
 *
 * Routes live in a table ({@link EmulatorRoute}): auth-routes.ts (tokens, discovery) and
 * contact-routes.ts (the API under `/incontactapi/services/vNN.0`); more can be added with
 * {@link CxoneEmulatorApi.addRoute}. Paths are matched case-insensitively. It never logs; its
 * events carry no secret and no token (only the opt-in test capture does, in memory).
 *
 * @remarks cxone-reference.md §1–§3, §6; RFC 6750 §3 (WWW-Authenticate on 401).
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { stampNow } from '../clock';
import { generateSelfSigned } from '../tls/certificates';
import type {
  CxoneEmulatorApiOptions,
  EmulatorApiEvents,
  EmulatorContext,
  EmulatorReply,
  EmulatorRequest,
  EmulatorRoute,
  EmulatorTlsMaterial,
} from './api-types';
import { authRoutes } from './auth-routes';
import { contactRoutes } from './contact-routes';
import { ContactRegistry } from './contacts';
import { FaultState, faultReply } from './fault-state';
import type { EmulatorFault, EmulatorFaultKind } from './faults';
import { EmulatedTokenIssuer } from './jwt';
import { formatHostPort } from '../net/host-format';

export type {
  CxoneEmulatorApiOptions,
  EmulatorApiEvents,
  EmulatorContactEndEvent,
  EmulatorFaultEvent,
  EmulatorReply,
  EmulatorRequest,
  EmulatorRoute,
  EmulatorSignalEvent,
  EmulatorTlsMaterial,
  EmulatorTokenEvent,
} from './api-types';

const MAX_BODY = 64 * 1024;
/** A Host header usable in a URL: a name, IPv4 or bracketed IPv6, optional port. */
const HOST_HEADER = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/** A request as received, kept by the `captureRequests` test hook (secrets included, memory only). */
export interface CapturedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The emulated CXone REST API on one port, over HTTP or HTTPS. */
export class CxoneEmulatorApi extends EventEmitter<EmulatorApiEvents> {
  /** `http(s)://host:port`, e.g. `http://127.0.0.1:43121`. */
  readonly baseUrl: string;
  readonly contacts = new ContactRegistry();
  readonly tenantId: string;
  /** The certificate served over HTTPS (PEM), to give a client as its CA; null over HTTP. */
  readonly certPem: string | null;
  /** Requests as received when `captureRequests` is on (test hook); empty otherwise. */
  readonly captured: CapturedRequest[] = [];
  private readonly routes: EmulatorRoute[] = [];
  private readonly tokens: EmulatedTokenIssuer;
  private readonly faultState: FaultState;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: http.Server | https.Server,
    private readonly opts: CxoneEmulatorApiOptions,
    tlsMaterial: EmulatorTlsMaterial | null,
  ) {
    super();
    const addr = server.address() as AddressInfo;
    this.baseUrl = `${tlsMaterial ? 'https' : 'http'}://${formatHostPort(addr.address, addr.port)}`;
    this.certPem = tlsMaterial?.certPem ?? null;
    this.tenantId = opts.tenantId ?? randomUUID();
    this.tokens = new EmulatedTokenIssuer({ issuer: this.baseUrl, tenantId: this.tenantId, ttlS: opts.tokenTtlS ?? 3600 });
    this.faultState = new FaultState(opts.faults ?? []);
    const ctx: EmulatorContext = {
      baseUrl: this.baseUrl,
      tenantId: this.tenantId,
      contacts: this.contacts,
      tokens: this.tokens,
      faults: this.faultState,
      opts,
      emit: this.emit.bind(this) as EmulatorContext['emit'],
      bearer: (r, route) => this.bearer(r, route),
    };
    this.routes.push(...authRoutes(ctx), ...contactRoutes(ctx));
  }

  /**
   * Starts listening, over HTTPS when `opts.tls` is given (`'self-signed'` generates a certificate
   * for `opts.host`, `localhost` and `127.0.0.1`, valid 30 days).
   *
   * @throws the listen error (e.g. EADDRINUSE) or a certificate error, as a rejected promise.
   */
  static async start(opts: CxoneEmulatorApiOptions): Promise<CxoneEmulatorApi> {
    let material: EmulatorTlsMaterial | null = null;
    if (opts.tls === 'self-signed') {
      const names = [...new Set([opts.host, 'localhost', '127.0.0.1'].filter((n) => n && n !== '0.0.0.0' && n !== '::'))];
      const cert = await generateSelfSigned({ commonName: names[0] ?? 'localhost', altNames: names, days: 30 });
      material = { certPem: cert.certPem, keyPem: cert.keyPem };
    } else if (opts.tls) material = opts.tls;
    const server = material ? https.createServer({ cert: material.certPem, key: material.keyPem }) : http.createServer();
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject);
        const api = new CxoneEmulatorApi(server, opts, material);
        server.on('request', (req, res) => api.onRequest(req, res));
        // a client that sends TLS garbage must not take the emulator down
        server.on('tlsClientError', () => {});
        resolve(api);
      });
    });
  }

  /** Adds a route; `first` puts it before the built-in ones (e.g. a fault that overrides Signal). */
  addRoute(route: EmulatorRoute, opts: { first?: boolean } = {}): void {
    if (opts.first) this.routes.unshift(route);
    else this.routes.push(route);
  }

  /** Test hook: forgets every issued token, as after a restart or a revocation; the next use gets 401. */
  revokeTokens(): void {
    this.tokens.revokeAll();
  }

  /** Expires every token issued so far, as if its lifetime had run out (clients must renew). */
  expireTokens(): void {
    this.tokens.expireAll();
  }

  /**
   * Replaces the faults of this run (one-shot faults are armed again; see fault-state.ts).
   * `expired-token` expires the live tokens now, or when there are none, the next one issued.
   */
  setFaults(faults: EmulatorFault[]): void {
    this.faultState.set(faults);
    if (this.faultState.has('expired-token') && this.tokens.liveCount > 0) {
      this.tokens.expireAll();
      this.faultState.spendExpiredToken();
    }
  }

  /** The faults set now (copies). */
  get faults(): EmulatorFault[] {
    return this.faultState.faults;
  }

  /** Whether a fault of that kind is set, e.g. `hasFault('no-leg-drop')` (read by the child script). */
  hasFault(kind: EmulatorFaultKind): boolean {
    return this.faultState.has(kind);
  }

  /** Stops listening, drops delayed answers and closes open connections. */
  stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      try {
        if (size > MAX_BODY) return this.reply(res, { status: 413, json: { error: 'PayloadTooLarge', message: `body over ${MAX_BODY} bytes` } });
        const body = Buffer.concat(chunks).toString('utf8');
        if (this.opts.captureRequests) this.captured.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, body });
        this.reply(res, this.route(req, body));
      } catch (e) {
        // never let a bad request escape into the event loop
        if (!res.headersSent) send(res, { status: 400, json: { error: 'BadRequest', message: e instanceof Error ? e.message : String(e) } });
        else res.destroy();
      }
    });
  }

  /** Sends a reply, after its delay (the `slow` fault), or resets the connection. */
  private reply(res: http.ServerResponse, reply: EmulatorReply): void {
    if (!reply.delayMs) return send(res, reply);
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!res.destroyed && !res.writableEnded) send(res, reply);
    }, reply.delayMs);
    this.timers.add(t);
  }

  /** Finds the route for a request and runs it; 404/405 when none fits, 500 when it throws. */
  private route(req: http.IncomingMessage, body: string): EmulatorReply {
    const received = stampNow();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const onPath = this.routes.map((r) => ({ r, m: r.pattern.exec(url.pathname) })).filter((x) => x.m);
    const hit = onPath.find((x) => x.r.method === method);
    if (!hit?.m) {
      if (onPath.length === 0) return { status: 404, json: { error: 'NotFound', message: `no API route ${method} ${url.pathname}` } };
      const allow = [...new Set(onPath.map((x) => x.r.method))].join(', ');
      return { status: 405, headers: { Allow: allow }, json: { error: 'MethodNotAllowed', message: `${method} not allowed on ${url.pathname}; use ${allow}` } };
    }
    try {
      const hostHeader = req.headers.host ?? '';
      const origin = HOST_HEADER.test(hostHeader) ? `${new URL(this.baseUrl).protocol}//${hostHeader}` : this.baseUrl;
      return hit.r.handle({ method, path: url.pathname, query: url.searchParams, headers: req.headers, body, match: hit.m, received, origin });
    } catch (e) {
      return { status: 500, json: { error: 'InternalError', message: `emulator route ${hit.r.name} failed: ${e instanceof Error ? e.message : String(e)}` } };
    }
  }

  /** Checks `Authorization: Bearer <token>` and the `unauthorized-first` fault; a 401 reply with the reason, or null. */
  private bearer(r: EmulatorRequest, route: string): EmulatorReply | null {
    if (this.faultState.takeUnauthorized()) {
      const f = faultReply({ kind: 'unauthorized' });
      this.emit('fault', { fault: 'unauthorized-first', route, action: f.action, wallMs: r.received.wallMs });
      return f.reply;
    }
    const h = r.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    const reason = m?.[1] ? this.tokens.check(m[1]) : h ? 'the Authorization header is not "Bearer <token>"' : 'no Authorization: Bearer header';
    if (reason === null) return null;
    return {
      status: 401,
      headers: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${reason.replace(/"/g, "'")}"` },
      json: { error: 'Unauthorized', message: reason },
    };
  }
}

function send(res: http.ServerResponse, reply: EmulatorReply): void {
  if (reply.reset) {
    // A TCP RST over plain TCP; a TLS socket cannot send one (its handle refuses), so it is closed
    // abruptly without close_notify, which the client also sees as a lost connection.
    const socket = res.socket as Socket | null;
    try {
      if (!socket) throw new Error('no socket');
      socket.resetAndDestroy();
    } catch {
      res.destroy();
    }
    return;
  }
  const headers: Record<string, string> = { ...reply.headers };
  let body = '';
  if (reply.json !== undefined) {
    body = JSON.stringify(reply.json);
    headers['Content-Type'] = 'application/json; charset=utf-8';
  } else if (reply.text !== undefined) {
    body = reply.text;
    headers['Content-Type'] ??= 'text/plain; charset=utf-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(body));
  if (reply.after) {
    const after = reply.after;
    res.once('finish', () => {
      try {
        after();
      } catch {
        // a throwing 'signal' listener must not take the emulator down
      }
    });
  }
  res.writeHead(reply.status, headers);
  res.end(body);
}
