/**
 * Classifies the outcome of a CXone HTTP call (Signal a Contact, the access-key token, other API
 * reads) into a verdict and a message a user can act on. Pure: no I/O, no clock unless given.
 *
 * @remarks cxone-reference.md §2 (any 2xx is success, keep the exact code; Cognigy refreshes and
 * retries once on 401/403; a gateway can return an HTML page with status 200), §6 (wrong contact
 * id, ended contact, token expiry, wrong region), §1a (token endpoint per area).
 */
import type { HttpResult } from './http';
import { hostOf } from './urls';

/** Class of an outcome, for UI colour and for tests. */
export type OutcomeClass =
  | 'accepted'
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'server-error'
  | 'html'
  | 'redirect'
  | 'unexpected'
  | 'unreachable'
  | 'tls'
  | 'connection-lost'
  | 'timeout'
  | 'invalid'
  | 'wrong-leg';

/** A classified outcome. */
export interface Outcome {
  ok: boolean;
  /** HTTP status; null when no response came. */
  status: number | null;
  class: OutcomeClass;
  /** What happened and what to check, in one line. */
  message: string;
  /** True for 401/403: the request was refused before it acted, so a new token and one retry are safe. */
  renewToken: boolean;
}

/** What was called, for the wording of the messages. */
export type CallContext =
  | { kind: 'signal'; url: string; contactId: string }
  | { kind: 'api'; url: string; what: string }
  | { kind: 'token'; url: string };

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME']);

/** Whether a response is an HTML page (by Content-Type, or by a body that starts like one). */
export function isHtmlPage(headers: Record<string, string>, body: string): boolean {
  const ct = (headers['content-type'] ?? '').toLowerCase();
  if (ct.includes('text/html') || ct.includes('application/xhtml')) return true;
  return /^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(body);
}

/**
 * A short, single-line message taken from an error body: the first of `message`, `Message`,
 * `error_description`, `errorMessage`, `error`, `detail`, `title` of a JSON body; the `<title>` of an
 * HTML page; or the start of a text body (200 characters at most). Empty string for an empty body.
 */
export function bodyMessage(body: string): string {
  const t = body.trim();
  if (!t) return '';
  if (t.startsWith('{')) {
    try {
      const j = JSON.parse(t) as Record<string, unknown>;
      for (const k of ['message', 'Message', 'error_description', 'errorMessage', 'error', 'detail', 'title']) {
        const v = j[k];
        if (typeof v === 'string' && v.trim()) return oneLine(v);
      }
      return oneLine(JSON.stringify(j));
    } catch {
      // not JSON after all
    }
  }
  if (isHtmlPage({}, t)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(t)?.[1]?.trim();
    return title ? `HTML page "${oneLine(title)}"` : 'an HTML page';
  }
  return oneLine(t);
}

