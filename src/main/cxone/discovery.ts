/**
 * CXone discovery documents: OpenID discovery of an issuer's `token_endpoint` (for the OAuth
 * password grant), and CXone discovery of a tenant's `api_endpoint` (the API host every call goes to).
 *
 * @remarks cxone-reference.md §1b step 1 (`{issuer}/.well-known/openid-configuration` →
 * `token_endpoint`), §1c (`{issuer}/.well-known/cxone-configuration?tenantId=` → `api_endpoint`;
 * "always use the discovered api_endpoint rather than building the host yourself"), [RC-AUTH], [COG].
 */
import type { HttpExchange } from '../../shared/types';
import { httpRequest, toExchange, type HttpRequestSpec, type HttpTimings } from './http';
import { classifyOutcome } from './signal-outcome';
import { checkBaseUrl, cxoneConfigurationUrl, openIdConfigurationUrl } from './urls';

/** Options of a discovery request. */
export interface DiscoveryOptions {
  /** Limit for the request (ms). */
  timeoutMs: number;
  /** Extra trusted CA (PEM) for an https issuer (e.g. the emulator's certificate). */
  caPem?: string;
}

/** A discovery answer, or why there is none (with the exchange; discovery documents hold no secret). */
export type DiscoveryResult<T> = ({ ok: true; url: string; timings: HttpTimings } & T) | { ok: false; message: string; exchange: HttpExchange };

/** What the client reads from an OpenID configuration. */
export interface OpenIdConfiguration {
  issuer: string | null;
  /** e.g. `https://cxone.niceincontact.com/auth/token`. */
  tokenEndpoint: string;
  /** e.g. `['client_secret_basic', 'client_secret_post']`. */
  authMethods: string[];
}

/** What the client reads from a CXone configuration. */
export interface CxoneConfiguration {
  /** e.g. `https://api-na1.niceincontact.com`. */
  apiEndpoint: string;
  /** e.g. `na1`; null when absent. */
  area: string | null;
  /** e.g. `B32`; null when absent. */
  cluster: string | null;
}

async function getJson(url: string, what: string, opts: DiscoveryOptions): Promise<DiscoveryResult<{ json: Record<string, unknown> }>> {
  const spec: HttpRequestSpec = { method: 'GET', url, headers: { Accept: 'application/json', 'Accept-Encoding': 'identity' }, timeoutMs: opts.timeoutMs, caPem: opts.caPem };
  const result = await httpRequest(spec);
  const outcome = classifyOutcome(result, { kind: 'api', url, what });
  const exchange = toExchange(spec, result, [], result.kind === 'response' ? undefined : outcome.message);
  if (!outcome.ok || result.kind !== 'response') return { ok: false, message: `${what}: ${outcome.message}`, exchange };
  try {
    const json = JSON.parse(result.body) as unknown;
    if (json && typeof json === 'object' && !Array.isArray(json)) return { ok: true, url, timings: result.timings, json: json as Record<string, unknown> };
  } catch {
    // fall through
  }
  return { ok: false, message: `${what}: the answer at ${url} is not a JSON object (${result.status})`, exchange };
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/**
 * OpenID discovery: `GET {issuer}/.well-known/openid-configuration`, reading `token_endpoint`.
 *
 * @returns the configuration, or a message naming the issuer and the known ones. Never throws.
 */
export async function fetchOpenIdConfiguration(issuer: string, opts: DiscoveryOptions): Promise<DiscoveryResult<{ config: OpenIdConfiguration }>> {
  const url = openIdConfigurationUrl(issuer);
  const bad = checkBaseUrl(issuer, 'issuer');
  if (bad) return { ok: false, message: bad, exchange: { request: { method: 'GET', url, headers: {} }, error: bad } };
  const hint = ' (issuers: Global https://cxone.niceincontact.com, FedRAMP https://cxone-gov.niceincontact.com, AU https://nicecxone-sov1.au, EU https://nicecxone-sov1.eu)';
  const r = await getJson(url, 'OpenID discovery', opts);
  if (!r.ok) return { ...r, message: r.message + hint };
  const tokenEndpoint = str(r.json['token_endpoint']);
  if (!tokenEndpoint || checkBaseUrl(tokenEndpoint, 'token_endpoint')) {
    return { ok: false, message: `OpenID discovery: no usable token_endpoint at ${url}${hint}`, exchange: { request: { method: 'GET', url, headers: {} }, error: 'no token_endpoint' } };
  }
  const methods = Array.isArray(r.json['token_endpoint_auth_methods_supported']) ? (r.json['token_endpoint_auth_methods_supported'] as unknown[]).filter((m): m is string => typeof m === 'string') : [];
  return { ok: true, url, timings: r.timings, config: { issuer: str(r.json['issuer']), tokenEndpoint, authMethods: methods } };
}

/**
 * CXone discovery: `GET {issuer}/.well-known/cxone-configuration?tenantId=…`, reading `api_endpoint`
 * (and `area`, `cluster` for messages).
 *
 * @param tenantId the `tenantId` claim of the token.
 * @returns the API host, or a message that says to give the API host by hand. Never throws.
 */
export async function fetchCxoneConfiguration(issuer: string, tenantId: string, opts: DiscoveryOptions): Promise<DiscoveryResult<{ config: CxoneConfiguration }>> {
  const url = cxoneConfigurationUrl(issuer, tenantId);
  const bad = checkBaseUrl(issuer, 'issuer');
  const hint = '; or give the API host by hand (e.g. https://api-na1.niceincontact.com)';
  if (bad) return { ok: false, message: bad + hint, exchange: { request: { method: 'GET', url, headers: {} }, error: bad } };
  const r = await getJson(url, 'API host discovery', opts);
  if (!r.ok) return { ...r, message: r.message + hint };
  const apiEndpoint = str(r.json['api_endpoint']);
  const badEndpoint = apiEndpoint ? checkBaseUrl(apiEndpoint, 'api_endpoint') : 'no api_endpoint';
  if (!apiEndpoint || badEndpoint) {
    return { ok: false, message: `API host discovery: ${badEndpoint} in the answer of ${url}${hint}`, exchange: { request: { method: 'GET', url, headers: {} }, error: String(badEndpoint) } };
  }
  return { ok: true, url, timings: r.timings, config: { apiEndpoint: apiEndpoint.replace(/\/+$/, ''), area: str(r.json['area']), cluster: str(r.json['cluster']) } };
}
