/**
 * Records the HTTP exchanges that one HTTP(S) server of this process handles (the emulated CXone
 * API of `lab emulate`): the request as the bot sent it (method, URL, headers, body) and the answer
 * (status, headers, body). It listens on Node's `http.server.request.start` and
 * `http.server.response.finish` diagnostics channels, so the server needs no hook; only requests
 * whose socket's local port is the server's are kept.
 *
 * Every exchange is redacted as soon as it is complete ({@link redactExchange}): the access key
 * secret, tokens and the `Authorization` header never stay in what is kept (common rules).
 *
 * @remarks Node.js diagnostics_channel "HTTP" built-in channels (since v18.7 / v16.17).
 */
import dc from 'node:diagnostics_channel';
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { HttpExchange } from '../../shared/types';
import { monoNow } from '../clock';
import { redactExchange } from '../history/redact';

/** One exchange, redacted. */
export interface CapturedExchange {
  exchange: HttpExchange;
  method: string;
  /** The request path without the query, e.g. `/incontactapi/services/v30.0/interactions/123/signal`. */
  path: string;
  /** When the request's headers were read (monotonic ms / Unix ms). */
  startMonoMs: number;
  startWallMs: number;
  /** When the answer was sent (monotonic ms). */
  doneMonoMs: number;
  status: number;
}

interface ChannelMessage {
  request: http.IncomingMessage;
  response: http.ServerResponse;
  socket: Socket;
}

interface Pending {
  startMonoMs: number;
  reqBody: Buffer[];
  reqSize: number;
  resBody: Buffer[];
  resSize: number;
  /** Headers given to `writeHead` (not in `getHeaders()` when nothing was set before). */
  resHeaders: Record<string, string>;
}

/** Bodies above this size are cut (bytes). */
const MAX_BODY = 64 * 1024;

/** Captures the exchanges of the server listening on one local port, from {@link start} to {@link stop}. */
export class HttpExchangeCapture {
  /** Completed exchanges, in completion order. */
  readonly exchanges: CapturedExchange[] = [];
  /** Called with each exchange once it is complete. */
  onExchange?: (e: CapturedExchange) => void;
  private readonly pending = new WeakMap<http.IncomingMessage, Pending>();
  private readonly onStart = (m: unknown): void => this.started(m as ChannelMessage);
  private readonly onFinish = (m: unknown): void => this.finished(m as ChannelMessage);

  /** @param port - the local port of the server to watch. */
  constructor(private readonly port: number) {}

  /** Starts listening on the channels. */
  start(): this {
    dc.subscribe('http.server.request.start', this.onStart);
    dc.subscribe('http.server.response.finish', this.onFinish);
    return this;
  }

  /** Stops listening. Idempotent. */
  stop(): void {
    dc.unsubscribe('http.server.request.start', this.onStart);
    dc.unsubscribe('http.server.response.finish', this.onFinish);
  }

  private started(m: ChannelMessage): void {
    try {
      if (m.socket?.localPort !== this.port) return;
      const p: Pending = { startMonoMs: monoNow(), reqBody: [], reqSize: 0, resBody: [], resSize: 0, resHeaders: {} };
      this.pending.set(m.request, p);
      // Registered in the same tick as the server's own 'data' listener: both get every chunk.
      m.request.on('data', (c: Buffer) => {
        if (p.reqSize < MAX_BODY) p.reqBody.push(c);
        p.reqSize += c.length;
      });
      const res = m.response;
      const keep = (chunk: unknown): void => {
        if (chunk === undefined || chunk === null || typeof chunk === 'function' || p.resSize >= MAX_BODY) return;
        const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
        p.resBody.push(b);
        p.resSize += b.length;
      };
      const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => http.ServerResponse;
      res.writeHead = ((...a: unknown[]) => {
        const h = a.find((x, i) => i > 0 && x !== null && typeof x === 'object');
        if (h && !Array.isArray(h)) for (const [k, v] of Object.entries(h)) if (v !== undefined) p.resHeaders[k.toLowerCase()] = String(v);
        return writeHead(...a);
      }) as typeof res.writeHead;
      const write = res.write.bind(res) as (...a: unknown[]) => boolean;
      const end = res.end.bind(res) as (...a: unknown[]) => http.ServerResponse;
      res.write = ((...a: unknown[]) => (keep(a[0]), write(...a))) as typeof res.write;
      res.end = ((...a: unknown[]) => (keep(a[0]), end(...a))) as typeof res.end;
    } catch {
      // observing must never break the server
    }
  }

  private finished(m: ChannelMessage): void {
    const p = this.pending.get(m.request);
    if (!p) return;
    this.pending.delete(m.request);
    try {
      const req = m.request;
      const url = req.url ?? '/';
      const host = req.headers.host ?? `127.0.0.1:${this.port}`;
      const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
      const headers: Record<string, string> = {};
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i]!] = req.rawHeaders[i + 1]!;
      const resHeaders: Record<string, string> = { ...p.resHeaders };
      for (const [k, v] of Object.entries(m.response.getHeaders())) if (v !== undefined) resHeaders[k] = Array.isArray(v) ? v.join(', ') : String(v);
      const reqBody = Buffer.concat(p.reqBody).toString('utf8');
      const raw: HttpExchange = {
        request: { method: req.method ?? 'GET', url: `${scheme}://${host}${url}`, headers, ...(reqBody ? { body: reqBody } : {}) },
        response: { status: m.response.statusCode, headers: resHeaders, body: Buffer.concat(p.resBody).toString('utf8') },
      };
      const e: CapturedExchange = {
        exchange: redactExchange(raw),
        method: req.method ?? 'GET',
        path: url.split('?')[0] ?? url,
        startMonoMs: p.startMonoMs,
        startWallMs: performance.timeOrigin + p.startMonoMs,
        doneMonoMs: monoNow(),
        status: m.response.statusCode,
      };
      this.exchanges.push(e);
      this.onExchange?.(e);
    } catch {
      // a malformed request is not worth breaking the run for
    }
  }
}
