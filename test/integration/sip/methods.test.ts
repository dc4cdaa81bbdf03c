/**
 * The methods the endpoint serves and advertises (sip/methods.ts; RFC 3261 §20.5, §8.2.1), from a
 * raw UDP peer on loopback: our 200 and OPTIONS answer list them in Allow; a REFER inside a call
 * gets 405 with that Allow and is not followed (sip.js alone accepts it and places a call of its
 * own to the Refer-To target: a second raw socket stands there and must see nothing); SUBSCRIBE
 * and PRACK get 405; the call stays up and ends with the peer's BYE.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { SipEndpoint } from '../../../src/main/sip/endpoint';
import { SUPPORTED_METHODS } from '../../../src/main/sip/methods';
import { nextIncomingCall } from '../../helpers/sip/endpoints';

const eps: SipEndpoint[] = [];
const socks: dgram.Socket[] = [];
afterEach(async () => {
  socks.splice(0).forEach((s) => s.close());
  await Promise.all(eps.splice(0).map((e) => e.stop()));
});

async function udpSocket(): Promise<{ port: number; got: string[]; send: (text: string, port: number) => void; next: (pred: (m: string) => boolean) => Promise<string> }> {
  const sock = dgram.createSocket('udp4');
  socks.push(sock);
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const got: string[] = [];
  const waiters: (() => void)[] = [];
  sock.on('message', (b) => {
    got.push(b.toString('utf8'));
    waiters.splice(0).forEach((w) => w());
  });
  return {
    port: sock.address().port,
    got,
    send: (text, port) => sock.send(text, port, '127.0.0.1'),
    next: (pred) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not received in 5 s; got: ${got.map((g) => g.split('\r\n')[0]).join(' | ')}`)), 5000);
        const check = (): void => {
          const hit = got.find(pred);
          if (hit) {
            clearTimeout(timer);
            resolve(hit);
          } else waiters.push(check);
        };
        check();
      }),
  };
}

const header = (m: string, name: string): string => new RegExp(`\r\n${name}: *([^\r]*)\r\n`, 'i').exec(m)?.[1] ?? '';
const allowOf = (m: string): string[] => header(m, 'Allow').split(',').map((x) => x.trim()).filter(Boolean).sort();
const isResponse = (cseqMethod: string, callId: string) => (m: string) => m.startsWith('SIP/2.0 ') && !m.startsWith('SIP/2.0 1') && header(m, 'Call-ID') === callId && header(m, 'CSeq').endsWith(` ${cseqMethod}`);

describe('methods served and advertised', () => {
  it('Allow names what we serve; REFER in a call gets 405 and is not followed; SUBSCRIBE and PRACK get 405', async () => {
    const bot = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'bot', log: () => {} });
    eps.push(bot);
    const peer = await udpSocket();
    const referTarget = await udpSocket();
    const sdp = ['v=0', 'o=raw 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');
    let toTag = '';
    let n = 0;
    const req = (method: string, cseq: number, o: { body?: string; extra?: string[]; callId?: string } = {}): string =>
      [
        `${method} sip:bot@127.0.0.1:${bot.listener.port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-m${++n}`,
        'Max-Forwards: 70',
        `From: <sip:raw@127.0.0.1:${peer.port}>;tag=ft`,
        `To: <sip:bot@127.0.0.1:${bot.listener.port}>${toTag && !o.callId ? `;tag=${toTag}` : ''}`,
        `Call-ID: ${o.callId ?? 'methods-1'}`,
        `CSeq: ${cseq} ${method}`,
        `Contact: <sip:raw@127.0.0.1:${peer.port}>`,
        ...(o.extra ?? []),
        ...(o.body ? ['Content-Type: application/sdp'] : []),
        `Content-Length: ${Buffer.byteLength(o.body ?? '')}`,
        '',
        o.body ?? '',
      ].join('\r\n');

    const incoming = nextIncomingCall(bot);
    peer.send(req('INVITE', 1, { body: sdp }), bot.listener.port);
    const call = await incoming;
    await call.accept();
    const ok = await peer.next(isResponse('INVITE', 'methods-1'));
    expect(ok.split('\r\n')[0]).toBe('SIP/2.0 200 OK');
    expect(allowOf(ok)).toEqual([...SUPPORTED_METHODS].sort());
    toTag = /\r\nTo:[^\r]*;tag=([^;\r]+)/i.exec(ok)![1]!;
    peer.send(req('ACK', 1), bot.listener.port);
    await call.waitForState('answered', 5000);

    peer.send(req('REFER', 2, { extra: [`Refer-To: <sip:agent@127.0.0.1:${referTarget.port}>`, `Referred-By: <sip:raw@127.0.0.1:${peer.port}>`] }), bot.listener.port);
    const refer = await peer.next(isResponse('REFER', 'methods-1'));
    expect(refer.split('\r\n')[0]).toBe('SIP/2.0 405 Method Not Allowed');
    expect(allowOf(refer)).toEqual([...SUPPORTED_METHODS].sort());
    expect(allowOf(refer)).not.toContain('REFER');

    for (const [method, cseq] of [['PRACK', 3], ['SUBSCRIBE', 4]] as const) {
      peer.send(req(method, cseq, { extra: method === 'SUBSCRIBE' ? ['Event: dialog', 'Expires: 60'] : ['RAck: 1 1 INVITE'] }), bot.listener.port);
      expect((await peer.next(isResponse(method, 'methods-1'))).split('\r\n')[0], method).toBe('SIP/2.0 405 Method Not Allowed');
    }
    peer.send(req('OPTIONS', 1, { callId: 'methods-ping' }), bot.listener.port);
    const options = await peer.next(isResponse('OPTIONS', 'methods-ping'));
    expect(options.split('\r\n')[0]).toBe('SIP/2.0 200 OK');
    expect(allowOf(options)).toEqual([...SUPPORTED_METHODS].sort());

    expect(call.state).toBe('answered');
    expect(referTarget.got).toEqual([]); // the REFER was not followed: nothing reached its Refer-To target
    peer.send(req('BYE', 5), bot.listener.port);
    expect((await peer.next(isResponse('BYE', 'methods-1'))).split('\r\n')[0]).toBe('SIP/2.0 200 OK');
    expect(await call.waitForEnd(5000)).toMatchObject({ by: 'remote', reason: 'BYE' });
    expect(referTarget.got).toEqual([]);
  });
});
