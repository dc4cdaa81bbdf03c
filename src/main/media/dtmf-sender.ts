/**
 * The sending side of RFC 4733 DTMF: a queue entry that turns digits into one telephone-event
 * packet per 20 ms tick of the RTP pacer.
 *
 * Per digit of `durationMs`: ⌈durationMs / 20⌉ packets with the duration growing by 160 units
 * (20 ms) per packet up to the full duration, the marker bit on the first (RFC 4733 §2.5.1.1), the
 * E bit on the last, which is then sent twice more (§2.5.1.4: three end packets, each with its own
 * sequence number); every packet of the event carries the timestamp of its first tick. Then
 * ⌈gapMs / 20⌉ ticks without events before the next digit.
 *
 * Audio: the prompt is paused while an event's packets go out and resumes (where it stopped) in
 * the gap; RFC 4733 §2.5.1 leaves it to the sender, and not sending the audio of the same
 * instants keeps a receiver that plays both from hearing the tone twice, which is what gateways do.
 */
import type { DtmfDigitRecord } from '../../shared/types';
import { PTIME_MS, SAMPLES_PER_PACKET } from './media-config';
import { digitToEvent, encodeTelephoneEvent, unitsToMs } from './dtmf';

/** Defaults of {@link DtmfJob}: 100 ms tones, 60 ms gaps, volume 10 (−10 dBm0). */
export const DTMF_DEFAULTS = { durationMs: 100, gapMs: 60, volume: 10 } as const;

/** What a tick of a DTMF job asks the sender to do. */
export type DtmfTickAction =
  | { kind: 'event'; payload: Buffer; marker: boolean; ts: number; record?: DtmfDigitRecord }
  | { kind: 'gap' };

type Slot = { kind: 'event'; digit: string; event: number; k: number; duration: number; end: boolean; firstEnd: boolean } | { kind: 'gap' };

/** A malformed DTMF request (an unknown digit, a duration out of range). */
export class DtmfError extends Error {
  override readonly name = 'DtmfError';
}

/** One `sendDtmf` request in the sender's queue (see the file comment). */
export class DtmfJob {
  private readonly slots: Slot[] = [];
  private eventTs = 0;
  private eventStartMono = 0;
  /** Settled when the last end packet went out (the trailing gap may still run). */
  readonly done: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: Error) => void };
  private settled = false;
  private readonly volume: number;

  /**
   * @throws {@link DtmfError} for an empty string, a character outside 0-9 * # A-D, or a duration
   *         outside 40..8000 ms (the event's 16-bit duration field holds 8.19 s).
   */
  constructor(digits: string, opts: { durationMs?: number; gapMs?: number; volume?: number } = {}) {
    const durationMs = opts.durationMs ?? DTMF_DEFAULTS.durationMs;
    const gapMs = Math.max(0, opts.gapMs ?? DTMF_DEFAULTS.gapMs);
    if (digits.length === 0) throw new DtmfError('no DTMF digits to send');
    if (!(durationMs >= 40 && durationMs <= 8000)) throw new DtmfError(`DTMF duration ${durationMs} ms is outside 40..8000 ms`);
    const total = Math.round((durationMs * SAMPLES_PER_PACKET) / PTIME_MS);
    const count = Math.ceil(durationMs / PTIME_MS);
    const gapTicks = Math.ceil(gapMs / PTIME_MS);
    for (const digit of digits) {
      const event = digitToEvent(digit);
      if (event === undefined) throw new DtmfError(`"${digit}" is not a DTMF digit (0-9, *, #, A-D)`);
      for (let k = 0; k < count + 2; k++) {
        const end = k >= count - 1;
        const duration = Math.min((k + 1) * SAMPLES_PER_PACKET, total);
        this.slots.push({ kind: 'event', digit: digit.toUpperCase(), event, k, duration, end, firstEnd: k === count - 1 });
      }
      for (let g = 0; g < gapTicks; g++) this.slots.push({ kind: 'gap' });
    }
    this.volume = Math.max(0, Math.min(63, Math.round(opts.volume ?? DTMF_DEFAULTS.volume)));
    this.done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => {}); // the caller may not await; the rejection is theirs to see
  }

  /** True when every slot (events and the trailing gap) was used. */
  get finished(): boolean {
    return this.slots.length === 0;
  }

  /**
   * The action for one tick with RTP timestamp `ts` due at `dueMono`.
   * @returns undefined when the job is finished.
   */
  tick(ts: number, dueMono: number): DtmfTickAction | undefined {
    const slot = this.slots.shift();
    if (!slot) return undefined;
    if (slot.kind === 'gap') {
      this.resolveIfLast();
      return slot;
    }
    if (slot.k === 0) {
      this.eventTs = ts;
      this.eventStartMono = dueMono;
    }
    const payload = encodeTelephoneEvent({ event: slot.event, end: slot.end, volume: this.volume, duration: slot.duration });
    const action: DtmfTickAction = { kind: 'event', payload, marker: slot.k === 0, ts: this.eventTs };
    if (slot.firstEnd) action.record = { direction: 'out', digit: slot.digit, startMonoMs: this.eventStartMono, durationMs: unitsToMs(slot.duration) };
    this.resolveIfLast();
    return action;
  }

  /** Rejects the job's promise (the session closed or the call ended). */
  cancel(err: Error): void {
    this.slots.length = 0;
    if (this.settled) return;
    this.settled = true;
    this.settle.reject(err);
  }

  private resolveIfLast(): void {
    if (this.settled || this.slots.some((s) => s.kind === 'event')) return;
    this.settled = true;
    this.settle.resolve();
  }
}
