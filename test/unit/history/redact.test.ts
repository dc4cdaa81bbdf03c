/**
 * Defensive redaction of HTTP exchanges and bodies before they reach the history database.
 */
import { describe, expect, it } from 'vitest';
import { REDACTED, redactExchange, redactText, redactUrl } from '../../../src/main/history/redact';
import type { HttpExchange } from '../../../src/shared/types';

describe('redactText', () => {
  it('redacts secret keys of a JSON body at any depth and in any case', () => {
    const body = JSON.stringify({
      access_token: 'a1',
      token_type: 'bearer',
      expires_in: 3600,
      nested: { ID_TOKEN: 'i1', list: [{ Refresh_Token: 'r1' }, { password: 'p1' }] },
      accessKeySecret: 'k1',
      client_secret: 'c1',
      Token: 't1',
    });
    const out = JSON.parse(redactText(body));
    expect(out).toEqual({
      access_token: REDACTED,
      token_type: 'bearer',
      expires_in: 3600,
      nested: { ID_TOKEN: REDACTED, list: [{ Refresh_Token: REDACTED }, { password: REDACTED }] },
      accessKeySecret: REDACTED,
      client_secret: REDACTED,
      Token: REDACTED,
    });
  });

  it('redacts non-string secret values and JSON encoded inside a string', () => {
    const out = JSON.parse(redactText('{"token": 12345, "password": null, "raw": "{\\"access_token\\":\\"x9\\"}"}'));
    expect(out.token).toBe(REDACTED);
    expect(out.password).toBe(REDACTED);
    expect(JSON.parse(out.raw)).toEqual({ access_token: REDACTED });
  });

  it('returns a JSON body without secrets unchanged, formatting included', () => {
    const body = '{\n  "result": "accepted",\n  "contactId": 701234567890\n}';
    expect(redactText(body)).toBe(body);
  });

  it('redacts form-encoded bodies', () => {
    expect(redactText('grant_type=password&username=bob&PASSWORD=hunter2&client_secret=cs&scope=x')).toBe(
      'grant_type=password&username=bob&PASSWORD=[redacted]&client_secret=[redacted]&scope=x',
    );
    expect(redactText('accessKeyId=AK1&accessKeySecret=SK1')).toBe('accessKeyId=AK1&accessKeySecret=[redacted]');
    expect(redactText('refresh_token=r&x=1')).toBe('refresh_token=[redacted]&x=1');
    // In a form body a value ends only at '&'; keys are compared percent-decoded.
    expect(redactText('password=ab,cd)"x&access%5Ftoken=t&flag')).toBe('password=[redacted]&access%5Ftoken=[redacted]&flag');
  });

  it('does not touch keys that only contain a secret key name', () => {
    expect(redactText('token_type=bearer&mytoken=x&x_password=y')).toBe('token_type=bearer&mytoken=x&x_password=y');
  });

  it('redacts truncated or otherwise broken JSON', () => {
    const out = redactText('{"access_token":"eyJhbGciOi.abc","refresh_token":"rrr');
    expect(out).toBe('{"access_token":"[redacted]","refresh_token":"[redacted]"');
    expect(redactText('{"id_token": 42, "x": 1')).toBe('{"id_token": "[redacted]", "x": 1');
    expect(redactText('<html>{\\"token\\":\\"abc\\"}</html>')).toBe('<html>{\\"token\\":\\"[redacted]\\"}</html>');
  });

  it('redacts bearer credentials echoed in free text, and leaves prose alone', () => {
    expect(redactText('401: header was Authorization: Bearer abc.def.ghi')).toBe(
      '401: header was Authorization: Bearer [redacted]',
    );
    expect(redactText('Bearer token expired; use Basic authentication')).toBe(
      'Bearer token expired; use Basic authentication',
    );
  });

  it('never throws on odd input', () => {
    for (const s of ['', '{', '[', '{"a":', 'null', '"token"', '\u0000\uffff', 'token=', '{"token"}']) {
      expect(() => redactText(s)).not.toThrow();
    }
    expect(redactText('')).toBe('');
    expect(redactText('plain text')).toBe('plain text');
  });
});

describe('redactUrl', () => {
  it('redacts secret query parameters and userinfo passwords', () => {
    expect(redactUrl('https://h/x?a=1&access_token=abc&b=2')).toBe('https://h/x?a=1&access_token=[redacted]&b=2');
    expect(redactUrl('https://user:pw@h/x')).toBe('https://user:[redacted]@h/x');
    expect(redactUrl('http://127.0.0.1:4100/signal?p1=transfer&p2=billing')).toBe(
      'http://127.0.0.1:4100/signal?p1=transfer&p2=billing',
    );
  });
});

describe('redactExchange', () => {
  const exchange: HttpExchange = {
    request: {
      method: 'POST',
      url: 'https://api/x?token=q',
      headers: { authorization: 'Bearer abc.def.ghi', 'PROXY-AUTHORIZATION': 'Basic dXNlcjpwYXNz', Cookie: 'a=b', Accept: '*/*' },
      body: '{"accessKeyId":"AK","accessKeySecret":"SK"}',
    },
    response: {
      status: 200,
      headers: { 'Set-Cookie': 'sid=1', 'Content-Type': 'application/json' },
      body: '{"access_token":"eyJ.x.y","token_type":"bearer","expires_in":3600}',
    },
  };

  it('redacts secret headers in any case, bodies and the URL, keeping everything else', () => {
    expect(redactExchange(exchange)).toEqual({
      request: {
        method: 'POST',
        url: 'https://api/x?token=[redacted]',
        headers: { authorization: REDACTED, 'PROXY-AUTHORIZATION': REDACTED, Cookie: REDACTED, Accept: '*/*' },
        body: '{"accessKeyId":"AK","accessKeySecret":"[redacted]"}',
      },
      response: {
        status: 200,
        headers: { 'Set-Cookie': REDACTED, 'Content-Type': 'application/json' },
        body: '{"access_token":"[redacted]","token_type":"bearer","expires_in":3600}',
      },
    });
  });

  it('does not modify its input', () => {
    const copy = structuredClone(exchange);
    redactExchange(exchange);
    expect(exchange).toEqual(copy);
  });

  it('keeps absent parts absent and redacts the network error text', () => {
    const out = redactExchange({
      request: { method: 'GET', url: 'https://api/x', headers: {} },
      error: 'connect ECONNREFUSED (token=abc)',
    });
    expect(out).toEqual({ request: { method: 'GET', url: 'https://api/x', headers: {} }, error: 'connect ECONNREFUSED (token=[redacted])' });
    expect('body' in out.request).toBe(false);
    expect('response' in out).toBe(false);
  });
});
