/**
 * "Test connection": a token, the API host (override or discovery), and `GET /server-time`, each
 * as a {@link CheckResult} that names the host, API version and path used and the request's
 * per-phase timings.
 *
 * @remarks cxone-reference.md §1c ("cheap check that the token and base URL work: GET
 * {api_endpoint}/inContactAPI/services/v25.0/server-time returns 200 with {"ServerTime": "…"}").
 */
import type { CheckResult } from '../../shared/types';
import type { ApiTarget, CxoneClient } from './client';
import { formatTimings } from './http';
import { CachingTokenProvider } from './token';
import { formatApiUrl } from './urls';

/** The result of a connection test. */
export interface ConnectionTest {
  /** True when every check passed. */
  ok: boolean;
  /** `token`, `api-host`, `server-time`, in order; a failed step ends the list. */
  checks: CheckResult[];
  /** The API target used; null when it could not be found. */
  api: ApiTarget | null;
}

/** One line describing an API target: `https://api-na1… (discovered from …), API v28.0, path style /incontactapi/`. */
export function describeApiTarget(t: ApiTarget): string {
  const from = t.source === 'override' ? 'given by hand' : `discovered from ${t.discoveryUrl ?? 'cxone-configuration'}`;
  return `${t.apiBase} (${from}), API ${t.apiVersion}, path /${t.pathStyle}/services/${t.apiVersion}/`;
}

/** Runs the connection test. Never throws. */
export async function testConnection(client: CxoneClient): Promise<ConnectionTest> {
  const checks: CheckResult[] = [];
  const done = (api: ApiTarget | null): ConnectionTest => ({ ok: checks.every((c) => c.ok), checks, api });
  const tok = await client.getToken();
  if (!tok.ok) {
    checks.push({ name: 'token', ok: false, detail: `${tok.message} (${tok.exchange.request.url})` });
    return done(null);
  }
  const from = client.tokens instanceof CachingTokenProvider ? ` by ${client.tokens.tokenUrl}` : '';
  checks.push({ name: 'token', ok: true, detail: tok.cached || !tok.timings ? `token from the cache${from ? ` (issued${from})` : ''}` : `token issued${from} (${formatTimings(tok.timings)})` });
  const target = await client.resolveApiTarget();
  if (!target.ok) {
    checks.push({ name: 'api-host', ok: false, detail: target.message });
    return done(null);
  }
  checks.push({ name: 'api-host', ok: true, detail: describeApiTarget(target.target) });
  const st = await client.serverTime();
  checks.push(
    st.ok
      ? { name: 'server-time', ok: true, detail: `ServerTime ${st.serverTime} (${formatApiUrl(st.url)}; ${formatTimings(st.timings)})` }
      : { name: 'server-time', ok: false, detail: `${st.message} (${formatApiUrl(st.url)})` },
  );
  return done(target.target);
}
