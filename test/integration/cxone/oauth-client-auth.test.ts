/**
 * OAuth client authentication by RFC 6749 §2.3.1 (issue 14): a client secret with `+`, `/`, `=` and
 * `:` gets a token from the emulator AND from an independent OAuth server library
 * (@node-oauth/oauth2-server, wrapped in a small HTTP server here), by `client_secret_basic` (id and
 * secret form-urlencoded before Base64) and by `client_secret_post` (in the body), the method chosen
 * from the discovery document's `token_endpoint_auth_methods_supported` or set.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OAuth2Server from '@node-oauth/oauth2-server';
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuthorization, chooseClientAuthMethod, formEncode, OAuthPasswordTokenProvider } from '../../../src/main/cxone/oauth-token';
import { TokenCache } from '../../../src/main/cxone/token';
import { emulator, KEY } from './helpers';

/** A secret with every character RFC 6749 §2.3.1's encoding matters for. */
const APP = { clientId: 'lab-app.vendor', clientSecret: 'pa+ss/wo=rd:x==' };

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/**
 * An OAuth server from @node-oauth/oauth2-server behind node:http: OpenID discovery, and the token
 * endpoint with the password grant. The library hands HTTP Basic credentials to the model as sent
 * (it does not form-decode them), so this wrapper applies RFC 6749 §2.3.1's decoding to the Basic
 * parts and passes them on as client_id/client_secret; a body is parsed with URLSearchParams.
 */
async function libraryServer(methods: string[]): Promise<{ issuer: string; seen: Array<{ authorization?: string; body: string }> }> {
  const seen: Array<{ authorization?: string; body: string }> = [];
  const oauth = new OAuth2Server({
    model: {
      getClient: async (clientId: string, clientSecret: string) =>
        clientId === APP.clientId && clientSecret === APP.clientSecret ? { id: clientId, grants: ['password'] } : null,
      getUser: async (username: string, password: string) => (username === KEY.accessKeyId && password === KEY.accessKeySecret ? { id: username } : null),
      saveToken: async (token: Record<string, unknown>, client: unknown, user: unknown) => ({ ...token, client, user }),
      getAccessToken: async () => null,
      validateScope: async () => ['admin'],
    } as unknown as OAuth2Server.PasswordModel,
    allowBearerTokensInQueryString: false,
  });
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const origin = `http://${req.headers.host}`;
      if (req.method === 'GET' && req.url === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: origin, token_endpoint: `${origin}/token`, token_endpoint_auth_methods_supported: methods }));
        return;
      }
      seen.push({ authorization: req.headers.authorization, body });
      const form = Object.fromEntries(new URLSearchParams(body));
      const headers = { ...req.headers } as Record<string, string>;
      const m = /^Basic (.+)$/.exec(headers.authorization ?? '');
      if (m) {
        const text = Buffer.from(m[1]!, 'base64').toString('utf8');
        const colon = text.indexOf(':');
        const dec = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
        form.client_id = dec(text.slice(0, colon));
        form.client_secret = dec(text.slice(colon + 1));
        delete headers.authorization;
      }
      const request = new OAuth2Server.Request({ method: req.method ?? 'POST', query: {}, headers, body: form });
      const response = new OAuth2Server.Response(res);
      oauth
        .token(request, response, { requireClientAuthentication: { password: true } })
        .then((t) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: t.accessToken, token_type: 'Bearer', expires_in: 3600 })))
        .catch((e: { code?: number; name?: string; message: string }) => res.writeHead(e.code ?? 500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: e.name, error_description: e.message })));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function provider(issuer: string, authMethod?: 'client_secret_basic' | 'client_secret_post', secret = APP.clientSecret, caPem?: string): OAuthPasswordTokenProvider {
  return new OAuthPasswordTokenProvider({ issuer, client: { ...APP, clientSecret: secret, authMethod }, credentials: KEY, timeoutMs: 5000, cache: new TokenCache(), caPem });
}

