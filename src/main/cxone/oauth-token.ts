/**
 * Tokens by the OAuth password grant of a registered back-end app: OpenID discovery of the
 * issuer's `token_endpoint`, then `POST {token_endpoint}` with `Authorization: Basic
 * base64(client_id:client_secret)` and the form `grant_type=password&username=<access key id>&
 * password=<access key secret>`, both URL-encoded (access keys end in `====`, sent as `%3D`).
 *
 * @remarks cxone-reference.md §1b [RC-AUTH], [COG getToken], §6 (encoding pitfall; a token is valid
 * only in its issuer's environment, so the cache key holds the issuer); RFC 6749 §4.3 (password
 * grant), §2.3.1 (client password by HTTP Basic); RFC 7617.
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
 * The `Authorization: Basic` value of a registered app: `base64(client_id:client_secret)` as Cognigy
 * and RingCentral's examples send it (no form-encoding of the parts first) [COG], [RC-AUTH].
 */
export function basicAuthorization(client: OAuthClientCredentials): string {
  return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`, 'utf8').toString('base64')}`;
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
      discoveryMs = d.timings.totalMs;
    }
    const url = this.tokenEndpoint;
    const spec: HttpRequestSpec = {
      method: 'POST',
      url,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: basicAuthorization(this.client),
        Accept: 'application/json',
        'Accept-Encoding': 'identity',
      },
      body: passwordGrantBody(this.creds),
      timeoutMs: this.timeoutMs,
      caPem: this.caPem,
    };
    const r = await requestToken(spec, url, [this.creds.accessKeySecret, this.client.clientSecret]);
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
