/**
 * Two MediaSessions wired to each other without SIP (real UDP sockets on 127.0.0.1): PCMA, RTCP
 * sent on the RTP port (rtcp-mux, RFC 5761 §4), the packet hook, stopping and replacing prompts,
 * and the errors of a session that cannot send.
 */
import dgram from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import type { RtpDatagramInfo } from '../../../src/main/media/media-config';
import { MediaClosedError, MediaSession } from '../../../src/main/media/media-session';
import { buildRtcpReport } from '../../../src/main/media/rtcp';
import type { RemoteMedia } from '../../../src/main/media/sdp';
import { chirp, normalizedCrossCorrelation, readWav, waitUntil } from '../../helpers/media/audio';
import { MediaTestBag } from '../../helpers/media/media-call';

const bag = new MediaTestBag();
afterEach(() => bag.release());
const tmp = (): string => bag.tempDir('media-session-');
function session(config: ConstructorParameters<typeof MediaSession>[0]['config'] = {}): MediaSession {
  return bag.add(new MediaSession({ host: '127.0.0.1', advertiseHost: '127.0.0.1', callId: 'c1@x', config }));
}
function remote(port: number, over: Partial<RemoteMedia> = {}): RemoteMedia {
  return { address: '127.0.0.1', port, payloadType: 8, codec: 'PCMA', direction: 'sendrecv', dtmfPayloadType: 101, ...over };
}

describe('MediaSession', () => {
  it('binds RTP on an even port with RTCP on the next, and plays a WAV file as PCMA that the peer records', async () => {
    const dir = tmp();
    const seen: RtpDatagramInfo[] = [];
    const a = session({ onRtpPacket: (p) => seen.push(p) });
    const b = session({ recordDir: dir });
    const [pa, pb] = await Promise.all([a.bind(), b.bind()]);
    expect(pa % 2).toBe(0);
    a.setRemote(remote(pb));
    b.setRemote(remote(pa));
    // The same chirp at 16 kHz in the file, and at 8 kHz to compare the recording with.
    const prompt = chirp(400, 300, 2000);
    const w = new wavefile.WaveFile();
    w.fromScratch(1, 16000, '16', chirp(400, 300, 2000, 8000, 16000));
    const file = join(dir, 'prompt-16k.wav');
    writeFileSync(file, w.toBuffer());
    await a.playPrompt(file);
    await waitUntil(() => b.live.rtpPacketsIn === 20, 'the prompt');
    b.close();
    const report = b.report();
    expect(report).toMatchObject({ codec: 'PCMA', localRtp: `127.0.0.1:${pb}`, remoteRtp: `127.0.0.1:${pa}` });
    expect(report.recordingPath).toBe(join(dir, `c1_x-${pb}.wav`));
    const rec = readWav(report.recordingPath!).samples;
    expect(normalizedCrossCorrelation(prompt, rec, 40).value).toBeGreaterThan(0.9);
    expect(seen).toHaveLength(20);
    expect(seen[0]).toMatchObject({ direction: 'out', rtcp: false, local: `127.0.0.1:${pa}`, remote: `127.0.0.1:${pb}` });
    expect(seen[0]!.data[1]! & 0x7f).toBe(8);
    expect(seen[0]!.data[1]! & 0x80).toBe(0x80); // marker: start of a talkspurt
    expect(seen[1]!.data[1]! & 0x80).toBe(0);
  });

  it('reads RTCP that arrives on the RTP port (rtcp-mux) and on the RTCP port', async () => {
    const b = session();
    const pb = await b.bind();
    b.setRemote(remote(40000));
    const tx = dgram.createSocket('udp4');
    const rr = buildRtcpReport({ ssrc: 77, cname: 'peer' });
    await new Promise<void>((r) => tx.send(rr, pb, '127.0.0.1', () => r()));
    await new Promise<void>((r) => tx.send(rr, pb + 1, '127.0.0.1', () => r()));
    await waitUntil(() => b.report().rtcp.length === 2, 'two reports');
    tx.close();
    expect(b.report().rtcp.map((r) => [r.type, r.ssrc])).toEqual([
      ['RR', 77],
      ['RR', 77],
    ]);
    expect(b.live.rtpPacketsIn).toBe(0);
  });

  it('stops a prompt (its promise resolves), replaces a prompt, and loops until stopped', async () => {
    const a = session();
    const b = session();
    const [pa, pb] = await Promise.all([a.bind(), b.bind()]);
    a.setRemote(remote(pb));
    const first = a.playPrompt(chirp(2000));
    const second = a.playPrompt(chirp(100), { loop: true });
    await expect(first).resolves.toBeUndefined();
    await waitUntil(() => b.live.rtpPacketsIn >= 8, 'the looping prompt');
    a.stopPrompt();
    await expect(second).resolves.toBeUndefined();
    expect(pa).toBeGreaterThan(0);
  });

  it('refuses to send without negotiated media, to a peer that does not receive, or once closed', async () => {
    const a = session();
    await expect(a.playPrompt(chirp(20))).rejects.toThrow(/no negotiated media/);
    await a.bind();
    a.setRemote(remote(40000, { direction: 'sendonly' }));
    await expect(a.playPrompt(chirp(20))).rejects.toThrow(/does not receive audio \(a=sendonly\)/);
    a.setRemote(remote(40000, { dtmfPayloadType: undefined }));
    await expect(a.sendDtmf('1')).rejects.toThrow(/did not offer telephone-event/);
    expect(a.canSendDtmf).toBe(false);
    await expect(a.playPrompt(join(tmp(), 'missing.wav'))).rejects.toThrow(/cannot read prompt/);
    const pending = a.sendDtmf.bind(a);
    a.setRemote(remote(40000));
    const dtmf = pending('123');
    a.close();
    await expect(dtmf).rejects.toBeInstanceOf(MediaClosedError);
    await expect(a.playPrompt(chirp(20))).rejects.toBeInstanceOf(MediaClosedError);
    await expect(a.bind()).rejects.toBeInstanceOf(MediaClosedError);
    a.close(); // idempotent
  });
});
