/**
 * The Request-URI scheme over real sockets (RFC 3261 §8.2.2.1, §26.2.2, §21.4.17; RFC 3966):
 * a `sips:` Request-URI over UDP or TCP gets 416 Unsupported URI Scheme and makes no call; over
 * TLS it is served. A `tel:` Request-URI is served on every transport (OPTIONS 200, an INVITE
 * becomes a call, the ACK of its non-2xx final is taken); inside a dialog it gets 404; an unknown
 * scheme gets 416. Over TLS a dialog begun with sips: may stay on sips: (ACK, BYE). tel: URIs in To and From (RFC 3261 §20.20, §20.39) are taken too, and the
 * peer sees them unchanged in our responses and in our BYE. The endpoint still completes a good
 * call afterwards.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SipEndpoint } from '../../../src/main/sip/endpoint';
import type { SipCall } from '../../../src/main/sip/call';
import { generateSelfSigned, type GeneratedCertificate } from '../../../src/main/tls/certificates';
import { nextIncomingCall, startEndpoint } from '../../helpers/sip/endpoints';
import { takeSipMessages } from '../../helpers/sip/stream-framing';

type Transport = 'udp' | 'tcp' | 'tls';

const endpoints: SipEndpoint[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  closers.splice(0).forEach((c) => c());
  await Promise.all(endpoints.splice(0).map((e) => e.stop()));
});

let ca: GeneratedCertificate;
let cert: GeneratedCertificate;
beforeAll(async () => {
  ca = await generateSelfSigned({ commonName: 'Scheme Test CA', isCa: true });
  cert = await generateSelfSigned({ commonName: '127.0.0.1', altNames: ['127.0.0.1', 'localhost'], issuer: ca });
});
afterAll(() => closers.splice(0).forEach((c) => c()));

async function callee(transport: Transport): Promise<SipEndpoint> {
  const ep =
    transport === 'tls'
      ? await SipEndpoint.start({ transport: 'tls', host: '127.0.0.1', port: 0, user: 'bot', tls: { certPem: cert.certPem, keyPem: cert.keyPem }, log: () => {} })
      : (await startEndpoint(transport, 'bot')).ep;
  endpoints.push(ep);
  return ep;
}

/** A raw SIP client on one UDP socket or one TCP/TLS connection to 127.0.0.1:`target`. */
interface RawClient {
  port: number;
  send: (text: string) => void;
  /** Resolves with the next response to `callId` whose CSeq method is `method` (status ≥ `min`). */
  response: (callId: string, method: string, min?: number) => Promise<string>;
  /** Resolves with the next request `method` of `callId` from the endpoint. */
  request: (callId: string, method: string) => Promise<string>;
}

