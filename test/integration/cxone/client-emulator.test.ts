/**
 * The real CXone client against the real emulator API on 127.0.0.1 (port 0): tokens and their
 * cache, Signal a Contact to active, unknown and ended contacts, token expiry and revocation,
 * redaction, active contacts and server time.
 */
import { describe, expect, it } from 'vitest';
import { AccessKeyTokenProvider, TokenCache } from '../../../src/main/cxone/token';
import { monoNow } from '../../../src/main/clock';
import type { SignalParams } from '../../../src/shared/types';
import { KEY, client, emulator, nextSignal } from './helpers';

describe('tokens', () => {
  it('gets a token and serves it from the cache the second time', async () => {
    const api = await emulator();
    const c = client(api);
    const a = await c.getToken();
    const b = await c.getToken();
    expect(a).toMatchObject({ ok: true, cached: false });
    expect(b).toMatchObject({ ok: true, cached: true, ms: 0 });
    if (a.ok && b.ok) expect(b.token).toBe(a.token);
    const claims = JSON.parse(Buffer.from((a.ok ? a.token : '').split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ tenantId: api.tenantId, iss: api.baseUrl });
    expect(typeof claims['exp']).toBe('number');
  });

  it('a wrong secret gives a clear message and no secret in the exchange', async () => {
    const api = await emulator();
    const events: { accessKeyId: string; status: number }[] = [];
    api.on('token', (e) => events.push(e));
    const wrong = 'Wr0ngS3cret==';
    const c = client(api, { credentials: { accessKeyId: KEY.accessKeyId, accessKeySecret: wrong } });
    const t = await c.getToken();
    expect(t.ok).toBe(false);
    if (t.ok) return;
    expect(t.message).toMatch(/^access key id or secret wrong \(401\)/);
    expect(JSON.stringify(t.exchange)).not.toContain(wrong);
    expect(JSON.stringify(t.exchange)).not.toContain(encodeURIComponent(wrong));
    expect(events).toEqual([expect.objectContaining({ accessKeyId: KEY.accessKeyId, status: 401, ok: false })]);

    const api2 = await emulator();
    api2.contacts.add({ contactId: '1', role: 'master', onSignal: () => {} });
    const rec = await client(api2, { credentials: { accessKeyId: KEY.accessKeyId, accessKeySecret: wrong } }).signal('1', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: null, attempts: 0 });
    expect(rec.message).toContain('no token: access key id or secret wrong');
  });

  it('concurrent callers share one token request', async () => {
    const api = await emulator();
    let n = 0;
    api.on('token', () => n++);
    const c = client(api);
    const all = await Promise.all([c.getToken(), c.getToken(), c.getToken()]);
    expect(all.every((t) => t.ok)).toBe(true);
    expect(n).toBe(1);
  });
});

