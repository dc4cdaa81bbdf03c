/**
 * The plain-RTP SessionDescriptionHandler tracks offer vs answer itself (early offer, late offer,
 * re-INVITE) and binds a real RTP socket on 127.0.0.1.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { RtpSdh } from '../../../src/main/sip/rtp-sdh';

const handlers: RtpSdh[] = [];
function sdh(): RtpSdh {
  const h = new RtpSdh({ host: '127.0.0.1' });
  handlers.push(h);
  return h;
}
afterEach(() => handlers.splice(0).forEach((h) => h.close()));

const PEER_OFFER = 'v=0\r\no=p 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 8 0 96\r\na=rtpmap:96 telephone-event/8000\r\n';

describe('RtpSdh', () => {
  it('early offer received: setDescription (offer) then getDescription gives the answer', async () => {
    const h = sdh();
    await h.setDescription(PEER_OFFER);
    const { body, contentType } = await h.getDescription();
    expect(contentType).toBe('application/sdp');
    expect(body).toContain(`m=audio ${h.media.local.port} RTP/AVP 0 96`);
    expect(h.media.local.port).toBeGreaterThan(0);
    expect(h.media.remote).toMatchObject({ port: 6000, codec: 'PCMU', dtmfPayloadType: 96 });
  });

  it('late offer: getDescription makes an offer, the next setDescription is the answer, o= version bumps', async () => {
    const h = sdh();
    const offer = (await h.getDescription()).body;
    expect(offer).toContain('RTP/AVP 0 8 101');
    expect(offer).toMatch(/^o=- \d+ 1 /m);
    await h.setDescription(PEER_OFFER.replace('8 0 96', '8'));
    expect(h.media.remote).toMatchObject({ codec: 'PCMA', port: 6000 });
    // A re-INVITE from the peer: a new offer, then our answer with version 2.
    await h.setDescription(PEER_OFFER.replace('6000', '6002'));
    const answer = (await h.getDescription()).body;
    expect(answer).toMatch(/^o=- \d+ 2 /m);
    expect(answer).toContain('RTP/AVP 0 96');
    expect(h.media.remote?.port).toBe(6002);
    // Our own re-offer, answered.
    expect((await h.getDescription()).body).toContain('RTP/AVP 0 8 101');
    await h.setDescription(PEER_OFFER.replace('6000', '6004'));
    expect(h.media.remote?.port).toBe(6004);
  });

  it('rejects an offer without a common codec', async () => {
    await expect(sdh().setDescription(PEER_OFFER.replace('8 0 96', '18'))).rejects.toThrow(/no common codec/);
  });

  it('recognises application/sdp content types only', () => {
    const h = sdh();
    expect(h.hasDescription('application/sdp')).toBe(true);
    expect(h.hasDescription('Application/SDP; charset=utf-8')).toBe(true);
    expect(h.hasDescription('text/plain')).toBe(false);
    expect(h.sendDtmf('1')).toBe(false);
  });

  it("sends DTMF for sip.js when the peer has telephone-event, and hands its media session the remote media", async () => {
    const h = sdh();
    await h.setDescription(PEER_OFFER);
    await h.getDescription();
    expect(h.session.canSendDtmf).toBe(true);
    expect(h.sendDtmf('1', { duration: 60, interToneGap: 40 })).toBe(true);
    expect(h.session.report()).toMatchObject({ codec: 'PCMU', remoteRtp: '127.0.0.1:6000', localRtp: `127.0.0.1:${h.media.local.port}` });
    h.close();
    expect(h.sendDtmf('1')).toBe(false);
  });

  it('counts incoming RTP datagrams, stamps the first, ignores non-RTP, and closes its socket', async () => {
    const h = sdh();
    await h.getDescription();
    const port = h.media.local.port;
    const tx = dgram.createSocket('udp4');
    const rtp = Buffer.alloc(172);
    rtp[0] = 0x80; // version 2
    const junk = Buffer.from('hello');
    await new Promise<void>((r) => tx.send(junk, port, '127.0.0.1', () => r()));
    for (let i = 0; i < 3; i++) await new Promise<void>((r) => tx.send(rtp, port, '127.0.0.1', () => r()));
    for (let i = 0; i < 50 && h.media.rtpPacketsIn < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(h.media.rtpPacketsIn).toBe(3);
    expect(h.media.firstRtpInMonoMs).toBeGreaterThan(0);
    expect(h.session.report().received).toMatchObject({ packets: 3, duplicates: 2 });
    h.close();
    await expect(h.getDescription()).rejects.toThrow(/closed/);
    // The port is free again once closed.
    const again = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.bind(port, '127.0.0.1', () => resolve());
    });
    again.close();
    tx.close();
  });
});
