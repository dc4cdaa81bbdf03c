/**
 * The CXone API client: bearer tokens (access key or OAuth password grant), the API host (manual
 * override or discovery), Signal a Contact, active contacts, contact details, end, server time.
 *
 * Signal is never retried after a timeout, a reset, a 429 or a 5xx, because a duplicate can fire
 * ONSIGNAL twice; only a 401/403 (refused before anything ran) leads to one new token and one retry.
 * After a 429 the host's `Retry-After` is honoured by refusing calls until then (rate-limit.ts).
 *
 * @remarks cxone-reference.md §1 (tokens, discovery), §2 (Signal a Contact: POST, p1..p9 in the
 * query, no body, Bearer; any 2xx is success, the exact code kept), §3 (`/contacts/active`,
 * `/contacts/{id}`, `/contacts/{id}/end`, `/server-time`), §6 (pitfalls).
 */
import { randomUUID } from 'node:crypto';
import type { VendorProfile } from '../../shared/profile';
import { stampNow } from '../clock';
import { SIGNAL_PARAM_NAMES, type CheckResult, type HttpExchange, type SignalParams, type SignalRecord } from '../../shared/types';
import { ApiSession, type ApiCallResult, type ApiTarget } from './api-session';
import { checksBeforeSignal } from './contact-checks';
import type { ApiReadResult } from './contact-reader';
import { readActiveContacts, readContactDetails, type ActiveContact, type ContactDetails } from './contact-reads';
import type { HttpTimings } from './http';
import { OAuthPasswordTokenProvider, type OAuthClientCredentials } from './oauth-token';
import { defaultRetryAfterGate, RetryAfterGate } from './rate-limit';
import { withEmulatorOnSignal, type OutcomeClass } from './signal-outcome';
import { AccessKeyTokenProvider, type AccessKeyCredentials, type TokenCache, type TokenProvider, type TokenResult } from './token';
import * as urls from './urls';

export type { ActiveContact, ContactDetails } from './contact-reads';
export type { ApiTarget } from './api-session';
export type { ApiReadResult } from './contact-reader';

/** Options of {@link CxoneClient}. */
export interface CxoneClientOptions {
  /**
   * Access-key token host, e.g. `https://na1.nice-incontact.com` (token at
   * `{authBase}/authentication/v1/token/access-key`, §1a), or the emulator's base URL. Default:
   * derived from `apiBase` ({@link urls.defaultAuthBase}). Ignored with `oauth`.
   */
  authBase?: string;
  /**
   * The region (area, e.g. `na1`) of the access-key token host `https://{region}.nice-incontact.com`,
   * for an API host in Kore's `api-{cluster}` form, whose token host cannot be derived (§1c, issue 14).
   */
  region?: string;
  /** The OAuth password grant of a registered app (§1b) instead of the access-key endpoint. */
  oauth?: { issuer: string } & OAuthClientCredentials;
  credentials: AccessKeyCredentials;
  /**
   * The API host by hand, e.g. `https://api-na1.niceincontact.com` (manual override). Absent: it is
   * discovered from the token's tenant id (§1c).
   */
  apiBase?: string;
  /** Issuer for discovery; default the OAuth issuer, else the token's `iss` claim. */
  issuer?: string;
  /** e.g. `v28.0`. */
  apiVersion: string;
  pathStyle: urls.ApiPathStyle;
  /** Limit per HTTP request, from start to the end of the response (ms); default 10000. */
  timeoutMs?: number;
  /** Extra trusted CA (PEM) for https hosts, e.g. the emulator's self-signed certificate. */
  caPem?: string;
  /**
   * Reuse HTTP connections for API calls (Signal, contact reads) instead of one per call; the
   * embedded emulator's clients do. Default false (each call reports its own connect phase).
   */
  keepAlive?: boolean;
  /** Token source to use instead of one built from the options. */
  tokenProvider?: TokenProvider;
  /** Cache for the built token provider; default the process-wide one. */
  tokenCache?: TokenCache;
  /** Monotonic clock (ms) for token lifetimes and `Retry-After`; default `monoNow` (tests advance their own). */
  clock?: () => number;
  /** Per-host `Retry-After` memory; default the process-wide one (a new one when `clock` is given). */
  rateLimits?: RetryAfterGate;
  /**
   * Check the contact before each Signal the bot sends (`/contacts/active`, filtered by `toAddr`,
   * the pseudo number, when given): see contact-checks.ts. Default off.
   */
  preSignalCheck?: { toAddr?: string } | boolean;
}

