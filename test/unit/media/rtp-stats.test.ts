/**
 * RFC 3550 receiver statistics from crafted packet sequences: loss (A.3), sequence wraparound and
 * restarts (A.1), reordering, duplicates, SSRC changes, jitter (A.8) and the RR block.
 */
import { describe, expect, it } from 'vitest';
import { RtpReceiveStats } from '../../../src/main/media/rtp-stats';

/** Feeds packets `seqs` of `ssrc`, 20 ms / 160 units apart unless `arrival` says otherwise. */
function feed(stats: RtpReceiveStats, seqs: number[], ssrc = 1, arrival?: (i: number) => number): void {
  seqs.forEach((seq, i) => {
    stats.update({ ssrc, seq, ts: (seq * 160) >>> 0, arrivalMs: arrival ? arrival(i) : seq * 20, payloadBytes: 160, jitterSample: true });
  });
}

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => (from + i) & 0xffff);

describe('RtpReceiveStats', () => {
  it('counts a clean stream: no loss, no jitter', () => {
    const s = new RtpReceiveStats();
    feed(s, range(100, 50));
    expect(s.snapshot()).toMatchObject({ direction: 'in', ssrc: 1, packets: 50, payloadBytes: 8000, expected: 50, lost: 0, lossPercent: 0, outOfOrder: 0, duplicates: 0, jitterMs: 0, firstMonoMs: 2000 });
  });

  it('every tenth packet missing gives 10 % loss', () => {
    const s = new RtpReceiveStats();
    feed(s, range(0, 100).filter((q) => q % 10 !== 5));
    expect(s.snapshot()).toMatchObject({ expected: 100, lost: 10, lossPercent: 10 });
  });

  it('follows the sequence number across the wrap at 65535 (A.1 cycles)', () => {
    const s = new RtpReceiveStats();
    feed(s, range(65530, 12).filter((q) => q !== 65535 && q !== 2));
    expect(s.snapshot()).toMatchObject({ packets: 10, expected: 12, lost: 2 });
    const rr = s.takeReceptionReport()!;
    expect(rr.highestSequence).toBe(0x10000 + 5);
    expect(rr.cumulativeLost).toBe(2);
    expect(rr.fractionLost).toBe(Math.floor((2 * 256) / 12));
  });

  it('counts a reordered packet as out of order and not as lost, also across the wrap', () => {
    const s = new RtpReceiveStats();
    feed(s, [65533, 65534, 0, 65535, 1, 3, 2]);
    expect(s.snapshot()).toMatchObject({ packets: 7, expected: 7, lost: 0, outOfOrder: 2, duplicates: 0 });
  });

  it('recognises duplicates and keeps them out of the loss figure', () => {
    const s = new RtpReceiveStats();
    const v = [10, 11, 11, 12, 10].map((seq) => s.update({ ssrc: 1, seq, ts: seq * 160, arrivalMs: seq * 20, payloadBytes: 160, jitterSample: true }));
    expect(v.map((x) => x.duplicate)).toEqual([false, false, true, false, true]);
    expect(s.snapshot()).toMatchObject({ packets: 5, expected: 3, lost: 0, duplicates: 2, outOfOrder: 0 });
  });

  it('counts SSRC changes and adds up the sources', () => {
    const s = new RtpReceiveStats();
    feed(s, range(0, 10), 1);
    const v = s.update({ ssrc: 2, seq: 5000, ts: 0, arrivalMs: 300, payloadBytes: 160, jitterSample: true });
    expect(v.ssrcChanged).toBe(true);
    feed(s, [5001, 5003], 2);
    feed(s, [10], 1);
    expect(s.snapshot()).toMatchObject({ ssrc: 1, ssrcChanges: 2, packets: 14, expected: 11 + 4, lost: 1 });
  });

  it('restarts after a large jump only when the next packet confirms it (A.1 bad_seq)', () => {
    const s = new RtpReceiveStats();
    feed(s, range(0, 5));
    expect(s.update({ ssrc: 1, seq: 30000, ts: 0, arrivalMs: 200, payloadBytes: 160, jitterSample: true }).rejected).toBe(true);
    feed(s, [5]);
    expect(s.snapshot()).toMatchObject({ expected: 6, lost: 0 });
    expect(s.update({ ssrc: 1, seq: 40000, ts: 0, arrivalMs: 200, payloadBytes: 160, jitterSample: true }).rejected).toBe(true);
    expect(s.update({ ssrc: 1, seq: 40001, ts: 160, arrivalMs: 220, payloadBytes: 160, jitterSample: true }).rejected).toBe(false);
    expect(s.snapshot()).toMatchObject({ expected: 1, lost: 0 });
  });

  it('jitter (A.8): J += (|D| − J)/16 in timestamp units, shown in ms at 8000 Hz', () => {
    const s = new RtpReceiveStats();
    // Arrivals alternate 0 and +2 ms late: |D| = 2 ms = 16 units from the second packet on.
    feed(s, range(0, 200), 1, (i) => i * 20 + (i % 2) * 2);
    const { jitterMs, maxJitterMs } = s.snapshot();
    expect(jitterMs).toBeGreaterThan(1.99);
    expect(jitterMs).toBeLessThanOrEqual(2);
    expect(maxJitterMs).toBeCloseTo(jitterMs, 3);
    // One sample of |D| = 16 units from J = 0 gives J = 1 unit = 0.125 ms.
    const one = new RtpReceiveStats();
    feed(one, [0, 1], 1, (i) => (i === 0 ? 0 : 22));
    expect(one.snapshot().jitterMs).toBe(0.125);
  });

  it('a clean stream (arrivals within ±0.3 ms of their slot) stays under 1 ms', () => {
    const s = new RtpReceiveStats();
    let x = 12345;
    const noise = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 0.6;
    feed(s, range(0, 500), 1, (i) => i * 20 + noise());
    expect(s.snapshot().jitterMs).toBeLessThan(1);
    expect(s.snapshot().maxJitterMs).toBeLessThan(1);
  });

  it('takes no jitter sample from packets that do not follow the clock (telephone-events), and survives the timestamp wrap', () => {
    const s = new RtpReceiveStats();
    const base = 0xffffff00;
    for (let i = 0; i < 10; i++) s.update({ ssrc: 1, seq: i, ts: (base + i * 160) >>> 0, arrivalMs: i * 20, payloadBytes: 160, jitterSample: true });
    for (let i = 10; i < 15; i++) s.update({ ssrc: 1, seq: i, ts: base, arrivalMs: i * 20, payloadBytes: 4, jitterSample: false });
    expect(s.snapshot().jitterMs).toBe(0);
  });

  it('reports the fraction lost per interval', () => {
    const s = new RtpReceiveStats();
    expect(s.takeReceptionReport()).toBeUndefined();
    feed(s, range(0, 8).filter((q) => q !== 3 && q !== 4));
    expect(s.takeReceptionReport()).toMatchObject({ ssrc: 1, fractionLost: 64, cumulativeLost: 2, highestSequence: 7 });
    feed(s, range(8, 8));
    expect(s.takeReceptionReport()).toMatchObject({ fractionLost: 0, cumulativeLost: 2, highestSequence: 15 });
  });
});
