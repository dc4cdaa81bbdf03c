/** The per-call WAV recording: time kept by RTP timestamps, silence for lost packets, reordering, finalised on close. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { WavRecorder } from '../../../src/main/media/wav-recorder';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'wavrec-'));
  dirs.push(d);
  return d;
}

function readBack(path: string): { rate: number; channels: number; bits: string; samples: Int16Array } {
  const w = new wavefile.WaveFile(readFileSync(path));
  const fmt = w.fmt as { sampleRate: number; numChannels: number };
  return { rate: fmt.sampleRate, channels: fmt.numChannels, bits: w.bitDepth, samples: w.getSamples(false, Int16Array) as unknown as Int16Array };
}

const frame = (v: number): Int16Array => new Int16Array(160).fill(v);

describe('WavRecorder', () => {
  it('places packets by timestamp: a lost packet becomes 20 ms of silence, a reordered one lands in place', () => {
    const path = join(tmp(), 'sub', 'call.wav');
    const rec = new WavRecorder(path);
    expect(rec.recordingPath).toBeNull();
    const base = 0xffffff00; // across the 32-bit timestamp wrap
    rec.write(9, base, frame(1));
    rec.write(9, (base + 320) >>> 0, frame(3)); // packet 2 before 1
    rec.write(9, (base + 160) >>> 0, frame(2));
    rec.write(9, (base + 640) >>> 0, frame(5)); // packet 3 lost
    expect(rec.close()).toBe(path);
    expect(rec.close()).toBe(path);
    const r = readBack(path);
    expect(r).toMatchObject({ rate: 8000, channels: 1, bits: '16' });
    expect(r.samples.length).toBe(5 * 160);
    expect([0, 160, 320, 480, 640].map((i) => r.samples[i])).toEqual([1, 2, 3, 0, 5]);
  });

  it('continues after the current end when the SSRC changes, and writes long calls through', () => {
    const path = join(tmp(), 'b.wav');
    const rec = new WavRecorder(path);
    for (let i = 0; i < 200; i++) rec.write(1, i * 160, frame(i % 100)); // 4 s: flushed as it goes
    rec.write(2, 999999, frame(-7));
    rec.close();
    const r = readBack(path);
    expect(r.samples.length).toBe(201 * 160);
    expect(r.samples[199 * 160]).toBe(99);
    expect(r.samples[200 * 160]).toBe(-7);
  });

  it('writes no file without audio, and reports a directory it cannot create without throwing', () => {
    const d = tmp();
    expect(new WavRecorder(join(d, 'none.wav')).close()).toBeNull();
    const logs: string[] = [];
    const file = join(d, 'a-file');
    writeFileSync(file, 'x');
    const bad = new WavRecorder(join(file, 'sub', 'x.wav'), (m) => logs.push(m)); // a directory under a file
    expect(() => bad.write(1, 0, frame(1))).not.toThrow();
    expect(bad.close()).toBeNull();
    expect(logs[0]).toMatch(/cannot record/);
  });
});
