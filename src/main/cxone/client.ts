/**
 * The CXone API client: bearer tokens, Signal a Contact, active contacts, server time.
 *
 * Signal is never retried after a timeout, a reset or a 5xx, because a duplicate can fire ONSIGNAL
 * twice; only a 401/403 (refused before anything ran) leads to one new token and one retry.
 *
 * @remarks cxone-reference.md §1 (tokens), §2 (Signal a Contact: POST, p1..p9 in the query, no body,
 * Bearer; any 2xx is success), §3 (`/contacts/active`, `/server-time`), §6 (pitfalls).
 */
import { randomUUID } from 'node:crypto';
import { stampNow } from '../clock';
import { SIGNAL_PARAM_NAMES, type HttpExchange, type SignalParams, type SignalRecord } from '../../shared/types';
import { httpRequest, toExchange, type HttpRequestSpec, type HttpResult, type HttpTimings } from './http';
import { classifyOutcome, type CallContext, type Outcome } from './signal-outcome';
import { AccessKeyTokenProvider, type AccessKeyCredentials, type TokenCache, type TokenProvider, type TokenResult } from './token';
import * as urls from './urls';

/** Options of {@link CxoneClient}. */
export interface CxoneClientOptions {
  /** Auth host, e.g. `https://na1.nice-incontact.com` (token at `{authBase}/authentication/v1/token/access-key`), or the emulator's base URL. */
  authBase: string;
  /** The `api_endpoint`, e.g. `https://api-na1.niceincontact.com`, or the emulator's base URL. */
  apiBase: string;
  /** e.g. `v28.0`. */
  apiVersion: string;
  pathStyle: urls.ApiPathStyle;
  credentials: AccessKeyCredentials;
  /** Limit per HTTP request, from start to the end of the response (ms); default 10000. */
  timeoutMs?: number;
  /** Token source to use instead of an access-key provider built from `credentials` (e.g. OAuth later). */
  tokenProvider?: TokenProvider;
  /** Cache for the access-key provider; default the process-wide one. */
  tokenCache?: TokenCache;
}

/** A {@link SignalRecord} plus what the shared type has no field for yet. */
export interface SignalResult extends SignalRecord {
  /** Per-phase timings of the final attempt's HTTP request; null when nothing was sent. */
  timings: HttpTimings | null;
  /** Signal requests sent: 0 (rejected before sending or no token), 1, or 2 after a 401/403. */
  attempts: number;
}

/** One entry of `/contacts/active` as read by the client. */
export interface ActiveContact {
  contactId: string;
  masterContactId: string | null;
  toAddr: string | null;
  fromAddr: string | null;
}

/** Result of an authenticated API read. */
export type ApiReadResult<T> = ({ ok: true; ms: number } & T) | { ok: false; message: string; exchange: HttpExchange };

interface Attempt {
  spec: HttpRequestSpec;
  result: HttpResult;
  outcome: Outcome;
}

/** Client for one CXone environment (or the emulator) and one identity. */
export class CxoneClient {
  /** Where tokens come from. */
  readonly tokens: TokenProvider;
  private readonly opts: Required<Pick<CxoneClientOptions, 'authBase' | 'apiBase' | 'apiVersion' | 'pathStyle' | 'timeoutMs'>>;
  private readonly secrets: string[];

  constructor(opts: CxoneClientOptions) {
    this.opts = {
      authBase: opts.authBase,
      apiBase: opts.apiBase,
      apiVersion: opts.apiVersion,
      pathStyle: opts.pathStyle,
      timeoutMs: opts.timeoutMs ?? 10_000,
    };
    this.secrets = [opts.credentials.accessKeySecret];
    this.tokens =
      opts.tokenProvider ??
      new AccessKeyTokenProvider({ authBase: opts.authBase, credentials: opts.credentials, timeoutMs: this.opts.timeoutMs, cache: opts.tokenCache });
  }

  /** A bearer token, from the cache when it is outside its renewal margin. Never throws. */
  getToken(): Promise<TokenResult> {
    return this.tokens.getToken();
  }

  /** URL a Signal would go to (no secret in it). Keys outside p1..p9 are left out. */
  signalUrl(contactId: string, params: SignalParams): string {
    return urls.signalUrl(this.opts.apiBase, this.opts.pathStyle, this.opts.apiVersion, contactId, params);
  }

