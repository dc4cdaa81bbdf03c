// Voice bands from a real WAV file on disk (8 kHz, 16-bit, as wav-recorder.ts writes): a recorded
// call's far-end speech turns are drawn as bands on the speaker's lane, anchored at its first packet.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { contactTimeline } from '../../../src/main/timeline/from-history';
import { handoffLegs, media } from '../../helpers/timeline/fixtures';

const CID = '18815573621';
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `ms` of silence, then a 440 Hz tone at about −12 dBFS for each [start, end] (ms). */
function wav(totalMs: number, tones: Array<[number, number]>): Buffer {
  const s = new Int16Array((totalMs * 8000) / 1000);
  for (const [a, b] of tones) for (let i = (a * 8) | 0; i < ((b * 8) | 0); i++) s[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  const w = new wavefile.WaveFile();
  w.fromScratch(1, 8000, '16', s);
  return Buffer.from(w.toBuffer());
}

describe('timeline: voice bands from a call recording', () => {
  it('draws each speech turn of the recorded far end, from its first packet', () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-voice-'));
    const file = join(dir, 'bot-leg.wav');
    writeFileSync(file, wav(2000, [[200, 700], [1200, 1500]]));
    const store = HistoryStore.open(join(dir, 'h.db'));
    try {
      store.createRun({ id: 'run-1', kind: 'handoff', profile: 'watson', transport: 'tcp', startedWallMs: 0 });
      const { cxone, bot } = handoffLegs(CID, 3000);
      // The bot leg recorded what the caller sent, its first packet at 100 ms.
      const m = { ...media([28, 2900], [100, 2100], 300), recordingPath: file };
      for (const c of [cxone, { ...bot, media: m }]) {
        store.saveCall({ ...c, invite: { raw: c.messages[0]!.raw, headers: [] } });
        for (const x of c.messages) store.addSipMessage(c.id, x);
      }
      const { timeline } = contactTimeline(store, CID);
      const bands = timeline.events.filter((e) => e.kind === 'voice' && e.lane === 'caller');
      expect(bands.map((e) => e.label)).toEqual(['caller speaks', 'caller speaks']);
      // Turns at 100 + 200 … 100 + 700 and 100 + 1200 … 100 + 1500 ms (20 ms frames; the onset may move a start back a frame).
      expect(bands[0]!.atMs).toBeGreaterThanOrEqual(280);
      expect(bands[0]!.atMs).toBeLessThanOrEqual(300);
      expect(bands[0]!.atMs + bands[0]!.durMs).toBeCloseTo(800, -1);
      expect(bands[1]!.atMs).toBeGreaterThanOrEqual(1280);
      expect(bands[1]!.atMs + bands[1]!.durMs).toBeCloseTo(1600, -1);
    } finally {
      store.close();
    }
  });

  it('a recording that is gone leaves the first-voice mark', () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-voice-'));
    const store = HistoryStore.open(join(dir, 'h.db'));
    try {
      store.createRun({ id: 'run-1', kind: 'handoff', profile: 'watson', transport: 'tcp', startedWallMs: 0 });
      const { bot } = handoffLegs(CID, 3000);
      store.saveCall({ ...bot, media: { ...media(null, [100, 2100], 300), recordingPath: join(dir, 'missing.wav') } });
      for (const x of bot.messages) store.addSipMessage(bot.id, x);
      const { timeline } = contactTimeline(store, CID);
      expect(timeline.events.filter((e) => e.kind === 'voice').map((e) => [e.label, e.durMs])).toEqual([['caller voice starts', 0]]);
    } finally {
      store.close();
    }
  });
});
