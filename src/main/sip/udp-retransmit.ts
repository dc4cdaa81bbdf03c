/**
 * The UDP retransmission timers sip.js 0.21.2 does not run (sip-in-node.md §1.2): its transaction
 * layer assumes a reliable transport. The transport feeds every UDP message it sends or receives
 * through {@link UdpRetransmitter}, which re-sends the same bytes on the RFC 3261 §17 schedule.
 *
 * @remarks
 * - Timer A (§17.1.1.2): an INVITE is re-sent at T1, 2·T1, 4·T1… until any response with its
 *   branch arrives, giving up at 64·T1 (Timer B; sip.js's own Timer B then reports 408).
 * - Timer E (§17.1.2.2): a non-INVITE request is re-sent at T1 doubling, capped at T2, until a
 *   final response; after a provisional response, every T2. Gives up at 64·T1 (Timer F).
 * - Timer G (§17.2.1): a non-2xx final response to an INVITE is re-sent at T1 doubling, capped at
 *   T2, until the ACK with its branch arrives, giving up at 64·T1 (Timer H).
 * - Timer J (§17.2.2): sip.js uses 0, so a retransmitted BYE would get 481; here the final response
 *   to a non-INVITE request is kept for 64·T1 and re-sent for a retransmission of the request.
 * - Timer D (§17.1.1.2): the ACK to a non-2xx final is kept for 64·T1 and re-sent when the final
 *   response is retransmitted (sip.js's INVITE client transaction is gone by then).
 * 2xx responses to INVITE are retransmitted by sip.js itself (RFC 6026), and it absorbs INVITE
 * retransmissions.
 */
import { parseCSeq, topVia, viaBranch, type ParsedSipMessage } from './message';

/** RFC 3261 timer values (ms). Defaults: T1 = 500 ms, T2 = 4 s (RFC 3261 §17.1.1.1). */
export interface UdpTimerValues {
  t1Ms: number;
  t2Ms: number;
}

/** Default timer values of RFC 3261 §17.1.1.1 (ms). */
export const DEFAULT_UDP_TIMERS: UdpTimerValues = { t1Ms: 500, t2Ms: 4000 };

/** Re-sends the same bytes to the same destination as the original send. */
export type Resend = () => void;

interface Retransmission {
  resend: Resend;
  /** Next delay (ms). */
  interval: number;
  /** Cap of the interval (ms); Infinity for Timer A. */
  cap: number;
  timer: NodeJS.Timeout | undefined;
  label: string;
}

interface Cached {
  resend: Resend;
  timer: NodeJS.Timeout;
}

/** The transaction key: Via branch plus CSeq method (a CANCEL shares its INVITE's branch). */
function keyOf(msg: ParsedSipMessage): string | undefined {
  const via = topVia(msg.headers);
  const branch = via ? viaBranch(via) : undefined;
  const cseq = parseCSeq(msg.headers);
  if (!branch || !cseq) return undefined;
  const method = cseq.method === 'ACK' ? 'INVITE' : cseq.method;
  return `${branch}|${method}`;
}

/**
 * Runs Timers A, E, G (and the response/ACK caches of Timers J and D) for one UDP socket.
 * Never throws; errors from a `resend` are logged.
 */
export class UdpRetransmitter {
  private readonly active = new Map<string, Retransmission>();
  private readonly responseCache = new Map<string, Cached>();
  private readonly ackCache = new Map<string, Cached>();
  /** INVITE client transactions that got a non-2xx final: their next ACK is cached (Timer D). */
  private readonly awaitingAck = new Set<string>();

  constructor(
    private readonly timers: UdpTimerValues,
    private readonly log: (level: 'debug' | 'warn', msg: string) => void = () => {},
  ) {}

  /**
   * Notes a message just sent over UDP (first transmission).
   * @param msg - the parsed outgoing message.
   * @param resend - re-sends it.
   */
  onSent(msg: ParsedSipMessage, resend: Resend): void {
    const key = keyOf(msg);
    if (!key) return;
    const { t2Ms } = this.timers;
    if (msg.kind === 'request') {
      if (msg.method === 'INVITE') this.start(key, resend, Infinity, `INVITE (Timer A) ${key}`);
      else if (msg.method === 'ACK') {
        if (this.awaitingAck.delete(key)) this.cache(this.ackCache, key, resend);
      } else this.start(key, resend, t2Ms, `${msg.method} (Timer E) ${key}`);
      return;
    }
    const status = msg.status ?? 0;
    const method = key.slice(key.lastIndexOf('|') + 1);
    if (method === 'INVITE' && status >= 300) this.start(key, resend, t2Ms, `${status} (Timer G) ${key}`);
    else if (method !== 'INVITE' && status >= 200) this.cache(this.responseCache, key, resend);
  }

