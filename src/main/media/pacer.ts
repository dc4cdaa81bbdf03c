/**
 * A monotonic pacing scheduler for RTP: packet n of a run is due at `start + n·ptime` on
 * `performance.now()`. Each wake-up sends every packet that is due (a late timer sends two or
 * more at once) and sleeps until the next due instant, computed from `start`, never from the
 * previous wake-up; so timer lateness never accumulates into drift (unlike `setInterval`, or a
 * `setTimeout(ptime)` chain).
 *
 * Node timers fire on whole milliseconds (up to about 1 ms late), which alone would put ~0.5 ms
 * of jitter into our own stream. So the timer is set {@link SPIN_MS} early and the rest is waited
 * out with `setImmediate` (which lets I/O run in between): packets leave within a few tens of µs
 * of their due instant on an idle machine. That costs CPU, so only while at most
 * {@link MAX_SPINNING_PACERS} pacers run in the process; beyond, timers alone pace (whole-ms precision).
 *
 * @remarks RFC 3550 §5.1: the RTP timestamp follows the sampling clock, so packets must leave at
 * the media rate; RFC 3551 §4.5.14: 20 ms G.711 packets.
 */
import { monoNow } from '../clock';

/** How long before a due instant the timer wakes, the rest being waited out with `setImmediate` (ms). */
export const SPIN_MS = 1;
/** Pacers running at once up to which the sub-millisecond wait is used. */
export const MAX_SPINNING_PACERS = 8;
let runningPacers = 0;

/** The instant (monotonic ms) packet `n` of a run that started at `startMono` is due. */
export function dueTime(startMono: number, n: number, ptimeMs: number): number {
  return startMono + n * ptimeMs;
}

/**
 * How many packets are due at `nowMono` and not yet sent: packets 0..k with `dueTime(k) <= now`,
 * minus the `sent` ones. 0 when none is due yet (or the clock reads before `startMono`).
 */
export function packetsDue(startMono: number, nowMono: number, sent: number, ptimeMs: number): number {
  if (nowMono < startMono) return 0;
  return Math.max(0, Math.floor((nowMono - startMono) / ptimeMs) + 1 - sent);
}

/**
 * Called for each due packet: `n` counts from 0 in this run, `dueMono` is its due instant.
 * Return false to end the run (nothing left to send).
 */
export type PacerTick = (n: number, dueMono: number) => boolean;

/** Runs one {@link PacerTick} per due packet until it returns false or {@link Pacer.stop} is called. */
export class Pacer {
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private running = false;
  private startMono = 0;
  private sent = 0;

  /**
   * @param ptimeMs - packet interval (ms).
   * @param onError - gets an exception thrown by a tick (the run then stops).
   * @param now - the monotonic clock (tests may pass their own).
   */
  constructor(
    private readonly ptimeMs: number,
    private readonly onError: (e: unknown) => void = () => {},
    private readonly now: () => number = monoNow,
  ) {}

  /** True while a run is going. */
  get active(): boolean {
    return this.running;
  }

  /**
   * Starts a run now (packet 0 is due at once) unless one is going.
   * @returns false when a run was already going (the tick of that run stays in charge).
   */
  start(tick: PacerTick): boolean {
    if (this.running) return false;
    this.running = true;
    runningPacers += 1;
    this.startMono = this.now();
    this.sent = 0;
    this.wake(tick);
    return true;
  }

  /** Ends the run; no tick is called after this. */
  stop(): void {
    if (this.running) runningPacers -= 1;
    this.running = false;
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private wake(tick: PacerTick): void {
    this.timer = undefined;
    this.immediate = undefined;
    try {
      let due = packetsDue(this.startMono, this.now(), this.sent, this.ptimeMs);
      while (due-- > 0 && this.running) {
        const n = this.sent++;
        if (!tick(n, dueTime(this.startMono, n, this.ptimeMs))) this.stop();
      }
    } catch (e) {
      this.stop();
      this.onError(e);
    }
    if (!this.running) return;
    const spin = runningPacers <= MAX_SPINNING_PACERS ? SPIN_MS : 0;
    const delay = dueTime(this.startMono, this.sent, this.ptimeMs) - this.now() - spin;
    if (delay > 0) this.timer = setTimeout(() => this.wake(tick), delay);
    else this.immediate = setImmediate(() => this.wake(tick));
  }
}