  /**
   * Signal a Contact: `POST …/interactions/{contactId}/signal?p1=…` with `Authorization: Bearer`,
   * no body. A 401/403 drops the token, gets a new one and retries once; nothing else is retried.
   *
   * @returns the record of the final attempt, Authorization redacted and no token anywhere; bad
   * input (empty contact id, keys outside p1..p9, a bad base URL or version) is an outcome too. Never throws.
   */
  async signal(contactId: string, params: SignalParams, opts: { callRef?: string | null } = {}): Promise<SignalResult> {
    const rec = await this.signalOnce(contactId, params, opts);
    if (!rec.timings) return rec;
    const { dnsMs, connectMs, tlsMs, firstByteMs, totalMs } = rec.timings;
    return { ...rec, exchange: { ...rec.exchange, timings: { dnsMs, connectMs, tlsMs, firstByteMs, totalMs } } };
  }

  private async signalOnce(contactId: string, params: SignalParams, opts: { callRef?: string | null }): Promise<SignalResult> {
    const started = stampNow();
    const kept: SignalParams = {};
    if (params && typeof params === 'object') {
      for (const n of SIGNAL_PARAM_NAMES) if (typeof params[n] === 'string') kept[n] = params[n];
    }
    const cid = typeof contactId === 'string' ? contactId : '';
    const url = this.signalUrl(cid, kept);
    const base = { id: randomUUID(), callRef: opts.callRef ?? null, contactId: cid, params: kept, url, wallMs: started.wallMs };
    const fail = (message: string, exchange: HttpExchange, tokenMs: number | null, attempt?: Attempt, attempts = 0): SignalResult => ({
      ...base,
      status: attempt?.outcome.status ?? null,
      ok: false,
      message,
      ms: attempt?.result.kind === 'response' ? attempt.result.timings.totalMs : null,
      tokenMs,
      doneMonoMs: attempt?.result.kind === 'response' ? attempt.result.timings.endMonoMs : null,
      exchange,
      timings: attempt?.result.timings ?? null,
      attempts,
    });

    const invalid =
      urls.checkBaseUrl(this.opts.apiBase, 'API base URL') ??
      urls.checkApiVersion(this.opts.apiVersion) ??
      (cid.trim() ? null : 'contact id is empty: take it from the X- header of the INVITE (ContactId or MasterId)') ??
      urls.signalQueryProblem(params);
    if (invalid) {
      const message = `not sent: ${invalid}`;
      return fail(message, { request: { method: 'POST', url, headers: {} }, error: message }, null);
    }

    const secrets = [...this.secrets];
    const ctx: CallContext = { kind: 'signal', url, contactId: cid };
    const tok = await this.tokens.getToken();
    if (!tok.ok) return fail(`not sent: no token: ${tok.message}`, tok.exchange, null);
    secrets.push(tok.token);
    let tokenMs = tok.ms;
    let attempt = await this.send('POST', url, tok.token, ctx);
    let attempts = 1;
    let note = '';
    if (attempt.outcome.renewToken) {
      this.tokens.invalidate(tok.token);
      const renewed = await this.tokens.getToken({ forceRenew: true });
      if (!renewed.ok) {
        const message = `${attempt.outcome.message}; getting a new token failed: ${renewed.message}`;
        return fail(message, toExchange(attempt.spec, attempt.result, secrets), tokenMs, attempt, attempts);
      }
      secrets.push(renewed.token);
      tokenMs += renewed.ms;
      note = ` (after ${attempt.outcome.status} with the first token: retried once with a new one)`;
      attempt = await this.send('POST', url, renewed.token, ctx);
      attempts = 2;
    }
    const { result, outcome } = attempt;
    const exchange = toExchange(attempt.spec, result, secrets, result.kind === 'response' ? undefined : outcome.message);
    if (!outcome.ok) return fail(outcome.message + note, exchange, tokenMs, attempt, attempts);
    const t = result.timings;
    return {
      ...base,
      status: outcome.status,
      ok: true,
      message: outcome.message + note,
      ms: t.totalMs,
      tokenMs,
      doneMonoMs: t.endMonoMs,
      exchange,
      timings: t,
      attempts,
    };
  }