/** A {@link SignalRecord} plus what the shared type has no field for. */
export interface SignalResult extends SignalRecord {
  /** Per-phase timings of the final attempt's HTTP request; null when nothing was sent. */
  timings: HttpTimings | null;
  /** Signal requests sent: 0 (not sent), 1, or 2 after a 401/403. */
  attempts: number;
  /** Class of the outcome (`accepted`, `rate-limited`, `wrong-leg`…); `not-sent` when nothing was sent. */
  outcomeClass: OutcomeClass | 'not-sent';
  /** API host, version and path style used, and where the host came from; null when unknown. */
  api: ApiTarget | null;
}

/** The access-key token host from the options, or why it cannot be derived (a cluster-form API host without a region). */
function accessKeyAuthBase(opts: CxoneClientOptions): { authBase: string; problem?: string } {
  if (opts.authBase) return { authBase: opts.authBase };
  if (!opts.apiBase) return { authBase: opts.region ? urls.regionAuthBase(opts.region) : '' };
  const d = urls.deriveAuthBase(opts.apiBase, opts.region);
  return 'authBase' in d ? { authBase: d.authBase } : { authBase: '', problem: d.error };
}

/** Client for one CXone environment (or the emulator) and one identity. */
export class CxoneClient {
  /** Where tokens come from. */
  readonly tokens: TokenProvider;
  /** The pre-signal check settings; null when off. */
  readonly preSignalCheck: { toAddr?: string } | null;
  private readonly session: ApiSession;
  private readonly apiVersion: string;
  private readonly pathStyle: urls.ApiPathStyle;

  constructor(opts: CxoneClientOptions) {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    this.apiVersion = opts.apiVersion;
    this.pathStyle = opts.pathStyle;
    const common = { timeoutMs, cache: opts.tokenCache, clock: opts.clock, caPem: opts.caPem, credentials: opts.credentials };
    this.tokens =
      opts.tokenProvider ??
      (opts.oauth
        ? new OAuthPasswordTokenProvider({ ...common, issuer: opts.oauth.issuer, client: { clientId: opts.oauth.clientId, clientSecret: opts.oauth.clientSecret, authMethod: opts.oauth.authMethod } })
        : new AccessKeyTokenProvider({ ...common, ...accessKeyAuthBase(opts) }));
    const secrets = [opts.credentials.accessKeySecret, ...(opts.oauth ? [opts.oauth.clientSecret] : [])];
    this.session = new ApiSession({
      tokens: this.tokens,
      apiBase: opts.apiBase,
      issuer: opts.issuer ?? opts.oauth?.issuer,
      apiVersion: opts.apiVersion,
      pathStyle: opts.pathStyle,
      timeoutMs,
      caPem: opts.caPem,
      keepAlive: opts.keepAlive,
      gate: opts.rateLimits ?? (opts.clock ? new RetryAfterGate(opts.clock) : defaultRetryAfterGate),
      secrets,
    });
    this.preSignalCheck = opts.preSignalCheck === true ? {} : opts.preSignalCheck ? opts.preSignalCheck : null;
  }

  /** A bearer token, from the cache when it is outside its renewal margin. Never throws. */
  getToken(): Promise<TokenResult> {
    return this.tokens.getToken();
  }

  /** The API host, version and path style: the override, the discovered host, or null before discovery. */
  get apiTarget(): ApiTarget | null {
    return this.session.target;
  }

  /** Finds the API target now (a token, then discovery unless overridden). Never throws. */
  async resolveApiTarget(): Promise<{ ok: true; target: ApiTarget } | { ok: false; message: string; exchange: HttpExchange }> {
    const tok = await this.tokens.getToken();
    if (!tok.ok) return { ok: false, message: `no token: ${tok.message}`, exchange: tok.exchange };
    return this.session.resolve(tok.token, tok.idToken);
  }

