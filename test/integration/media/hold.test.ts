/**
 * Hold by re-INVITE on loopback (RFC 3264 §8.4): B puts the call on hold while A plays a prompt
 * (B's re-INVITE offers `a=sendonly`, or the RFC 2543 `c=0.0.0.0`, through sip.js's
 * `sessionDescriptionHandlerModifiers`), A stops sending with the prompt paused where it was, and
 * an un-hold re-INVITE resumes it: B sees consecutive sequence numbers, no loss, the whole prompt.
 * Then a lower-level MediaSession test: a new remote address/port (media moved by a re-INVITE) is
 * used from then on, and DTMF waits through a hold.
 */
import type { Session, SessionDescriptionHandlerModifier } from 'sip.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { RtpDatagramInfo } from '../../../src/main/media/media-config';
import { MediaSession } from '../../../src/main/media/media-session';
import type { SipCall } from '../../../src/main/sip/call';
import type { RemoteMedia } from '../../../src/main/media/sdp';
import { chirp, readWav, waitUntil } from '../../helpers/media/audio';
import { MediaTestBag } from '../../helpers/media/media-call';

const bag = new MediaTestBag();
afterEach(() => bag.release());
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The sip.js session of a call (SipCall keeps it private; tests reach in to send a re-INVITE). */
function sipSession(call: SipCall): Session {
  return (call as unknown as { session: Session }).session;
}

/** Sends a re-INVITE whose offer went through `modifiers` ([] for a plain sendrecv offer); resolves on its 2xx. */
function reInvite(call: SipCall, modifiers: SessionDescriptionHandlerModifier[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    sipSession(call)
      .invite({
        sessionDescriptionHandlerModifiers: modifiers,
        requestDelegate: { onAccept: () => resolve(), onReject: (r) => reject(new Error(`re-INVITE rejected: ${r.message.statusCode}`)) },
      })
      .catch(reject);
  });
}

const sdpEdit =
  (from: RegExp, to: string): SessionDescriptionHandlerModifier =>
  async (d) => ({ ...d, sdp: String(d.sdp).replace(from, to) });

/** Incoming RTP (not RTCP) of a side: sequence number, timestamp, marker. */
function rtpIn(seen: { seq: number; ts: number; marker: boolean }[]) {
  return (p: RtpDatagramInfo): void => {
    if (p.rtcp || p.direction !== 'in') return;
    seen.push({ seq: p.data.readUInt16BE(2), ts: p.data.readUInt32BE(4), marker: (p.data[1]! & 0x80) !== 0 });
  };
}