  /**
   * Active contacts: `GET …/contacts/active[?toAddr=]` (real-time API, §3). Reads
   * `resultSet.activeContacts[].contactId` (number or string); 204 means none.
   */
  async activeContacts(opts: { toAddr?: string } = {}): Promise<ApiReadResult<{ contactIds: string[]; contacts: ActiveContact[] }>> {
    const url = urls.activeContactsUrl(this.opts.apiBase, this.opts.pathStyle, this.opts.apiVersion, opts.toAddr);
    const r = await this.authedGet(url, 'active contacts');
    if (!r.ok) return r;
    let contacts: ActiveContact[] = [];
    if (r.status !== 204 && r.body.trim()) {
      const list = readActiveContacts(r.body);
      if (list === null) {
        return { ok: false, message: `active contacts: the answer has no resultSet.activeContacts list (${r.status})`, exchange: r.exchange };
      }
      contacts = list;
    }
    return { ok: true, ms: r.ms, contactIds: contacts.map((c) => c.contactId), contacts };
  }

  /** Server time: `GET …/server-time` → `{"ServerTime": "…"}`, the cheap check that token and API host fit (§1c). */
  async serverTime(): Promise<ApiReadResult<{ serverTime: string }>> {
    const url = urls.serverTimeUrl(this.opts.apiBase, this.opts.pathStyle, this.opts.apiVersion);
    const r = await this.authedGet(url, 'server time');
    if (!r.ok) return r;
    try {
      const v = (JSON.parse(r.body) as Record<string, unknown>)['ServerTime'];
      if (typeof v === 'string') return { ok: true, ms: r.ms, serverTime: v };
    } catch {
      // fall through
    }
    return { ok: false, message: `server time: no ServerTime in the answer (${r.status})`, exchange: r.exchange };
  }

  /** GET with a bearer token; a 401/403 renews the token and retries once (a GET changes nothing). */
  private async authedGet(url: string, what: string): Promise<ApiReadResult<{ status: number; body: string; exchange: HttpExchange }>> {
    const bad = urls.checkBaseUrl(this.opts.apiBase, 'API base URL') ?? urls.checkApiVersion(this.opts.apiVersion);
    if (bad) return { ok: false, message: `${what}: ${bad}`, exchange: { request: { method: 'GET', url, headers: {} }, error: bad } };
    const ctx: CallContext = { kind: 'api', url, what };
    const secrets = [...this.secrets];
    let tok = await this.tokens.getToken();
    if (!tok.ok) return { ok: false, message: `${what}: no token: ${tok.message}`, exchange: tok.exchange };
    secrets.push(tok.token);
    let attempt = await this.send('GET', url, tok.token, ctx);
    if (attempt.outcome.renewToken) {
      this.tokens.invalidate(tok.token);
      tok = await this.tokens.getToken({ forceRenew: true });
      if (!tok.ok) return { ok: false, message: `${what}: ${attempt.outcome.message}; new token failed: ${tok.message}`, exchange: tok.exchange };
      secrets.push(tok.token);
      attempt = await this.send('GET', url, tok.token, ctx);
    }
    const { result, outcome } = attempt;
    const exchange = toExchange(attempt.spec, result, secrets, result.kind === 'response' ? undefined : outcome.message);
    if (!outcome.ok || result.kind !== 'response') return { ok: false, message: `${what}: ${outcome.message}`, exchange };
    return { ok: true, ms: result.timings.totalMs, status: result.status, body: result.body, exchange };
  }

  private async send(method: 'GET' | 'POST', url: string, token: string, ctx: CallContext): Promise<Attempt> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'Accept-Encoding': 'identity',
    };
    if (method === 'POST') headers['Content-Length'] = '0';
    const spec: HttpRequestSpec = { method, url, headers, timeoutMs: this.opts.timeoutMs };
    const result = await httpRequest(spec);
    return { spec, result, outcome: classifyOutcome(result, ctx, stampNow().wallMs) };
  }
}

function idString(v: unknown): string | null {
  if (typeof v === 'string' && v) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function readActiveContacts(body: string): ActiveContact[] | null {
  try {
    const j = JSON.parse(body) as { resultSet?: { activeContacts?: unknown } };
    const list = j.resultSet?.activeContacts;
    if (!Array.isArray(list)) return null;
    const out: ActiveContact[] = [];
    for (const item of list as Record<string, unknown>[]) {
      const contactId = idString(item?.['contactId']);
      if (!contactId) continue;
      out.push({
        contactId,
        masterContactId: idString(item['masterContactId']),
        toAddr: typeof item['toAddr'] === 'string' ? item['toAddr'] : null,
        fromAddr: typeof item['fromAddr'] === 'string' ? item['fromAddr'] : null,
      });
    }
    return out;
  } catch {
    return null;
  }
}
