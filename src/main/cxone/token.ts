/**
 * Bearer tokens for the CXone API: the {@link TokenProvider} interface (access key now; the OAuth
 * password grant can implement the same interface later), a {@link TokenCache} shared between
 * clients, and the access-key provider.
 *
 * @remarks cxone-reference.md §1a: `POST {area}/authentication/v1/token/access-key` with JSON
 * `{"accessKeyId","accessKeySecret"}`, read `access_token` and `expires_in` (about one hour);
 * §6: cache for less than the lifetime and refresh once on 401/403.
 */
import { createHash } from 'node:crypto';
import { monoNow } from '../clock';
import type { HttpExchange } from '../../shared/types';
import { httpRequest, toExchange, type HttpRequestSpec } from './http';
import { classifyOutcome, parseTokenBody } from './signal-outcome';
import { accessKeyTokenUrl, checkBaseUrl, trimBase } from './urls';

/** A bearer token, or why there is none (with the redacted token exchange). */
export type TokenResult =
  | {
      ok: true;
      token: string;
      /** Time spent obtaining it (ms): the token request's total time; 0 when it came from the cache. */
      ms: number;
      cached: boolean;
    }
  | { ok: false; message: string; exchange: HttpExchange };

/** Something that hands out bearer tokens for one identity on one environment. */
export interface TokenProvider {
  /** Returns a token that is valid for at least the renewal margin; `forceRenew` skips the cache. Never throws. */
  getToken(opts?: { forceRenew?: boolean }): Promise<TokenResult>;
  /** Drops the cached token if it is still `token` (after the API refused it with 401/403). */
  invalidate(token: string): void;
}

/** An access key: its id (not secret) and secret (shown once by CXone, kept in the OS keychain). */
export interface AccessKeyCredentials {
  accessKeyId: string;
  accessKeySecret: string;
}

/** A cached token with its monotonic expiry. */
export interface CachedToken {
  token: string;
  obtainedMonoMs: number;
  expiresAtMonoMs: number;
}

/** Lifetime used when the token response has no `expires_in` (s), per NICE's "about one hour" (§1a). */
export const DEFAULT_TOKEN_LIFETIME_S = 3600;

/**
 * How long before expiry a token is renewed: 60 s, or 10 % of its lifetime when that is shorter
 * (so a 2 s emulator token is kept for 1.8 s, a 3600 s token for 3540 s).
 */
export function renewalMarginMs(lifetimeMs: number): number {
  return Math.min(60_000, lifetimeMs * 0.1);
}

/**
 * Tokens by cache key, plus the requests in flight so that concurrent callers share one token
 * request. Times are monotonic (ms).
 */
export class TokenCache {
  private readonly entries = new Map<string, CachedToken>();
  /** In-flight token requests by key. */
  readonly inflight = new Map<string, Promise<TokenResult>>();

  /** The entry for `key` if it is outside its renewal margin at `nowMonoMs`. */
  fresh(key: string, nowMonoMs: number): CachedToken | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const margin = renewalMarginMs(e.expiresAtMonoMs - e.obtainedMonoMs);
    return nowMonoMs < e.expiresAtMonoMs - margin ? e : undefined;
  }

  set(key: string, entry: CachedToken): void {
    this.entries.set(key, entry);
  }

  /** Drops the entry for `key`; when `token` is given, only if the entry still holds that token. */
  delete(key: string, token?: string): void {
    const e = this.entries.get(key);
    if (e && (token === undefined || e.token === token)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The process-wide cache used when a provider is given none. */
export const defaultTokenCache = new TokenCache();

/** Options of {@link AccessKeyTokenProvider}. */
export interface AccessKeyTokenProviderOptions {
  /** e.g. `https://na1.nice-incontact.com`, or the emulator's base URL. */
  authBase: string;
  credentials: AccessKeyCredentials;
  /** Limit for the token request (ms); default 10000. */
  timeoutMs?: number;
  cache?: TokenCache;
  /** The monotonic clock (ms) that token lifetimes are measured with; default `monoNow`. */
  clock?: () => number;
}

/**
 * Access-key tokens (§1a), cached per (auth base, access key id, hash of the secret): the hash keeps a
 * wrong secret from being served a token issued to the right one, and the secret itself is never a key.
 */
export class AccessKeyTokenProvider implements TokenProvider {
  private readonly authBase: string;
  private readonly creds: AccessKeyCredentials;
  private readonly timeoutMs: number;
  private readonly cache: TokenCache;
  private readonly key: string;
  private readonly clock: () => number;

  constructor(opts: AccessKeyTokenProviderOptions) {
    this.clock = opts.clock ?? monoNow;
    this.authBase = trimBase(opts.authBase);
    this.creds = { ...opts.credentials };
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.cache = opts.cache ?? defaultTokenCache;
    const secretHash = createHash('sha256').update(this.creds.accessKeySecret).digest('hex').slice(0, 16);
    this.key = `access-key\n${this.authBase.toLowerCase()}\n${this.creds.accessKeyId}\n${secretHash}`;
  }

  /** URL of the token endpoint used. */
  get tokenUrl(): string {
    return accessKeyTokenUrl(this.authBase);
  }

  getToken(opts: { forceRenew?: boolean } = {}): Promise<TokenResult> {
    if (!opts.forceRenew) {
      const hit = this.cache.fresh(this.key, this.clock());
      if (hit) return Promise.resolve({ ok: true, token: hit.token, ms: 0, cached: true });
    }
    const pending = this.cache.inflight.get(this.key);
    if (pending) return pending;
    const p = this.fetchToken().finally(() => this.cache.inflight.delete(this.key));
    this.cache.inflight.set(this.key, p);
    return p;
  }

  invalidate(token: string): void {
    this.cache.delete(this.key, token);
  }

  private async fetchToken(): Promise<TokenResult> {
    const url = this.tokenUrl;
    const bad =
      checkBaseUrl(this.authBase, 'auth base URL') ??
      (!this.creds.accessKeyId.trim() || !this.creds.accessKeySecret ? 'access key id and secret are both required' : null);
    const spec: HttpRequestSpec = {
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Encoding': 'identity' },
      body: JSON.stringify({ accessKeyId: this.creds.accessKeyId, accessKeySecret: this.creds.accessKeySecret }),
      timeoutMs: this.timeoutMs,
    };
    const secrets = [this.creds.accessKeySecret];
    if (bad) {
      return { ok: false, message: bad, exchange: { request: { method: 'POST', url, headers: {} }, error: bad } };
    }
    const result = await httpRequest(spec);
    const outcome = classifyOutcome(result, { kind: 'token', url });
    const parsed = result.kind === 'response' && outcome.ok ? parseTokenBody(result.body) : null;
    if (parsed) secrets.push(parsed.accessToken);
    if (!outcome.ok || !parsed || result.kind !== 'response') {
      return { ok: false, message: outcome.message, exchange: toExchange(spec, result, secrets, result.kind === 'response' ? undefined : outcome.message) };
    }
    const lifetimeMs = (parsed.expiresInS ?? DEFAULT_TOKEN_LIFETIME_S) * 1000;
    // The lifetime counts from when the response arrived: later than the server issued it, so the
    // renewal margin also covers that latency.
    const obtained = this.clock();
    this.cache.set(this.key, { token: parsed.accessToken, obtainedMonoMs: obtained, expiresAtMonoMs: obtained + lifetimeMs });
    return { ok: true, token: parsed.accessToken, ms: result.timings.totalMs, cached: false };
  }
}
