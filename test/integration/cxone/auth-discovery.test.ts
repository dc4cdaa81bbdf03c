/**
 * Both token flows and the API host against the real emulator, over HTTP and HTTPS: the OAuth
 * password grant after OpenID discovery (Basic client auth and the URL-encoded `====` as the
 * emulator received them), discovery of `api_endpoint` from the token's tenant id, the manual
 * override, and the per-phase timings.
 */
import { describe, expect, it } from 'vitest';
import { testConnection } from '../../../src/main/cxone/connection-test';
import { TokenCache } from '../../../src/main/cxone/token';
import { APP, KEY, client, emulator } from './helpers';

// RFC 6749 §2.3.1: the id and secret are form-urlencoded before Base64 (issue 14; the old expectation,
// Base64 of the raw values, was the unsourced behaviour the issue names).
const form = (v: string): string => new URLSearchParams({ v }).toString().slice(2);
const basic = `Basic ${Buffer.from(`${form(APP.clientId)}:${form(APP.clientSecret)}`).toString('base64')}`;

describe.each(['http', 'https'] as const)('over %s', (scheme) => {
  const tls = scheme === 'https' ? ({ tls: 'self-signed' } as const) : {};

  it('OAuth: OpenID discovery, password grant with Basic auth and URL-encoded key, then API host discovery', async () => {
    const api = await emulator({ ...tls, captureRequests: true });
    expect(api.baseUrl.startsWith(`${scheme}://`)).toBe(true);
    api.contacts.add({ contactId: '77', role: 'master', onSignal: () => {} });
    const flows: string[] = [];
    api.on('token', (e) => flows.push(`${e.flow} ${e.clientId} ${e.status}`));
    const c = client(api, { authBase: undefined, apiBase: undefined, oauth: { issuer: api.baseUrl, ...APP } });
    const rec = await c.signal('77', { p1: 'AgentHandoff' });
    expect(rec).toMatchObject({ ok: true, status: 202, message: 'accepted (202)' });
    expect(flows).toEqual([`oauth-password ${APP.clientId} 200`]);

    const paths = api.captured.map((r) => `${r.method} ${r.url.split('?')[0]}`);
    expect(paths).toEqual(['GET /.well-known/openid-configuration', 'POST /auth/token', 'GET /.well-known/cxone-configuration', 'POST /incontactapi/services/v28.0/interactions/77/signal']);
    const grant = api.captured[1]!;
    expect(grant.headers.authorization).toBe(basic);
    expect(grant.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(grant.body).toContain('grant_type=password');
    expect(grant.body).toContain('username=AKIDLAB7QX%3D%3D%3D%3D');
    expect(grant.body).toContain('password=c2VjcmV0%2B%2Fwith%2Fslash%3D%3D%3D%3D');
    expect(api.captured[2]!.url).toBe(`/.well-known/cxone-configuration?tenantId=${api.tenantId}`);
    // No secret in what the client keeps.
    const json = JSON.stringify(rec);
    for (const s of [KEY.accessKeySecret, encodeURIComponent(KEY.accessKeySecret), APP.clientSecret]) expect(json).not.toContain(s);
  });

  it('access key: API host discovered from the tenant id of the token; per-phase timings', async () => {
    // The discovery document names the emulator as "localhost": the Signal must go there, not to the auth host.
    const probe = await emulator(tls);
    const port = new URL(probe.baseUrl).port;
    const api = await emulator({ ...tls, apiEndpoint: `${scheme}://localhost:${port}` });
    await probe.stop();
    const c = client(api, { apiBase: undefined });
    expect(c.apiTarget).toBeNull();
    const rec = await c.signal('1', { p1: 'x' });
    // localhost:port is the stopped probe: the Signal went to the discovered host.
    expect(rec.url).toBe(`${scheme}://localhost:${port}/incontactapi/services/v28.0/interactions/1/signal?p1=x`);
    expect(rec.api).toMatchObject({ source: 'discovered', apiBase: `${scheme}://localhost:${port}`, tenantId: api.tenantId, discoveryUrl: `${api.baseUrl}/.well-known/cxone-configuration?tenantId=${api.tenantId}` });

    const same = await emulator(tls);
    same.contacts.add({ contactId: '2', role: 'master', onSignal: () => {} });
    const c2 = client(same, { apiBase: undefined });
    const ok = await c2.signal('2', { p1: 'x' });
    expect(ok).toMatchObject({ ok: true, status: 202 });
    expect(ok.api?.source).toBe('discovered');
    expect(ok.timings?.dnsMs).toBeNull(); // an IP literal: no lookup
    expect(ok.timings?.connectMs).toBeGreaterThanOrEqual(0);
    expect(ok.timings?.firstByteMs).toBeGreaterThanOrEqual(0);
    expect(ok.timings?.totalMs).toBeGreaterThan(0);
    if (scheme === 'https') expect(ok.timings?.tlsMs).toBeGreaterThanOrEqual(0);
    else expect(ok.timings?.tlsMs).toBeNull();
    expect(ok.exchange.timings).toMatchObject({ totalMs: ok.timings?.totalMs });
  });

  it('manual override: no discovery request, the report says "given by hand"', async () => {
    const api = await emulator({ ...tls, captureRequests: true });
    const t = await testConnection(client(api));
    expect(t.ok).toBe(true);
    expect(t.checks.map((k) => k.name)).toEqual(['token', 'api-host', 'server-time']);
    expect(t.checks[0]!.detail).toMatch(new RegExp(`^token issued by ${api.baseUrl}/authentication/v1/token/access-key \\(dns -, connect [\\d.]+ ms, .* total [\\d.]+ ms\\)$`));
    expect(t.checks[1]!.detail).toBe(`${api.baseUrl} (given by hand), API v28.0, path /incontactapi/services/v28.0/`);
    expect(t.checks[2]!.detail).toMatch(new RegExp(`^ServerTime .+ \\(host 127\\.0\\.0\\.1:\\d+, API v28\\.0, path /incontactapi/services/v28\\.0/server-time; dns -, connect [\\d.]+ ms, tls ${scheme === 'https' ? '[\\d.]+ ms' : '-'}, first byte [\\d.]+ ms, total [\\d.]+ ms\\)$`));
    expect(api.captured.map((r) => r.url.split('?')[0])).toEqual(['/authentication/v1/token/access-key', '/incontactapi/services/v28.0/server-time']);
  });
});

describe('auth failures', () => {
  it('OAuth: a wrong client secret names the app registration', async () => {
    const api = await emulator();
    const c = client(api, { apiBase: undefined, oauth: { issuer: api.baseUrl, clientId: APP.clientId, clientSecret: 'wrong' } });
    const rec = await c.signal('1', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, outcomeClass: 'not-sent', attempts: 0 });
    expect(rec.message).toBe(
      `not sent: no token: OAuth password grant at ${api.baseUrl}/auth/token: registered app refused (401 invalid_client): check the client id and secret, and that the app is registered for this issuer (environment)`,
    );
  });

  it('OAuth: a wrong access key is invalid_grant', async () => {
    const api = await emulator();
    const t = await client(api, { oauth: { issuer: api.baseUrl, ...APP }, credentials: { accessKeyId: KEY.accessKeyId, accessKeySecret: 'nope====' } }).getToken();
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.message).toContain("access key refused (400 invalid_grant): check the access key id and secret (sent URL-encoded; they end in '===='): access key id or secret not recognised");
  });

  it('OAuth: an issuer without OpenID discovery lists the known issuers', async () => {
    const api = await emulator();
    const t = await client(api, { oauth: { issuer: `${api.baseUrl}/nowhere`, ...APP } }).getToken();
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.message).toMatch(/^OpenID discovery: .*\(404\).* \(issuers: Global https:\/\/cxone\.niceincontact\.com/);
  });

  it('the emulator refuses a password grant whose "====" was not URL-encoded', async () => {
    const api = await emulator();
    const res = await fetch(`${api.baseUrl}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic },
      body: `grant_type=password&username=${KEY.accessKeyId}&password=${KEY.accessKeySecret}`,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_description: string }).error_description).toContain("not URL-encoded (a raw '=' or '+')");
  });

  it('discovery for a tenant of another environment fails with the way out', async () => {
    const a = await emulator();
    const b = await emulator();
    // Tokens from b, discovery asked of a (the issuer given by hand): a does not know b's tenant.
    const rec = await client(b, { apiBase: undefined, issuer: a.baseUrl, tokenCache: new TokenCache() }).signal('1', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, outcomeClass: 'not-sent' });
    expect(rec.message).toMatch(/^not sent: API host discovery: .*not found \(404\).*; or give the API host by hand \(e\.g\. https:\/\/api-na1\.niceincontact\.com\)$/);
  });
});