describe('RFC 6749 §2.3.1 client authentication', () => {
  it('form-encodes the id and secret before Base64', () => {
    expect(formEncode('pa+ss/wo=rd:x==')).toBe('pa%2Bss%2Fwo%3Drd%3Ax%3D%3D');
    const decoded = Buffer.from(basicAuthorization(APP).slice(6), 'base64').toString();
    expect(decoded).toBe('lab-app.vendor:pa%2Bss%2Fwo%3Drd%3Ax%3D%3D');
  });

  it('chooses the method from token_endpoint_auth_methods_supported, or the setting', () => {
    expect(chooseClientAuthMethod('auto', ['client_secret_basic', 'client_secret_post'])).toEqual({ method: 'client_secret_basic' });
    expect(chooseClientAuthMethod(undefined, ['client_secret_post'])).toEqual({ method: 'client_secret_post' });
    expect(chooseClientAuthMethod(undefined, [])).toEqual({ method: 'client_secret_basic' });
    expect(chooseClientAuthMethod('client_secret_post', ['client_secret_basic', 'client_secret_post'])).toEqual({ method: 'client_secret_post' });
    expect(chooseClientAuthMethod('client_secret_post', ['client_secret_basic'])).toEqual({ error: expect.stringContaining('does not list client_secret_post') });
    expect(chooseClientAuthMethod(undefined, ['private_key_jwt'])).toEqual({ error: expect.stringContaining('neither') });
  });

  describe.each(['client_secret_basic', 'client_secret_post'] as const)('%s', (method) => {
    it('gets a token from the emulator with a secret containing + / = :', async () => {
      const api = await emulator({ oauthClients: [APP], captureRequests: true });
      const p = provider(api.baseUrl, method);
      const t = await p.getToken();
      expect(t.ok).toBe(true);
      expect(p.usedAuthMethod).toBe(method);
      const grant = api.captured.find((r) => r.url.startsWith('/auth/token'))!;
      if (method === 'client_secret_basic') expect(grant.headers.authorization).toBe(basicAuthorization(APP));
      else {
        expect(grant.headers.authorization).toBeUndefined();
        expect(new URLSearchParams(grant.body).get('client_secret')).toBe(APP.clientSecret);
      }
    });

    it('gets a token from @node-oauth/oauth2-server with the same secret', async () => {
      const lib = await libraryServer(['client_secret_basic', 'client_secret_post']);
      const p = provider(lib.issuer, method);
      const t = await p.getToken();
      expect(t).toMatchObject({ ok: true });
      expect(lib.seen[0]!.authorization === undefined).toBe(method === 'client_secret_post');
    });

    it('a wrong secret is refused by both as invalid_client', async () => {
      const api = await emulator({ oauthClients: [APP] });
      const lib = await libraryServer(['client_secret_basic', 'client_secret_post']);
      for (const issuer of [api.baseUrl, lib.issuer]) {
        const t = await provider(issuer, method, 'pa+ss/wo=rd:y==').getToken();
        expect(t.ok).toBe(false);
        if (!t.ok) expect(t.message).toMatch(/registered app refused/);
      }
    });
  });

  it('picks client_secret_post when discovery lists only that (library server)', async () => {
    const lib = await libraryServer(['client_secret_post']);
    const p = provider(lib.issuer);
    expect((await p.getToken()).ok).toBe(true);
    expect(p.usedAuthMethod).toBe('client_secret_post');
    expect(lib.seen[0]!.body).toContain(`client_secret=${formEncode(APP.clientSecret)}`);
  });

  it('the emulator refuses a method it does not list, and two methods at once', async () => {
    const api = await emulator({ oauthClients: [APP], tokenEndpointAuthMethods: ['client_secret_basic'] });
    const forced = provider(api.baseUrl, 'client_secret_post');
    const t = await forced.getToken();
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.message).toContain('does not list client_secret_post');
    const both = await fetch(`${api.baseUrl}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuthorization(APP) },
      body: `grant_type=password&username=${formEncode(KEY.accessKeyId)}&password=${formEncode(KEY.accessKeySecret)}&client_id=${formEncode(APP.clientId)}&client_secret=${formEncode(APP.clientSecret)}`,
    });
    expect(both.status).toBe(400);
    expect(await both.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('RFC 6749 §2.3') });
  });

  it('Base64 of the raw secret (no form-encoding first) breaks on + at the emulator and the library', async () => {
    const raw = `Basic ${Buffer.from(`${APP.clientId}:${APP.clientSecret}`).toString('base64')}`;
    const api = await emulator({ oauthClients: [APP] });
    const lib = await libraryServer(['client_secret_basic']);
    const body = `grant_type=password&username=${formEncode(KEY.accessKeyId)}&password=${formEncode(KEY.accessKeySecret)}`;
    for (const url of [`${api.baseUrl}/auth/token`, `${lib.issuer}/token`]) {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: raw }, body });
      expect(r.status, url).toBeGreaterThanOrEqual(400);
    }
  });
});
