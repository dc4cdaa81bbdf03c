/**
 * The CXone emulator's authentication and discovery routes:
 * - `POST /authentication/v1/token/access-key` with JSON `{accessKeyId, accessKeySecret}` (§1a);
 * - `GET /.well-known/openid-configuration` → `token_endpoint` = `{base}/auth/token` (§1b step 1);
 * - `POST /auth/token`: the OAuth password grant of a registered app, client id and secret by HTTP
 *   Basic, each form-decoded after Base64 (`client_secret_basic`, RFC 6749 §2.3.1), or in the body
 *   (`client_secret_post`); both at once is refused (RFC 6749 §2.3: one method per request); access
 *   key id and secret URL-encoded as `username` and `password` (§1b step 2);
 * - `GET /.well-known/cxone-configuration?tenantId=…` → `api_endpoint` and the documented fields (§1c).
 *
 * Choices where CXone publishes nothing searchable: a password that arrives with a raw `=` or `+`
 * (not URL-encoded) is refused with 400 `invalid_grant` and says so, because cxone-reference.md §6
 * reports that forgetting to encode the `====` breaks the grant; a wrong access key is 400
 * `invalid_grant` and a wrong client 401 `invalid_client` (RFC 6749 §5.2). Faults do not act here.
 *
 * @remarks cxone-reference.md §1a, §1b, §1c [RC-AUTH], [COG]; RFC 6749 §2.3.1 (client password),
 * §4.3 (resource owner password grant), §5.2 (errors); RFC 7617 (Basic).
 */
import type { EmulatorContext, EmulatorReply, EmulatorRequest, EmulatorRoute } from './api-types';

/** Path of the emulator's OAuth token endpoint (what its OpenID configuration names). */
export const OAUTH_TOKEN_PATH = '/auth/token';

/** The access-key, OAuth and discovery routes of an emulator. */
export function authRoutes(ctx: EmulatorContext): EmulatorRoute[] {
  return [
    { name: 'token/access-key', method: 'POST', pattern: /^\/authentication\/v1\/token\/access-key\/?$/i, handle: (r) => accessKeyToken(ctx, r) },
    { name: 'openid-configuration', method: 'GET', pattern: /^\/\.well-known\/openid-configuration\/?$/i, handle: (r) => openIdConfiguration(ctx, r) },
    { name: 'oauth/token', method: 'POST', pattern: /^\/auth\/token\/?$/i, handle: (r) => oauthToken(ctx, r) },
    { name: 'cxone-configuration', method: 'GET', pattern: /^\/\.well-known\/cxone-configuration\/?$/i, handle: (r) => cxoneConfiguration(ctx, r) },
  ];
}

function keyMatches(ctx: EmulatorContext, id: string, secret: string): boolean {
  return ctx.opts.accessKeys.some((k) => k.accessKeyId === id && k.accessKeySecret === secret);
}

function accessKeyToken(ctx: EmulatorContext, r: EmulatorRequest): EmulatorReply {
  const wallMs = r.received.wallMs;
  const answer = (accessKeyId: string, status: number, json: unknown): EmulatorReply => {
    ctx.emit('token', { flow: 'access-key', accessKeyId, ok: status === 200, status, wallMs });
    return { status, json };
  };
  let b: Record<string, unknown>;
  try {
    b = (JSON.parse(r.body) ?? {}) as Record<string, unknown>;
  } catch {
    return answer('', 400, { error: 'invalid_request', error_description: 'the body is not JSON: send {"accessKeyId","accessKeySecret"} with Content-Type: application/json' });
  }
  const id = typeof b['accessKeyId'] === 'string' ? b['accessKeyId'] : '';
  const secret = typeof b['accessKeySecret'] === 'string' ? b['accessKeySecret'] : '';
  if (!id || !secret) return answer(id, 400, { error: 'invalid_request', error_description: 'accessKeyId and accessKeySecret are required' });
  if (!keyMatches(ctx, id, secret)) return answer(id, 401, { error: 'invalid_client', error_description: 'access key id or secret not recognised' });
  return answer(id, 200, ctx.tokens.issue(id, wallMs, { expired: ctx.faults.takeExpiredToken(), issuer: r.origin }));
}

/** The client authentication methods the emulator's discovery lists by default, as NICE's does [RC-AUTH]. */
export const DEFAULT_TOKEN_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;

function openIdConfiguration(ctx: EmulatorContext, r: EmulatorRequest): EmulatorReply {
  const base = r.origin;
  return {
    status: 200,
    json: {
      issuer: base,
      authorization_endpoint: `${base}/auth/authorize`,
      token_endpoint: `${base}${OAUTH_TOKEN_PATH}`,
      token_endpoint_auth_methods_supported: [...(ctx.opts.tokenEndpointAuthMethods ?? DEFAULT_TOKEN_AUTH_METHODS)],
      grant_types_supported: ['password'],
      response_types_supported: ['token'],
      id_token_signing_alg_values_supported: ['HS256'],
    },
  };
}

