/**
 * pcap export of calls (issue 6): every SIP message as it crossed the socket, with its real local
 * and remote address and its wall-clock stamp, plus RTP/RTCP (or any UDP) datagrams where recorded.
 *
 * How each transport is written:
 * - UDP: one UDP datagram per message.
 * - TCP: one TCP segment per message (PSH|ACK), sequence numbers continuing per direction of each
 *   connection and acknowledging the other direction, so that tshark's SIP dissector and sngrep
 *   read every message without reassembly trouble. A connection starts with a synthesised
 *   handshake (SYN, SYN/ACK, ACK) at the stamp of its first message, so Wireshark's TCP analysis
 *   sees a whole stream rather than "previous segment not captured".
 * - TLS: the clear text this app sent and received (it never sees other bytes), written as TCP
 *   segments on the real ports. tshark 4.0 finds SIP there by itself (tested); should a Wireshark
 *   decode port 5061 as TLS, Decode As… SIP (`tshark -d tcp.port==5061,sip`) shows it.
 *
 * Both legs of a loopback call (CXone's INVITE out, the bot's INVITE in) are the same packet: a
 * message recorded `out` on one side and `in` on the other (same addresses, same text, within 1 s)
 * is written once.
 */
import type { SipMessageRecord } from '../../shared/types';
import { toIpEndpoint, type IpEndpoint } from './endpoint-address';
import { LINKTYPE_ETHERNET, TCP_FLAGS, tcpFrame, udpFrame } from './frames';
import { pcapBytes, type PcapRecord } from './pcap-writer';

/** A UDP datagram to export (RTP, RTCP…): `src`/`dst` are `host:port`. */
export interface UdpDatagram {
  /** Unix ms (fractional). */
  wallMs: number;
  src: string;
  dst: string;
  data: Uint8Array;
}

/** What to export. */
export interface PcapExportInput {
  /** SIP messages of one or more calls (any order; sorted by time on export). */
  messages: readonly SipMessageRecord[];
  /** RTP/RTCP datagrams, when they were recorded. */
  datagrams?: readonly UdpDatagram[];
}

/** The exported file and what went into it. */
export interface PcapExport {
  /** The pcap file (LINKTYPE_ETHERNET, microsecond stamps). */
  bytes: Buffer;
  /** SIP messages written (after dropping the second copy of loopback packets). */
  sipMessages: number;
  /** Loopback packets recorded by both legs and written once. */
  duplicatesDropped: number;
  udpDatagrams: number;
  /** Frames written in all, including synthesised TCP handshakes. */
  frames: number;
  /** Things the reader should know (TLS written as clear TCP, records skipped and why). */
  notes: string[];
}

/** The largest TCP payload written in one segment (bytes); longer messages span several. */
const MAX_SEGMENT = 60_000;
/** Two records are the same loopback packet when their stamps are this close (ms). */
const SAME_PACKET_MS = 1000;

interface TcpConn {
  /** Next sequence number per direction: `a` = initiator → responder. */
  seq: { a: number; b: number };
  initiator: string;
}

