/**
 * The answer to our INVITE's offer is the 2xx's SDP, not an unreliable 183's before it (RFC 3261
 * §13.2.1, RFC 6337 §3.1.1; the sip.js patch in Inviter.onAccept, and sip/final-answer.ts for the
 * log line). A raw UDP far end on loopback sends a 183 with early-media SDP naming one RTP socket,
 * then a 200 naming another: our RTP goes to the 200's, and the call logs the move. A 200 without SDP keeps the 183's; a digest retry does not hide the 2xx.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { SipEndpoint } from '../../../src/main/sip/endpoint';

const socks: dgram.Socket[] = [];
const eps: SipEndpoint[] = [];
afterEach(async () => {
  await Promise.all(eps.splice(0).map((e) => e.stop()));
  socks.splice(0).forEach((s) => s.close());
});

async function udp(): Promise<{ sock: dgram.Socket; port: number; packets: number }> {
  const sock = dgram.createSocket('udp4');
  socks.push(sock);
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const s = { sock, port: sock.address().port, packets: 0 };
  sock.on('message', () => (s.packets += 1));
  return s;
}

const sdp = (port: number, v: number): string => ['v=0', `o=bot 1 ${v} IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');

/**
 * A far end that answers each INVITE with a 183 (early SDP), then a 200 (its own SDP, or none);
 * with `challenge`, an INVITE without credentials first gets 401 (RFC 3261 §22.2).
 */
async function farEnd(early: number, final: number | null, challenge = false): Promise<{ port: number }> {
  const sip = await udp();
  sip.sock.on('message', (b, rinfo) => {
    const m = b.toString('utf8');
    const head = m.split('\r\n\r\n')[0]!.split('\r\n');
    const copy = head.slice(1).filter((l) => /^(Via|From|Call-ID|CSeq):/i.test(l));
    const to = head.find((l) => /^To:/i.test(l))!;
    const respond = (status: string, body: string, tag: boolean): void => {
      const text = [`SIP/2.0 ${status}`, ...copy, tag ? `${to};tag=far` : to, `Contact: <sip:bot@127.0.0.1:${sip.port}>`, ...(body ? ['Content-Type: application/sdp'] : []), `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
      sip.sock.send(text, rinfo.port, '127.0.0.1');
    };
    if (m.startsWith('INVITE ') && challenge && !/\r\nAuthorization:/i.test(m)) {
      const text = ['SIP/2.0 401 Unauthorized', ...copy, `${to};tag=auth`, 'WWW-Authenticate: Digest realm="far.test", nonce="n1", qop="auth", algorithm=MD5', 'Content-Length: 0', '', ''].join('\r\n');
      sip.sock.send(text, rinfo.port, '127.0.0.1');
    } else if (m.startsWith('INVITE ')) {
      respond('183 Session Progress', sdp(early, 1), true);
      setTimeout(() => respond('200 OK', final === null ? '' : sdp(final, 2), true), 50);
    } else if (m.startsWith('BYE ')) respond('200 OK', '', false);
  });
  return { port: sip.port };
}

async function caller(): Promise<{ ep: SipEndpoint; warnings: string[] }> {
  const warnings: string[] = [];
  const ep = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'lab', auth: { username: 'lab', password: 'pw' }, log: (level, msg) => void (level === 'warn' && warnings.push(msg)) });
  eps.push(ep);
  return { ep, warnings };
}

/** 0.2 s of a 440 Hz tone at 8 kHz. */
const tone = (): Int16Array => Int16Array.from({ length: 1600 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));

describe('the 2xx SDP is the answer (RFC 3261 §13.2.1)', () => {
  it('a 200 that moves the media away from the 183: RTP goes to the 200\'s socket, and the move is logged', async () => {
    const [earlyRtp, finalRtp] = [await udp(), await udp()];
    const bot = await farEnd(earlyRtp.port, finalRtp.port);
    const { ep, warnings } = await caller();
    const call = ep.invite(`sip:bot@127.0.0.1:${bot.port}`);
    await call.waitForState('answered', 5000);
    expect(call.media.remote).toMatchObject({ port: finalRtp.port, codec: 'PCMU' });
    await call.playPrompt(tone());
    await expect.poll(() => finalRtp.packets).toBeGreaterThan(5);
    expect(earlyRtp.packets).toBe(0);
    expect(warnings.join('\n')).toContain(`the 183 said 127.0.0.1:${earlyRtp.port} PCMU, the 200 says 127.0.0.1:${finalRtp.port} PCMU: media follows the 200`);
    await call.hangup();
  });

  it('after a digest challenge, the 2xx to the INVITE with credentials is the one read', async () => {
    const [earlyRtp, finalRtp] = [await udp(), await udp()];
    const bot = await farEnd(earlyRtp.port, finalRtp.port, true);
    const { ep } = await caller();
    const call = ep.invite(`sip:bot@127.0.0.1:${bot.port}`);
    await call.waitForState('answered', 5000);
    expect(call.messages.map((m) => m.firstLine.split(' ').slice(0, 2).join(' '))).toEqual(expect.arrayContaining(['SIP/2.0 401', 'SIP/2.0 183', 'SIP/2.0 200']));
    expect(call.media.remote).toMatchObject({ port: finalRtp.port });
    await call.hangup();
  });

  it('a 200 without SDP keeps the 183\'s; a 200 that repeats it says nothing', async () => {
    const earlyRtp = await udp();
    for (const final of [null, earlyRtp.port]) {
      const bot = await farEnd(earlyRtp.port, final);
      const { ep, warnings } = await caller();
      const call = ep.invite(`sip:bot@127.0.0.1:${bot.port}`);
      await call.waitForState('answered', 5000);
      expect(call.media.remote, String(final)).toMatchObject({ port: earlyRtp.port });
      expect(warnings.filter((w) => w.includes('media follows the 200'))).toEqual([]);
      await call.hangup();
    }
  });
});
