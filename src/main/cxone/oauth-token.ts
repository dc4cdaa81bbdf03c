/**
 * Tokens by the OAuth password grant of a registered back-end app: OpenID discovery of the
 * issuer's `token_endpoint` and `token_endpoint_auth_methods_supported`, then `POST
 * {token_endpoint}` with the client authenticated by `client_secret_basic` (`Authorization: Basic
 * base64(form(client_id):form(client_secret))`) or `client_secret_post` (both in the form body),
 * and the form `grant_type=password&username=<access key id>&password=<access key secret>`, all
 * URL-encoded (access keys end in `====`, sent as `%3D`).
 *
 * @remarks cxone-reference.md §1b [RC-AUTH], [COG getToken], §6 (encoding pitfall; a token is valid
 * only in its issuer's environment, so the cache key holds the issuer); RFC 6749 §4.3 (password
 * grant), §2.3.1 (client password: form-urlencode id and secret before HTTP Basic, or send them in
 * the body); RFC 7617. PolyAI registers its app with `secret_basic` (seed 003_45ce4caa43f38103.txt).
 */
import type { HttpExchange } from '../../shared/types';
import { fetchOpenIdConfiguration } from './discovery';
import type { HttpRequestSpec } from './http';
import { CachingTokenProvider, requestToken, secretHash, type AccessKeyCredentials, type CachingTokenProviderOptions, type FetchedToken } from './token';
import { checkBaseUrl, openIdConfigurationUrl, trimBase } from './urls';

/** A registered app's credentials (from NICE's registration, §1b). */
export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
  /**
   * How the client authenticates at the token endpoint (RFC 6749 §2.3.1): `client_secret_basic`,
   * `client_secret_post`, or `auto` (the default): basic when the discovery document lists it (or lists
   * nothing: RFC 6749 §2.3.1 makes basic mandatory for servers), else post when listed.
   */
  authMethod?: OAuthClientAuthMethod;
}

/** Client authentication methods of the token endpoint (RFC 6749 §2.3.1; OpenID Connect Discovery names). */
export type OAuthClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'auto';

/**
 * The method to use: the setting, or for `auto` the discovery document's
 * `token_endpoint_auth_methods_supported` (basic preferred; basic when the list is empty).
 * @returns the method, or an error message when the setting is not among a non-empty supported list.
 */
export function chooseClientAuthMethod(setting: OAuthClientAuthMethod | undefined, supported: readonly string[]): { method: 'client_secret_basic' | 'client_secret_post' } | { error: string } {
  const known = supported.filter((m) => m === 'client_secret_basic' || m === 'client_secret_post');
  if (!setting || setting === 'auto') {
    if (supported.length === 0 || known.includes('client_secret_basic')) return { method: 'client_secret_basic' };
    if (known.includes('client_secret_post')) return { method: 'client_secret_post' };
    return { error: `the token endpoint supports neither client_secret_basic nor client_secret_post (it lists ${supported.join(', ')})` };
  }
  if (supported.length > 0 && !supported.includes(setting)) return { error: `the token endpoint does not list ${setting} (it lists ${supported.join(', ')})` };
  return { method: setting };
}

/** `application/x-www-form-urlencoded` encoding of one value (RFC 6749 §2.3.1, Appendix B): space → `+`, `+` → `%2B`, `:` → `%3A`… */
export function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** Options of {@link OAuthPasswordTokenProvider}. */
export interface OAuthPasswordTokenProviderOptions extends CachingTokenProviderOptions {
  /** The issuer, e.g. `https://cxone.niceincontact.com`, or the emulator's base URL. */
  issuer: string;
  client: OAuthClientCredentials;
  credentials: AccessKeyCredentials;
}

/**
 * The form body of the password grant: every value URL-encoded (`URLSearchParams`: `=` → `%3D`,
 * `+` → `%2B`, `/` → `%2F`, space → `+`).
 */
export function passwordGrantBody(credentials: AccessKeyCredentials): string {
  return new URLSearchParams({ grant_type: 'password', username: credentials.accessKeyId, password: credentials.accessKeySecret }).toString();
}

/**
 * The `Authorization: Basic` value of a registered app by RFC 6749 §2.3.1: the client id and secret
 * are each form-urlencoded first, then `base64(id:secret)` (RFC 7617). A secret with `+`, `/`, `=` or
 * `:` thus reaches a server that form-decodes them intact. (Cognigy's and RingCentral's examples skip
 * the form-encoding [COG], [RC-AUTH]; for ids and secrets of letters and digits the two agree.)
 */
export function basicAuthorization(client: Pick<OAuthClientCredentials, 'clientId' | 'clientSecret'>): string {
  return `Basic ${Buffer.from(`${formEncode(client.clientId)}:${formEncode(client.clientSecret)}`, 'utf8').toString('base64')}`;
}

