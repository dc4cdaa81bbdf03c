/** The monotonic pacing scheduler: due instants from the start, late wake-ups send what is due, no drift. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dueTime, Pacer, packetsDue } from '../../../src/main/media/pacer';

afterEach(() => vi.useRealTimers());

describe('pacing math', () => {
  it('packet n is due at start + n·ptime', () => {
    expect(dueTime(1000.5, 0, 20)).toBe(1000.5);
    expect(dueTime(1000.5, 150, 20)).toBe(4000.5);
  });

  it('counts the packets due and not sent', () => {
    expect(packetsDue(100, 100, 0, 20)).toBe(1);
    expect(packetsDue(100, 119.9, 1, 20)).toBe(0);
    expect(packetsDue(100, 120, 1, 20)).toBe(1);
    expect(packetsDue(100, 185, 1, 20)).toBe(4); // a late wake-up: 20, 40, 60, 80 are due
    expect(packetsDue(100, 50, 0, 20)).toBe(0);
  });
});

describe('Pacer', () => {
  it('sends what is due on a late wake-up, and keeps the schedule of the start (no drift)', () => {
    vi.useFakeTimers();
    let now = 0;
    const dues: number[] = [];
    const pacer = new Pacer(20, undefined, () => now);
    pacer.start((n, due) => {
      dues.push(due);
      return n < 9;
    });
    expect(dues).toEqual([0]);
    now = 65; // the timer fires 45 ms late
    vi.advanceTimersByTime(65);
    expect(dues).toEqual([0, 20, 40, 60]);
    for (const t of [81, 100.5, 127, 140, 200]) {
      now = t;
      vi.advanceTimersByTime(40);
    }
    expect(dues).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180]);
    expect(pacer.active).toBe(false);
  });

  it('stops on stop(), and reports an exception of a tick', () => {
    vi.useFakeTimers();
    let now = 0;
    const errors: unknown[] = [];
    const pacer = new Pacer(20, (e) => errors.push(e), () => now);
    let ticks = 0;
    pacer.start(() => {
      ticks++;
      return true;
    });
    expect(pacer.start(() => true)).toBe(false); // already running
    pacer.stop();
    now = 100;
    vi.advanceTimersByTime(100);
    expect(ticks).toBe(1);
    pacer.start(() => {
      throw new Error('boom');
    });
    expect(errors).toHaveLength(1);
    expect(pacer.active).toBe(false);
  });
});
