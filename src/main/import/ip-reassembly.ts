/**
 * Reassembly of fragmented IP packets (a SIP INVITE over UDP with many headers and an SDP body can
 * exceed the MTU and arrive in fragments): fragments are collected by (addresses, protocol,
 * identification) until the last one is in and no hole is left.
 *
 * @remarks RFC 791 §3.2 (IPv4 reassembly), RFC 8200 §4.5 (IPv6). Overlapping fragments are taken in
 * arrival order (the later bytes win), which is what a capture shows anyway.
 */
import type { IpPacket } from './decode-frame';

/** Incomplete packets kept at most (oldest dropped first), so a capture full of stray fragments stays bounded. */
const MAX_PENDING = 1024;
/** The largest reassembled packet (bytes). */
const MAX_SIZE = 65_535 * 2;

interface Pending {
  parts: { offset: number; data: Buffer }[];
  /** Total length, known once the last fragment arrived. */
  total: number | null;
}

/** Reassembles the fragments of one capture. */
export class IpReassembler {
  private readonly pending = new Map<string, Pending>();
  /** Fragmented packets that never completed (reported in the import summary). */
  dropped = 0;

  /**
   * Adds a packet.
   * @returns the whole packet: `ip` itself when not a fragment, the reassembled packet when this
   *   fragment completed one, else null.
   */
  add(ip: IpPacket): IpPacket | null {
    const f = ip.fragment;
    if (!f) return ip;
    let p = this.pending.get(f.id);
    if (!p) {
      if (this.pending.size >= MAX_PENDING) {
        const oldest = this.pending.keys().next().value as string;
        this.pending.delete(oldest);
        this.dropped++;
      }
      p = { parts: [], total: null };
      this.pending.set(f.id, p);
    }
    if (f.offset + ip.payload.length > MAX_SIZE) {
      this.pending.delete(f.id);
      this.dropped++;
      return null;
    }
    p.parts.push({ offset: f.offset, data: Buffer.from(ip.payload) });
    if (!f.more) p.total = f.offset + ip.payload.length;
    if (p.total === null) return null;
    const whole = Buffer.alloc(p.total);
    const covered = new Uint8Array(p.total);
    for (const part of p.parts) {
      part.data.copy(whole, part.offset, 0, Math.max(0, Math.min(part.data.length, p.total - part.offset)));
      covered.fill(1, part.offset, Math.min(p.total, part.offset + part.data.length));
    }
    if (covered.includes(0)) return null;
    this.pending.delete(f.id);
    return { version: ip.version, src: ip.src, dst: ip.dst, protocol: ip.protocol, payload: whole };
  }

  /** Incomplete packets left at the end of the capture. */
  get incomplete(): number {
    return this.pending.size + this.dropped;
  }
}