/** Deterministic initial sequence number of a direction (so exports of the same calls are equal). */
function isn(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Drops the second copy of each packet recorded by both loopback legs. */
function dedupe(messages: readonly SipMessageRecord[]): { kept: SipMessageRecord[]; dropped: number } {
  const seen = new Map<string, { wallMs: number; direction: string; used: boolean }[]>();
  const kept: SipMessageRecord[] = [];
  let dropped = 0;
  for (const m of messages) {
    const src = m.direction === 'out' ? m.local : m.remote;
    const dst = m.direction === 'out' ? m.remote : m.local;
    const key = `${m.transport}|${src}|${dst}|${m.raw}`;
    const list = seen.get(key) ?? [];
    const twin = list.find((e) => !e.used && e.direction !== m.direction && Math.abs(e.wallMs - m.wallMs) <= SAME_PACKET_MS);
    if (twin) {
      twin.used = true;
      dropped++;
      continue;
    }
    list.push({ wallMs: m.wallMs, direction: m.direction, used: false });
    seen.set(key, list);
    kept.push(m);
  }
  return { kept, dropped };
}

/**
 * Builds the pcap of SIP messages (and UDP datagrams).
 * @returns the file bytes and counts; never throws for a bad record (it is skipped with a note).
 */
export function buildSipPcap(input: PcapExportInput): PcapExport {
  const notes: string[] = [];
  const names = new Map<string, string>();
  const sorted = [...input.messages].sort((a, b) => a.wallMs - b.wallMs);
  const { kept, dropped } = dedupe(sorted);
  const records: PcapRecord[] = [];
  const conns = new Map<string, TcpConn>();
  let sipMessages = 0;
  let tls = 0;

  for (const m of kept) {
    const src = toIpEndpoint(m.direction === 'out' ? m.local : m.remote, names);
    const dst = toIpEndpoint(m.direction === 'out' ? m.remote : m.local, names);
    const data = Buffer.from(m.raw, 'utf8');
    try {
      if (m.transport === 'udp') records.push({ wallMs: m.wallMs, frame: udpFrame(src, dst, data) });
      else {
        if (m.transport === 'tls') tls++;
        records.push(...tcpRecords(conns, src, dst, m.wallMs, data));
      }
      sipMessages++;
    } catch (e) {
      notes.push(`skipped ${m.firstLine} (${m.local} ⇄ ${m.remote}): ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (tls > 0) {
    notes.push(
      `${tls} SIP-over-TLS message(s) written as the clear text this app sent and received, on TCP with the real ports; ` +
        'should Wireshark show port 5061 as TLS, use Decode As… SIP (tshark -d tcp.port==5061,sip)',
    );
  }
  let udpDatagrams = 0;
  const sent = new Map<string, number>();
  for (const d of [...(input.datagrams ?? [])].sort((a, b) => a.wallMs - b.wallMs)) {
    // Both loopback legs record the same datagram (one sends, the other receives): write it once.
    const key = `${d.src}|${d.dst}|${Buffer.from(d.data).toString('base64')}`;
    const at = sent.get(key);
    if (at !== undefined && d.wallMs - at <= SAME_PACKET_MS) continue;
    sent.set(key, d.wallMs);
    try {
      records.push({ wallMs: d.wallMs, frame: udpFrame(toIpEndpoint(d.src, names), toIpEndpoint(d.dst, names), d.data) });
      udpDatagrams++;
    } catch (e) {
      notes.push(`skipped a UDP datagram ${d.src} → ${d.dst}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  for (const [name, address] of names) notes.push(`host "${name}" written as ${address} (no address was recorded)`);
  // Stable sort: a connection's handshake stays before its first segment at the same stamp.
  records.sort((a, b) => a.wallMs - b.wallMs);
  return { bytes: pcapBytes(records, LINKTYPE_ETHERNET), sipMessages, duplicatesDropped: dropped, udpDatagrams, frames: records.length, notes };
}

const text = (e: IpEndpoint): string => `${e.address}|${e.port}`;

/** The TCP records of one message: the connection's handshake first when it is new, then its segments. */
function tcpRecords(conns: Map<string, TcpConn>, src: IpEndpoint, dst: IpEndpoint, wallMs: number, data: Buffer): PcapRecord[] {
  const [lo, hi] = [text(src), text(dst)].sort();
  const key = `${lo}>${hi}`;
  const out: PcapRecord[] = [];
  let conn = conns.get(key);
  if (!conn) {
    conn = { seq: { a: isn(`${key}|a`), b: isn(`${key}|b`) }, initiator: text(src) };
    conns.set(key, conn);
    const a = conn.seq;
    out.push({ wallMs, frame: tcpFrame(src, dst, { seq: a.a, ack: 0, flags: TCP_FLAGS.SYN }, new Uint8Array(0)) });
    out.push({ wallMs, frame: tcpFrame(dst, src, { seq: a.b, ack: a.a + 1, flags: TCP_FLAGS.SYN | TCP_FLAGS.ACK }, new Uint8Array(0)) });
    a.a = (a.a + 1) >>> 0;
    a.b = (a.b + 1) >>> 0;
    out.push({ wallMs, frame: tcpFrame(src, dst, { seq: a.a, ack: a.b, flags: TCP_FLAGS.ACK }, new Uint8Array(0)) });
  }
  const forward = conn.initiator === text(src);
  for (let off = 0; off < data.length; off += MAX_SEGMENT) {
    const chunk = data.subarray(off, off + MAX_SEGMENT);
    const seq = forward ? conn.seq.a : conn.seq.b;
    const ack = forward ? conn.seq.b : conn.seq.a;
    const last = off + MAX_SEGMENT >= data.length;
    out.push({ wallMs, frame: tcpFrame(src, dst, { seq, ack, flags: TCP_FLAGS.ACK | (last ? TCP_FLAGS.PSH : 0) }, chunk) });
    if (forward) conn.seq.a = (conn.seq.a + chunk.length) >>> 0;
    else conn.seq.b = (conn.seq.b + chunk.length) >>> 0;
  }
  return out;
}