/**
 * OAuth password-grant tokens (§1b), cached per (issuer, client id, access key id, hash of both
 * secrets). The token endpoint is discovered once per provider and kept.
 */
export class OAuthPasswordTokenProvider extends CachingTokenProvider {
  /** The issuer, without a trailing slash. */
  readonly issuer: string;
  private readonly client: OAuthClientCredentials;
  private readonly creds: AccessKeyCredentials;
  private tokenEndpoint: string | null = null;
  private authMethods: string[] = [];
  /** The client authentication method used by the last token request; null before one. */
  usedAuthMethod: 'client_secret_basic' | 'client_secret_post' | null = null;

  constructor(opts: OAuthPasswordTokenProviderOptions) {
    const issuer = trimBase(opts.issuer);
    const hash = secretHash(opts.client.clientSecret, opts.credentials.accessKeySecret);
    super(`oauth-password\n${issuer.toLowerCase()}\n${opts.client.clientId}\n${opts.credentials.accessKeyId}\n${hash}`, opts);
    this.issuer = issuer;
    this.client = { ...opts.client };
    this.creds = { ...opts.credentials };
  }

  /** The discovered token endpoint, or the discovery URL until it is known. */
  get tokenUrl(): string {
    return this.tokenEndpoint ?? openIdConfigurationUrl(this.issuer);
  }

  protected async fetchToken(): Promise<FetchedToken> {
    const fail = (message: string, url: string): FetchedToken => ({ ok: false, message, exchange: { request: { method: 'POST', url, headers: {} }, error: message } as HttpExchange });
    const bad =
      checkBaseUrl(this.issuer, 'issuer') ??
      (!this.client.clientId || !this.client.clientSecret ? 'client id and client secret of the registered app are both required' : null) ??
      (!this.creds.accessKeyId.trim() || !this.creds.accessKeySecret ? 'access key id and secret are both required' : null);
    if (bad) return fail(bad, this.tokenUrl);
    let discoveryMs = 0;
    if (!this.tokenEndpoint) {
      const d = await fetchOpenIdConfiguration(this.issuer, { timeoutMs: this.timeoutMs, caPem: this.caPem });
      if (!d.ok) return { ok: false, message: d.message, exchange: d.exchange };
      this.tokenEndpoint = d.config.tokenEndpoint;
      this.authMethods = d.config.authMethods;
      discoveryMs = d.timings.totalMs;
    }
    const url = this.tokenEndpoint;
    const chosen = chooseClientAuthMethod(this.client.authMethod, this.authMethods);
    if ('error' in chosen) return fail(`OAuth client authentication at ${url}: ${chosen.error}`, url);
    this.usedAuthMethod = chosen.method;
    const basic = chosen.method === 'client_secret_basic';
    const body = basic ? passwordGrantBody(this.creds) : `${passwordGrantBody(this.creds)}&${new URLSearchParams({ client_id: this.client.clientId, client_secret: this.client.clientSecret }).toString()}`;
    const spec: HttpRequestSpec = {
      method: 'POST',
      url,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(basic ? { Authorization: basicAuthorization(this.client) } : {}),
        Accept: 'application/json',
        'Accept-Encoding': 'identity',
      },
      body,
      timeoutMs: this.timeoutMs,
      caPem: this.caPem,
    };
    // The body holds both secrets form-encoded; scrub them in that form too.
    const secrets = [this.creds.accessKeySecret, this.client.clientSecret];
    const r = await requestToken(spec, url, [...secrets, ...secrets.map(formEncode)]);
    if (!r.ok) return { ...r, message: `OAuth password grant at ${url}: ${oauthFailure(r.exchange.response?.status ?? null, r.exchange.response?.body ?? '', r.message)}` };
    return { ...r, ms: r.ms + discoveryMs };
  }
}

/**
 * The message of a refused password grant: RFC 6749 §5.2 puts a wrong app under 401
 * `invalid_client` and a wrong access key under 400 `invalid_grant`.
 */
function oauthFailure(status: number | null, body: string, fallback: string): string {
  let error = '';
  try {
    const e = (JSON.parse(body) as Record<string, unknown>)['error'];
    if (typeof e === 'string') error = e;
  } catch {
    // not JSON
  }
  if (status === 401 || error === 'invalid_client') {
    return `registered app refused (${status ?? '-'} ${error || 'invalid_client'}): check the client id and secret, and that the app is registered for this issuer (environment)`;
  }
  if (error === 'invalid_grant') {
    const detail = bodyDetail(body);
    return `access key refused (${status ?? '-'} invalid_grant): check the access key id and secret (sent URL-encoded; they end in '====')${detail ? `: ${detail}` : ''}`;
  }
  return fallback;
}

function bodyDetail(body: string): string {
  try {
    const d = (JSON.parse(body) as Record<string, unknown>)['error_description'];
    return typeof d === 'string' ? d : '';
  } catch {
    return '';
  }
}
