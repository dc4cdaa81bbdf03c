// What other SIP stacks send that our own UA never does, from a raw UDP socket: compact header
// forms (RFC 3261 §7.3.3), lower-case names, an out-of-dialog OPTIONS ping, LF-free folding.
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { getProfile, verifyContactId } from '../../../src/main/profiles';
import type { SipCall } from '../../../src/main/sip/call';
import { SipEndpoint } from '../../../src/main/sip/endpoint';

const eps: SipEndpoint[] = [];
const socks: dgram.Socket[] = [];
afterEach(async () => {
  socks.splice(0).forEach((s) => s.close());
  await Promise.all(eps.splice(0).map((e) => e.stop()));
});

async function rawPeer(): Promise<{ sock: dgram.Socket; port: number; next: (pred: (m: string) => boolean) => Promise<string>; send: (text: string, port: number) => void }> {
  const sock = dgram.createSocket('udp4');
  socks.push(sock);
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const seen: string[] = [];
  const waiters: { pred: (m: string) => boolean; resolve: (m: string) => void }[] = [];
  sock.on('message', (b) => {
    const m = b.toString('utf8');
    seen.push(m);
    for (const w of waiters.splice(0)) if (w.pred(m)) w.resolve(m); else waiters.push(w);
  });
  return {
    sock,
    port: (sock.address()).port,
    next: (pred) => {
      const hit = seen.find(pred);
      return hit ? Promise.resolve(hit) : new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    send: (text, port) => sock.send(Buffer.from(text.replace(/\n/g, '\r\n')), port, '127.0.0.1'),
  };
}

describe('messages from other stacks', () => {
  it('answers an out-of-dialog OPTIONS ping with 200', async () => {
    const bot = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'bot' });
    eps.push(bot);
    const peer = await rawPeer();
    peer.send(
      `OPTIONS sip:ping@127.0.0.1:${bot.listener.port} SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKopt1;rport
From: <sip:monitor@127.0.0.1>;tag=m1
To: <sip:ping@127.0.0.1>
Call-ID: opt-1@127.0.0.1
CSeq: 1 OPTIONS
Max-Forwards: 70
Content-Length: 0

`,
      bot.listener.port,
    );
    const res = await peer.next((m) => m.includes('CSeq: 1 OPTIONS'));
    expect(res).toMatch(/^SIP\/2\.0 200 /);
  });

  it('takes an INVITE written with compact and lower-case header names, and finds the contact id', async () => {
    const bot = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'bot' });
    eps.push(bot);
    const got = new Promise<SipCall>((r) => (bot.onInvite = (c) => void c.accept().then(() => r(c))));
    const peer = await rawPeer();
    const sdp = 'v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 40000 RTP/AVP 8\na=rtpmap:8 PCMA/8000\n';
    const body = sdp.replace(/\n/g, '\r\n');
    peer.send(
      `INVITE sip:+4930123456@127.0.0.1:${bot.listener.port};user=phone SIP/2.0
v: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKcompact1;rport
f: "CXone" <sip:cxone@127.0.0.1:${peer.port}>;tag=c1
t: <sip:+4930123456@127.0.0.1>
i: compact-1@127.0.0.1
cseq: 1 INVITE
m: <sip:cxone@127.0.0.1:${peer.port}>
max-forwards: 70
x-contactid: 5550001234
c: application/sdp
l: ${Buffer.byteLength(body)}

${sdp}`,
      bot.listener.port,
    );
    const call = await got;
    expect(call.originalRequestUri).toBe(`sip:+4930123456@127.0.0.1:${bot.listener.port};user=phone`);
    const ok = await peer.next((m) => /^SIP\/2\.0 200 /.test(m));
    expect(ok).toMatch(/m=audio \d+ RTP\/AVP 8/);
    const to = /^To: (.*)$/im.exec(ok)![1];
    peer.send(
      `ACK sip:bot@127.0.0.1:${bot.listener.port} SIP/2.0
v: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKcompact2;rport
f: "CXone" <sip:cxone@127.0.0.1:${peer.port}>;tag=c1
t: ${to}
i: compact-1@127.0.0.1
cseq: 1 ACK
max-forwards: 70
l: 0

`,
      bot.listener.port,
    );
    await expect.poll(() => call.messages.some((m) => m.method === 'ACK' && m.direction === 'in')).toBe(true);
    // A session refresh (re-INVITE, RFC 4028) in the dialog gets 200 with an SDP answer; then the peer's BYE ends the call.
    const inDialog = (method: string, cseq: number, branch: string, extra: string, body = ''): string =>
      `${method} sip:bot@127.0.0.1:${bot.listener.port} SIP/2.0
v: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=${branch};rport
f: "CXone" <sip:cxone@127.0.0.1:${peer.port}>;tag=c1
t: ${to}
i: compact-1@127.0.0.1
cseq: ${cseq} ${method}
max-forwards: 70
${extra}l: ${Buffer.byteLength(body.replace(/\n/g, '\r\n'))}

${body}`;
    peer.send(inDialog('INVITE', 2, 'z9hG4bKreinvite', `m: <sip:cxone@127.0.0.1:${peer.port}>\nc: application/sdp\nSession-Expires: 1800;refresher=uac\n`, sdp.replace('1 1 IN', '1 2 IN')), bot.listener.port);
    const refreshed = await peer.next((m) => /^SIP\/2\.0 200 /.test(m) && /cseq: 2 INVITE/i.test(m));
    expect(refreshed).toMatch(/m=audio \d+ RTP\/AVP 8/);
    peer.send(inDialog('ACK', 2, 'z9hG4bKreack', ''), bot.listener.port);
    peer.send(inDialog('BYE', 3, 'z9hG4bKbye', ''), bot.listener.port);
    expect(await peer.next((m) => /cseq: 3 BYE/i.test(m))).toMatch(/^SIP\/2\.0 200 /);
    expect(await call.waitForEnd(5000)).toMatchObject({ by: 'remote' });
    const headers = call.invite!.parsed.headers;
    expect(verifyContactId(headers, getProfile('watson'))).toMatchObject({ ok: true, value: '5550001234', header: 'x-contactid' });
    // Kore compares the name exactly: the same INVITE fails there, and says why.
    const kore = verifyContactId([...headers, { name: 'x-externalcallid', value: '5550001234' }], getProfile('kore'));
    expect(kore.ok).toBe(false);
    expect(kore.nearMisses.map((n) => n.kind)).toContain('case');
  });
});