  /**
   * Notes a message received over UDP, before it goes to sip.js.
   * @returns `absorb: true` when the transport must not deliver it (it was a retransmission that
   *          this layer answered from a cache).
   */
  onReceived(msg: ParsedSipMessage): { absorb: boolean } {
    const key = keyOf(msg);
    if (!key) return { absorb: false };
    if (msg.kind === 'response') {
      const status = msg.status ?? 0;
      const method = key.slice(key.lastIndexOf('|') + 1);
      const r = this.active.get(key);
      if (method === 'INVITE') {
        if (r) this.stop(key); // Timer A: any response stops it.
        if (status >= 300) {
          const ack = this.ackCache.get(key);
          if (ack) {
            this.log('debug', `retransmitted ${status} for ${key}: re-sending the cached ACK`);
            this.safe(ack.resend, 'ACK');
            return { absorb: true };
          }
          this.awaitingAck.add(key);
        }
      } else if (r) {
        if (status >= 200) this.stop(key);
        else r.interval = this.timers.t2Ms; // Timer E after a provisional: every T2.
      }
      return { absorb: false };
    }
    if (msg.method === 'ACK') {
      if (this.active.has(key)) this.stop(key); // Timer G ends with the ACK.
      return { absorb: false };
    }
    if (msg.method !== 'INVITE') {
      const cached = this.responseCache.get(key);
      if (cached) {
        this.log('debug', `retransmitted ${msg.method} ${key}: re-sending the cached final response`);
        this.safe(cached.resend, 'cached response');
        return { absorb: true };
      }
    }
    return { absorb: false };
  }

  /** Stops retransmitting `msg` (its first send failed). */
  forget(msg: ParsedSipMessage): void {
    const key = keyOf(msg);
    if (key) this.stop(key);
  }

  /** Number of messages being retransmitted now (for tests and diagnostics). */
  get pending(): number {
    return this.active.size;
  }

  /** Live entries: timers running, cached responses and ACKs, INVITEs awaiting our ACK. */
  sizes(): Record<string, number> {
    return {
      retransmitting: this.active.size,
      cachedResponses: this.responseCache.size,
      cachedAcks: this.ackCache.size,
      awaitingAck: this.awaitingAck.size,
    };
  }

  /** Stops every timer and forgets every cache. */
  dispose(): void {
    for (const key of [...this.active.keys()]) this.stop(key);
    for (const c of [...this.responseCache.values(), ...this.ackCache.values()]) clearTimeout(c.timer);
    this.responseCache.clear();
    this.ackCache.clear();
    this.awaitingAck.clear();
  }

  private start(key: string, resend: Resend, cap: number, label: string): void {
    this.stop(key);
    const r: Retransmission = { resend, interval: this.timers.t1Ms, cap, timer: undefined, label };
    this.active.set(key, r);
    this.schedule(key, r, 0);
  }

  private schedule(key: string, r: Retransmission, elapsed: number): void {
    const limit = 64 * this.timers.t1Ms;
    if (elapsed + r.interval >= limit) {
      this.log('debug', `${r.label}: no answer within 64·T1 (${limit} ms), retransmission stopped`);
      this.active.delete(key);
      return;
    }
    const delay = r.interval;
    r.timer = setTimeout(() => {
      if (this.active.get(key) !== r) return;
      this.log('debug', `${r.label}: retransmitting after ${delay} ms`);
      this.safe(r.resend, r.label);
      r.interval = Math.min(r.interval * 2, r.cap);
      this.schedule(key, r, elapsed + delay);
    }, delay);
  }

  private stop(key: string): void {
    const r = this.active.get(key);
    if (r?.timer) clearTimeout(r.timer);
    this.active.delete(key);
  }

  private cache(map: Map<string, Cached>, key: string, resend: Resend): void {
    const old = map.get(key);
    if (old) clearTimeout(old.timer);
    const timer = setTimeout(() => map.delete(key), 64 * this.timers.t1Ms);
    map.set(key, { resend, timer });
  }

  private safe(fn: Resend, what: string): void {
    try {
      fn();
    } catch (e) {
      this.log('warn', `re-sending ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
