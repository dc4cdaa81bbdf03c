// REGISTER with digest auth against SIPp playing a registrar (uas_register_digest.xml): 401 →
// REGISTER with Authorization (checked by <verifyauth>) → 200 with our Contact and expiry; then a
// refresh before the expiry and an unregister (expires=0) on stop. A wrong password ends with a
// clear error after the registrar's second 401; 403 and 404 without a challenge are explained.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SipEndpoint } from '../../../src/main/sip/endpoint';
import { SipRegistration, type RegistrationResult } from '../../../src/main/sip/registration';
import { ladder } from '../../helpers/sip/endpoints';
import { describeSipp, freePort, runSipp, sippAvailable, waitForListening, type SippRun } from '../../helpers/sip/sipp';

const DIGEST = resolve(import.meta.dirname, '../scenarios/uas_register_digest.xml');
const REJECT = resolve(import.meta.dirname, '../scenarios/uas_register_reject.xml');
const eps: SipEndpoint[] = [];
const regs: SipRegistration[] = [];
const runs: SippRun[] = [];
afterEach(async () => {
  await Promise.all(regs.splice(0).map((r) => r.stop()));
  runs.splice(0).forEach((r) => r.kill());
  await Promise.all(eps.splice(0).map((e) => e.stop()));
});

async function registrar(transport: 'udp' | 'tcp', scenario: string, keys: string[]): Promise<number> {
  const port = await freePort();
  const run = runSipp(['-sf', scenario, '-t', transport === 'udp' ? 'u1' : 't1', '-i', '127.0.0.1', '-p', String(port), '-m', '1', ...keys, '-nostdin', '-timeout', '20', '-timeout_error'], {
    cwd: mkdtempSync(join(tmpdir(), 'registrar-')),
    timeoutMs: 25_000,
  });
  runs.push(run);
  await waitForListening(port, transport);
  return port;
}

async function endpoint(transport: 'udp' | 'tcp', password: string | null): Promise<SipEndpoint> {
  const ep = await SipEndpoint.start({ transport, host: '127.0.0.1', port: 0, user: 'alice', ...(password ? { auth: { username: 'alice', password } } : {}) });
  eps.push(ep);
  return ep;
}

function nextResult(reg: SipRegistration, action: RegistrationResult['action']): Promise<RegistrationResult> {
  return new Promise((r) => {
    const on = (res: RegistrationResult): void => {
      if (res.action !== action) return;
      reg.off('result', on);
      r(res);
    };
    reg.on('result', on);
  });
}

