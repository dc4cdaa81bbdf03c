/**
 * Builds the URLs of the CXone APIs this app calls: the access-key token endpoint on the auth host,
 * and `{api_endpoint}/{incontactapi|inContactAPI}/services/vNN.0/...` on the API host.
 *
 * Pure functions, no I/O. They never put a secret in a URL: tokens travel in the Authorization
 * header, access keys in the token request's body.
 *
 * @remarks cxone-reference.md §1a (token URL), §1c (API path, both spellings), §2 (Signal a Contact,
 * p1..p9 as query parameters), §3 (`/contacts/active`, `/server-time`).
 */
import { SIGNAL_PARAM_NAMES, type SignalParamName, type SignalParams } from '../../shared/types';

/** Spelling of the API path prefix: NICE's examples use `/incontactapi/`, Cognigy `/inContactAPI/` (§1c). */
export type ApiPathStyle = 'incontactapi' | 'inContactAPI';

/** An API version as it appears in the path, e.g. `v28.0`. */
export const API_VERSION_PATTERN = /^v\d{1,3}\.\d{1,3}$/;

/**
 * Checks that a base URL is an absolute http(s) URL without query or fragment.
 *
 * @returns null when usable, else a message a user can act on.
 */
export function checkBaseUrl(base: string, what: string): string | null {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    return `${what} "${base}" is not a URL (expected e.g. https://api-na1.niceincontact.com)`;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `${what} must start with https:// (got ${u.protocol})`;
  if (u.search || u.hash) return `${what} must not carry a query or fragment`;
  if (u.username || u.password) return `${what} must not carry user info`;
  return null;
}

/**
 * Checks an API version string such as `v28.0`.
 *
 * @returns null when it looks right, else a message ("API version must look like v28.0").
 */
export function checkApiVersion(apiVersion: string): string | null {
  return API_VERSION_PATTERN.test(apiVersion) ? null : `API version must look like v28.0 (got "${apiVersion}")`;
}

/** Strips trailing slashes so that `base + '/path'` never doubles one. */
export function trimBase(base: string): string {
  return base.replace(/\/+$/, '');
}

/**
 * URL of the access-key token endpoint: `{authBase}/authentication/v1/token/access-key` (§1a).
 *
 * @param authBase e.g. `https://na1.nice-incontact.com`, or the emulator's base URL.
 */
export function accessKeyTokenUrl(authBase: string): string {
  return `${trimBase(authBase)}/authentication/v1/token/access-key`;
}

/**
 * Prefix of every API call: `{apiBase}/{incontactapi|inContactAPI}/services/{apiVersion}` (§1c).
 *
 * @param apiBase the discovered `api_endpoint`, e.g. `https://api-na1.niceincontact.com`.
 */
export function apiPrefix(apiBase: string, pathStyle: ApiPathStyle, apiVersion: string): string {
  return `${trimBase(apiBase)}/${pathStyle}/services/${apiVersion}`;
}

/**
 * Rejects Signal parameters the API does not have: only p1..p9, string values (§2: "No source
 * mentions p10 or higher").
 *
 * @returns null when all keys are p1..p9 with string values, else a message naming the bad keys.
 */
export function signalQueryProblem(params: unknown): string | null {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return 'signal parameters must be an object of p1..p9';
  const names = SIGNAL_PARAM_NAMES as readonly string[];
  const unknown = Object.keys(params).filter((k) => !names.includes(k));
  if (unknown.length > 0) {
    return `signal parameters must be p1..p9 only; not allowed: ${unknown.map((k) => JSON.stringify(k)).join(', ')}`;
  }
  const bad = Object.entries(params as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'string')
    .map(([k]) => k);
  if (bad.length > 0) return `signal parameter values must be strings: ${bad.join(', ')}`;
  return null;
}

/**
 * The query string of a Signal: `p1=…&p2=…` in p1..p9 order, only the parameters given (undefined
 * ones are left out, empty strings are sent as `pN=`), each value percent-encoded as UTF-8 with
 * `encodeURIComponent` (a space is `%20`, `&` is `%26`, `=` is `%3D`). Keys outside p1..p9 are ignored
 * here; {@link signalQueryProblem} reports them.
 *
 * @returns the query without the leading `?`; empty when no parameter is given.
 */
