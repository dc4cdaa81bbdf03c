/**
 * Every Signal outcome class, produced by the real emulator (its faults and settings) and read by
 * the real client over loopback, each with its message asserted: 2xx (exact code), 400, 401, 403,
 * 404, 429 (Retry-After honoured), 5xx, an HTML page with 200, DNS, TLS, timeout, reset, the
 * wrong leg; and the token renewal cases.
 */
import { describe, expect, it } from 'vitest';
import { monoNow } from '../../../src/main/clock';
import { RetryAfterGate } from '../../../src/main/cxone/rate-limit';
import type { TokenProvider } from '../../../src/main/cxone/token';
import { client, emulator, nextSignal, signalsOf } from './helpers';

describe('Signal outcome classes', () => {
  it.each([200, 202, 204])('2xx keeps the exact code: %i', async (status) => {
    const api = await emulator({ signalStatus: status });
    api.contacts.add({ contactId: '10', role: 'master', onSignal: () => {} });
    const rec = await client(api).signal('10', { p1: 'AgentHandoff' });
    expect(rec).toMatchObject({ ok: true, status, message: `accepted (${status})`, outcomeClass: 'accepted', attempts: 1 });
    expect(rec.api).toMatchObject({ apiBase: api.baseUrl, source: 'override', apiVersion: 'v28.0', pathStyle: 'incontactapi' });
    expect(rec.url).toBe(`${api.baseUrl}/incontactapi/services/v28.0/interactions/10/signal?p1=AgentHandoff`);
  });

  it('400: the body message', async () => {
    const api = await emulator({ signalStatus: 400 });
    api.contacts.add({ contactId: '10', role: 'master', onSignal: () => {} });
    const rec = await client(api).signal('10', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: 400, outcomeClass: 'bad-request', attempts: 1 });
    expect(rec.message).toBe('bad request (400): emulator answers 400 to Signal');
  });

  it('401 on the first call only (fault unauthorized-first): one renewal, one retry, one ONSIGNAL', async () => {
    const api = await emulator({ faults: [{ kind: 'unauthorized-first' }] });
    let fired = 0;
    api.contacts.add({ contactId: '10', role: 'master', onSignal: () => fired++ });
    const seen = signalsOf(api);
    const done = nextSignal(api, (e) => e.status === 202);
    const rec = await client(api).signal('10', { p1: 'x' });
    await done;
    expect(rec).toMatchObject({ ok: true, status: 202, attempts: 2 });
    expect(rec.message).toBe('accepted (202) (after 401 with the first token: retried once with a new one)');
    expect(seen.map((e) => e.status)).toEqual([401, 202]);
    expect(fired).toBe(1);
  });

  it('401 that stays: the token is refused, with the likely causes', async () => {
    const api = await emulator();
    api.contacts.add({ contactId: '10', role: 'master', onSignal: () => {} });
    const bogus: TokenProvider = { getToken: () => Promise.resolve({ ok: true, token: 'not-a-cxone-token', ms: 0, cached: true }), invalidate: () => {} };
    const rec = await client(api, { tokenProvider: bogus }).signal('10', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: 401, outcomeClass: 'unauthorized', attempts: 2 });
    expect(rec.message).toBe(
      'token refused (401): check the access key (id, secret, still active) and the app registration (client id and secret for this issuer), or the token expired / belongs to another environment (region) than this API host (after 401 with the first token: retried once with a new one)',
    );
  });

  it('403: forbidden, with the likely causes (permission, app registration); ONSIGNAL not run', async () => {
    const api = await emulator({ signalStatus: 403 });
    let fired = 0;
    api.contacts.add({ contactId: '10', role: 'master', onSignal: () => fired++ });
    const rec = await client(api).signal('10', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: 403, outcomeClass: 'forbidden', attempts: 2 });
    expect(rec.message).toBe(
      'forbidden (403): the user of the access key lacks permission (for this API or business unit), or the app is not registered for this API, or the token is of another environment than this API host (after 403 with the first token: retried once with a new one)',
    );
    expect(fired).toBe(0);
  });

  it('404: contact unknown or ended', async () => {
    const api = await emulator();
    const rec = await client(api).signal('4040', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: 404, outcomeClass: 'not-found', attempts: 1 });
    expect(rec.message).toBe('contact 4040 unknown or ended (404): check that you signal the right contact id (MasterId vs child) and that the call is still up');
  });

  it('429 (fault rate-limit:2): Retry-After is honoured by refusing the next call until then, never retried', async () => {
    const api = await emulator({ faults: [{ kind: 'rate-limit', retryAfterS: 2 }] });
    api.contacts.add({ contactId: '10', role: 'master', onSignal: () => {} });
    const seen = signalsOf(api);
    let skewMs = 0;
    const clock = (): number => monoNow() + skewMs;
    const c = client(api, { clock, rateLimits: new RetryAfterGate(clock) });
    const first = await c.signal('10', { p1: 'x' });
    expect(first).toMatchObject({ ok: false, status: 429, outcomeClass: 'rate-limited', attempts: 1 });
    expect(first.message).toBe('rate limited (429); retry after 2 s');

    const second = await c.signal('10', { p1: 'x' });
    expect(second).toMatchObject({ ok: false, status: null, outcomeClass: 'not-sent', attempts: 0 });
    expect(second.message).toMatch(/^not sent: 127\.0\.0\.1:\d+ answered 429 with Retry-After: 2; calls to it are refused for [\d.]+ s more \(not delayed, not retried\): try again then$/);
    expect(seen).toHaveLength(1);

    skewMs = 2_000;
    api.setFaults([]);
    const accepted = nextSignal(api, (e) => e.status === 202); // its event comes once the answer is written
    const third = await c.signal('10', { p1: 'x' });
    expect(third).toMatchObject({ ok: true, status: 202 });
    await accepted;
    expect(seen.map((e) => e.status)).toEqual([429, 202]);
  });

  it('5xx (fault server-error:503): server error, not retried', async () => {
    const api = await emulator({ faults: [{ kind: 'server-error', status: 503 }] });
    api.contacts.add({ contactId: '10', role: 'master', onSignal: () => {} });
    const seen = signalsOf(api);
    const rec = await client(api).signal('10', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: 503, outcomeClass: 'server-error', attempts: 1 });
    expect(rec.message).toBe('CXone server error (503): emulated server error 503 (fault server-error)');
    expect(seen).toHaveLength(1);
  });

  it('an HTML page with 200 (fault html-200): not ok, wrong host', async () => {
    const api = await emulator({ faults: [{ kind: 'html-200' }] });
    api.contacts.add({ contactId: '10', role: 'master', onSignal: () => {} });
    const rec = await client(api).signal('10', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: 200, outcomeClass: 'html', attempts: 1 });
    expect(rec.message).toBe('an HTML page came back instead of the API (200): wrong host (a login or gateway page?)');
    expect(rec.exchange.response?.body).toContain('<title>Sign in - Gateway</title>');
  });

  it('DNS: a host under .invalid cannot be resolved', async () => {
    const api = await emulator();
    const rec = await client(api, { apiBase: 'http://cxone-lab.invalid' }).signal('10', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: null, outcomeClass: 'unreachable', attempts: 1 });
    expect(rec.message).toMatch(/^cannot reach cxone-lab\.invalid \((ENOTFOUND|EAI_AGAIN)\): wrong region or API host\?$/);
  });

  it('TLS: an API host whose certificate is not trusted', async () => {
    const auth = await emulator();
    const tlsApi = await emulator({ tls: 'self-signed' });
    const rec = await client(auth, { apiBase: tlsApi.baseUrl, caPem: undefined }).signal('10', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: null, outcomeClass: 'tls', attempts: 1 });
    expect(rec.message).toMatch(new RegExp(`^TLS failed: .*self-signed certificate.* talking to 127\\.0\\.0\\.1:${new URL(tlsApi.baseUrl).port}$`));
  });

  it('timeout (fault slow:400, client timeout 100 ms): may or may not have landed, sent once', async () => {
    const api = await emulator({ faults: [{ kind: 'slow', delayMs: 400 }] });
    api.contacts.add({ contactId: '10', role: 'master', onSignal: () => {} });
    const seen = signalsOf(api);
    const rec = await client(api, { timeoutMs: 100 }).signal('10', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: null, outcomeClass: 'timeout', attempts: 1 });
    expect(rec.message).toBe('no answer in 100 ms (the signal may or may not have landed; not retried)');
    expect(seen).toHaveLength(0); // the emulator has not answered yet: its event comes with the answer
  });

  it.each(['http', 'https'] as const)('reset (fault reset) over %s: connection lost after sending, not retried', async (scheme) => {
    const api = await emulator({ faults: [{ kind: 'reset' }], ...(scheme === 'https' ? { tls: 'self-signed' as const } : {}) });
    api.contacts.add({ contactId: '10', role: 'master', onSignal: () => {} });
    const seen = signalsOf(api);
    const rec = await client(api).signal('10', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: null, outcomeClass: 'connection-lost', attempts: 1 });
    expect(rec.message).toMatch(/^connection to 127\.0\.0\.1:\d+ broke after the request was sent \(ECONNRESET\): the signal may or may not have landed; not retried$/);
    expect(seen.map((e) => e.outcome)).toEqual(['fault reset: reset the connection without an answer; ONSIGNAL not run']);
  });

  it('wrong leg: the child script has no ONSIGNAL, the parent (MasterId) has (Synthflow)', async () => {
    const api = await emulator();
    let fired = 0;
    api.contacts.add({ contactId: '5000', role: 'master', onSignal: () => fired++ });
    api.contacts.add({ contactId: '5001', role: 'child', masterId: '5000' });
    const ev = nextSignal(api);
    const rec = await client(api).signal('5001', { p1: 'AgentHandoff' });
    expect(rec).toMatchObject({ ok: false, status: 202, outcomeClass: 'wrong-leg', attempts: 1 });
    expect(rec.message).toBe(
      "wrong leg: accepted (202) but contact 5001's script has no ONSIGNAL, so nothing happens; the parent script holds the ONSIGNAL: signal the MasterId 5000 (emulator)",
    );
    expect((await ev).outcome).toBe("no ONSIGNAL in the child contact's script: nothing happens (the ONSIGNAL is in the script of 5000, the MasterId)");
    expect(fired).toBe(0);
  });
});