function oneLine(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 199)}…` : one;
}

/**
 * Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 *
 * @param nowWallMs the current Unix time (ms), used only for the HTTP-date form.
 * @returns whole seconds (≥ 0), or null when absent or unreadable.
 */
export function retryAfterSeconds(value: string | undefined, nowWallMs: number = Date.now()): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowWallMs) / 1000));
}

function out(ok: boolean, status: number | null, cls: OutcomeClass, message: string, renewToken = false): Outcome {
  return { ok, status, class: cls, message, renewToken };
}

/**
 * Classifies one HTTP result of a CXone call.
 *
 * - Signal: 2xx → `accepted (202)` with the exact code; 400 → the body's message; 401 → token refused;
 *   403 → forbidden; 404 → contact unknown or ended (MasterId vs child); 429 → retry after N s;
 *   5xx → CXone server error; an HTML page → not ok (wrong host); unreachable host → wrong region or
 *   API host; TLS; timeout → "may or may not have landed; not retried".
 * - Token: 401 → access key id or secret wrong; 404 or DNS failure → wrong area; 2xx without
 *   `access_token` → not ok.
 * - Other API reads: the same classes with neutral wording.
 *
 * @param nowWallMs Unix ms, only to read an HTTP-date `Retry-After`.
 */
export function classifyOutcome(result: HttpResult, ctx: CallContext, nowWallMs?: number): Outcome {
  const host = hostOf(ctx.url);
  if (result.kind === 'invalid') return out(false, null, 'invalid', `request not sent: ${result.message}`);
  if (result.kind === 'timeout') return timeoutOutcome(result.timeoutMs, result.sent, result.phase, host, ctx);
  if (result.kind === 'network') {
    if (result.tls) return out(false, null, 'tls', `TLS failed: ${result.message} (${result.code}) talking to ${host}`);
    if (UNREACHABLE.has(result.code)) {
      if (ctx.kind === 'token') {
        return DNS.has(result.code)
          ? out(false, null, 'unreachable', `cannot resolve ${host} (${result.code}): wrong area? The token endpoint is on https://{na1|au1|eu1}.nice-incontact.com`)
          : out(false, null, 'unreachable', `cannot reach ${host} (${result.code}): wrong area or auth host?`);
      }
      return out(false, null, 'unreachable', `cannot reach ${host} (${result.code}): wrong region or API host?`);
    }
    if (result.sent && ctx.kind === 'signal') {
      return out(false, null, 'connection-lost', `connection to ${host} broke after the request was sent (${result.code}): the signal may or may not have landed; not retried`);
    }
    return out(false, null, 'connection-lost', `connection to ${host} failed (${result.code}): ${result.message}`);
  }

  const { status, headers, body } = result;
  const detail = bodyMessage(body);
  const withDetail = (m: string): string => (detail ? `${m}: ${detail}` : m);
  const html = isHtmlPage(headers, body);

  if (status >= 200 && status < 300) {
    if (html) return out(false, status, 'html', `an HTML page came back instead of the API (${status}): wrong host (a login or gateway page?)`);
    if (ctx.kind === 'token') return tokenBodyOutcome(status, body);
    return out(true, status, 'accepted', ctx.kind === 'signal' ? `accepted (${status})` : `ok (${status})`);
  }
  if (status >= 300 && status < 400) {
    const to = headers['location'] ? ` to ${headers['location']}` : '';
    return out(false, status, 'redirect', `redirected (${status})${to}: wrong host, or http instead of https?`);
  }
  if (status === 429) {
    const s = retryAfterSeconds(headers['retry-after'], nowWallMs);
    return out(false, status, 'rate-limited', s === null ? 'rate limited (429); retry later' : `rate limited (429); retry after ${s} s`);
  }
  if (status >= 500) return out(false, status, 'server-error', withDetail(`CXone server error (${status})`));
  if (ctx.kind === 'token') return tokenErrorOutcome(status, detail, ctx.url);

  switch (status) {
    case 400:
      return out(false, status, 'bad-request', withDetail('bad request (400)'));
    case 401:
      return out(false, status, 'unauthorized', 'token refused (401): check the access key (id, secret, still active) and the app registration (client id and secret for this issuer), or the token expired / belongs to another environment (region) than this API host', true);
    case 403:
      return out(false, status, 'forbidden', 'forbidden (403): the user of the access key lacks permission (for this API or business unit), or the app is not registered for this API, or the token is of another environment than this API host', true);
    case 404:
      if (html) return out(false, status, 'not-found', `no API at ${ctx.url} (404, an HTML page): check the API host, the version (e.g. v28.0) and the path style`);
      if (ctx.kind === 'signal') {
        return out(false, status, 'not-found', `contact ${ctx.contactId} unknown or ended (404): check that you signal the right contact id (MasterId vs child) and that the call is still up`);
      }
      return out(false, status, 'not-found', withDetail(`${ctx.what}: not found (404) at ${ctx.url}`));
    default:
      return out(false, status, 'unexpected', withDetail(`unexpected HTTP ${status}${html ? ' (an HTML page: wrong host?)' : ''}`));
  }
}

function timeoutOutcome(ms: number, sent: boolean, phase: string, host: string, ctx: CallContext): Outcome {
  if (!sent) return out(false, null, 'timeout', `no connection to ${host} in ${ms} ms (stuck in ${phase}; the request was not sent)`);
  if (ctx.kind === 'signal') return out(false, null, 'timeout', `no answer in ${ms} ms (the signal may or may not have landed; not retried)`);
  if (ctx.kind === 'token') return out(false, null, 'timeout', `no answer from the token endpoint ${host} in ${ms} ms`);
  return out(false, null, 'timeout', `no answer in ${ms} ms from ${host}`);
}