export function signalQuery(params: SignalParams): string {
  const parts: string[] = [];
  for (const name of SIGNAL_PARAM_NAMES) {
    const v = (params as Partial<Record<SignalParamName, unknown>>)[name];
    if (typeof v === 'string') parts.push(`${name}=${encodeURIComponent(v)}`);
  }
  return parts.join('&');
}

/**
 * URL of Signal a Contact: `POST {prefix}/interactions/{contactId}/signal?p1=…&p9=…` (§2, operation
 * SignalAContact). The contact id is path-encoded (`encodeURIComponent`), so an id with `/` or `?`
 * cannot change the path.
 */
export function signalUrl(
  apiBase: string,
  pathStyle: ApiPathStyle,
  apiVersion: string,
  contactId: string,
  params: SignalParams,
): string {
  const q = signalQuery(params);
  const path = `${apiPrefix(apiBase, pathStyle, apiVersion)}/interactions/${encodeURIComponent(contactId)}/signal`;
  return q ? `${path}?${q}` : path;
}

/**
 * URL of the real-time active contacts list: `GET {prefix}/contacts/active[?toAddr=…]` (§3).
 *
 * @param toAddr optional filter: the number the contact was placed to (e.g. the pseudo number).
 */
export function activeContactsUrl(apiBase: string, pathStyle: ApiPathStyle, apiVersion: string, toAddr?: string): string {
  const path = `${apiPrefix(apiBase, pathStyle, apiVersion)}/contacts/active`;
  return toAddr ? `${path}?toAddr=${encodeURIComponent(toAddr)}` : path;
}

/** URL of the server-time smoke test: `GET {prefix}/server-time` → `{"ServerTime": "…"}` (§1c). */
export function serverTimeUrl(apiBase: string, pathStyle: ApiPathStyle, apiVersion: string): string {
  return `${apiPrefix(apiBase, pathStyle, apiVersion)}/server-time`;
}

/** `host[:port]` of a URL for messages ("cannot reach api-na1.niceincontact.com"); the input when unparsable. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The area (region) names NICE lists for its hosts (cxone-reference.md §1a [NICE-UH], [NICE-DX]); others are accepted if they look like one. */
export const CXONE_AREAS = ['na1', 'au1', 'eu1'] as const;

/** An area name: two letters and a number (`na1`, `au1`, `eu1`, …). Assumed here from the names NICE lists. */
export const AREA_PATTERN = /^[a-z]{2}\d{1,2}$/;

/** What an API host says about where the tenant is. */
export type CxoneApiHost =
  | { form: 'area'; area: string }
  | { form: 'cluster'; cluster: string }
  | { form: 'other' };

/**
 * Reads a CXone API host: `api-{area}.niceincontact.com` (the discovered `api_endpoint` form,
 * [RC-AUTH]) or `api-{area}.nice-incontact.com` is the area form; `api-{cluster}.nice-incontact.com`
 * (Kore's form, e.g. `api-b32`, seed 000_d4ad4dad8823db79.txt) is the cluster form; anything else
 * (the emulator, a proxy) is `other`. A label is an area when it matches {@link AREA_PATTERN}
 * (assumed here: NICE publishes no list of cluster names).
 */
export function parseCxoneApiHost(apiBase: string): CxoneApiHost {
  let host: string;
  try {
    host = new URL(apiBase.trim()).hostname.toLowerCase();
  } catch {
    return { form: 'other' };
  }
  const m = /^api-([a-z0-9]+)\.(niceincontact|nice-incontact)\.com$/.exec(host);
  if (!m) return { form: 'other' };
  const label = m[1]!;
  if (AREA_PATTERN.test(label)) return { form: 'area', area: label };
  return m[2] === 'nice-incontact' ? { form: 'cluster', cluster: label } : { form: 'other' };
}

/** The access-key token host of an area: `https://{area}.nice-incontact.com` (§1a). */
export function regionAuthBase(area: string): string {
  return `https://${area.trim().toLowerCase()}.nice-incontact.com`;
}

