/**
 * One HTTP(S) request over node:http / node:https with per-phase timings (DNS, TCP connect, TLS,
 * first byte, total), all read from the monotonic clock (`performance.now()` through `monoNow()`),
 * and the conversion of a request and its outcome into a redacted {@link HttpExchange}.
 *
 * Every request opens a fresh connection (`agent: false`, `Connection: close`), so each one reports
 * its own DNS, connect and TLS phases and a later request never waits behind a stale pooled socket;
 * unless the caller asks for `keepAlive` (the in-process emulator: a fresh loopback connection per
 * Signal cost both ends a socket setup and teardown, and under a 200 calls/s load its SYNs waited
 * in a full accept queue for seconds), where a reused connection reports no DNS/connect/TLS phase.
 * {@link httpRequest} never throws and never retries: whether to retry is the caller's decision
 * (a Signal must not be retried after a timeout, cxone-reference.md §2, §6).
 *
 * @remarks design.md §4 (monotonic stamps; latency is a difference of stamps).
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import tls from 'node:tls';
import zlib from 'node:zlib';
import { monoNow } from '../clock';
import type { HttpExchange } from '../../shared/types';

/** What to send. Header names are sent as written. */
export interface HttpRequestSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** UTF-8 body; when absent nothing is written (set `Content-Length: 0` yourself for an empty POST). */
  body?: string;
  /** Limit for the whole request, from start to the end of the response body (ms). */
  timeoutMs: number;
  /** Bytes of response body kept (the rest is read and dropped); default 256 KiB. */
  maxBodyBytes?: number;
  /**
   * Extra trusted CA certificates (PEM) for https, added to Node's default roots (e.g. the
   * emulator's self-signed certificate); ignored for http.
   */
  caPem?: string;
  /**
   * Reuse connections (a keep-alive agent shared by every such request, per protocol) instead of
   * one connection per request. Default false. A reused connection has no DNS, connect or TLS phase.
   */
  keepAlive?: boolean;
}

/**
 * Pooled connections of `keepAlive` requests (plain HTTP only; https keeps a connection per request).
 * An idle connection is closed after 2 s, before a Node server's 5 s keep-alive timeout closes it
 * under a request (a Signal is never retried, so that race must not happen).
 */
const keepAliveAgent = new http.Agent({ keepAlive: true, maxSockets: 32, maxFreeSockets: 32, timeout: 2000 });

/**
 * Phases of one request, in order: name lookup, TCP connect, TLS handshake, waiting for the first
 * byte of the response (the request is on the wire), reading the response body.
 */
export type HttpPhase = 'dns' | 'connect' | 'tls' | 'wait' | 'download';

/** Timings of one request (ms, from `monoNow()`); a phase that did not happen is null. */
export interface HttpTimings {
  /** Monotonic stamp when the request started. */
  startMonoMs: number;
  /** Monotonic stamp when it ended (response complete, error, or timeout). */
  endMonoMs: number;
  /** Name lookup; null for an IP literal or when it did not complete. */
  dnsMs: number | null;
  /** TCP connect after the lookup. */
  connectMs: number | null;
  /** TLS handshake (https only). */
  tlsMs: number | null;
  /** Socket ready (request written) → response headers parsed: server time plus one round trip. */
  firstByteMs: number | null;
  /** Start → end. */
  totalMs: number;
}

/** Outcome of one request: a response (any status), a network failure, a timeout, or an unusable URL. */
export type HttpResult =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string>;
      body: string;
      bodyTruncated: boolean;
      timings: HttpTimings;
    }
  | {
      kind: 'network';
      /** Node error code, e.g. `ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`, `DEPTH_ZERO_SELF_SIGNED_CERT`. */
      code: string;
      message: string;
      phase: HttpPhase;
      /** Whether this is a TLS failure (handshake or certificate). */
      tls: boolean;
      /** Whether the request may have reached the server (the socket was ready when it failed). */
      sent: boolean;
      timings: HttpTimings;
    }
  | { kind: 'timeout'; timeoutMs: number; phase: HttpPhase; sent: boolean; timings: HttpTimings }
  | { kind: 'invalid'; message: string; timings: HttpTimings };

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH)/;