describe('hold by re-INVITE', () => {
  for (const hold of [
    { name: 'a=sendonly (RFC 3264 §8.4)', edit: sdpEdit(/a=sendrecv/, 'a=sendonly'), reason: /a=sendonly/ },
    { name: 'c=0.0.0.0 (RFC 2543)', edit: sdpEdit(/c=IN IP4 127\.0\.0\.1/g, 'c=IN IP4 0.0.0.0'), reason: /c=0\.0\.0\.0/ },
  ]) {
    it(`${hold.name}: A's prompt pauses while held and resumes where it was; B sees no gap in sequence numbers`, async () => {
      const dir = bag.tempDir('media-hold-');
      const seen: { seq: number; ts: number; marker: boolean }[] = [];
      const { aCall, bCall } = await bag.call({}, { recordDir: dir, onRtpPacket: rtpIn(seen) });
      const prompt = chirp(1600); // 80 packets
      const playing = aCall.playPrompt(prompt);
      await waitUntil(() => seen.length >= 20, 'the start of the prompt');

      await reInvite(bCall, [hold.edit]);
      expect(aCall.media.remote?.direction === 'sendonly' || aCall.media.remote?.address === '0.0.0.0').toBe(true);
      await pause(50); // packets A sent before the 200 OK may still be queued on B's socket
      const atHold = seen.length;
      const sentAtHold = aCall.mediaReport().sent.packets;
      await pause(300);
      expect(seen.length).toBe(atHold); // nothing arrives while held
      expect(aCall.mediaReport().sent.packets).toBe(sentAtHold);
      expect(atHold).toBeLessThan(80);
      await expect(aCall.playPrompt(chirp(100))).rejects.toThrow(hold.reason);
      await expect(aCall.sendDtmf('1')).rejects.toThrow(/does not receive audio/);

      await reInvite(bCall, []); // un-hold: a plain sendrecv offer
      await playing;
      await waitUntil(() => seen.length >= 80, 'the rest of the prompt');
      await aCall.hangup();
      await bCall.waitForEnd(5000);

      expect(seen).toHaveLength(80);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.seq).toBe((seen[i - 1]!.seq + 1) & 0xffff);
      // The timestamp advanced with the time on hold; the first packet after it starts a talkspurt.
      expect(((seen[atHold]!.ts - seen[atHold - 1]!.ts) >>> 0) > 160 * 10).toBe(true);
      expect(seen[atHold]!.marker).toBe(true);
      const report = bCall.mediaReport();
      expect(report.received).toMatchObject({ packets: 80, expected: 80, lost: 0, lossPercent: 0, outOfOrder: 0, duplicates: 0, ssrcChanges: 0 });
      // The recording holds the whole prompt, with the hold as silence between its two parts.
      const rec = readWav(report.recordingPath!).samples;
      expect(rec.length).toBeGreaterThan(prompt.length + 160 * 10);
      const loud = (s: Int16Array): number => s.filter((x) => Math.abs(x) > 2000).length;
      expect(Math.abs(loud(rec) - loud(prompt))).toBeLessThan(loud(prompt) * 0.05);
    });
  }
});

describe('MediaSession remote changes (re-INVITE without SIP)', () => {
  function session(onRtpPacket?: (p: RtpDatagramInfo) => void): MediaSession {
    return bag.add(new MediaSession({ host: '127.0.0.1', advertiseHost: '127.0.0.1', config: { onRtpPacket } }));
  }
  function remote(port: number, over: Partial<RemoteMedia> = {}): RemoteMedia {
    return { address: '127.0.0.1', port, payloadType: 0, codec: 'PCMU', direction: 'sendrecv', dtmfPayloadType: 101, ...over };
  }

  it('sends to a new address/port once the media moved, and DTMF queued during a hold goes out after it', async () => {
    const a = session();
    const b = session();
    const c = session();
    const [, pb, pc] = await Promise.all([a.bind(), b.bind(), c.bind()]);
    a.setRemote(remote(pb));
    const playing = a.playPrompt(chirp(1000)); // 50 packets
    await waitUntil(() => b.live.rtpPacketsIn >= 10, 'the prompt at b');
    const dtmf = a.sendDtmf('5', { durationMs: 60 });
    a.setRemote(remote(pb, { direction: 'inactive' }));
    expect(a.onHold).toBe(true);
    await pause(100);
    const atB = b.live.rtpPacketsIn;
    await pause(200);
    expect(b.live.rtpPacketsIn).toBe(atB);
    expect(c.live.rtpPacketsIn).toBe(0);

    a.setRemote(remote(pc, { direction: 'recvonly' })); // moved to c, and off hold
    expect(a.onHold).toBe(false);
    await Promise.all([playing, dtmf]);
    await waitUntil(() => c.report().dtmf.length === 1, 'the digit at c');
    expect(b.live.rtpPacketsIn).toBe(atB);
    expect(c.report().dtmf[0]).toMatchObject({ direction: 'in', digit: '5' });
    a.close();
    // b and c together saw one continuous stream: 50 audio packets plus the digit's, none lost.
    const rb = b.report().received;
    const rc = c.report().received;
    expect(rb.ssrc).toBe(rc.ssrc);
    expect(rb.lost + rc.lost).toBe(0);
    expect(rc.outOfOrder).toBe(0);
    expect(a.report().remoteRtp).toBe(`127.0.0.1:${pc}`);
  });
});
