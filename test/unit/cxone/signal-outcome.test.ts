/**
 * Classification of CXone HTTP outcomes into actionable messages: every class for Signal, the
 * token endpoint's own wording, and the helpers (HTML detection, body message, Retry-After).
 */
import { describe, expect, it } from 'vitest';
import type { HttpResult, HttpTimings } from '../../../src/main/cxone/http';
import {
  bodyMessage,
  classifyOutcome,
  isHtmlPage,
  parseTokenBody,
  retryAfterSeconds,
  type CallContext,
} from '../../../src/main/cxone/signal-outcome';

const T: HttpTimings = { startMonoMs: 0, endMonoMs: 12, dnsMs: null, connectMs: 1, tlsMs: null, firstByteMs: 10, totalMs: 12 };
const SIG: CallContext = { kind: 'signal', url: 'https://api-na1.niceincontact.com/incontactapi/services/v28.0/interactions/123/signal?p1=x', contactId: '123' };
const TOKEN: CallContext = { kind: 'token', url: 'https://na1.nice-incontact.com/authentication/v1/token/access-key' };
const API: CallContext = { kind: 'api', url: 'https://api-na1.niceincontact.com/incontactapi/services/v28.0/contacts/active', what: 'active contacts' };

function resp(status: number, body = '', headers: Record<string, string> = {}): HttpResult {
  return { kind: 'response', status, headers, body, bodyTruncated: false, timings: T };
}
function net(code: string, opts: { tls?: boolean; sent?: boolean; message?: string } = {}): HttpResult {
  return { kind: 'network', code, message: opts.message ?? code, phase: opts.sent ? 'wait' : 'connect', tls: opts.tls ?? false, sent: opts.sent ?? false, timings: T };
}

describe('classifyOutcome: Signal', () => {
  it.each([200, 202, 204])('%i is accepted with the exact code', (status) => {
    const o = classifyOutcome(resp(status), SIG);
    expect(o).toMatchObject({ ok: true, status, class: 'accepted', message: `accepted (${status})`, renewToken: false });
  });

  it('400 shows the message of the body', () => {
    const o = classifyOutcome(resp(400, JSON.stringify({ message: 'p1 is too long' }), { 'content-type': 'application/json' }), SIG);
    expect(o).toMatchObject({ ok: false, class: 'bad-request', status: 400 });
    expect(o.message).toBe('bad request (400): p1 is too long');
  });

  it('401 says token refused, and asks for a renewal', () => {
    const o = classifyOutcome(resp(401), SIG);
    expect(o.class).toBe('unauthorized');
    expect(o.renewToken).toBe(true);
    expect(o.message).toContain('token refused');
    expect(o.message).toContain('another environment (region)');
  });

  it('403 says forbidden (permission or app registration), and asks for a renewal', () => {
    const o = classifyOutcome(resp(403), SIG);
    expect(o).toMatchObject({ class: 'forbidden', renewToken: true });
    expect(o.message).toMatch(/^forbidden: |forbidden \(403\)/);
    expect(o.message).toContain('lacks permission');
  });

  it('404 names the contact and the MasterId/child pitfall', () => {
    const o = classifyOutcome(resp(404, '{"message":"contact 123 is unknown"}'), SIG);
    expect(o.class).toBe('not-found');
    expect(o.message).toContain('contact 123 unknown or ended');
    expect(o.message).toContain('MasterId vs child');
    expect(o.message).toContain('still up');
  });

  it('404 with an HTML page points at the host/path instead of the contact', () => {
    const o = classifyOutcome(resp(404, '<html><title>Not Found</title></html>', { 'content-type': 'text/html' }), SIG);
    expect(o.message).toContain('no API at');
    expect(o.message).toContain('path style');
  });

  it('429 reads Retry-After in seconds', () => {
    expect(classifyOutcome(resp(429, '', { 'retry-after': '7' }), SIG).message).toBe('rate limited (429); retry after 7 s');
    expect(classifyOutcome(resp(429), SIG).message).toBe('rate limited (429); retry later');
  });

  it('429 reads Retry-After as an HTTP-date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    const o = classifyOutcome(resp(429, '', { 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), SIG, now);
    expect(o).toMatchObject({ class: 'rate-limited', message: 'rate limited (429); retry after 30 s' });
  });

  it.each([500, 502, 503])('%i is a CXone server error, not retried', (status) => {
    const o = classifyOutcome(resp(status, 'upstream down'), SIG);
    expect(o).toMatchObject({ ok: false, class: 'server-error', renewToken: false });
    expect(o.message).toBe(`CXone server error (${status}): upstream down`);
  });

  it('a 200 HTML page is not ok (wrong host)', () => {
    const o = classifyOutcome(resp(200, '<!DOCTYPE html><html><body>Sign in</body></html>', { 'content-type': 'text/html; charset=utf-8' }), SIG);
    expect(o).toMatchObject({ ok: false, status: 200, class: 'html' });
    expect(o.message).toContain('an HTML page came back instead of the API');
    expect(o.message).toContain('wrong host (a login or gateway page?)');
  });

  it('a 200 HTML body without Content-Type is still recognised', () => {
    expect(classifyOutcome(resp(200, '  <html><head></head></html>'), SIG).class).toBe('html');
  });

  it('a redirect says where and hints at the host', () => {
    const o = classifyOutcome(resp(302, '', { location: 'https://login.example/' }), SIG);
    expect(o).toMatchObject({ ok: false, class: 'redirect' });
    expect(o.message).toContain('https://login.example/');
  });

  it('other statuses are unexpected, with the body', () => {
    expect(classifyOutcome(resp(409, '{"error":"conflict"}'), SIG).message).toBe('unexpected HTTP 409: conflict');
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])('%s: cannot reach the host (wrong region or API host)', (code) => {
    const o = classifyOutcome(net(code), SIG);
    expect(o).toMatchObject({ ok: false, status: null, class: 'unreachable' });
    expect(o.message).toBe(`cannot reach api-na1.niceincontact.com (${code}): wrong region or API host?`);
  });

  it('TLS failures say TLS failed with the reason', () => {
    const o = classifyOutcome(net('DEPTH_ZERO_SELF_SIGNED_CERT', { tls: true, message: 'self-signed certificate' }), SIG);
    expect(o.class).toBe('tls');
    expect(o.message).toMatch(/^TLS failed: self-signed certificate/);
  });

  it('a timeout after sending: may or may not have landed, not retried', () => {
    const o = classifyOutcome({ kind: 'timeout', timeoutMs: 300, phase: 'wait', sent: true, timings: T }, SIG);
    expect(o).toMatchObject({ ok: false, class: 'timeout', renewToken: false });
    expect(o.message).toBe('no answer in 300 ms (the signal may or may not have landed; not retried)');
  });

  it('a timeout while connecting: the request was not sent', () => {
    const o = classifyOutcome({ kind: 'timeout', timeoutMs: 300, phase: 'connect', sent: false, timings: T }, SIG);
    expect(o.message).toContain('was not sent');
  });

  it('a reset after sending: may or may not have landed', () => {
    const o = classifyOutcome(net('ECONNRESET', { sent: true }), SIG);
    expect(o.class).toBe('connection-lost');
    expect(o.message).toContain('may or may not have landed; not retried');
  });

  it('an unusable URL is an outcome', () => {
    expect(classifyOutcome({ kind: 'invalid', message: 'bad URL: x', timings: T }, SIG)).toMatchObject({ ok: false, class: 'invalid' });
  });
});

