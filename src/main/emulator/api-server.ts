/**
 * The CXone emulator's HTTP API: access-key tokens, Signal a Contact, active contacts, server time.
 * It is the HTTP peer of the CXone client in tests and in the "both emulated" and "app is CXone"
 * modes (design.md §2), so it answers like CXone where that is known and explains itself in JSON
 * error bodies and in its events where CXone would not.
 *
 * Routes live in a table ({@link EmulatorRoute}); a later issue adds OAuth, discovery and faults
 * through {@link CxoneEmulatorApi.addRoute}. Paths are matched case-insensitively (both
 * `/incontactapi/` and `/inContactAPI/`), any version `vNN.0`. It never logs; its events carry no
 * secret and no token.
 *
 * Choices where CXone publishes nothing searchable (cxone-reference.md "Uncertain"): Signal answers
 * 202 with an empty body; errors are JSON `{ error, message }`; `/contacts/active` always answers 200
 * `{ resultSet: { businessUnitId, lastPollTime, activeContacts: [...] } }` (even when empty), each
 * entry `{ contactId, masterContactId, contactStart, fromAddr, toAddr, isOutbound, mediaTypeName,
 * state }` with numeric ids as JSON numbers, following the real-time API's field names [GEN].
 *
 * @remarks cxone-reference.md §1a (token endpoint), §1c (claims, server-time), §2 (Signal), §3
 * (active contacts); RFC 6750 §3 (WWW-Authenticate on 401).
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { stampNow, type Stamp } from '../clock';
import { SIGNAL_PARAM_NAMES, type SignalParams } from '../../shared/types';
import { ContactRegistry } from './contacts';
import { EmulatedTokenIssuer } from './jwt';

/** Options of {@link CxoneEmulatorApi.start}. */
export interface CxoneEmulatorApiOptions {
  /** Address to bind, e.g. `127.0.0.1`. */
  host: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** Access keys the token endpoint accepts. */
  accessKeys: { accessKeyId: string; accessKeySecret: string }[];
  /** Lifetime of issued tokens (s); default 3600. */
  tokenTtlS?: number;
  /** Status Signal answers for an active contact; default 202. ONSIGNAL runs only on a 2xx. */
  signalStatus?: number;
  /** Tenant id put in the tokens; default a random UUID. */
  tenantId?: string;
}

/** A token request as seen by the emulator (never the secret). */
export interface EmulatorTokenEvent {
  accessKeyId: string;
  ok: boolean;
  status: number;
  wallMs: number;
}

/** A Signal request as seen by the emulator, with what it led to. */
export interface EmulatorSignalEvent {
  contactId: string;
  params: SignalParams;
  status: number;
  /** e.g. "ONSIGNAL fired in the child contact's script", "no ONSIGNAL in that contact's script: nothing happens". */
  outcome: string;
  /** When the request was fully received (Unix ms / monotonic ms). */
  wallMs: number;
  monoMs: number;
}

/** Events of {@link CxoneEmulatorApi}. */
export interface EmulatorApiEvents {
  token: [EmulatorTokenEvent];
  signal: [EmulatorSignalEvent];
}

/** One received request, handed to a route. */
export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Captures of the route's pattern. */
  match: RegExpExecArray;
  /** When the request was fully received. */
  received: Stamp;
}

/** What a route answers: a JSON value (object) or a text body, plus work to do once it is sent. */
export interface EmulatorReply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /** Runs after the response was written (e.g. ONSIGNAL). */
  after?: () => void;
}

/** An entry of the route table. */
export interface EmulatorRoute {
  name: string;
  method: 'GET' | 'POST';
  /** Matched against the path (no query). */
  pattern: RegExp;
  handle(req: EmulatorRequest): EmulatorReply;
}

const API = String.raw`^/incontactapi/services/v\d{1,3}\.0`;
const MAX_BODY = 64 * 1024;