/**
 * Sends one request and waits for the whole response.
 *
 * @returns an {@link HttpResult}; never throws, never retries.
 */
export function httpRequest(spec: HttpRequestSpec): Promise<HttpResult> {
  const start = monoNow();
  const marks: { lookup?: number; connect?: number; secure?: number; response?: number; reused?: boolean } = {};
  const timings = (end: number): HttpTimings => {
    const connectFrom = marks.lookup ?? start;
    const ready = marks.secure ?? marks.connect;
    return {
      startMonoMs: start,
      endMonoMs: end,
      dnsMs: marks.lookup !== undefined ? marks.lookup - start : null,
      connectMs: marks.connect !== undefined && !marks.reused ? marks.connect - connectFrom : null,
      tlsMs: marks.secure !== undefined && marks.connect !== undefined ? marks.secure - marks.connect : null,
      firstByteMs: marks.response !== undefined && ready !== undefined ? marks.response - ready : null,
      totalMs: end - start,
    };
  };

  let url: URL;
  try {
    url = new URL(spec.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol ${url.protocol}`);
  } catch (e) {
    return Promise.resolve({ kind: 'invalid', message: `bad URL: ${errMessage(e)}`, timings: timings(monoNow()) });
  }
  const secure = url.protocol === 'https:';
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  let phase: HttpPhase = isIP(hostname) ? 'connect' : 'dns';
  const ready = (): boolean => phase === 'wait' || phase === 'download';
  const maxBody = spec.maxBodyBytes ?? 256 * 1024;

  return new Promise<HttpResult>((resolve) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    const timer = setTimeout(() => {
      settle({ kind: 'timeout', timeoutMs: spec.timeoutMs, phase, sent: ready(), timings: timings(monoNow()) });
      req?.destroy();
    }, spec.timeoutMs);
    const settle = (r: HttpResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const fail = (e: unknown): void => {
      const code = errCode(e);
      const isTls = secure && (phase === 'tls' || TLS_CODE.test(code));
      settle({ kind: 'network', code, message: errMessage(e), phase, tls: isTls, sent: ready(), timings: timings(monoNow()) });
    };

    const pooled = spec.keepAlive === true && !secure;
    const options: https.RequestOptions = {
      method: spec.method,
      headers: pooled ? { ...spec.headers } : { ...spec.headers, Connection: 'close' },
      agent: pooled ? keepAliveAgent : false,
    };
    if (secure && spec.caPem) options.ca = [...tls.rootCertificates, spec.caPem];
    try {
      req = (secure ? https : http).request(url, options);
    } catch (e) {
      // e.g. an invalid header value: nothing was sent
      settle({ kind: 'invalid', message: errMessage(e), timings: timings(monoNow()) });
      return;
    }
    req.on('socket', (socket) => {
      if (pooled && !socket.connecting && !socket.destroyed) {
        // a pooled connection, already up: the request goes out at once
        marks.connect = monoNow();
        marks.reused = true;
        phase = 'wait';
        return;
      }
      socket.once('lookup', () => {
        marks.lookup = monoNow();
        phase = 'connect';
      });
      socket.once('connect', () => {
        marks.connect = monoNow();
        phase = secure ? 'tls' : 'wait';
      });
      socket.once('secureConnect', () => {
        marks.secure = monoNow();
        phase = 'wait';
      });
    });
    req.on('error', fail);
    req.on('response', (res) => {
      marks.response = monoNow();
      phase = 'download';
      const chunks: Buffer[] = [];
      let kept = 0;
      let truncated = false;
      res.on('data', (chunk: Buffer) => {
        if (kept >= maxBody) {
          truncated = true;
          return;
        }
        const room = maxBody - kept;
        if (chunk.length > room) truncated = true;
        const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
        chunks.push(part);
        kept += part.length;
      });
      res.on('error', fail);
      res.on('aborted', () => fail(Object.assign(new Error('response aborted by the server'), { code: 'ECONNRESET' })));
      res.on('end', () => {
        const end = monoNow();
        const raw = Buffer.concat(chunks);
        settle({
          kind: 'response',
          status: res.statusCode ?? 0,
          headers: flattenHeaders(res.headers),
          body: decodeBody(raw, res.headers['content-encoding'], truncated),
          bodyTruncated: truncated,
          timings: timings(end),
        });
      });
    });
    if (spec.body !== undefined) req.end(spec.body, 'utf8');
    else req.end();
  });
}

function decodeBody(raw: Buffer, encoding: string | undefined, truncated: boolean): string {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (!truncated && enc) {
    try {
      if (enc === 'gzip' || enc === 'x-gzip') return zlib.gunzipSync(raw).toString('utf8');
      if (enc === 'deflate') return zlib.inflateSync(raw).toString('utf8');
      if (enc === 'br') return zlib.brotliDecompressSync(raw).toString('utf8');
    } catch {
      // keep the raw bytes below
    }
  }
  return raw.toString('utf8');
}

/** Lower-case header names, repeated values joined with `, ` (Set-Cookie included). */
export function flattenHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function errCode(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    return (e as { code: string }).code;
  }
  return 'EUNKNOWN';
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const REDACTED = '[redacted]';
const SECRET_KEY = /token$|secret|password|^authorization$/i;

/**
 * Replaces every occurrence of the given secrets (and their URL-encoded forms) in a text, and the
 * values of JSON keys that hold secrets (`access_token`, `id_token`, `refresh_token`,
 * `accessKeySecret`, `client_secret`, `password`…), by `[redacted]`.
 *
 * @param secrets strings that must not appear in the output; empty and 1–2 character strings are ignored.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  const trimmed = out.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      const redacted = JSON.stringify(redactJson(parsed));
      if (redacted !== JSON.stringify(parsed)) out = redacted;
    } catch {
      // not JSON: fall back to the plain replacement below
    }
  }
  for (const s of secrets) {
    if (s.length < 3) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join(REDACTED);
  }
  return out;
}

function redactJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactJson);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = SECRET_KEY.test(k) && typeof x === 'string' ? REDACTED : redactJson(x);
    return o;
  }
  return v;
}

/**
 * Turns a request and its outcome into the {@link HttpExchange} kept in history: the Authorization
 * header becomes `Bearer [redacted]` (or `[redacted]` for other schemes), and every secret given is
 * scrubbed from the URL, headers and bodies.
 *
 * @param error message for a failure without a response (e.g. "no answer in 10000 ms").
 */
export function toExchange(spec: HttpRequestSpec, result: HttpResult, secrets: readonly string[], error?: string): HttpExchange {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.headers)) {
    if (k.toLowerCase() === 'authorization') headers[k] = /^bearer\s/i.test(v) ? `Bearer ${REDACTED}` : REDACTED;
    else headers[k] = scrub(v, secrets);
  }
  const exchange: HttpExchange = {
    request: { method: spec.method, url: scrub(spec.url, secrets), headers },
  };
  if (spec.body !== undefined) exchange.request.body = scrub(spec.body, secrets);
  if (result.kind === 'response') {
    const rh: Record<string, string> = {};
    for (const [k, v] of Object.entries(result.headers)) rh[k] = SECRET_KEY.test(k) ? REDACTED : scrub(v, secrets);
    exchange.response = { status: result.status, headers: rh, body: scrub(result.body, secrets) };
  }
  if (error !== undefined) exchange.error = scrub(error, secrets);
  else if (result.kind !== 'response') exchange.error = result.kind === 'timeout' ? `timeout after ${result.timeoutMs} ms` : result.message;
  return exchange;
}

/**
 * One line of per-phase timings for checks and the CLI: `dns 0.4 ms, connect 0.2 ms, tls 3.1 ms,
 * first byte 12.0 ms, total 16.3 ms`; a phase that did not happen is `-` (no DNS for an IP
 * literal, no TLS over http).
 */
export function formatTimings(t: Pick<HttpTimings, 'dnsMs' | 'connectMs' | 'tlsMs' | 'firstByteMs' | 'totalMs'>): string {
  const f = (v: number | null): string => (v === null ? '-' : `${v.toFixed(1)} ms`);
  return `dns ${f(t.dnsMs)}, connect ${f(t.connectMs)}, tls ${f(t.tlsMs)}, first byte ${f(t.firstByteMs)}, total ${f(t.totalMs)}`;
}