describe.skipIf(!sippAvailable())('REGISTER with digest against a SIPp registrar', () => {
  it.each(['udp', 'tcp'] as const)('over %s: 401 → authorised REGISTER → 200 with bindings; refresh before expiry; unregister on stop', async (transport) => {
    const port = await registrar(transport, DIGEST, ['-key', 'grant', '1']);
    const ep = await endpoint(transport, 'secret');
    const reg = new SipRegistration(ep, { registrar: `sip:127.0.0.1:${port}`, aor: 'sip:alice@sipp.test', expiresS: 60 });
    regs.push(reg);
    const refreshed = nextResult(reg, 'refresh');
    const first = await reg.register();
    expect(first).toMatchObject({ action: 'register', ok: true, status: 200, expiresS: 1, error: null });
    expect(first.bindings).toHaveLength(2);
    expect(first.bindings.find((b) => b.ours)).toMatchObject({ expiresS: 1 });
    expect(first.bindings.find((b) => !b.ours)).toMatchObject({ contact: '<sip:other-device@192.0.2.7:5060>;expires=1800', expiresS: 1800 });
    expect(ladder(first.messages)).toEqual(['>REGISTER', '<401', '>REGISTER', '<200']);
    expect(first.messages[0]!.raw).toMatch(/^To: <sip:alice@sipp\.test>/m);
    expect(first.messages[0]!.raw).toMatch(/^Contact: <sip:alice@127\.0\.0\.1:\d+;transport=\w+>;expires=60/m);
    // The credentials crossed the wire (SIPp verified them); records keep only the scheme.
    expect(first.messages[2]!.raw).toMatch(/^Authorization: Digest \[redacted\]\r?$/m);
    expect(first.auth).toMatchObject({ sentAuthorization: true, ok: true, challenges: [{ status: 401, realm: 'sipp.test', algorithm: 'MD5', qop: 'auth' }] });
    expect(reg.state).toBe('registered');
    // The registrar granted 1 s: the refresh goes out before it lapses, with the same Call-ID and a higher CSeq.
    const refresh = await refreshed;
    expect(refresh).toMatchObject({ ok: true, status: 200, expiresS: 1 });
    const cseq = (raw: string): number => Number(/^CSeq: (\d+)/m.exec(raw)![1]);
    expect(cseq(refresh.messages[0]!.raw)).toBeGreaterThan(cseq(first.messages[2]!.raw));
    expect(new Set(reg.messages.map((m) => m.callId)).size).toBe(1);
    const un = await reg.stop();
    expect(un).toMatchObject({ action: 'unregister', ok: true, status: 200, expiresS: 0 });
    expect(un!.messages[0]!.raw).toMatch(/^Contact: <[^>]+>;expires=0/m);
    expect(un!.bindings.map((b) => b.ours)).toEqual([false]);
    expect(reg.state).toBe('unregistered');
    const s = await runs[0]!.done;
    expect(s.code, describeSipp(s)).toBe(0);
  });

  it('a wrong password ends at the second 401 with a clear error, without retrying', async () => {
    const port = await registrar('udp', DIGEST, ['-key', 'grant', '60']);
    const ep = await endpoint('udp', 'wrong-password');
    const reg = new SipRegistration(ep, { registrar: `sip:127.0.0.1:${port}`, aor: 'sip:alice@sipp.test' });
    regs.push(reg);
    const r = await reg.register();
    expect(r.ok).toBe(false);
    expect(r.status).toBe(401);
    expect(r.error).toBe('the registrar rejected the credentials of user alice (realm sipp.test): check the SIP password');
    expect(ladder(r.messages)).toEqual(['>REGISTER', '<401', '>REGISTER', '<401']);
    expect(reg.state).toBe('failed');
    expect(JSON.stringify(r)).not.toContain('wrong-password');
  });

  it('without a password the first 401 ends it: "no SIP password was given"', async () => {
    const port = await registrar('udp', DIGEST, ['-key', 'grant', '60']);
    const ep = await endpoint('udp', null);
    const reg = new SipRegistration(ep, { registrar: `sip:127.0.0.1:${port}`, aor: 'sip:alice@sipp.test' });
    regs.push(reg);
    const r = await reg.register();
    expect(r.error).toBe('the registrar asks for digest authentication (401, realm sipp.test) but no SIP password was given');
    expect(ladder(r.messages)).toEqual(['>REGISTER', '<401']);
  });

  it('404 and 403 without a challenge are explained', async () => {
    const port = await registrar('tcp', REJECT, []);
    const ep = await endpoint('tcp', 'secret');
    const reg = new SipRegistration(ep, { registrar: `sip:127.0.0.1:${port}`, aor: 'sip:alice@sipp.test' });
    regs.push(reg);
    const notFound = await reg.register();
    expect(notFound).toMatchObject({ ok: false, status: 404 });
    expect(notFound.error).toBe('the registrar does not know the address of record sip:alice@sipp.test (404 Not Found): check the user name and domain');
    const forbidden = await reg.register();
    expect(forbidden).toMatchObject({ ok: false, status: 403 });
    expect(forbidden.error).toMatch(/^the registrar refused with 403 Forbidden without asking for credentials: it may accept only known source addresses/);
    const s = await runs[0]!.done;
    expect(s.code, describeSipp(s)).toBe(0);
  });
});