/** The emulated CXone REST API on one port. */
export class CxoneEmulatorApi extends EventEmitter<EmulatorApiEvents> {
  /** `http://host:port`, e.g. `http://127.0.0.1:43121`. */
  readonly baseUrl: string;
  readonly contacts = new ContactRegistry();
  readonly tenantId: string;
  private readonly routes: EmulatorRoute[] = [];
  private readonly tokens: EmulatedTokenIssuer;

  private constructor(
    private readonly server: http.Server,
    private readonly opts: CxoneEmulatorApiOptions,
  ) {
    super();
    const addr = server.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    this.baseUrl = `http://${host}:${addr.port}`;
    this.tenantId = opts.tenantId ?? randomUUID();
    this.tokens = new EmulatedTokenIssuer({ issuer: this.baseUrl, tenantId: this.tenantId, ttlS: opts.tokenTtlS ?? 3600 });
    this.routes.push(
      { name: 'token/access-key', method: 'POST', pattern: /^\/authentication\/v1\/token\/access-key\/?$/i, handle: (r) => this.token(r) },
      { name: 'signal', method: 'POST', pattern: new RegExp(`${API}/interactions/([^/]+)/signal/?$`, 'i'), handle: (r) => this.signal(r) },
      { name: 'contacts/active', method: 'GET', pattern: new RegExp(`${API}/contacts/active/?$`, 'i'), handle: (r) => this.activeContacts(r) },
      { name: 'server-time', method: 'GET', pattern: new RegExp(`${API}/server-time/?$`, 'i'), handle: (r) => this.serverTime(r) },
    );
  }

  /**
   * Starts listening.
   *
   * @throws the listen error (e.g. EADDRINUSE) as a rejected promise.
   */
  static start(opts: CxoneEmulatorApiOptions): Promise<CxoneEmulatorApi> {
    const server = http.createServer();
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject);
        const api = new CxoneEmulatorApi(server, opts);
        server.on('request', (req, res) => api.onRequest(req, res));
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

