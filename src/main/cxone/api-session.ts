/**
 * One authenticated CXone API call, the way every client call makes it: a bearer token, the API
 * host (the manual override, or discovered from the token's tenant id and kept), the `Retry-After`
 * gate of that host, the request with per-phase timings, and its classified outcome.
 *
 * Retries: only a 401/403 (refused before anything ran) leads to one new token and one retry. A
 * timeout, a reset, a 5xx or a 429 is never retried: for a Signal the first request may have
 * reached CXone, and a duplicate can fire ONSIGNAL twice (cxone-reference.md §2, §6 [H-SIG]).
 *
 * @remarks cxone-reference.md §1c (tenantId claim → `/.well-known/cxone-configuration` →
 * `api_endpoint`; API calls at `{api_endpoint}/incontactapi/services/vNN.0/...`), §6 (tokens per
 * environment, refresh once on 401/403); RFC 9110 §10.2.3 (Retry-After).
 */
import type { HttpExchange } from '../../shared/types';
import { stampNow } from '../clock';
import { fetchCxoneConfiguration } from './discovery';
import { httpRequest, toExchange, type HttpRequestSpec, type HttpResult } from './http';
import { readTenantClaims } from './jwt-claims';
import type { RetryAfterGate } from './rate-limit';
import { classifyOutcome, retryAfterSeconds, type CallContext, type Outcome } from './signal-outcome';
import type { TokenProvider } from './token';
import * as urls from './urls';

/** The API host, version and path style a call used, and where the host came from. */
export interface ApiTarget {
  /** e.g. `https://api-na1.niceincontact.com`. */
  apiBase: string;
  /** `override`: given by hand; `discovered`: from `/.well-known/cxone-configuration`. */
  source: 'override' | 'discovered';
  apiVersion: string;
  pathStyle: urls.ApiPathStyle;
  /** The discovery URL used (no secret in it); null for an override. */
  discoveryUrl: string | null;
  /** The token's tenant id, when discovery read it. */
  tenantId: string | null;
}

/** Settings of an {@link ApiSession}. */
export interface ApiSessionOptions {
  tokens: TokenProvider;
  /** Manual API host; absent → discovery. */
  apiBase?: string;
  /** Issuer for discovery; default the OAuth issuer, else the token's `iss` claim. */
  issuer?: string;
  apiVersion: string;
  pathStyle: urls.ApiPathStyle;
  timeoutMs: number;
  caPem?: string;
  gate: RetryAfterGate;
  /** Secrets scrubbed from every exchange (the access key secret…); tokens are added per call. */
  secrets: string[];
  /** Reuse HTTP connections for API calls ({@link HttpRequestSpec.keepAlive}); default false. */
  keepAlive?: boolean;
}

/** One sent request with its outcome. */
export interface ApiAttempt {
  spec: HttpRequestSpec;
  result: HttpResult;
  outcome: Outcome;
}

/** What an {@link ApiSession.call} did. */
export type ApiCallResult =
  | {
      sent: false;
      /** Why nothing was sent, without a prefix ("no token: …", "API host discovery: …", a 429 refusal). */
      reason: string;
      url: string;
      target: ApiTarget | null;
      tokenMs: number | null;
      exchange: HttpExchange;
    }
  | {
      sent: true;
      url: string;
      target: ApiTarget;
      /** The final attempt. */
      attempt: ApiAttempt;
      /** 1, or 2 after a 401/403. */
      attempts: number;
      tokenMs: number;
      /** Said after the outcome when a retry happened ("(after 401 with the first token: …)"). */
      note: string;
      /** Set when the renewal after a 401/403 failed: the outcome is then the first attempt's. */
      renewalFailed: string | null;
      exchange: HttpExchange;
    };

/** Calls on one CXone environment for one identity; keeps the discovered API host. */
export class ApiSession {
  private discovered: ApiTarget | null = null;

  constructor(private readonly opts: ApiSessionOptions) {}

  /** The API target known so far: the override, the discovered host, or null before discovery. */
  get target(): ApiTarget | null {
    const o = this.opts;
    if (o.apiBase) return { apiBase: urls.trimBase(o.apiBase), source: 'override', apiVersion: o.apiVersion, pathStyle: o.pathStyle, discoveryUrl: null, tenantId: null };
    return this.discovered;
  }

