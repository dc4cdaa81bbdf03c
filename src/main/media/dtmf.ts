/**
 * DTMF as RFC 4733 telephone-events: the 4-octet event payload, the digit ↔ event code map, and
 * the receiving side (one digit per event, end retransmissions folded into it).
 *
 * @remarks RFC 4733 §2.3 (payload: event, E bit, R bit, volume, duration), §3.2 (DTMF events 0-15),
 * §2.5.1.1 (all packets of one event carry the event's start timestamp), §2.5.1.4 (the end packet
 * is sent three times).
 */
import type { DtmfDigitRecord } from '../../shared/types';
import { CLOCK_RATE } from './media-config';

/** The DTMF digits by event code (RFC 4733 §3.2 table 1): 0-9, * = 10, # = 11, A-D = 12-15. */
export const DTMF_DIGITS = '0123456789*#ABCD';

/** One telephone-event payload (RFC 4733 §2.3). */
export interface TelephoneEvent {
  /** Event code, 0-255 (DTMF 0-15). */
  event: number;
  /** E bit: the last packet(s) of the event. */
  end: boolean;
  /** Power level in −dBm0, 0-63 (DTMF default 10). */
  volume: number;
  /** Duration so far, in timestamp units (1/8 ms at 8000 Hz), 0-65535. */
  duration: number;
}

/** The event code of a DTMF digit (case-insensitive), or undefined for anything else. */
export function digitToEvent(digit: string): number | undefined {
  const i = digit.length === 1 ? DTMF_DIGITS.indexOf(digit.toUpperCase()) : -1;
  return i < 0 ? undefined : i;
}

/** The digit of a DTMF event code 0-15, or undefined for other events. */
export function eventToDigit(event: number): string | undefined {
  return event >= 0 && event < DTMF_DIGITS.length ? DTMF_DIGITS[event] : undefined;
}

/** Encodes a telephone-event payload (4 octets; the R bit is 0). */
export function encodeTelephoneEvent(e: TelephoneEvent): Buffer {
  const b = Buffer.alloc(4);
  b[0] = e.event & 0xff;
  b[1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  b.writeUInt16BE(Math.max(0, Math.min(0xffff, Math.round(e.duration))), 2);
  return b;
}

/** Decodes the first event of a telephone-event payload; undefined when shorter than 4 octets. */
export function decodeTelephoneEvent(payload: Uint8Array): TelephoneEvent | undefined {
  if (payload.length < 4) return undefined;
  return {
    event: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

/** Timestamp units (8000 Hz) → ms. */
export function unitsToMs(units: number): number {
  return (units * 1000) / CLOCK_RATE;
}

/** Timestamps of recently finished events remembered to drop their late retransmissions. */
const RECENT_EVENTS = 8;

/**
 * Turns received telephone-event packets into digits: one {@link DtmfDigitRecord} per event
 * (packets of one event share its RTP timestamp), stamped with the arrival of its first packet,
 * with the duration of its end packet. The end packet's retransmissions add nothing. An event
 * whose end packets were all lost is reported when the next event starts or on {@link flush}.
 */
export class DtmfReceiver {
  private current: { ts: number; event: number; startMonoMs: number; duration: number; ended: boolean } | undefined;
  private readonly recent: number[] = [];

  /**
   * Takes one telephone-event packet.
   * @returns the digits this packet completed (usually none or one), in order.
   */
  onPacket(payload: Uint8Array, ts: number, monoMs: number): DtmfDigitRecord[] {
    const e = decodeTelephoneEvent(payload);
    if (!e || eventToDigit(e.event) === undefined) return [];
    const out: DtmfDigitRecord[] = [];
    const cur = this.current;
    if (cur && cur.ts === ts) {
      cur.duration = Math.max(cur.duration, e.duration);
      if (e.end && !cur.ended) out.push(this.finish(cur));
      return out;
    }
    if (this.recent.includes(ts)) return out; // a late retransmission of a finished event
    if (cur && !cur.ended) out.push(this.finish(cur));
    const next = { ts, event: e.event, startMonoMs: monoMs, duration: e.duration, ended: false };
    this.current = next;
    if (e.end) out.push(this.finish(next));
    return out;
  }

  /** Reports an event still open (its end packets never came), e.g. when the call ends. */
  flush(): DtmfDigitRecord | undefined {
    const cur = this.current;
    return cur && !cur.ended ? this.finish(cur) : undefined;
  }

  private finish(ev: NonNullable<DtmfReceiver['current']>): DtmfDigitRecord {
    ev.ended = true;
    this.recent.push(ev.ts);
    if (this.recent.length > RECENT_EVENTS) this.recent.shift();
    return { direction: 'in', digit: eventToDigit(ev.event)!, startMonoMs: ev.startMonoMs, durationMs: unitsToMs(ev.duration) };
  }
}
