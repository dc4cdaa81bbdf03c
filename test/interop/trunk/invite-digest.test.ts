// INVITE with digest auth against SIPp: a UAS that challenges with 401 (WWW-Authenticate) and
// checks the retry with <verifyauth>, and a proxy that challenges with 407 (Proxy-Authenticate),
// whose Proxy-Authorization this test checks from SIPp's message log (SIPp's <verifyauth> reads only
// Authorization). Right password: the call is answered and SIPp saw the X- header (it echoes it in
// the 200). Wrong password: the call fails after the second round trip with a clear message, no
// retry loop.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { digestOutcome } from '../../../src/main/sip/digest-outcome';
import { SipEndpoint } from '../../../src/main/sip/endpoint';
import { ladder } from '../../helpers/sip/endpoints';
import { describeSipp, freePort, runSipp, sippAvailable, waitForListening, type SippRun } from '../../helpers/sip/sipp';

const scenario = (name: string): string => resolve(import.meta.dirname, `../scenarios/uas_invite_digest_${name}.xml`);
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** Checks a digest credential (RFC 2617 §3.2.2, qop=auth) against the password, as a proxy would. */
function digestValid(credentials: string, method: string, password: string): boolean {
  const p = (name: string): string => new RegExp(`${name}="?([^",]+)"?`).exec(credentials)?.[1] ?? '';
  const ha1 = md5(`${p('username')}:${p('realm')}:${password}`);
  const ha2 = md5(`${method}:${p('uri')}`);
  return p('response') === md5(`${ha1}:${p('nonce')}:${p('nc')}:${p('cnonce')}:${p('qop')}:${ha2}`);
}
const eps: SipEndpoint[] = [];
const runs: SippRun[] = [];
afterEach(async () => {
  runs.splice(0).forEach((r) => r.kill());
  await Promise.all(eps.splice(0).map((e) => e.stop()));
});

async function setup(name: string, transport: 'udp' | 'tcp', password: string): Promise<{ ep: SipEndpoint; port: number; run: SippRun; log: () => string }> {
  const port = await freePort(4);
  const dir = mkdtempSync(join(tmpdir(), 'digest-'));
  const run = runSipp(
    ['-sf', scenario(name), '-t', transport === 'udp' ? 'u1' : 't1', '-i', '127.0.0.1', '-p', String(port), '-mp', String(port + 2), '-m', '1', '-nostdin', '-timeout', '20', '-timeout_error', '-trace_msg', '-message_file', join(dir, 'msgs.log')],
    { cwd: dir, timeoutMs: 25_000 },
  );
  runs.push(run);
  await waitForListening(port, transport);
  const ep = await SipEndpoint.start({ transport, host: '127.0.0.1', port: 0, user: 'cxone', auth: { username: 'alice', password } });
  eps.push(ep);
  return { ep, port, run, log: () => readFileSync(join(dir, 'msgs.log'), 'utf8') };
}

describe.skipIf(!sippAvailable())('INVITE with digest auth against SIPp', () => {
  it.each([
    [401, 'udp', 'Authorization'],
    [401, 'tcp', 'Authorization'],
    [407, 'udp', 'Proxy-Authorization'],
    [407, 'tcp', 'Proxy-Authorization'],
  ] as const)('%i over %s: the retry carries %s, the call is answered, SIPp saw X-ContactID', async (status, transport, header) => {
    const { ep, port, run, log } = await setup(String(status), transport, 'secret');
    const call = ep.invite(`sip:15550100@127.0.0.1:${port}`, { extraHeaders: [{ name: 'X-ContactID', value: '12345678901' }], fromUri: 'sip:alice@sipp.test' });
    await call.waitForState('answered', 10_000);
    const ok = call.messages.find((m) => m.direction === 'in' && m.status === 200)!;
    expect(ok.raw).toMatch(/^X-Seen-ContactID: 12345678901\r?$/m);
    const invites = call.messages.filter((m) => m.direction === 'out' && m.method === 'INVITE' && m.status === undefined);
    expect(invites).toHaveLength(2);
    expect(invites[1]!.raw).toMatch(new RegExp(`^${header}: Digest \\[redacted\\]\\r?$`, 'm'));
    expect(invites[1]!.raw).toMatch(/^X-ContactID: 12345678901\r?$/m);
    expect(invites[1]!.raw).toMatch(/^From: <sip:alice@sipp\.test>/m);
    const auth = digestOutcome(call.messages, 'INVITE', { user: 'alice', hadPassword: true });
    expect(auth).toMatchObject({ ok: true, problem: null, finalStatus: 200 });
    await call.hangup();
    expect(await call.waitForEnd(10_000)).toEqual({ by: 'local', reason: 'BYE' });
    const s = await run.done;
    expect(s.code, describeSipp(s)).toBe(0);
    if (status === 407) {
      // What SIPp received: the Proxy-Authorization of the retry, checked against the password.
      const credentials = /^Proxy-Authorization: (Digest .*)$/m.exec(log())?.[1] ?? '';
      expect(credentials).toMatch(/realm="proxy\.sipp\.test"/);
      expect(digestValid(credentials, 'INVITE', 'secret')).toBe(true);
      expect(digestValid(credentials, 'INVITE', 'other')).toBe(false);
    }
  });

  it.each([
    [401, 'the trunk rejected the credentials of user alice (realm sipp.test) with 403 Bad credentials: check the SIP password and user name', 403],
    [407, 'the proxy rejected the credentials of user alice (realm proxy.sipp.test): check the SIP password', 407],
  ] as const)('%i with a wrong password: the call fails with a clear message after one retry', async (status, message, finalStatus) => {
    const { ep, port } = await setup(status === 401 ? '401' : '407_reject', 'udp', 'not-the-password');
    const call = ep.invite(`sip:15550100@127.0.0.1:${port}`, { extraHeaders: [{ name: 'X-ContactID', value: '12345678901' }] });
    const end = await call.waitForEnd(10_000);
    expect(call.state).toBe('failed');
    expect(end.by).toBe('remote');
    expect(ladder(call.messages)).toEqual(['>INVITE', `<${status}`, '>ACK', '>INVITE', `<${finalStatus}`, '>ACK']);
    const auth = digestOutcome(call.messages, 'INVITE', { user: 'alice', hadPassword: true });
    expect(auth).toMatchObject({ ok: false, finalStatus, problem: message });
    expect(JSON.stringify(call.messages)).not.toContain('not-the-password');
  });
});