  /**
   * The API target for a token: the override, or discovery (once, then kept).
   * @returns the target, or why discovery failed (with its exchange). Never throws.
   */
  async resolve(token: string, idToken?: string): Promise<{ ok: true; target: ApiTarget } | { ok: false; message: string; exchange: HttpExchange }> {
    const known = this.target;
    if (known) return { ok: true, target: known };
    const claims = readTenantClaims(token, idToken);
    const fail = (message: string): { ok: false; message: string; exchange: HttpExchange } => ({ ok: false, message, exchange: { request: { method: 'GET', url: '', headers: {} }, error: message } });
    if (!claims?.tenantId) return fail('API host discovery: the token carries no tenantId claim; give the API host by hand (e.g. https://api-na1.niceincontact.com)');
    const issuer = this.opts.issuer ?? claims.issuer;
    if (!issuer) return fail('API host discovery: the token has no iss claim and no issuer was given; give the issuer or the API host by hand');
    const d = await fetchCxoneConfiguration(issuer, claims.tenantId, { timeoutMs: this.opts.timeoutMs, caPem: this.opts.caPem });
    if (!d.ok) return d;
    const o = this.opts;
    this.discovered = { apiBase: d.config.apiEndpoint, source: 'discovered', apiVersion: o.apiVersion, pathStyle: o.pathStyle, discoveryUrl: d.url, tenantId: claims.tenantId };
    return { ok: true, target: this.discovered };
  }

  /**
   * Makes one authenticated call.
   *
   * @param build the URL from the API base, e.g. `(base) => urls.serverTimeUrl(base, …)`.
   * @param context the classification context for a URL.
   */
  async call(method: 'GET' | 'POST', build: (apiBase: string) => string, context: (url: string) => CallContext): Promise<ApiCallResult> {
    const o = this.opts;
    const pathOnly = build('');
    const bad = (o.apiBase ? urls.checkBaseUrl(o.apiBase, 'API base URL') : null) ?? urls.checkApiVersion(o.apiVersion);
    if (bad) return notSent(method, bad, this.target ? build(this.target.apiBase) : pathOnly, this.target, null);
    const secrets = [...o.secrets];
    const tok = await o.tokens.getToken();
    if (!tok.ok) return { sent: false, reason: `no token: ${tok.message}`, url: this.target ? build(this.target.apiBase) : pathOnly, target: this.target, tokenMs: null, exchange: tok.exchange };
    secrets.push(tok.token, ...(tok.idToken ? [tok.idToken] : []));
    const resolved = await this.resolve(tok.token, tok.idToken);
    if (!resolved.ok) return { sent: false, reason: resolved.message, url: pathOnly, target: null, tokenMs: tok.ms, exchange: resolved.exchange };
    const target = resolved.target;
    const url = build(target.apiBase);
    const host = urls.hostOf(url);
    const refusal = o.gate.check(host);
    if (refusal) return notSent(method, refusal.message.replace(/^not sent: /, ''), url, target, tok.ms);

    const ctx = context(url);
    let tokenMs = tok.ms;
    let attempt = await this.send(method, url, tok.token, ctx);
    let attempts = 1;
    let note = '';
    let renewalFailed: string | null = null;
    if (attempt.outcome.renewToken) {
      o.tokens.invalidate(tok.token);
      const renewed = await o.tokens.getToken({ forceRenew: true });
      if (!renewed.ok) renewalFailed = renewed.message;
      else {
        secrets.push(renewed.token, ...(renewed.idToken ? [renewed.idToken] : []));
        tokenMs += renewed.ms;
        note = ` (after ${attempt.outcome.status} with the first token: retried once with a new one)`;
        attempt = await this.send(method, url, renewed.token, ctx);
        attempts = 2;
      }
    }
    const { result } = attempt;
    if (result.kind === 'response' && result.status === 429) o.gate.note(host, retryAfterSeconds(result.headers['retry-after'], stampNow().wallMs));
    const exchange = toExchange(attempt.spec, result, secrets, result.kind === 'response' ? undefined : attempt.outcome.message);
    return { sent: true, url, target, attempt, attempts, tokenMs, note, renewalFailed, exchange };
  }

  private async send(method: 'GET' | 'POST', url: string, token: string, ctx: CallContext): Promise<ApiAttempt> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'Accept-Encoding': 'identity',
    };
    if (method === 'POST') headers['Content-Length'] = '0';
    const spec: HttpRequestSpec = { method, url, headers, timeoutMs: this.opts.timeoutMs, caPem: this.opts.caPem, ...(this.opts.keepAlive ? { keepAlive: true } : {}) };
    const result = await httpRequest(spec);
    return { spec, result, outcome: classifyOutcome(result, ctx, stampNow().wallMs) };
  }
}

function notSent(method: string, reason: string, url: string, target: ApiTarget | null, tokenMs: number | null): ApiCallResult {
  return { sent: false, reason, url, target, tokenMs, exchange: { request: { method, url, headers: {} }, error: reason } };
}