  /** URL a Signal would go to (no secret in it); only the path while the API host is not known yet. */
  signalUrl(contactId: string, params: SignalParams): string {
    return urls.signalUrl(this.session.target?.apiBase ?? '', this.pathStyle, this.apiVersion, contactId, params);
  }

  /**
   * Signal a Contact: `POST …/interactions/{contactId}/signal?p1=…` with `Authorization: Bearer`,
   * no body. A 401/403 drops the token, gets a new one and retries once; nothing else is retried.
   *
   * @returns the record of the final attempt, Authorization redacted and no token anywhere; bad
   * input (empty contact id, keys outside p1..p9, a bad base URL or version), a missing token, a
   * failed discovery and a `Retry-After` still running are outcomes too ("not sent: …"). Never throws.
   */
  async signal(contactId: string, params: SignalParams, opts: { callRef?: string | null } = {}): Promise<SignalResult> {
    const started = stampNow();
    const kept: SignalParams = {};
    if (params && typeof params === 'object') {
      for (const n of SIGNAL_PARAM_NAMES) if (typeof params[n] === 'string') kept[n] = params[n];
    }
    const cid = typeof contactId === 'string' ? contactId : '';
    const build = (base: string): string => urls.signalUrl(base, this.pathStyle, this.apiVersion, cid, kept);
    const base = { id: randomUUID(), callRef: opts.callRef ?? null, contactId: cid, params: kept, wallMs: started.wallMs };
    const invalid = (cid.trim() ? null : 'contact id is empty: take it from the X- header of the INVITE (ContactId or MasterId)') ?? urls.signalQueryProblem(params);
    const r: ApiCallResult = invalid
      ? { sent: false, reason: invalid, url: this.signalUrl(cid, kept), target: this.session.target, tokenMs: null, exchange: { request: { method: 'POST', url: this.signalUrl(cid, kept), headers: {} }, error: `not sent: ${invalid}` } }
      : await this.session.call('POST', build, (url) => ({ kind: 'signal', url, contactId: cid }));
    if (!r.sent) {
      const message = `not sent: ${r.reason}`;
      const exchange = r.exchange.error && !r.exchange.response ? { ...r.exchange, error: r.exchange.error.startsWith('not sent') ? r.exchange.error : message } : r.exchange;
      return { ...base, url: r.url, status: null, ok: false, message, ms: null, tokenMs: r.tokenMs, doneMonoMs: null, exchange, timings: null, attempts: 0, outcomeClass: 'not-sent', api: r.target };
    }
    const { result } = r.attempt;
    let outcome = r.attempt.outcome;
    if (result.kind === 'response') outcome = withEmulatorOnSignal(outcome, result.headers, cid);
    const message = r.renewalFailed ? `${outcome.message}; getting a new token failed: ${r.renewalFailed}` : outcome.message + r.note;
    const t = result.timings;
    const got = result.kind === 'response';
    const { dnsMs, connectMs, tlsMs, firstByteMs, totalMs } = t;
    return {
      ...base,
      url: r.url,
      status: outcome.status,
      ok: outcome.ok,
      message,
      ms: got ? t.totalMs : null,
      tokenMs: r.tokenMs,
      doneMonoMs: got ? t.endMonoMs : null,
      exchange: { ...r.exchange, timings: { dnsMs, connectMs, tlsMs, firstByteMs, totalMs } },
      timings: t,
      attempts: r.attempts,
      outcomeClass: outcome.class,
      api: r.target,
    };
  }