describe('classifyOutcome: token', () => {
  it('200 with access_token is ok; 200 without it is not', () => {
    expect(classifyOutcome(resp(200, '{"access_token":"abc","expires_in":3600}'), TOKEN).ok).toBe(true);
    const o = classifyOutcome(resp(200, '{"hello":1}'), TOKEN);
    expect(o.ok).toBe(false);
    expect(o.message).toContain('without an access_token');
  });

  it('401 says the access key id or secret is wrong', () => {
    const o = classifyOutcome(resp(401, '{"error":"invalid_client"}'), TOKEN);
    expect(o.message).toMatch(/^access key id or secret wrong \(401\)/);
    expect(o.renewToken).toBe(false);
  });

  it('ENOTFOUND points at the area', () => {
    const o = classifyOutcome(net('ENOTFOUND'), TOKEN);
    expect(o.message).toContain('cannot resolve na1.nice-incontact.com');
    expect(o.message).toContain('wrong area');
  });

  it('404 says no token endpoint there', () => {
    expect(classifyOutcome(resp(404), TOKEN).message).toContain('no token endpoint at');
  });

  it('a 200 HTML page is not a token', () => {
    expect(classifyOutcome(resp(200, '<html></html>', { 'content-type': 'text/html' }), TOKEN).class).toBe('html');
  });

  it('403 says the key is refused', () => {
    expect(classifyOutcome(resp(403), TOKEN).message).toContain('access key refused (403)');
  });
});

describe('classifyOutcome: other API reads', () => {
  it('2xx is ok, 404 names the API', () => {
    expect(classifyOutcome(resp(200, '{}'), API)).toMatchObject({ ok: true, message: 'ok (200)' });
    expect(classifyOutcome(resp(404, '{"message":"nope"}'), API).message).toContain('active contacts: not found (404)');
  });
  it('a timeout does not talk about signals', () => {
    expect(classifyOutcome({ kind: 'timeout', timeoutMs: 50, phase: 'wait', sent: true, timings: T }, API).message).not.toContain('signal');
  });
});

describe('helpers', () => {
  it('isHtmlPage by Content-Type or by body', () => {
    expect(isHtmlPage({ 'content-type': 'text/html' }, '')).toBe(true);
    expect(isHtmlPage({}, '<!doctype html><p>')).toBe(true);
    expect(isHtmlPage({ 'content-type': 'application/json' }, '{"a":"<html>"}')).toBe(false);
  });

  it('bodyMessage picks the message field, the HTML title, or text', () => {
    expect(bodyMessage('{"error_description":"bad key"}')).toBe('bad key');
    expect(bodyMessage('{"other":1}')).toBe('{"other":1}');
    expect(bodyMessage('<html><title> Gateway\n Login </title></html>')).toBe('HTML page "Gateway Login"');
    expect(bodyMessage('  plain\ntext ')).toBe('plain text');
    expect(bodyMessage('')).toBe('');
    expect(bodyMessage('x'.repeat(500)).length).toBe(200);
  });

  it('retryAfterSeconds reads both forms and rejects garbage', () => {
    expect(retryAfterSeconds('0')).toBe(0);
    expect(retryAfterSeconds(undefined)).toBeNull();
    expect(retryAfterSeconds('soon')).toBeNull();
  });

  it('parseTokenBody reads access_token and expires_in', () => {
    expect(parseTokenBody('{"access_token":"t","expires_in":120}')).toEqual({ accessToken: 't', expiresInS: 120 });
    expect(parseTokenBody('{"access_token":"t"}')).toEqual({ accessToken: 't', expiresInS: null });
    expect(parseTokenBody('{"access_token":"t","expires_in":"x"}')).toEqual({ accessToken: 't', expiresInS: null });
    expect(parseTokenBody('not json')).toBeNull();
  });
});
