/** The incoming stream: header checks before parsing, audio vs telephone-event, duplicates kept out of the recording. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RtpHeader, RtpPacket } from 'werift-rtp';
import { encodeTelephoneEvent } from '../../../src/main/media/dtmf';
import { g711Encode } from '../../../src/main/media/g711';
import { RtpReceiver, rtpHeaderProblem } from '../../../src/main/media/rtp-receiver';
import { WavRecorder } from '../../../src/main/media/wav-recorder';
import type { DtmfDigitRecord } from '../../../src/shared/types';
import { readWav } from '../../helpers/media/audio';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function rtp(pt: number, seq: number, ts: number, payload: Buffer, marker = false): Buffer {
  return new RtpPacket(new RtpHeader({ payloadType: pt, sequenceNumber: seq, timestamp: ts, ssrc: 5, marker }), payload).serialize();
}

describe('rtpHeaderProblem', () => {
  it('accepts RTP, names what is wrong with the rest', () => {
    expect(rtpHeaderProblem(rtp(0, 1, 2, Buffer.alloc(160)))).toBeUndefined();
    expect(rtpHeaderProblem(Buffer.from('hello world!'))).toMatch(/version 2/);
    expect(rtpHeaderProblem(Buffer.from([0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]))).toMatch(/CSRC/);
    expect(rtpHeaderProblem(Buffer.from([0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0xff, 0xff]))).toMatch(/extension/);
    const big = Buffer.alloc(12 + 4 + 2048);
    big[0] = 0x90;
    big.writeUInt16BE(512, 14);
    expect(rtpHeaderProblem(big)).toMatch(/2048 octets/);
    expect(rtpHeaderProblem(Buffer.from([0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toMatch(/padding/);
  });
});

describe('RtpReceiver', () => {
  it('decodes the negotiated codec into the recording, turns telephone-events into digits, skips duplicates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtp-rx-'));
    dirs.push(dir);
    const digits: DtmfDigitRecord[] = [];
    const voices: number[] = [];
    const rec = new WavRecorder(join(dir, 'r.wav'));
    const rx = new RtpReceiver({ onDigit: (d) => digits.push(d), onVoice: (t) => voices.push(t) }, rec, { thresholdDbfs: -40, minFrames: 1 });
    const remote = { address: '127.0.0.1', port: 1, payloadType: 8, codec: 'PCMA' as const, direction: 'sendrecv' as const, dtmfPayloadType: 96 };
    const loud = g711Encode('PCMA', new Int16Array(160).fill(6000));
    rx.handle(rtp(8, 1, 0, loud, true), 10, remote);
    rx.handle(rtp(8, 1, 0, loud, true), 11, remote); // duplicate
    rx.handle(rtp(96, 2, 160, encodeTelephoneEvent({ event: 9, end: true, volume: 10, duration: 400 }), true), 30, remote);
    rx.handle(rtp(96, 3, 160, encodeTelephoneEvent({ event: 9, end: true, volume: 10, duration: 400 })), 50, remote);
    rx.handle(rtp(8, 4, 480, loud), 70, remote);
    rx.handle(rtp(18, 5, 640, Buffer.alloc(20)), 90, remote); // G.729: counted, not decoded
    rx.close();
    expect(digits).toEqual([{ direction: 'in', digit: '9', startMonoMs: 30, durationMs: 50 }]);
    expect(voices).toEqual([10]);
    expect(rx.stats.snapshot()).toMatchObject({ packets: 6, duplicates: 1, lost: 0 });
    const samples = readWav(rx.recordingPath!).samples;
    expect(samples.length).toBe(4 * 160); // the event's 40 ms are silence
    expect(Math.abs(samples[0]! - 6000)).toBeLessThan(200);
    expect(samples[200]).toBe(0);
    expect(() => rx.handle(Buffer.from([0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0xff, 0xff]), 100, remote)).toThrow(/extension/);
  });
});