function tokenErrorOutcome(status: number, detail: string, url: string): Outcome {
  const d = detail ? `: ${detail}` : '';
  switch (status) {
    case 400:
      return out(false, status, 'bad-request', `token request refused (400)${d}`);
    case 401:
      return out(false, status, 'unauthorized', `access key id or secret wrong (401): check both values (the secret is shown only once, when the key is generated)${d}`);
    case 403:
      return out(false, status, 'forbidden', `access key refused (403): the key may be inactive, or its user lacks the Access Key permission${d}`);
    case 404:
      return out(false, status, 'not-found', `no token endpoint at ${url} (404): wrong auth host or area? Use https://{na1|au1|eu1}.nice-incontact.com`);
    default:
      return out(false, status, 'unexpected', `token request failed: unexpected HTTP ${status}${d}`);
  }
}

/**
 * Reads `access_token`, `id_token` (when present) and `expires_in` (seconds) from a token response
 * body (§1a, §1b); null when there is no access token.
 */
export function parseTokenBody(body: string): { accessToken: string; idToken?: string; expiresInS: number | null } | null {
  try {
    const j = JSON.parse(body) as Record<string, unknown>;
    const t = j['access_token'];
    if (typeof t !== 'string' || !t) return null;
    const e = Number(j['expires_in']);
    const id = typeof j['id_token'] === 'string' && j['id_token'] ? j['id_token'] : undefined;
    return { accessToken: t, ...(id ? { idToken: id } : {}), expiresInS: j['expires_in'] !== undefined && Number.isFinite(e) && e > 0 ? e : null };
  } catch {
    return null;
  }
}

function tokenBodyOutcome(status: number, body: string): Outcome {
  if (parseTokenBody(body) === null) {
    return out(false, status, 'unexpected', `the token endpoint answered ${status} without an access_token: wrong auth host or endpoint?`);
  }
  return out(true, status, 'accepted', `token issued (${status})`);
}

/** Response header of the emulator's 2xx Signal naming the script that holds the ONSIGNAL (CXone sends none). */
export const EMULATOR_ONSIGNAL_HEADER = 'x-cxone-emulator-onsignal';

/**
 * Turns an accepted Signal into a `wrong-leg` failure when the emulator says the signalled contact's
 * script has no ONSIGNAL but another leg of the call has one (header {@link EMULATOR_ONSIGNAL_HEADER}:
 * `none; owner=<id>; owner-role=<master|child>`); with `none` alone (no leg has one) it stays
 * accepted and the message says nothing happens. Real CXone sends no such header, so against it the
 * outcome is unchanged; the pre-signal check (contact-checks.ts) is what catches the wrong leg there.
 *
 * @remarks cxone-reference.md §2 (ONSIGNAL fires in the script whose contact id you signalled;
 * which leg depends on the script design), §6 (wrong contact id) [H-SIG], [SYN], [COG].
 */
export function withEmulatorOnSignal(o: Outcome, headers: Record<string, string>, contactId: string): Outcome {
  const h = headers[EMULATOR_ONSIGNAL_HEADER];
  if (!o.ok || !h || !/^none\b/i.test(h.trim())) return o;
  const owner = /owner=([^;\s]+)/i.exec(h)?.[1];
  const role = /owner-role=(master|child)/i.exec(h)?.[1]?.toLowerCase();
  const head = `accepted (${o.status}) but contact ${contactId}'s script has no ONSIGNAL, so nothing happens`;
  // No leg of the call has one: not a wrong leg, a script without ONSIGNAL; the API did accept it.
  if (!owner) return { ...o, message: `${o.message}; but no script of contact ${contactId}'s call has an ONSIGNAL, so nothing happens (emulator)` };
  const fix = role === 'master' ? `the parent script holds the ONSIGNAL: signal the MasterId ${owner}` : `the child (spawned) script holds the ONSIGNAL: signal the child contact id ${owner}`;
  return out(false, o.status, 'wrong-leg', `wrong leg: ${head}; ${fix} (emulator)`);
}