  /** Stops listening and closes open connections. */
  stop(): Promise<void> {
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
        if (size > MAX_BODY) return send(res, { status: 413, json: { error: 'PayloadTooLarge', message: `body over ${MAX_BODY} bytes` } });
        send(res, this.route(req, Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        // never let a bad request escape into the event loop
        if (!res.headersSent) send(res, { status: 400, json: { error: 'BadRequest', message: e instanceof Error ? e.message : String(e) } });
        else res.destroy();
      }
    });
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
      return hit.r.handle({ method, path: url.pathname, query: url.searchParams, headers: req.headers, body, match: hit.m, received });
    } catch (e) {
      return { status: 500, json: { error: 'InternalError', message: `emulator route ${hit.r.name} failed: ${e instanceof Error ? e.message : String(e)}` } };
    }
  }

  private token(r: EmulatorRequest): EmulatorReply {
    const wallMs = r.received.wallMs;
    const answer = (accessKeyId: string, status: number, json: unknown): EmulatorReply => {
      this.emit('token', { accessKeyId, ok: status === 200, status, wallMs });
      return { status, json };
    };
    let b: Record<string, unknown>;
    try {
      b = (JSON.parse(r.body) ?? {}) as Record<string, unknown>;
    } catch {
      return answer('', 400, { error: 'invalid_request', error_description: 'the body is not JSON: send {"accessKeyId","accessKeySecret"} with Content-Type: application/json' });
    }
    const id = typeof b['accessKeyId'] === 'string' ? b['accessKeyId'] : '';
    const secret = typeof b['accessKeySecret'] === 'string' ? b['accessKeySecret'] : '';
    if (!id || !secret) return answer(id, 400, { error: 'invalid_request', error_description: 'accessKeyId and accessKeySecret are required' });
    if (!this.opts.accessKeys.some((k) => k.accessKeyId === id && k.accessKeySecret === secret)) {
      return answer(id, 401, { error: 'invalid_client', error_description: 'access key id or secret not recognised' });
    }
    return answer(id, 200, this.tokens.issue(id, wallMs));
  }

  /** Checks `Authorization: Bearer <token>`; returns a 401 reply with the reason, or null when valid. */
  private bearer(r: EmulatorRequest): EmulatorReply | null {
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

  private signal(r: EmulatorRequest): EmulatorReply {
    const ev = (status: number, outcome: string, params: SignalParams = {}): void => {
      this.emit('signal', { contactId, params, status, outcome, wallMs: r.received.wallMs, monoMs: r.received.monoMs });
    };
    let contactId: string;
    try {
      contactId = decodeURIComponent(r.match[1] ?? '');
    } catch {
      contactId = r.match[1] ?? '';
      ev(400, 'bad percent-encoding in the contact id');
      return { status: 400, json: { error: 'BadRequest', message: 'the contact id in the path is not valid percent-encoding' } };
    }
    const denied = this.bearer(r);
    if (denied) {
      ev(401, `token refused: ${(denied.json as { message: string }).message}`);
      return denied;
    }
    const names = SIGNAL_PARAM_NAMES as readonly string[];
    const params: Record<string, string> = {};
    const problems: string[] = [];
    for (const [k, v] of r.query) {
      if (!names.includes(k)) problems.push(`unknown query parameter "${k}" (only p1..p9)`);
      else if (k in params) problems.push(`${k} given more than once`);
      else params[k] = v;
    }
    if (problems.length > 0) {
      ev(400, problems.join('; '), params);
      return { status: 400, json: { error: 'BadRequest', message: problems.join('; ') } };
    }
    const c = this.contacts.get(contactId);
    if (!c || c.endedWallMs !== null) {
      const why = c ? `contact ${contactId} has ended` : `contact ${contactId} is unknown`;
      ev(404, why, params);
      return { status: 404, json: { error: 'NotFound', message: why } };
    }
    const status = this.opts.signalStatus ?? 202;
    const bodyNote = r.body.trim() ? '; a request body was ignored (only the query p1..p9 count)' : '';
    if (status < 200 || status > 299) {
      ev(status, `answered ${status} (emulator signalStatus): ONSIGNAL not run${bodyNote}`, params);
      return { status, json: { error: 'Emulated', message: `emulator answers ${status} to Signal` } };
    }
    return {
      status,
      after: () => {
        let outcome = `no ONSIGNAL in that contact's script: nothing happens`;
        if (c.onSignal) {
          try {
            c.onSignal({ ...params });
            outcome = `ONSIGNAL fired in the ${c.role} contact's script`;
          } catch (e) {
            outcome = `ONSIGNAL of the ${c.role} contact's script failed: ${e instanceof Error ? e.message : String(e)}`;
          }
        }
        ev(status, outcome + bodyNote, params);
      },
    };
  }

  private activeContacts(r: EmulatorRequest): EmulatorReply {
    const denied = this.bearer(r);
    if (denied) return denied;
    const toAddr = r.query.get('toAddr');
    const list = this.contacts
      .active()
      .filter((c) => !toAddr || c.toAddr === toAddr)
      .map((c) => ({
        contactId: idValue(c.contactId),
        masterContactId: idValue(c.masterId),
        contactStart: new Date(c.startedWallMs).toISOString(),
        fromAddr: c.fromAddr ?? '',
        toAddr: c.toAddr ?? '',
        isOutbound: c.role === 'child',
        mediaTypeName: 'Call',
        state: 'Active',
      }));
    return { status: 200, json: { resultSet: { businessUnitId: 4600001, lastPollTime: new Date(r.received.wallMs).toISOString(), activeContacts: list } } };
  }

  private serverTime(r: EmulatorRequest): EmulatorReply {
    return this.bearer(r) ?? { status: 200, json: { ServerTime: new Date(r.received.wallMs).toISOString() } };
  }
}

/** A numeric id as a JSON number when it is exact, else the string. */
function idValue(id: string): number | string {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

function send(res: http.ServerResponse, reply: EmulatorReply): void {
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