describe('Signal a Contact', () => {
  it('202 reaches ONSIGNAL with p1..p9 exactly; the second signal uses the cached token', async () => {
    const api = await emulator();
    const got: SignalParams[] = [];
    api.contacts.add({ contactId: '700100', role: 'child', masterId: '700099', onSignal: (p) => got.push(p) });
    const c = client(api);
    const params: SignalParams = { p1: 'AgentHandoff', p2: 'a b', p3: 'x&y=z', p4: '1+1', p5: 'café ☎', p6: '', p7: '7', p8: '%41', p9: 'last' };
    const ev = nextSignal(api, (e) => e.status === 202);
    const rec = await c.signal('700100', params, { callRef: 'call-1' });
    expect(rec).toMatchObject({ ok: true, status: 202, message: 'accepted (202)', contactId: '700100', callRef: 'call-1', attempts: 1 });
    expect(rec.tokenMs).toBeGreaterThan(0);
    expect(rec.ms).toBeGreaterThan(0);
    expect(rec.doneMonoMs).toBeGreaterThan(0);
    expect(rec.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rec.exchange.request.headers).toMatchObject({ Authorization: 'Bearer [redacted]', 'Accept-Encoding': 'identity', 'Content-Length': '0' });
    expect(rec.exchange.request.body).toBeUndefined();
    const e = await ev;
    expect(e.outcome).toBe("ONSIGNAL fired in the child contact's script");
    expect(e.params).toEqual(params);
    expect(got).toEqual([params]);

    const rec2 = await c.signal('700100', { p1: 'again' });
    expect(rec2).toMatchObject({ ok: true, tokenMs: 0 });
  });

  it('the inContactAPI spelling and another version reach the same route', async () => {
    const api = await emulator();
    api.contacts.add({ contactId: '5', role: 'master', onSignal: () => {} });
    const rec = await client(api, { pathStyle: 'inContactAPI', apiVersion: 'v30.0' }).signal('5', { p1: 'End' });
    expect(rec.url).toContain('/inContactAPI/services/v30.0/interactions/5/signal?p1=End');
    expect(rec.ok).toBe(true);
  });

  it('an unknown contact gets 404 with the contact-id message', async () => {
    const api = await emulator();
    const rec = await client(api).signal('999', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: 404 });
    expect(rec.message).toContain('contact 999 unknown or ended');
    expect(rec.exchange.response?.body).toContain('unknown');
  });

  it('an ended contact gets 404 and its ONSIGNAL does not run', async () => {
    const api = await emulator();
    let fired = 0;
    api.contacts.add({ contactId: '42', role: 'master', onSignal: () => fired++ });
    api.contacts.end('42');
    const ev = nextSignal(api);
    const rec = await client(api).signal('42', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: 404 });
    expect((await ev).outcome).toContain('has ended');
    expect(fired).toBe(0);
  });

  it('a contact without ONSIGNAL answers 202, and the emulator says nothing happens', async () => {
    const api = await emulator();
    api.contacts.add({ contactId: '77', role: 'master' });
    const ev = nextSignal(api);
    const rec = await client(api).signal('77', { p1: 'x' });
    expect(rec).toMatchObject({ ok: true, status: 202 });
    expect((await ev).outcome).toBe("no ONSIGNAL in that contact's script: nothing happens");
  });

  it('renews a token that expired between two signals before sending the second', async () => {
    const api = await emulator({ tokenTtlS: 60 });
    api.contacts.add({ contactId: '1', role: 'master', onSignal: () => {} });
    let tokens = 0;
    const statuses: number[] = [];
    api.on('token', () => tokens++);
    api.on('signal', (e) => statuses.push(e.status));
    // The client's clock, advanced by hand: no sleeping until a real lifetime runs out.
    let skewMs = 0;
    const tokenProvider = new AccessKeyTokenProvider({ authBase: api.baseUrl, credentials: KEY, cache: new TokenCache(), clock: () => monoNow() + skewMs });
    const c = client(api, { tokenProvider });
    expect((await c.signal('1', { p1: 'first' })).ok).toBe(true);
    // 61 s later: the emulator refuses the old token (it would answer 401), and the client knows it expired.
    skewMs = 61_000;
    api.expireTokens();
    const rec = await c.signal('1', { p1: 'second' });
    expect(rec).toMatchObject({ ok: true, status: 202, attempts: 1 });
    expect(rec.tokenMs).toBeGreaterThan(0);
    expect(tokens).toBe(2);
    expect(statuses).not.toContain(401);
  });

  it('a 401 on the signal leads to one renewal, one retry, and exactly one ONSIGNAL', async () => {
    const api = await emulator();
    let fired = 0;
    api.contacts.add({ contactId: '300', role: 'master', onSignal: () => fired++ });
    const c = client(api);
    expect((await c.getToken()).ok).toBe(true);
    api.revokeTokens();
    const statuses: number[] = [];
    api.on('signal', (e) => statuses.push(e.status));
    const done = nextSignal(api, (e) => e.status === 202);
    const rec = await c.signal('300', { p1: 'AgentHandoff' });
    await done;
    expect(rec).toMatchObject({ ok: true, status: 202, attempts: 2 });
    expect(rec.message).toContain('retried once with a new one');
    expect(rec.tokenMs).toBeGreaterThan(0);
    expect(statuses).toEqual([401, 202]);
    expect(fired).toBe(1);
  });

  it('rejects bad input as an outcome without sending anything', async () => {
    const api = await emulator();
    let n = 0;
    api.on('signal', () => n++);
    const c = client(api);
    const empty = await c.signal('  ', { p1: 'x' });
    expect(empty).toMatchObject({ ok: false, status: null, attempts: 0 });
    expect(empty.message).toContain('contact id is empty');
    const bad = await c.signal('1', { p1: 'x', p10: 'y' } as SignalParams);
    expect(bad.message).toContain('not allowed: "p10"');
    expect(bad.url).not.toContain('p10');
    expect(n).toBe(0);
  });

  it('keeps no token and no secret anywhere in the record', async () => {
    const api = await emulator();
    api.contacts.add({ contactId: '8', role: 'master', onSignal: () => {} });
    const c = client(api);
    const t = await c.getToken();
    if (!t.ok) throw new Error(t.message);
    const okRec = await c.signal('8', { p1: 'x' });
    api.revokeTokens();
    const retried = await c.signal('8', { p1: 'y' });
    const notFound = await c.signal('9', { p1: 'z' });
    for (const rec of [okRec, retried, notFound]) {
      const json = JSON.stringify(rec);
      expect(json).not.toContain(t.token);
      expect(json).not.toContain(t.token.split('.')[2]);
      expect(json).not.toContain(KEY.accessKeySecret);
      expect(json).not.toContain(encodeURIComponent(KEY.accessKeySecret));
      expect(json).toContain('Bearer [redacted]');
    }
    const latest = await c.getToken();
    if (latest.ok) expect(JSON.stringify(retried)).not.toContain(latest.token);
  });
});

