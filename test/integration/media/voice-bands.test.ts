/**
 * Voice activity bands measured live, both ways, without a recording (issue 15: "RTP voice activity
 * as bands in both directions"): A plays two bursts of sound with a pause between; A's media report
 * has two `out` bands, B's two `in` bands at the same times (loopback), and history keeps them.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { CallRecorder } from '../../../src/main/scenarios/call-recorder';
import { chirp, concat, silence } from '../../helpers/media/audio';
import { MediaTestBag } from '../../helpers/media/media-call';

const bag = new MediaTestBag();
afterEach(() => bag.release());

describe('live voice bands', () => {
  it('two bursts of speech give two bands on the sender (out) and on the receiver (in), kept in history', async () => {
    const dir = bag.tempDir('voice-bands-');
    const store = HistoryStore.open(join(dir, 'history.db'));
    try {
      const { aCall, bCall } = await bag.call({}, {});
      new CallRecorder(store, null).track(bCall, { runId: null, profile: 'test' });
      // 600 ms of sound, 1 s of silence (longer than the VAD's hangover), 600 ms of sound.
      await aCall.playPrompt(concat(chirp(600), silence(1000), chirp(600)));
      await aCall.hangup();
      await bCall.waitForEnd(5000);

      const out = (aCall.mediaReport().voiceBands ?? []).filter((b) => b.direction === 'out');
      const heard = (bCall.mediaReport().voiceBands ?? []).filter((b) => b.direction === 'in');
      expect(out).toHaveLength(2);
      expect(heard).toHaveLength(2);
      for (const bands of [out, heard]) {
        const [first, second] = bands as [(typeof bands)[0], (typeof bands)[0]];
        // Each band covers most of its 600 ms burst; the gap between them is most of the 1 s pause.
        expect(first.endMonoMs - first.startMonoMs).toBeGreaterThan(400);
        expect(second.endMonoMs - second.startMonoMs).toBeGreaterThan(400);
        expect(second.startMonoMs - first.endMonoMs).toBeGreaterThan(500);
      }
      // The same speech seen from both ends of a loopback call: starts within a few packets.
      expect(Math.abs(heard[0]!.startMonoMs - out[0]!.startMonoMs)).toBeLessThan(100);
      // B heard no speech from A's side going the other way: B sent nothing.
      expect((bCall.mediaReport().voiceBands ?? []).filter((b) => b.direction === 'out')).toEqual([]);

      const saved = store.getCall(bCall.id)?.media?.voiceBands ?? [];
      expect(saved.filter((b) => b.direction === 'in')).toHaveLength(2);
    } finally {
      store.close();
    }
  });
});
