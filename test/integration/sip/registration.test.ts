// SipRegistration against a minimal scripted registrar on a loopback UDP socket (no SIPp needed):
// an expiry given only by the Expires header (sip.js's Registerer would refresh in a tight loop),
// a 200 that does not list our Contact, no response at all, and a transport error over TCP.
import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SipEndpoint } from '../../../src/main/sip/endpoint';
import { SipRegistration, type RegistrationResult } from '../../../src/main/sip/registration';
import { ladder } from '../../helpers/sip/endpoints';

const eps: SipEndpoint[] = [];
const regs: SipRegistration[] = [];
const sockets: dgram.Socket[] = [];
afterEach(async () => {
  await Promise.all(regs.splice(0).map((r) => r.stop()));
  await Promise.all(eps.splice(0).map((e) => e.stop()));
  for (const s of sockets.splice(0)) s.close();
});

/** A UDP "registrar" answering each REGISTER with `answer(request)` (null: stay silent). */
async function scriptedRegistrar(answer: (req: string, n: number) => string | null): Promise<{ port: number; requests: string[] }> {
  const sock = dgram.createSocket('udp4');
  sockets.push(sock);
  const requests: string[] = [];
  sock.on('message', (buf, rinfo) => {
    const req = buf.toString('utf8');
    if (!req.startsWith('REGISTER ')) return;
    requests.push(req);
    const res = answer(req, requests.length);
    if (res) sock.send(Buffer.from(res), rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return { port: sock.address().port, requests };
}

function ok200(req: string, extra: string[]): string {
  const keep = req.split('\r\n').filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l));
  return ['SIP/2.0 200 OK', ...keep, ...extra, 'Content-Length: 0', '', ''].join('\r\n');
}

async function start(): Promise<SipEndpoint> {
  const ep = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'alice' });
  eps.push(ep);
  return ep;
}

describe('SipRegistration with a scripted registrar', () => {
  it('takes the expiry from the Expires header when the Contact has no expires parameter, and refreshes once per period', async () => {
    const reg0 = await scriptedRegistrar((req) => {
      const contact = /^Contact: (<[^>]+>)/m.exec(req)![1]!;
      return ok200(req, [`Contact: ${contact}`, 'Expires: 1']);
    });
    const ep = await start();
    const reg = new SipRegistration(ep, { registrar: `sip:127.0.0.1:${reg0.port}`, expiresS: 300 });
    regs.push(reg);
    const results: RegistrationResult[] = [];
    reg.on('result', (r) => results.push(r));
    const first = await reg.register();
    expect(first).toMatchObject({ ok: true, status: 200, expiresS: 1, warnings: [] });
    expect(first.bindings).toEqual([{ contact: expect.stringMatching(/^<sip:alice@127\.0\.0\.1:\d+;transport=udp>$/), expiresS: 1, ours: true }]);
    await new Promise<void>((r) => reg.on('result', (x) => x.action === 'refresh' && r()));
    // One refresh per granted period (at half of 1 s), not a burst.
    expect(reg0.requests).toHaveLength(2);
    expect(reg0.requests[0]).toMatch(/^From: <sip:alice@127\.0\.0\.1>;tag=/m);
    await reg.stop();
    expect(results.map((r) => r.action)).toEqual(['register', 'refresh', 'unregister']);
  });

  it('a 200 that does not list our Contact is a success with a warning', async () => {
    const r0 = await scriptedRegistrar((req) => ok200(req, ['Contact: <sip:someone-else@192.0.2.1>;expires=120']));
    const reg = new SipRegistration(await start(), { registrar: `sip:127.0.0.1:${r0.port}`, aor: 'sip:alice@example.test', expiresS: 120 });
    regs.push(reg);
    const r = await reg.register();
    expect(r).toMatchObject({ ok: true, expiresS: 120 });
    expect(r.bindings).toEqual([{ contact: '<sip:someone-else@192.0.2.1>;expires=120', expiresS: 120, ours: false }]);
    expect(r.warnings[0]).toMatch(/does not list our Contact/);
  });

  it('no response: a clear timeout error, state failed', async () => {
    const silent = await scriptedRegistrar(() => null);
    const reg = new SipRegistration(await start(), { registrar: `sip:127.0.0.1:${silent.port}`, timeoutMs: 300 });
    regs.push(reg);
    const r = await reg.register();
    expect(r).toMatchObject({ ok: false, status: null });
    expect(r.error).toBe(`no response from the registrar sip:127.0.0.1:${silent.port} (no final response within 300 ms)`);
    expect(reg.state).toBe('failed');
    expect(ladder(r.messages)[0]).toBe('>REGISTER');
  });

  it('transport error over TCP (nothing listens): "could not send the REGISTER"', async () => {
    const closed = await new Promise<number>((r) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => r(p));
      });
    });
    const ep = await SipEndpoint.start({ transport: 'tcp', host: '127.0.0.1', port: 0, user: 'alice' });
    eps.push(ep);
    const reg = new SipRegistration(ep, { registrar: `sip:127.0.0.1:${closed}`, timeoutMs: 5000 });
    regs.push(reg);
    const r = await reg.register();
    expect(r).toMatchObject({ ok: false, status: null });
    expect(r.error).toBe(`could not send the REGISTER to sip:127.0.0.1:${closed} (transport error: connection refused or unreachable)`);
  });

  it('through an outbound proxy: the REGISTER for the domain goes to the proxy with Route: <proxy;lr>', async () => {
    const proxy = await scriptedRegistrar((req) => ok200(req, [`Contact: ${/^Contact: (<[^>]+>)/m.exec(req)![1]!};expires=60`]));
    const ep = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'alice', outboundProxy: `127.0.0.1:${proxy.port}` });
    eps.push(ep);
    const reg = new SipRegistration(ep, { registrar: 'sip:trunk.invalid', expiresS: 60 });
    regs.push(reg);
    expect(await reg.register()).toMatchObject({ ok: true, expiresS: 60 });
    expect(proxy.requests[0]).toMatch(/^REGISTER sip:trunk\.invalid SIP\/2\.0\r\nRoute: <sip:127\.0\.0\.1:\d+;lr>\r\n/);
    expect(proxy.requests[0]).toMatch(/^To: <sip:alice@trunk\.invalid>/m);
  });

  it('rejects a registrar that is not a SIP URI', async () => {
    const ep = await start();
    expect(() => new SipRegistration(ep, { registrar: 'http://x' })).toThrow(/registrar "http:\/\/x": not a SIP URI/);
  });
});