describe('emulator routes', () => {
  it('activeContacts lists the added, active contacts (with a toAddr filter)', async () => {
    const api = await emulator();
    api.contacts.add({ contactId: '1001', role: 'master', toAddr: '+15550001' });
    api.contacts.add({ contactId: '1002', role: 'child', masterId: '1001', toAddr: '+15559999' });
    api.contacts.add({ contactId: '1003', role: 'master' });
    api.contacts.end('1003');
    const c = client(api);
    const all = await c.activeContacts();
    expect(all).toMatchObject({ ok: true, contactIds: ['1001', '1002'] });
    if (all.ok) expect(all.contacts[1]).toEqual({ contactId: '1002', masterContactId: '1001', toAddr: '+15559999', fromAddr: '' });
    expect(await c.activeContacts({ toAddr: '+15559999' })).toMatchObject({ ok: true, contactIds: ['1002'] });
  });

  it('server-time answers with ServerTime', async () => {
    const api = await emulator();
    const r = await client(api).serverTime();
    expect(r.ok).toBe(true);
    if (r.ok) expect(Number.isNaN(Date.parse(r.serverTime))).toBe(false);
  });

  it('answers raw requests: 400 on other query params, 401 without Bearer, 400 on bad JSON, 404 on unknown routes', async () => {
    const api = await emulator();
    api.contacts.add({ contactId: '1', role: 'master', onSignal: () => {} });
    const t = await client(api).getToken();
    if (!t.ok) throw new Error(t.message);
    const auth = { Authorization: `Bearer ${t.token}` };
    const sig = `${api.baseUrl}/InContactApi/services/v28.0/interactions/1/signal`;
    expect((await fetch(`${sig}?p1=a&foo=b`, { method: 'POST', headers: auth })).status).toBe(400);
    expect((await fetch(`${sig}?p1=a&p1=b`, { method: 'POST', headers: auth })).status).toBe(400);
    expect((await fetch(`${sig}?p1=a`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${sig}?p1=a`, { method: 'GET', headers: auth })).status).toBe(405);
    const bad = await fetch(`${api.baseUrl}/authentication/v1/token/access-key`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
    const nf = await fetch(`${api.baseUrl}/nothing/here`);
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as { message: string }).message).toContain('no API route');
  });

  it('a configured non-2xx signalStatus is reported and ONSIGNAL does not run', async () => {
    const api = await emulator({ signalStatus: 503 });
    let fired = 0;
    api.contacts.add({ contactId: '1', role: 'master', onSignal: () => fired++ });
    const rec = await client(api).signal('1', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: 503, attempts: 1 });
    expect(rec.message).toMatch(/^CXone server error \(503\)/);
    expect(fired).toBe(0);
  });
});