describe('an offer with more streams than audio (a softphone with video, SRTP with a plain fallback)', () => {
  it('answers with the same m= lines in the same order: the plain audio stream taken, the others rejected with port 0 (RFC 3264 §6)', async () => {
    const bot = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'bot', log: () => {} });
    eps.push(bot);
    const got = new Promise<SipCall>((r) => (bot.onInvite = (c) => void c.accept().then(() => r(c))));
    const peer = await rawPeer();
    const sdp = 'v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=video 40010 RTP/AVP 96\na=rtpmap:96 H264/90000\nm=audio 40020 RTP/SAVP 0\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\nm=audio 40000 RTP/AVP 0\n';
    peer.send(
      `INVITE sip:bot@127.0.0.1:${bot.listener.port} SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKstreams1;rport
From: <sip:phone@127.0.0.1:${peer.port}>;tag=s1
To: <sip:bot@127.0.0.1>
Call-ID: streams-1@127.0.0.1
CSeq: 1 INVITE
Contact: <sip:phone@127.0.0.1:${peer.port}>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: ${Buffer.byteLength(sdp.replace(/\n/g, '\r\n'))}

${sdp}`,
      bot.listener.port,
    );
    const call = await got;
    const ok = await peer.next((m) => /^SIP\/2\.0 200 /.test(m));
    expect(ok.split('\r\n').filter((l) => l.startsWith('m='))).toEqual(['m=video 0 RTP/AVP 96', 'm=audio 0 RTP/SAVP 0', expect.stringMatching(/^m=audio [1-9]\d* RTP\/AVP 0$/)]);
    expect(call.media).toMatchObject({ remote: { port: 40000, codec: 'PCMU' } });
    const to = /^To: (.*)$/im.exec(ok)![1];
    const inDialog = (method: string, cseq: number): string =>
      `${method} sip:bot@127.0.0.1:${bot.listener.port} SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKstreams-${method};rport\nFrom: <sip:phone@127.0.0.1:${peer.port}>;tag=s1\nTo: ${to}\nCall-ID: streams-1@127.0.0.1\nCSeq: ${cseq} ${method}\nMax-Forwards: 70\nContent-Length: 0\n\n`;
    peer.send(inDialog('ACK', 1), bot.listener.port);
    peer.send(inDialog('BYE', 2), bot.listener.port);
    expect(await call.waitForEnd(5000)).toMatchObject({ by: 'remote', reason: 'BYE' });
  });
});

describe('where UDP responses go (RFC 3261 §18.2.2, RFC 3581)', () => {
  const options = (botPort: number, sentBy: string, rport: boolean, n: number): string => `OPTIONS sip:bot@127.0.0.1:${botPort} SIP/2.0
Via: SIP/2.0/UDP ${sentBy};branch=z9hG4bKresp${n}${rport ? ';rport' : ''}
From: <sip:proxy@127.0.0.1>;tag=p${n}
To: <sip:bot@127.0.0.1>
Call-ID: resp-${n}@127.0.0.1
CSeq: 1 OPTIONS
Max-Forwards: 70
Content-Length: 0

`;
  it('without rport: to the sent-by port; with rport: back to the source port', async () => {
    const bot = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'bot' });
    eps.push(bot);
    const sender = await rawPeer();
    const listener = await rawPeer();
    sender.send(options(bot.listener.port, `127.0.0.1:${listener.port}`, false, 1), bot.listener.port);
    expect(await listener.next((m) => m.includes('resp-1@'))).toMatch(/^SIP\/2\.0 200 /);
    sender.send(options(bot.listener.port, `127.0.0.1:${listener.port}`, true, 2), bot.listener.port);
    expect(await sender.next((m) => m.includes('resp-2@'))).toMatch(/^SIP\/2\.0 200 /);
  });
});

describe('a request only sip.js cannot read', () => {
  it('gets 400 naming the header (from sip.js\'s own parse, done once), and the endpoint keeps working', async () => {
    const bot = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'bot' });
    eps.push(bot);
    const peer = await rawPeer();
    const bad = (n: number, from: string): string => `OPTIONS sip:bot@127.0.0.1:${bot.listener.port} SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKbad${n};rport
From: ${from}
To: <sip:bot@127.0.0.1>
Call-ID: bad-${n}@127.0.0.1
CSeq: 1 OPTIONS
Max-Forwards: 70
Content-Length: 0

`;
    peer.send(bad(1, '<<garbage>>'), bot.listener.port);
    expect(await peer.next((m) => m.includes('bad-1@'))).toMatch(/^SIP\/2\.0 400 Bad From Header/);
    peer.send(bad(2, '<sip:monitor@127.0.0.1>;tag=ok2'), bot.listener.port);
    expect(await peer.next((m) => m.includes('bad-2@'))).toMatch(/^SIP\/2\.0 200 /);
  });
});