/** Client id and secret from `Authorization: Basic` (RFC 7617; values form-decoded per RFC 6749 §2.3.1). */
function basicClient(header: string | undefined): { clientId: string; clientSecret: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const dec = (s: string): string => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { clientId: dec(text.slice(0, colon)), clientSecret: dec(text.slice(colon + 1)) };
}

/** The raw (still encoded) value of a form field, to tell whether the client URL-encoded it. */
function rawFormValue(body: string, name: string): string | null {
  for (const part of body.split('&')) {
    const eq = part.indexOf('=');
    if (eq >= 0 && part.slice(0, eq) === name) return part.slice(eq + 1);
  }
  return null;
}

function oauthToken(ctx: EmulatorContext, r: EmulatorRequest): EmulatorReply {
  const wallMs = r.received.wallMs;
  const form = new URLSearchParams(r.body);
  const username = form.get('username') ?? '';
  let clientId = '';
  const answer = (status: number, json: unknown, headers?: Record<string, string>): EmulatorReply => {
    ctx.emit('token', { flow: 'oauth-password', accessKeyId: username, clientId, ok: status === 200, status, wallMs });
    return { status, json, headers };
  };
  const ct = String(r.headers['content-type'] ?? '').toLowerCase();
  if (!ct.startsWith('application/x-www-form-urlencoded')) {
    return answer(400, { error: 'invalid_request', error_description: 'send the form as Content-Type: application/x-www-form-urlencoded' });
  }
  const basic = basicClient(r.headers.authorization);
  const inBody = form.has('client_secret');
  if (basic && inBody) {
    return answer(400, { error: 'invalid_request', error_description: 'the client authenticated twice (Authorization: Basic and client_secret in the body); use one method (RFC 6749 §2.3)' });
  }
  const methods: readonly string[] = ctx.opts.tokenEndpointAuthMethods ?? DEFAULT_TOKEN_AUTH_METHODS;
  const used = basic ? 'client_secret_basic' : inBody ? 'client_secret_post' : null;
  if (used && !methods.includes(used)) {
    return answer(401, { error: 'invalid_client', error_description: `${used} is not accepted here (token_endpoint_auth_methods_supported: ${methods.join(', ')})` });
  }
  const client = basic ?? { clientId: form.get('client_id') ?? '', clientSecret: form.get('client_secret') ?? '' };
  clientId = client.clientId;
  const apps = ctx.opts.oauthClients ?? [];
  if (!apps.some((a) => a.clientId === client.clientId && a.clientSecret === client.clientSecret)) {
    const why = client.clientId
      ? 'client id or secret not recognised (is the app registered for this environment? with client_secret_basic, form-urlencode the id and secret before Base64, RFC 6749 §2.3.1)'
      : 'no client authentication: send Authorization: Basic base64(form(client_id):form(client_secret)), or client_id and client_secret in the body';
    return answer(401, { error: 'invalid_client', error_description: why }, { 'WWW-Authenticate': 'Basic realm="cxone-emulator"' });
  }
  const grant = form.get('grant_type');
  if (grant !== 'password') {
    return answer(400, { error: 'unsupported_grant_type', error_description: `grant_type must be password (got ${grant === null ? 'none' : JSON.stringify(grant)})` });
  }
  const password = form.get('password') ?? '';
  if (!username || !password) return answer(400, { error: 'invalid_request', error_description: 'username (access key id) and password (access key secret) are required' });
  const raw = [rawFormValue(r.body, 'username') ?? '', rawFormValue(r.body, 'password') ?? ''];
  if (raw.some((v) => /[=+]/.test(v))) {
    return answer(400, {
      error: 'invalid_grant',
      error_description: "username or password not URL-encoded (a raw '=' or '+'): access key ids and secrets end in '====', send them as %3D%3D%3D%3D",
    });
  }
  if (!keyMatches(ctx, username, password)) return answer(400, { error: 'invalid_grant', error_description: 'access key id or secret not recognised' });
  return answer(200, ctx.tokens.issue(username, wallMs, { expired: ctx.faults.takeExpiredToken(), clientId: client.clientId, issuer: r.origin }));
}

function cxoneConfiguration(ctx: EmulatorContext, r: EmulatorRequest): EmulatorReply {
  const tenantId = r.query.get('tenantId');
  if (!tenantId) return { status: 400, json: { error: 'BadRequest', message: 'tenantId query parameter is required (the tenantId claim of the token)' } };
  if (tenantId !== ctx.tenantId) return { status: 404, json: { error: 'NotFound', message: `tenant ${tenantId} unknown to this issuer (a token of another environment?)` } };
  const base = r.origin;
  return {
    status: 200,
    json: {
      private: false,
      area: 'na1',
      cluster: 'EMU1',
      domain: 'emulator.invalid',
      acdDomain: 'emulator.invalid',
      uhDomain: 'emulator.invalid',
      ui_endpoint: base,
      auth_endpoint: base,
      api_endpoint: ctx.opts.apiEndpoint ?? base,
      tenantId,
    },
  };
}