describe('tokens around Signals', () => {
  it('a token that expires between two signals is renewed before the second, which succeeds (client clock)', async () => {
    const api = await emulator({ tokenTtlS: 60 });
    api.contacts.add({ contactId: '10', role: 'master', onSignal: () => {} });
    const tokens: string[] = [];
    api.on('token', (e) => tokens.push(e.flow));
    const seen = signalsOf(api);
    let skewMs = 0;
    const c = client(api, { clock: () => monoNow() + skewMs });
    const firstDone = nextSignal(api);
    expect((await c.signal('10', { p1: 'first' })).ok).toBe(true);
    await firstDone;
    skewMs = 60_000; // the token's lifetime has run out for the client…
    api.expireTokens(); // …and for the emulator
    const accepted = nextSignal(api, (e) => e.params.p1 === 'second');
    const rec = await c.signal('10', { p1: 'second' });
    await accepted;
    expect(rec).toMatchObject({ ok: true, status: 202, attempts: 1, message: 'accepted (202)' });
    expect(rec.tokenMs).toBeGreaterThan(0);
    expect(tokens).toEqual(['access-key', 'access-key']);
    expect(seen.map((e) => e.status)).toEqual([202, 202]);
  });

  it('fault expired-token while a token is held: 401, renewal, and the retry succeeds', async () => {
    const api = await emulator();
    api.contacts.add({ contactId: '10', role: 'master', onSignal: () => {} });
    const c = client(api);
    expect((await c.getToken()).ok).toBe(true);
    api.setFaults([{ kind: 'expired-token' }]);
    const seen = signalsOf(api);
    const rec = await c.signal('10', { p1: 'x' });
    expect(rec).toMatchObject({ ok: true, status: 202, attempts: 2 });
    expect(seen.map((e) => e.outcome)[0]).toBe('token refused: token expired');
  });

  it('fault expired-token from the start: the first token is issued expired, the renewed one works', async () => {
    const api = await emulator({ faults: [{ kind: 'expired-token' }] });
    api.contacts.add({ contactId: '10', role: 'master', onSignal: () => {} });
    const rec = await client(api).signal('10', { p1: 'x' });
    expect(rec).toMatchObject({ ok: true, status: 202, attempts: 2 });
    expect(rec.message).toContain('(after 401 with the first token: retried once with a new one)');
  });
});