/**
 * The access-key token host for an API host when the user gives only the API base (§1a, §1c):
 * - `api-{area}.niceincontact.com` / `.nice-incontact.com` → `https://{area}.nice-incontact.com`;
 * - `api-{cluster}.nice-incontact.com` (Kore's form) → the region's host when `region` is given,
 *   else an error: a cluster name does not say the region;
 * - anything else (the emulator, a proxy) → the API base itself.
 * @returns `{ authBase }` or `{ error }` (a message that asks for `--cxone-region` or discovery).
 */
export function deriveAuthBase(apiBase: string, region?: string): { authBase: string } | { error: string } {
  if (region) return { authBase: regionAuthBase(region) };
  const h = parseCxoneApiHost(apiBase);
  if (h.form === 'area') return { authBase: regionAuthBase(h.area) };
  if (h.form === 'cluster') {
    return {
      error:
        `the access-key token host cannot be derived from ${hostOf(apiBase)}: "${h.cluster}" is a cluster name (Kore's api-{cluster} form), ` +
        `not a region; give the region (--cxone-region ${CXONE_AREAS.join('|')}|…, token at https://{region}.nice-incontact.com), ` +
        'the token host (--cxone-auth), or use discovery (--cxone-api discover with --cxone-issuer)',
    };
  }
  return { authBase: trimBase(apiBase) };
}

/**
 * The access-key token host for an API host (see {@link deriveAuthBase}); for a cluster-form host
 * without a region it returns `''`, which the token provider reports (use {@link deriveAuthBase} for
 * the message).
 */
export function defaultAuthBase(apiBase: string, region?: string): string {
  const d = deriveAuthBase(apiBase, region);
  return 'authBase' in d ? d.authBase : '';
}

/** URL of OpenID discovery: `{issuer}/.well-known/openid-configuration` (§1b step 1). */
export function openIdConfigurationUrl(issuer: string): string {
  return `${trimBase(issuer)}/.well-known/openid-configuration`;
}

/** URL of CXone discovery: `{issuer}/.well-known/cxone-configuration?tenantId=…` (§1c). */
export function cxoneConfigurationUrl(issuer: string, tenantId: string): string {
  return `${trimBase(issuer)}/.well-known/cxone-configuration?tenantId=${encodeURIComponent(tenantId)}`;
}

/** URL of one contact's details (Reporting): `GET {prefix}/contacts/{contactId}` (§3). */
export function contactUrl(apiBase: string, pathStyle: ApiPathStyle, apiVersion: string, contactId: string): string {
  return `${apiPrefix(apiBase, pathStyle, apiVersion)}/contacts/${encodeURIComponent(contactId)}`;
}

/** URL that ends a contact (Admin): `POST {prefix}/contacts/{contactId}/end` (§3). */
export function endContactUrl(apiBase: string, pathStyle: ApiPathStyle, apiVersion: string, contactId: string): string {
  return `${contactUrl(apiBase, pathStyle, apiVersion, contactId)}/end`;
}

/** The parts of an API URL a report shows: host, API version and path (no query). */
export interface ApiUrlParts {
  /** `host[:port]`, e.g. `api-na1.niceincontact.com`. */
  host: string;
  /** e.g. `v28.0`; null when the path has no `/services/vNN.N/`. */
  apiVersion: string | null;
  /** e.g. `/incontactapi/services/v28.0/interactions/123/signal`. */
  path: string;
}

/**
 * Splits an API URL into host, API version and path, for the UI, CLI and reports ("which host,
 * API version and path were used").
 *
 * @returns null when the text is not an absolute URL.
 */
export function apiUrlParts(url: string): ApiUrlParts | null {
  try {
    const u = new URL(url);
    const v = /\/services\/(v\d{1,3}\.\d{1,3})(?:\/|$)/i.exec(u.pathname)?.[1] ?? null;
    return { host: u.host, apiVersion: v, path: u.pathname };
  } catch {
    return null;
  }
}

/** One line for reports: `host api-na1.niceincontact.com, API v28.0, path /incontactapi/…/signal`. */
export function formatApiUrl(url: string): string {
  const p = apiUrlParts(url);
  return p ? `host ${p.host}, API ${p.apiVersion ?? '(no version in path)'}, path ${p.path}` : url;
}
