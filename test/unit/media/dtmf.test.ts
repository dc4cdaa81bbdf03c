/** RFC 4733 telephone-events: payload encoding, the digit map, the receiver's folding, the sender's packet plan. */
import { describe, expect, it } from 'vitest';
import { decodeTelephoneEvent, digitToEvent, DtmfReceiver, encodeTelephoneEvent, eventToDigit } from '../../../src/main/media/dtmf';
import { DtmfError, DtmfJob, type DtmfTickAction } from '../../../src/main/media/dtmf-sender';

describe('telephone-event payload', () => {
  it('encodes event, E bit, volume and duration (RFC 4733 §2.3) and decodes them back', () => {
    const b = encodeTelephoneEvent({ event: 11, end: true, volume: 10, duration: 800 });
    expect([...b]).toEqual([11, 0x80 | 10, 0x03, 0x20]);
    expect(decodeTelephoneEvent(b)).toEqual({ event: 11, end: true, volume: 10, duration: 800 });
    expect(decodeTelephoneEvent(Buffer.from([1, 2, 3]))).toBeUndefined();
  });

  it('maps digits to events 0-15 and back', () => {
    expect(['0', '9', '*', '#', 'A', 'd'].map(digitToEvent)).toEqual([0, 9, 10, 11, 12, 15]);
    expect(digitToEvent('x')).toBeUndefined();
    expect(digitToEvent('12')).toBeUndefined();
    expect(eventToDigit(11)).toBe('#');
    expect(eventToDigit(16)).toBeUndefined();
  });
});

/** Runs a job to its end, one tick per 20 ms, timestamps stepping 160 per tick from 1000. */
function runJob(job: DtmfJob): DtmfTickAction[] {
  const out: DtmfTickAction[] = [];
  for (let i = 0; !job.finished; i++) out.push(job.tick(1000 + i * 160, i * 20)!);
  return out;
}

describe('DtmfJob (sender)', () => {
  it('sends 100 ms digits as 5 packets + 2 end retransmissions, marker first, same timestamp, then a 60 ms gap', async () => {
    const job = new DtmfJob('1#');
    const actions = runJob(job);
    await expect(job.done).resolves.toBeUndefined();
    expect(actions).toHaveLength(2 * (7 + 3));
    const first = actions.slice(0, 7) as Extract<DtmfTickAction, { kind: 'event' }>[];
    expect(first.map((a) => decodeTelephoneEvent(a.payload))).toEqual(
      [160, 320, 480, 640, 800, 800, 800].map((duration, k) => ({ event: 1, end: k >= 4, volume: 10, duration })),
    );
    expect(first.map((a) => a.marker)).toEqual([true, false, false, false, false, false, false]);
    expect(new Set(first.map((a) => a.ts))).toEqual(new Set([1000]));
    expect(first.filter((a) => a.record).map((a) => a.record)).toEqual([{ direction: 'out', digit: '1', startMonoMs: 0, durationMs: 100 }]);
    expect(actions.slice(7, 10).every((a) => a.kind === 'gap')).toBe(true);
    const second = actions[10] as Extract<DtmfTickAction, { kind: 'event' }>;
    expect(second).toMatchObject({ marker: true, ts: 1000 + 10 * 160 });
    expect(decodeTelephoneEvent(second.payload)?.event).toBe(11);
  });

  it('carries a duration that is not a multiple of 20 ms in its last packets', () => {
    const actions = runJob(new DtmfJob('5', { durationMs: 50, gapMs: 0 })) as Extract<DtmfTickAction, { kind: 'event' }>[];
    expect(actions.map((a) => decodeTelephoneEvent(a.payload)!.duration)).toEqual([160, 320, 400, 400, 400]);
  });

  it('rejects unknown digits and durations out of range', () => {
    expect(() => new DtmfJob('12x')).toThrow(DtmfError);
    expect(() => new DtmfJob('')).toThrow(/no DTMF digits/);
    expect(() => new DtmfJob('1', { durationMs: 10 })).toThrow(/outside/);
  });

  it('rejects its promise when cancelled', async () => {
    const job = new DtmfJob('1');
    job.cancel(new Error('closed'));
    await expect(job.done).rejects.toThrow('closed');
    expect(job.finished).toBe(true);
  });
});

describe('DtmfReceiver', () => {
  const pkt = (event: number, end: boolean, duration: number): Buffer => encodeTelephoneEvent({ event, end, volume: 10, duration });

  it('reports one digit per event with the first packet stamp and the end duration, ignoring end retransmissions', () => {
    const r = new DtmfReceiver();
    const out = [
      ...r.onPacket(pkt(1, false, 160), 1000, 5),
      ...r.onPacket(pkt(1, false, 320), 1000, 25),
      ...r.onPacket(pkt(1, true, 800), 1000, 85),
      ...r.onPacket(pkt(1, true, 800), 1000, 105),
      ...r.onPacket(pkt(1, true, 800), 1000, 125),
      ...r.onPacket(pkt(11, false, 160), 3000, 300),
      ...r.onPacket(pkt(11, true, 960), 3000, 400),
      ...r.onPacket(pkt(1, true, 800), 1000, 410), // very late retransmission of the first event
    ];
    expect(out).toEqual([
      { direction: 'in', digit: '1', startMonoMs: 5, durationMs: 100 },
      { direction: 'in', digit: '#', startMonoMs: 300, durationMs: 120 },
    ]);
    expect(r.flush()).toBeUndefined();
  });

  it('reports an event whose end packets were lost when the next one starts, or on flush', () => {
    const r = new DtmfReceiver();
    expect(r.onPacket(pkt(2, false, 320), 100, 0)).toEqual([]);
    expect(r.onPacket(pkt(3, false, 160), 900, 200)).toEqual([{ direction: 'in', digit: '2', startMonoMs: 0, durationMs: 40 }]);
    expect(r.flush()).toEqual({ direction: 'in', digit: '3', startMonoMs: 200, durationMs: 20 });
  });

  it('ignores short payloads and non-DTMF events', () => {
    const r = new DtmfReceiver();
    expect(r.onPacket(Buffer.from([1]), 1, 0)).toEqual([]);
    expect(r.onPacket(pkt(32, true, 160), 1, 0)).toEqual([]);
    expect(r.flush()).toBeUndefined();
  });
});
