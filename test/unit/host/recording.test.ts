import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecording } from '../../../src/main/host/recording';

const dir = mkdtempSync(join(tmpdir(), 'lab-rec-'));

/** A minimal RIFF/WAVE file: 8 kHz 16-bit mono, `samples` zero samples. */
function wav(samples: number): Buffer {
  const data = Buffer.alloc(samples * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(16000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

describe('readRecording', () => {
  it('returns the WAV bytes as base64', async () => {
    const f = join(dir, 'call.wav');
    writeFileSync(f, wav(800));
    const r = await readRecording(f);
    expect(r.mime).toBe('audio/wav');
    expect(r.bytes).toBe(44 + 1600);
    expect(Buffer.from(r.base64, 'base64').equals(wav(800))).toBe(true);
  });
  it('refuses what is not an absolute .wav RIFF/WAVE file within the size limit', async () => {
    writeFileSync(join(dir, 'fake.wav'), 'not a wav file at all');
    writeFileSync(join(dir, 'big.wav'), wav(1000));
    await expect(readRecording('call.wav')).rejects.toThrow(/absolute \.wav/);
    await expect(readRecording('/etc/passwd')).rejects.toThrow(/absolute \.wav/);
    await expect(readRecording(join(dir, 'missing.wav'))).rejects.toThrow(/gone/);
    await expect(readRecording(join(dir, 'fake.wav'))).rejects.toThrow(/not a WAV/);
    await expect(readRecording(join(dir, 'big.wav'), 100)).rejects.toThrow(/too large/);
    await expect(readRecording(dir + '/')).rejects.toThrow();
  });
});
