/**
 * Media of a real call on loopback under test conditions: loss injected by a relay, RFC 4733 DTMF
 * both ends, RTCP reports both ways, and garbage datagrams at the media ports.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { DtmfDigitRecord } from '../../../src/shared/types';
import { chirp, readWav, waitUntil } from '../../helpers/media/audio';
import { MediaTestBag } from '../../helpers/media/media-call';
import { RtpRelay } from '../../helpers/media/rtp-relay';

const bag = new MediaTestBag();
afterEach(() => bag.release());
const call = bag.call.bind(bag);

describe('media under test conditions', () => {
  it('every tenth RTP packet dropped by a relay shows as 10 % loss', async () => {
    const target: { current?: { address: string; port: number } } = {};
    const relay = bag.add(await RtpRelay.start(() => target.current, (d) => d.index % 10 === 9));
    // A sends its RTP to the relay instead of B's SDP address; the relay forwards to B's RTP port.
    const { aCall, bCall } = await call({ rtpTargetOverride: () => relay.address });
    target.current = { address: '127.0.0.1', port: bCall.media.local.port };
    await aCall.playPrompt(chirp(2020)); // 101 packets: 10 of them dropped (indexes 9, 19, … 99)
    await waitUntil(() => bCall.media.rtpPacketsIn >= 91, 'the relayed packets');
    expect(relay.dropped).toBe(10);
    const rx = bCall.mediaReport().received;
    expect(rx).toMatchObject({ packets: 91, expected: 101, lost: 10 });
    expect(rx.lossPercent).toBeCloseTo(10, 0);
  });

  it("DTMF '1#' from A arrives at B as the digits '1' and '#' with their durations", async () => {
    const { aCall, bCall } = await call();
    const got: DtmfDigitRecord[] = [];
    bCall.on('dtmf', (d) => got.push(d));
    await aCall.sendDtmf('1#', { durationMs: 120 });
    // Each digit: 6 packets (120 ms) + 2 end retransmissions; sendDtmf resolved once all were sent.
    await waitUntil(() => bCall.media.rtpPacketsIn === 16, 'all event packets');
    expect(got.map((d) => [d.direction, d.digit, d.durationMs])).toEqual([
      ['in', '1', 120],
      ['in', '#', 120],
    ]);
    expect(got[1]!.startMonoMs).toBeGreaterThan(got[0]!.startMonoMs);
    expect(bCall.mediaReport().dtmf).toEqual(got);
    expect(aCall.mediaReport().dtmf.map((d) => `${d.direction}${d.digit}`)).toEqual(['out1', 'out#']);
    // Telephone-events are RTP of the same stream: counted, no loss, no jitter from their shared timestamps.
    expect(bCall.mediaReport().received).toMatchObject({ packets: 16, lost: 0 });
    expect(bCall.mediaReport().received.jitterMs).toBe(0);
    await expect(aCall.sendDtmf('1x')).rejects.toThrow(/not a DTMF digit/);
  });

  it('DTMF while a prompt plays pauses the audio and the recording keeps time', async () => {
    const dir = bag.tempDir('media-dtmf-');
    const { aCall, bCall } = await call({}, { recordDir: dir });
    const got: DtmfDigitRecord[] = [];
    bCall.on('dtmf', (d) => got.push(d));
    const playing = aCall.playPrompt(chirp(600));
    await waitUntil(() => bCall.media.rtpPacketsIn >= 5, 'the prompt to start');
    await aCall.sendDtmf('5');
    await playing;
    // 30 audio packets, 7 event packets (5 + 2 end retransmissions).
    await waitUntil(() => bCall.media.rtpPacketsIn === 37, 'every packet');
    expect(got.map((d) => d.digit)).toEqual(['5']);
    expect(bCall.mediaReport().received.lost).toBe(0);
    await aCall.hangup();
    await bCall.mediaClosed();
    // The 7 ticks of the event are silence in the recording: the audio's timestamps kept running.
    const wav = readWav(bCall.mediaReport().recordingPath!);
    expect(wav.samples.length).toBe(37 * 160);
  });

  it('RTCP: B reports on what A sends (RR with a block), A sends SRs with its counts', async () => {
    const { aCall, bCall } = await call({ rtcpIntervalMs: 40 }, { rtcpIntervalMs: 40 });
    await aCall.playPrompt(chirp(600));
    await waitUntil(
      () => aCall.mediaReport().rtcp.some((r) => r.type === 'RR' && r.jitterMs !== undefined) && bCall.mediaReport().rtcp.some((r) => r.type === 'SR' && (r.senderPackets ?? 0) >= 30),
      'reports both ways',
    );
    const rr = aCall.mediaReport().rtcp.find((r) => r.type === 'RR' && r.jitterMs !== undefined)!;
    expect(rr).toMatchObject({ ssrc: expect.any(Number), fractionLost: 0, cumulativeLost: 0 });
    const sr = bCall.mediaReport().rtcp.filter((r) => r.type === 'SR').at(-1)!;
    expect(sr.ssrc).toBe(aCall.mediaReport().sent.ssrc);
    expect(sr.senderPackets).toBe(30);
    expect(sr.senderOctets).toBe(4800);
  });

  it('garbage datagrams at the RTP and RTCP ports crash nothing and count as no RTP', async () => {
    const { aCall, bCall } = await call();
    const tx = dgram.createSocket('udp4');
    const port = bCall.media.local.port;
    const junk = [
      Buffer.from('hello'),
      Buffer.alloc(0),
      Buffer.from([0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]), // 15 CSRCs announced, none there
      Buffer.from([0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0xff, 0xff]), // extension past the end
      Buffer.from([0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xff]), // padding past the header
      Buffer.from([0x81, 200, 0xff, 0xff, 0, 0, 0, 1]), // RTCP SR cut short
    ];
    for (const j of junk) {
      await new Promise<void>((r) => tx.send(j, port, '127.0.0.1', () => r()));
      await new Promise<void>((r) => tx.send(j, port + 1, '127.0.0.1', () => r()));
    }
    tx.close();
    await aCall.playPrompt(chirp(200));
    await waitUntil(() => bCall.mediaReport().received.packets === 10, 'the prompt');
    expect(bCall.state).toBe('answered');
    expect(bCall.mediaReport().received).toMatchObject({ packets: 10, lost: 0, ssrcChanges: 0 });
  });
});
