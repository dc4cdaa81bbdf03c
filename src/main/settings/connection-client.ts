/**
 * A CXone client for a connection of the settings, with its secrets read from the keychain, and
 * "test connection" (a token, the API host, `GET …/server-time`: cxone/connection-test.ts).
 *
 * @remarks Hosts per cxone-reference.md §1a (access-key token at `https://{area}.nice-incontact.com`),
 * §1b (OAuth password grant at the issuer's token endpoint with client id/secret) and §1c (the API
 * host discovered from the token's tenant id unless given by hand: "always use the discovered
 * api_endpoint rather than building the host yourself").
 */
import type { ConnectionTestResult } from '../../shared/contract';
import { CxoneClient } from '../cxone/client';
import { testConnection as runConnectionTest } from '../cxone/connection-test';
import { defaultAuthBase } from '../cxone/urls';
import type { ConnectionStored } from './schemas';
import type { ConnectionSecrets } from './settings-store';

/** The access-key token host of a connection: from its area, else from its API base (the emulator, a proxy). */
export function connectionAuthBase(c: Pick<ConnectionStored, 'area' | 'apiBase'>): string | undefined {
  if (c.area) return `https://${c.area}.nice-incontact.com`;
  return c.apiBase ? defaultAuthBase(c.apiBase) : undefined;
}

/**
 * A client for the connection.
 * @param profile - API version and path style to use instead of the connection's (a call's profile).
 * @throws Error when a secret it needs is not set.
 */
export function clientForConnection(
  c: ConnectionStored,
  secrets: ConnectionSecrets,
  profile?: { apiVersion: string; pathStyle: ConnectionStored['pathStyle'] },
): CxoneClient {
  if (!secrets.accessKeySecret) throw new Error(`connection "${c.name}": its access key secret is not set (Settings → CXone connections)`);
  if (c.auth === 'oauth-password' && !secrets.clientSecret) throw new Error(`connection "${c.name}": its client secret is not set (Settings → CXone connections)`);
  const credentials = { accessKeyId: c.accessKeyId, accessKeySecret: secrets.accessKeySecret };
  const common = {
    credentials,
    apiVersion: profile?.apiVersion ?? c.apiVersion,
    pathStyle: profile?.pathStyle ?? c.pathStyle,
    ...(c.apiBase ? { apiBase: c.apiBase } : {}),
  };
  if (c.auth === 'oauth-password') {
    return new CxoneClient({ ...common, oauth: { issuer: c.issuer ?? '', clientId: c.clientId ?? '', clientSecret: secrets.clientSecret! } });
  }
  const authBase = connectionAuthBase(c);
  return new CxoneClient({ ...common, ...(authBase ? { authBase } : {}) });
}

/**
 * Replaces every occurrence of a secret in a JSON-able value by `[redacted]` (belt and braces over
 * the client's own redaction: what goes back to the renderer must hold no secret).
 */
export function scrubSecrets<T>(value: T, secrets: ReadonlyArray<string | null | undefined>): T {
  const list = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  if (list.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return list.reduce((acc, s) => acc.split(s).join('[redacted]'), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** Test connection: token, API host, server time. Never throws; the result holds no secret. */
export async function testConnection(c: ConnectionStored, secrets: ConnectionSecrets): Promise<ConnectionTestResult> {
  let client: CxoneClient;
  try {
    client = clientForConnection(c, secrets);
  } catch (e) {
    return { ok: false, message: (e as Error).message, checks: [] };
  }
  const t = await runConnectionTest(client);
  const failed = t.checks.find((x) => !x.ok);
  const serverTime = t.checks.find((x) => x.name === 'server-time');
  const message = failed ? `${failed.name}: ${failed.detail}` : `token, API host and server time work: ${serverTime?.detail ?? ''}`;
  return scrubSecrets({ ok: t.ok, message, checks: t.checks }, [secrets.accessKeySecret, secrets.clientSecret]);
}
