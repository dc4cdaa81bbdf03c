/**
 * Finds the SIP messages in the UDP datagrams and TCP streams of a capture.
 *
 * - UDP: a datagram is one SIP message (RFC 3261 §18.3 frames by the datagram); keep-alive CRLFs
 *   and anything that does not start with a SIP request or status line (RTP, STUN, DNS…) is skipped.
 * - TCP: each direction of each connection is put back in sequence order (retransmissions and
 *   overlaps trimmed, out-of-order segments held until the gap fills) and cut into messages by
 *   Content-Length with the transport's own framer (framing.ts, RFC 3261 §18.3). A stream is taken
 *   as SIP from the first segment that starts with a SIP start line, so HTTP and TLS connections in
 *   the same capture are ignored, and a capture that starts in the middle of a message resynchronises.
 *   A message's stamp is the capture time of the segment that completed it.
 */
import { SipStreamFramer } from '../sip/framing';
import { formatHostPort } from '../net/host-format';
import type { TransportSegment } from './decode-frame';

/** A SIP message as found in the capture. */
export interface CapturedSipMessage {
  /** Capture time, Unix ms. */
  wallMs: number;
  transport: 'udp' | 'tcp';
  /** `host:port` of the sender and of the receiver (IPv6 in brackets). */
  src: string;
  dst: string;
  raw: string;
  /** 1-based index of the frame that carried (or completed) it. */
  frameIndex: number;
}

const START_LINE = /^(?:[A-Za-z][A-Za-z0-9.!%*_+`'~-]* \S+ SIP\/2\.0|SIP\/2\.0 [1-6]\d\d(?: [^\r\n]*)?)\r?\n/;
/** Segments held per direction while waiting for a missing one; past this the gap is skipped. */
const MAX_HELD = 256;

/** True when the text starts with a SIP request line or status line. */
export function looksLikeSip(text: string): boolean {
  return START_LINE.test(text);
}

interface Flow {
  nextSeq: number | null;
  held: Map<number, { data: Buffer; wallMs: number; frame: number }>;
  framer: SipStreamFramer;
  sip: boolean;
}

/** Signed distance a − b of two 32-bit sequence numbers (RFC 9293 §3.4 modular arithmetic). */
const seqDiff = (a: number, b: number): number => ((a - b) | 0);

/** Collects the SIP messages of one capture, in capture order. */
export class SipExtractor {
  readonly messages: CapturedSipMessage[] = [];
  /** UDP datagrams and TCP streams that were not SIP. */
  nonSip = 0;
  /** TCP gaps skipped (segments missing from the capture). */
  tcpGaps = 0;
  private readonly flows = new Map<string, Flow>();

  /** Adds one UDP datagram or TCP segment between `srcIp` and `dstIp`. */
  add(seg: TransportSegment, srcIp: string, dstIp: string, wallMs: number, frame: number): void {
    const src = formatHostPort(srcIp, seg.srcPort);
    const dst = formatHostPort(dstIp, seg.dstPort);
    if (seg.protocol === 'udp') this.udp(seg.payload, src, dst, wallMs, frame);
    else this.tcp(seg, src, dst, wallMs, frame);
  }

  private udp(payload: Buffer, src: string, dst: string, wallMs: number, frame: number): void {
    const text = payload.toString('utf8').replace(/^(?:\r?\n)+/, '');
    if (text === '') return;
    if (!looksLikeSip(text)) {
      this.nonSip++;
      return;
    }
    this.messages.push({ wallMs, transport: 'udp', src, dst, raw: text, frameIndex: frame });
  }

  private tcp(seg: TransportSegment, src: string, dst: string, wallMs: number, frame: number): void {
    const key = `${src}>${dst}`;
    let flow = this.flows.get(key);
    if (!flow) {
      flow = { nextSeq: null, held: new Map(), framer: new SipStreamFramer(), sip: false };
      this.flows.set(key, flow);
    }
    const seq = seg.seq ?? 0;
    const flags = seg.flags ?? 0;
    if (flags & 0x02) {
      // SYN: a new connection on these ports starts its stream after the SYN's sequence number.
      flow.nextSeq = (seq + 1) >>> 0;
      flow.held.clear();
      flow.framer = new SipStreamFramer();
      flow.sip = false;
    }
    if (seg.payload.length === 0) return;
    flow.nextSeq ??= seq;
    flow.held.set(seq, { data: Buffer.from(seg.payload), wallMs, frame });
    this.drain(flow, src, dst);
    if (flow.held.size > MAX_HELD) {
      // A segment is missing from the capture: skip to the earliest one held.
      const next = [...flow.held.keys()].sort((a, b) => seqDiff(a, flow.nextSeq!) - seqDiff(b, flow.nextSeq!))[0]!;
      flow.nextSeq = next;
      flow.framer = new SipStreamFramer();
      flow.sip = false;
      this.tcpGaps++;
      this.drain(flow, src, dst);
    }
  }

  /** Delivers the held segments that continue the stream, in order. */
  private drain(flow: Flow, src: string, dst: string): void {
    for (;;) {
      let progressed = false;
      for (const [seq, s] of flow.held) {
        const d = seqDiff(seq, flow.nextSeq!);
        if (d > 0) continue;
        flow.held.delete(seq);
        if (d + s.data.length <= 0) continue; // wholly retransmitted
        const fresh = s.data.subarray(-d);
        flow.nextSeq = (flow.nextSeq! + fresh.length) >>> 0;
        this.deliver(flow, fresh, src, dst, s.wallMs, s.frame);
        progressed = true;
      }
      if (!progressed) return;
    }
  }

  private deliver(flow: Flow, data: Buffer, src: string, dst: string, wallMs: number, frame: number): void {
    if (!flow.sip) {
      const text = data.toString('latin1').replace(/^(?:\r?\n)+/, '');
      if (text === '') return;
      if (!looksLikeSip(text)) {
        this.nonSip++;
        return;
      }
      flow.sip = true;
      flow.framer = new SipStreamFramer();
    }
    for (const ev of flow.framer.push(data)) {
      if (ev.kind === 'message') {
        if (looksLikeSip(ev.text)) this.messages.push({ wallMs, transport: 'tcp', src, dst, raw: ev.text, frameIndex: frame });
        else this.nonSip++;
      } else if (ev.kind === 'error') {
        // Not SIP framing after all (or a corrupt message): look for the next start line.
        flow.sip = false;
        this.nonSip++;
      }
    }
  }
}