async function rawClient(transport: Transport, target: number): Promise<RawClient> {
  const got: string[] = [];
  const waiters: (() => void)[] = [];
  const push = (m: string): void => {
    got.push(m);
    waiters.splice(0).forEach((w) => w());
  };
  let send: (text: string) => void;
  let port: number;
  if (transport === 'udp') {
    const sock = dgram.createSocket('udp4');
    closers.push(() => sock.close());
    sock.on('message', (b) => push(b.toString('utf8')));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    port = sock.address().port;
    send = (text) => sock.send(text, target, '127.0.0.1');
  } else {
    const sock = transport === 'tls' ? tls.connect({ host: '127.0.0.1', port: target, ca: [ca.certPem] }) : net.connect(target, '127.0.0.1');
    closers.push(() => sock.destroy());
    sock.on('error', () => {});
    await new Promise<void>((r) => sock.once(transport === 'tls' ? 'secureConnect' : 'connect', () => r()));
    let buf = '';
    sock.on('data', (b: Buffer) => {
      const { messages, rest } = takeSipMessages(buf + b.toString('utf8'));
      buf = rest;
      for (const m of messages) push(m);
    });
    port = sock.localPort!;
    send = (text) => sock.write(text);
  }
  const take = (what: string, match: (m: string) => boolean): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} in 5 s; got: ${got.map((g) => g.split('\r\n')[0]).join(' | ')}`)), 5000);
      const check = (): void => {
        const i = got.findIndex(match);
        if (i >= 0) {
          clearTimeout(timer);
          resolve(got.splice(i, 1)[0]!);
        } else waiters.push(check);
      };
      check();
    });
  const of = (m: string, callId: string, method: string): boolean => m.includes(`\r\nCall-ID: ${callId}\r\n`) && new RegExp(`\r\nCSeq: *\\d+ ${method}\r\n`).test(m);
  return {
    port,
    send,
    response: (callId, method, min = 200) => take(`final ${method} response for ${callId}`, (m) => Number(/^SIP\/2\.0 (\d{3})/.exec(m)?.[1] ?? 0) >= min && of(m, callId, method)),
    request: (callId, method) => take(`${method} for ${callId}`, (m) => m.startsWith(`${method} `) && of(m, callId, method)),
  };
}

function request(o: { transport: Transport; method: string; ruri: string; callId: string; port: number; cseq?: string; toTag?: string; branch?: string; from?: string }): string {
  const proto = o.transport.toUpperCase();
  const scheme = o.transport === 'tls' ? 'sips' : 'sip';
  return [
    `${o.method} ${o.ruri} SIP/2.0`,
    `Via: SIP/2.0/${proto} 127.0.0.1:${o.port};branch=${o.branch ?? `z9hG4bK-${Math.random().toString(36).slice(2)}`};rport`,
    'Max-Forwards: 70',
    `From: <${o.from ?? `${scheme}:raw@127.0.0.1:${o.port}`}>;tag=f-${o.callId}`,
    `To: <${o.ruri}>${o.toTag ? `;tag=${o.toTag}` : ''}`,
    `Call-ID: ${o.callId}`,
    `CSeq: ${o.cseq ?? `1 ${o.method}`}`,
    `Contact: <${scheme}:raw@127.0.0.1:${o.port}${o.transport === 'udp' ? '' : `;transport=${o.transport}`}>`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

const statusOf = (m: string): number => Number(m.slice(8, 11));
const header = (m: string, name: string): string => new RegExp(`\r\n${name}: *([^\r]*)\r\n`, 'i').exec(m)?.[1] ?? '';
const toTagOf = (m: string): string => /\r\nTo:[^\r]*;tag=([^;\r]+)/i.exec(m)?.[1] ?? '';

async function goodCall(ep: SipEndpoint, transport: 'udp' | 'tcp'): Promise<void> {
  const caller = await startEndpoint(transport, 'cxone');
  endpoints.push(caller.ep);
  const incoming = nextIncomingCall(ep);
  const out = caller.ep.invite(`sip:bot@127.0.0.1:${ep.listener.port};transport=${transport}`);
  const call = await incoming;
  await call.accept();
  await out.waitForState('answered', 5000);
  await out.hangup();
  expect((await call.waitForEnd(5000)).reason).toBe('BYE');
}

for (const transport of ['udp', 'tcp'] as const) {
  describe(`Request-URI schemes over ${transport.toUpperCase()}`, () => {
    it('a sips: Request-URI gets 416 Unsupported URI Scheme (no call); an unknown scheme 416; then a good call completes', async () => {
      const ep = await callee(transport);
      const calls: SipCall[] = [];
      ep.onInvite = (call) => void calls.push(call);
      const c = await rawClient(transport, ep.listener.port);
      const sips = `sips:bot@127.0.0.1:${ep.listener.port}`;
      for (const method of ['INVITE', 'OPTIONS']) {
        c.send(request({ transport, method, ruri: sips, callId: `sips-${method}`, port: c.port }));
        const r = await c.response(`sips-${method}`, method);
        expect(r.split('\r\n')[0], method).toBe('SIP/2.0 416 Unsupported URI Scheme');
        expect(toTagOf(r), 'a final response carries a To tag (§8.2.6.2)').not.toBe('');
      }
      c.send(request({ transport, method: 'OPTIONS', ruri: 'im:bot@example.com', callId: 'im-1', port: c.port }));
      expect(statusOf(await c.response('im-1', 'OPTIONS'))).toBe(416);
      expect(calls).toEqual([]);
      await goodCall(ep, transport);
    });

    it('a tel: Request-URI is served: OPTIONS 200, an INVITE a call whose 486 is ACKed; inside a dialog 404', async () => {
      const ep = await callee(transport);
      const c = await rawClient(transport, ep.listener.port);
      const tel = 'tel:+4930123456';
      c.send(request({ transport, method: 'OPTIONS', ruri: tel, callId: 'tel-opt', port: c.port }));
      expect(statusOf(await c.response('tel-opt', 'OPTIONS'))).toBe(200);

      const incoming = nextIncomingCall(ep);
      const branch = `z9hG4bK-tel-${transport}`;
      c.send(request({ transport, method: 'INVITE', ruri: tel, callId: 'tel-inv', port: c.port, branch }));
      const call = await incoming;
      expect(call.originalRequestUri).toBe(tel);
      await call.reject(486);
      const busy = await c.response('tel-inv', 'INVITE');
      expect(statusOf(busy)).toBe(486);
      // The ACK copies the INVITE's tel: Request-URI (§17.1.1.3) and ends Timer G on UDP.
      c.send(request({ transport, method: 'ACK', ruri: tel, callId: 'tel-inv', cseq: '1 ACK', toTag: toTagOf(busy), port: c.port, branch }));
      c.send(request({ transport, method: 'OPTIONS', ruri: tel, callId: 'tel-opt-2', port: c.port }));
      expect(statusOf(await c.response('tel-opt-2', 'OPTIONS'))).toBe(200);
      expect(ep.liveMapSizes().retransmitting ?? 0).toBe(0);

      c.send(request({ transport, method: 'BYE', ruri: tel, callId: 'tel-bye', cseq: '2 BYE', toTag: 'in-dialog', port: c.port }));
      expect(statusOf(await c.response('tel-bye', 'BYE'))).toBe(404);
    });

    it('tel: URIs in To and From: the call is answered, and our 200 and our BYE carry them as the peer wrote them', async () => {
      const ep = await callee(transport);
      const c = await rawClient(transport, ep.listener.port);
      const tel = 'tel:+4930123456';
      const from = 'tel:+1-555-0100;phone-context=+1';
      const incoming = nextIncomingCall(ep);
      c.send(request({ transport, method: 'INVITE', ruri: tel, callId: 'tel-to', port: c.port, from }));
      const call = await incoming;
      await call.accept().catch(() => {}); // no SDP offer: accepted with an offer of ours
      const ok = await c.response('tel-to', 'INVITE');
      expect(statusOf(ok)).toBe(200);
      expect(header(ok, 'From')).toBe(`<${from}>;tag=f-tel-to`);
      expect(header(ok, 'To')).toMatch(/^<tel:\+4930123456>;tag=[^;]+$/);
      const target = /<([^>]+)>/.exec(header(ok, 'Contact'))![1]!;
      c.send(request({ transport, method: 'ACK', ruri: target, callId: 'tel-to', cseq: '1 ACK', toTag: toTagOf(ok), port: c.port, from }).replace(`To: <${target}>`, `To: <${tel}>`));
      await call.waitForState('answered', 5000);
      const byeSeen = c.request('tel-to', 'BYE');
      await call.hangup();
      const bye = await byeSeen;
      expect(header(bye, 'From')).toBe(`<${tel}>;tag=${toTagOf(ok)}`);
      expect(header(bye, 'To')).toBe(`<${from}>;tag=f-tel-to`);
      const copy = ['Via', 'From', 'To', 'Call-ID', 'CSeq'].map((h) => `${h}: ${header(bye, h)}`);
      c.send(['SIP/2.0 200 OK', ...copy, 'Content-Length: 0', '', ''].join('\r\n'));
      expect((await call.waitForEnd(5000)).reason).toBe('BYE');
    });
  });
}

describe('Request-URI schemes over TLS', () => {
  it('sips: and tel: Request-URIs are served (OPTIONS 200), an unknown scheme gets 416', async () => {
    const ep = await callee('tls');
    const c = await rawClient('tls', ep.listener.port);
    for (const [ruri, want] of [[`sips:bot@127.0.0.1:${ep.listener.port}`, 200], ['tel:+4930123456', 200], ['urn:service:sos', 416]] as const) {
      const callId = `tls-${ruri.slice(0, 3)}`;
      c.send(request({ transport: 'tls', method: 'OPTIONS', ruri, callId, port: c.port }));
      expect(statusOf(await c.response(callId, 'OPTIONS')), ruri).toBe(want);
    }
  });

  it('a call begun with a sips: Request-URI: the ACK and the BYE inside the dialog may use sips: too (sip.js alone answers them 416)', async () => {
    const ep = await callee('tls');
    const c = await rawClient('tls', ep.listener.port);
    const sips = `sips:bot@127.0.0.1:${ep.listener.port}`;
    const incoming = nextIncomingCall(ep);
    const sdp = ['v=0', 'o=raw 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');
    const invite = request({ transport: 'tls', method: 'INVITE', ruri: sips, callId: 'sips-dlg', port: c.port });
    c.send(invite.replace('Content-Length: 0\r\n\r\n', `Content-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`));
    const call = await incoming;
    await call.accept().catch(() => {});
    const ok = await c.response('sips-dlg', 'INVITE');
    expect(statusOf(ok)).toBe(200);
    // RFC 3261 §12.1.1 wants a sips: Contact here; ours is sip:…;transport=tls (sip.js cannot make a
    // sips: one). A peer that keeps the dialog on sips: regardless must still reach the call.
    const target = /<([^>]+)>/.exec(header(ok, 'Contact'))![1]!.replace(/^sip:/, 'sips:');
    const inDialog = (method: string, cseq: string): string =>
      request({ transport: 'tls', method, ruri: target, callId: 'sips-dlg', cseq, toTag: toTagOf(ok), port: c.port }).replace(`To: <${target}>`, `To: <${sips}>`);
    c.send(inDialog('ACK', '1 ACK'));
    await call.waitForState('answered', 5000);
    c.send(inDialog('BYE', '2 BYE'));
    const byeOk = await c.response('sips-dlg', 'BYE');
    expect(byeOk.split('\r\n')[0]).toBe('SIP/2.0 200 OK');
    expect(await call.waitForEnd(5000)).toMatchObject({ by: 'remote', reason: 'BYE' });
    // No 416 went to the ACK (a response to an ACK is never sent, RFC 3261 §17.2.1), and no 200 was retransmitted for want of it.
    expect(call.messages.filter((m) => m.direction === 'out' && m.status === 416)).toEqual([]);
    expect(call.messages.filter((m) => m.direction === 'out' && m.status === 200 && m.method === 'INVITE')).toHaveLength(1);
  });
});
