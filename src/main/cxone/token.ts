/**
 * Bearer tokens for the CXone API: the {@link TokenProvider} interface, a {@link TokenCache} shared
 * between clients, the {@link CachingTokenProvider} base (renewal before expiry, one request for
 * concurrent callers) and the access-key provider. The OAuth password grant is in oauth-token.ts.
 *
 * @remarks cxone-reference.md §1a: `POST {area}/authentication/v1/token/access-key` with JSON
 * `{"accessKeyId","accessKeySecret"}`, read `access_token` and `expires_in` (about one hour);
 * §6: cache for less than the lifetime and refresh once on 401/403.
 */
import { createHash } from 'node:crypto';
import { monoNow } from '../clock';
import type { HttpExchange } from '../../shared/types';
import { httpRequest, toExchange, type HttpRequestSpec, type HttpTimings } from './http';
import { classifyOutcome, parseTokenBody } from './signal-outcome';
import { accessKeyTokenUrl, checkBaseUrl, trimBase } from './urls';

/** A bearer token, or why there is none (with the redacted token exchange). */
export type TokenResult =
  | {
      ok: true;
      token: string;
      /** The `id_token` that came with it, when the endpoint sent one (read for the tenant id). */
      idToken?: string;
      /** Time spent obtaining it (ms): the token request's total time; 0 when it came from the cache. */
      ms: number;
      cached: boolean;
      /** Per-phase timings of the token request; absent when it came from the cache. */
      timings?: HttpTimings;
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
  idToken?: string;
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

/** What a concrete provider's token request gives back. */
export type FetchedToken =
  | { ok: true; accessToken: string; idToken?: string; expiresInS: number | null; ms: number; timings: HttpTimings }
  | { ok: false; message: string; exchange: HttpExchange };

/** Options every caching provider takes. */
export interface CachingTokenProviderOptions {
  /** Limit for each token request (ms); default 10000. */
  timeoutMs?: number;
  cache?: TokenCache;
  /** The monotonic clock (ms) that token lifetimes are measured with; default `monoNow`. */
  clock?: () => number;
  /** Extra trusted CA (PEM) for https token hosts (e.g. the emulator's certificate). */
  caPem?: string;
}

/**
 * A provider that caches its tokens in a {@link TokenCache} under one key, renews them before
 * expiry ({@link renewalMarginMs}), and shares one request among concurrent callers. Subclasses say
 * how a token is requested.
 */
export abstract class CachingTokenProvider implements TokenProvider {
  protected readonly timeoutMs: number;
  protected readonly caPem: string | undefined;
  private readonly cache: TokenCache;
  private readonly clock: () => number;

  protected constructor(
    private readonly key: string,
    opts: CachingTokenProviderOptions,
  ) {
    this.clock = opts.clock ?? monoNow;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.cache = opts.cache ?? defaultTokenCache;
    this.caPem = opts.caPem;
  }

  /** URL of the token endpoint used (known after discovery for OAuth). */
  abstract get tokenUrl(): string;

  /** Requests a new token. Never throws. */
  protected abstract fetchToken(): Promise<FetchedToken>;

  getToken(opts: { forceRenew?: boolean } = {}): Promise<TokenResult> {
    if (!opts.forceRenew) {
      const hit = this.cache.fresh(this.key, this.clock());
      if (hit) return Promise.resolve({ ok: true, token: hit.token, idToken: hit.idToken, ms: 0, cached: true });
    }
    const pending = this.cache.inflight.get(this.key);
    if (pending) return pending;
    const p = this.fetchAndCache().finally(() => this.cache.inflight.delete(this.key));
    this.cache.inflight.set(this.key, p);
    return p;
  }

  invalidate(token: string): void {
    this.cache.delete(this.key, token);
  }

  private async fetchAndCache(): Promise<TokenResult> {
    const r = await this.fetchToken();
    if (!r.ok) return r;
    const lifetimeMs = (r.expiresInS ?? DEFAULT_TOKEN_LIFETIME_S) * 1000;
    // The lifetime counts from when the response arrived: later than the server issued it, so the
    // renewal margin also covers that latency.
    const obtained = this.clock();
    this.cache.set(this.key, { token: r.accessToken, idToken: r.idToken, obtainedMonoMs: obtained, expiresAtMonoMs: obtained + lifetimeMs });
    return { ok: true, token: r.accessToken, idToken: r.idToken, ms: r.ms, cached: false, timings: r.timings };
  }
}

/** Options of {@link AccessKeyTokenProvider}. */
export interface AccessKeyTokenProviderOptions extends CachingTokenProviderOptions {
  /** e.g. `https://na1.nice-incontact.com`, or the emulator's base URL. */
  authBase: string;
  credentials: AccessKeyCredentials;
  /** Why there is no usable token host (e.g. a cluster-form API host without a region): every token request fails with it, nothing is sent. */
  problem?: string;
}

/** A short hash of secrets, so that a cache key tells identities apart without holding a secret. */
export function secretHash(...secrets: string[]): string {
  return createHash('sha256').update(secrets.join('\n')).digest('hex').slice(0, 16);
}

/**
 * Access-key tokens (§1a), cached per (auth base, access key id, hash of the secret): the hash keeps a
 * wrong secret from being served a token issued to the right one, and the secret itself is never a key.
 */
export class AccessKeyTokenProvider extends CachingTokenProvider {
  private readonly authBase: string;
  private readonly creds: AccessKeyCredentials;
  private readonly problem: string | null;

  constructor(opts: AccessKeyTokenProviderOptions) {
    const authBase = trimBase(opts.authBase);
    super(`access-key\n${authBase.toLowerCase()}\n${opts.credentials.accessKeyId}\n${secretHash(opts.credentials.accessKeySecret)}`, opts);
    this.authBase = authBase;
    this.creds = { ...opts.credentials };
    this.problem = opts.problem ?? null;
  }

  /** URL of the token endpoint used. */
  get tokenUrl(): string {
    return accessKeyTokenUrl(this.authBase);
  }

  protected async fetchToken(): Promise<FetchedToken> {
    const url = this.tokenUrl;
    const bad =
      this.problem ??
      checkBaseUrl(this.authBase, 'auth base URL') ??
      (!this.creds.accessKeyId.trim() || !this.creds.accessKeySecret ? 'access key id and secret are both required' : null);
    if (bad) return { ok: false, message: bad, exchange: { request: { method: 'POST', url, headers: {} }, error: bad } };
    const spec: HttpRequestSpec = {
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Encoding': 'identity' },
      body: JSON.stringify({ accessKeyId: this.creds.accessKeyId, accessKeySecret: this.creds.accessKeySecret }),
      timeoutMs: this.timeoutMs,
      caPem: this.caPem,
    };
    return requestToken(spec, url, [this.creds.accessKeySecret]);
  }
}

/**
 * Sends a token request and reads `access_token`, `id_token` and `expires_in` from a 2xx JSON answer.
 *
 * @param secrets values scrubbed from the returned exchange (the tokens received are added).
 * @returns the token, or the classified failure with its redacted exchange. Never throws.
 */
export async function requestToken(spec: HttpRequestSpec, url: string, secrets: string[]): Promise<FetchedToken> {
  const result = await httpRequest(spec);
  const outcome = classifyOutcome(result, { kind: 'token', url });
  const parsed = result.kind === 'response' && outcome.ok ? parseTokenBody(result.body) : null;
  const all = [...secrets];
  if (parsed) all.push(parsed.accessToken, ...(parsed.idToken ? [parsed.idToken] : []));
  if (!outcome.ok || !parsed || result.kind !== 'response') {
    return { ok: false, message: outcome.message, exchange: toExchange(spec, result, all, result.kind === 'response' ? undefined : outcome.message) };
  }
  return { ok: true, accessToken: parsed.accessToken, idToken: parsed.idToken, expiresInS: parsed.expiresInS, ms: result.timings.totalMs, timings: result.timings };
}