  /**
   * Active contacts: `GET …/contacts/active[?toAddr=]` (real-time API, §3). Reads
   * `resultSet.activeContacts[].contactId` (number or string); 204 means none.
   */
  async activeContacts(opts: { toAddr?: string } = {}): Promise<ApiReadResult<{ contactIds: string[]; contacts: ActiveContact[] }>> {
    const r = await this.read('GET', 'active contacts', (b) => urls.activeContactsUrl(b, this.pathStyle, this.apiVersion, opts.toAddr));
    if (!r.ok) return r;
    let contacts: ActiveContact[] = [];
    if (r.status !== 204 && r.body.trim()) {
      const list = readActiveContacts(r.body);
      if (list === null) return { ok: false, message: `active contacts: the answer has no resultSet.activeContacts list (${r.status})`, exchange: r.exchange, url: r.url };
      contacts = list;
    }
    return { ...pick(r), contactIds: contacts.map((c) => c.contactId), contacts };
  }

  /** One contact's details: `GET …/contacts/{contactId}` (Reporting, §3); a 404 is `ok: false`. */
  async contactDetails(contactId: string): Promise<ApiReadResult<{ contact: ContactDetails }>> {
    const r = await this.read('GET', `contact ${contactId}`, (b) => urls.contactUrl(b, this.pathStyle, this.apiVersion, contactId));
    if (!r.ok) return r;
    const contact = readContactDetails(r.body);
    if (!contact) return { ok: false, message: `contact ${contactId}: the answer holds no contact with a contactId (${r.status})`, exchange: r.exchange, url: r.url };
    return { ...pick(r), contact };
  }

  /** Ends a contact: `POST …/contacts/{contactId}/end` (Admin, §3), for test clean-up. Any 2xx is ok. */
  async endContact(contactId: string): Promise<ApiReadResult<{ status: number }>> {
    const r = await this.read('POST', `end contact ${contactId}`, (b) => urls.endContactUrl(b, this.pathStyle, this.apiVersion, contactId));
    return r.ok ? { ...pick(r), status: r.status } : r;
  }

  /** Server time: `GET …/server-time` → `{"ServerTime": "…"}`, the cheap check that token and API host fit (§1c). */
  async serverTime(): Promise<ApiReadResult<{ serverTime: string }>> {
    const r = await this.read('GET', 'server time', (b) => urls.serverTimeUrl(b, this.pathStyle, this.apiVersion));
    if (!r.ok) return r;
    try {
      const v = (JSON.parse(r.body) as Record<string, unknown>)['ServerTime'];
      if (typeof v === 'string') return { ...pick(r), serverTime: v };
    } catch {
      // fall through
    }
    return { ok: false, message: `server time: no ServerTime in the answer (${r.status})`, exchange: r.exchange, url: r.url };
  }

  /**
   * The checks to run before the bot signals (contact-checks.ts), when {@link preSignalCheck} is
   * on; an empty list when it is off. Never throws.
   */
  async checkBeforeSignal(contactId: string, profile: Pick<VendorProfile, 'name' | 'topology'> & { sources?: VendorProfile['sources'] }): Promise<CheckResult[]> {
    if (!this.preSignalCheck) return [];
    return checksBeforeSignal(this, contactId, { profile, toAddr: this.preSignalCheck.toAddr });
  }

  /** An authenticated call; a 401/403 renews the token and retries once (nothing else is retried). */
  private async read(method: 'GET' | 'POST', what: string, build: (apiBase: string) => string): Promise<ApiReadResult<{ status: number; body: string; exchange: HttpExchange }>> {
    const r = await this.session.call(method, build, (url) => ({ kind: 'api', url, what }));
    if (!r.sent) return { ok: false, message: `${what}: ${r.reason}`, exchange: r.exchange, url: r.url };
    const { result, outcome } = r.attempt;
    if (!outcome.ok || result.kind !== 'response') {
      const message = r.renewalFailed ? `${what}: ${outcome.message}; new token failed: ${r.renewalFailed}` : `${what}: ${outcome.message}`;
      return { ok: false, message, exchange: r.exchange, url: r.url };
    }
    return { ok: true, ms: result.timings.totalMs, timings: result.timings, url: r.url, api: r.target, status: result.status, body: result.body, exchange: r.exchange };
  }
}

function pick<T extends { ms: number; timings: HttpTimings; url: string; api: ApiTarget }>(r: T): { ok: true; ms: number; timings: HttpTimings; url: string; api: ApiTarget } {
  return { ok: true, ms: r.ms, timings: r.timings, url: r.url, api: r.api };
}
