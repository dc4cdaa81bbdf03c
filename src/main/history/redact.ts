/**
 * Defensive redaction of HTTP exchanges before they are persisted (design.md §5, common rules:
 * tokens and Authorization headers never reach SQLite, reports or logs).
 *
 * The CXone client should already keep secrets out of what it records; this is the second line,
 * applied by the history store to every Signal's exchange whatever its origin. SIP messages are
 * not redacted: they carry no API secrets, and a SIP digest `Authorization` holds a hash, which is
 * part of the trace (RFC 3261 §22.4).
 */
import type { HttpExchange } from '../../shared/types';

/** What replaces a secret value. */
export const REDACTED = '[redacted]';

/** Header names whose values are replaced (compared case-insensitively). */
export const SECRET_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

/**
 * Body keys whose values are replaced, in JSON and form bodies (compared case-insensitively):
 * OAuth token responses (RFC 6749 §5.1), CXone access-key token requests (`accessKeySecret`,
 * cxone-reference.md), client credentials and passwords.
 */
export const SECRET_KEYS: readonly string[] = [
  'access_token',
  'id_token',
  'refresh_token',
  'accessKeySecret',
  'client_secret',
  'password',
  'token',
];

const SECRET_KEY_SET = new Set(SECRET_KEYS.map((k) => k.toLowerCase()));
const KEY_ALTERNATION = SECRET_KEYS.join('|');
/**
 * `"key": value` in JSON-like text, also escaped inside a JSON string (`\"key\":\"value\"`); the
 * value is a string (possibly unterminated) or a bare scalar.
 */
const JSON_PAIR = new RegExp(
  `(\\\\?"(?:${KEY_ALTERNATION})\\\\?"\\s*:\\s*)` +
    `(\\\\"(?:[^"\\\\]|\\\\[^"])*(?:\\\\")?|"(?:[^"\\\\]|\\\\.)*"?|[^\\s,}\\]]+)`,
  'gi',
);
/** A whole `application/x-www-form-urlencoded` body: `k=v&k=v…`, no whitespace. */
const FORM_BODY = /^[^\s&=]+=[^\s&]*(?:&[^\s&=]*(?:=[^\s&]*)?)*$/;
/** `key=value` in query strings and prose (the key not part of a longer name). */
const FORM_PAIR = new RegExp(`((?<![\\w.-])(?:${KEY_ALTERNATION})=)([^&;\\s)\\]}"',]*)`, 'gi');
/**
 * `Bearer <token>` / `Basic <credentials>` in free text (e.g. an error body echoing a header).
 * Only credential-length values (RFC 7235 token68: 8+ characters after Bearer, 16+ after Basic), so
 * that prose such as "Bearer token expired" or "Basic authentication" stays readable.
 */
const AUTH_SCHEME = /\b(Bearer\s+(?=[A-Za-z0-9._~+/=-]{8,})|Basic\s+(?=[A-Za-z0-9._~+/=-]{16,}))[A-Za-z0-9._~+/=-]+/gi;
/** The password of `scheme://user:password@host`. */
const URL_USERINFO = /^([a-z][\w+.-]*:\/\/[^/?#@\s:]*:)[^/?#@\s]*@/i;

/** True when `name` is a header whose value is a secret. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.includes(name.toLowerCase());
}

/** True when `key` is a body key whose value is a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_SET.has(key.toLowerCase());
}

function redactJsonValue(v: unknown): unknown {
  if (typeof v === 'string') return redactText(v);
  if (Array.isArray(v)) return v.map(redactJsonValue);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = isSecretKey(k) ? REDACTED : redactJsonValue(x);
    return out;
  }
  return v;
}

function formKey(pair: string): string {
  const raw = pair.slice(0, pair.indexOf('=')).trim();
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** Redacts a form body pair by pair: a value ends only at `&`. */
function redactForm(s: string): string {
  return s
    .split('&')
    .map((pair) => (pair.includes('=') && isSecretKey(formKey(pair)) ? `${pair.slice(0, pair.indexOf('='))}=${REDACTED}` : pair))
    .join('&');
}

function redactLooseText(s: string): string {
  return s
    .replace(JSON_PAIR, (_m, key: string, value: string) =>
      value.startsWith('\\') ? `${key}\\"${REDACTED}\\"` : `${key}"${REDACTED}"`,
    )
    .replace(FORM_PAIR, (_m, key: string) => `${key}${REDACTED}`)
    .replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme}${REDACTED}`);
}

/**
 * Redacts secrets in an HTTP body or any free text.
 *
 * - A JSON object or array (text starting with `{` or `[` that parses): the values of
 *   {@link SECRET_KEYS} at any depth become `"[redacted]"`, and string values are redacted as
 *   text too (JSON or a form encoded inside a string). The text is re-serialised only when
 *   something was redacted; otherwise it is returned unchanged.
 * - A form body (`k=v&k=v`, keys percent-decoded before comparing): the values of those keys,
 *   each up to the next `&`.
 * - Anything else (query strings, truncated JSON, plain text): `"key": value` and `key=value`
 *   pairs of those keys, and `Bearer …` / `Basic …` credentials, are replaced in place.
 *
 * @param s - the text; never throws, whatever it holds.
 * @returns the text with secret values replaced by `[redacted]`.
 */
export function redactText(s: string): string {
  const t = s.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      return redactLooseText(s);
    }
    const redacted = JSON.stringify(redactJsonValue(parsed));
    return redacted === JSON.stringify(parsed) ? s : redacted;
  }
  return FORM_BODY.test(t) ? redactForm(s) : redactLooseText(s);
}

/**
 * Redacts a URL: secret query parameters (`?access_token=…`) and the password of `user:pass@`.
 * @returns the URL with secret values replaced by `[redacted]`; never throws.
 */
export function redactUrl(url: string): string {
  return url.replace(URL_USERINFO, (_m, head: string) => `${head}${REDACTED}@`).replace(FORM_PAIR, (_m, key: string) => `${key}${REDACTED}`);
}

function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = isSecretHeader(name) ? REDACTED : value;
  return out;
}

/**
 * Returns a copy of an HTTP exchange safe to persist: values of `Authorization`,
 * `Proxy-Authorization`, `Cookie` and `Set-Cookie` (any case) replaced by `[redacted]`, request and
 * response bodies and the error text passed through {@link redactText}, the URL through
 * {@link redactUrl}. Header names, their order and everything else are kept. The input is not
 * modified. Never throws.
 */
export function redactExchange(ex: HttpExchange): HttpExchange {
  const request: HttpExchange['request'] = {
    method: ex.request.method,
    url: redactUrl(ex.request.url),
    headers: redactHeaders(ex.request.headers ?? {}),
  };
  if (ex.request.body !== undefined) request.body = redactText(ex.request.body);
  const out: HttpExchange = { request };
  if (ex.response) {
    out.response = {
      status: ex.response.status,
      headers: redactHeaders(ex.response.headers ?? {}),
      body: redactText(ex.response.body ?? ''),
    };
  }
  if (ex.error !== undefined) out.error = redactText(ex.error);
  return out;
}
