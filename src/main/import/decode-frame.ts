/**
 * Decodes a captured frame down to its IP packet: the link layers a SIP capture comes with
 * (Ethernet with VLAN tags, Linux cooked capture v1 and v2 as `tcpdump -i any` writes, raw IP, BSD
 * loopback), then the IPv4 or IPv6 header (IPv6 extension headers skipped, fragments reported for
 * reassembly).
 *
 * @remarks tcpdump.org link-layer header types: LINKTYPE_NULL 0, ETHERNET 1, RAW 101 (and 12/14 on
 * some BSDs), LOOP 108, LINUX_SLL 113, IPV4 228, IPV6 229, LINUX_SLL2 276. IEEE 802.1Q / 802.1ad
 * tags (0x8100, 0x88A8, 0x9100). RFC 791 §3.1, RFC 8200 §4 (extension headers), §4.5 (fragment).
 */
import { ipText } from '../pcap/endpoint-address';

/** An IP packet found in a frame (possibly one fragment of it). */
export interface IpPacket {
  version: 4 | 6;
  src: string;
  dst: string;
  /** Upper-layer protocol: 6 TCP, 17 UDP… */
  protocol: number;
  /** The upper-layer bytes (of this fragment). */
  payload: Buffer;
  /** Set when this is a fragment: byte offset of `payload` in the whole, and whether more follow. */
  fragment?: { id: string; offset: number; more: boolean };
}

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100]);

/** The EtherType-style protocol and offset of the network layer in a frame, or null. */
function networkLayer(linkType: number, f: Buffer): { proto: number; offset: number } | null {
  switch (linkType) {
    case 1: {
      if (f.length < 14) return null;
      let offset = 12;
      let proto = f.readUInt16BE(offset);
      while (VLAN_TAGS.has(proto) && f.length >= offset + 6) {
        offset += 4;
        proto = f.readUInt16BE(offset);
      }
      return { proto, offset: offset + 2 };
    }
    case 113: // Linux cooked capture v1: 16-byte header, protocol last.
      return f.length < 16 ? null : { proto: f.readUInt16BE(14), offset: 16 };
    case 276: // Linux cooked capture v2: 20-byte header, protocol first.
      return f.length < 20 ? null : { proto: f.readUInt16BE(0), offset: 20 };
    case 0:
    case 108: {
      // BSD loopback: the address family, in host order (0) or network order (108).
      if (f.length < 4) return null;
      const fam = linkType === 0 ? Math.min(f.readUInt32LE(0), f.readUInt32BE(0)) : f.readUInt32BE(0);
      if (fam === 2) return { proto: ETH_IPV4, offset: 4 };
      if (fam === 24 || fam === 28 || fam === 30) return { proto: ETH_IPV6, offset: 4 };
      return null;
    }
    case 12:
    case 14:
    case 101:
    case 228:
    case 229: {
      const v = f.length > 0 ? f[0]! >> 4 : 0;
      return v === 4 ? { proto: ETH_IPV4, offset: 0 } : v === 6 ? { proto: ETH_IPV6, offset: 0 } : null;
    }
    default:
      return null;
  }
}

function ipv4(p: Buffer): IpPacket | null {
  if (p.length < 20 || p[0]! >> 4 !== 4) return null;
  const ihl = (p[0]! & 0x0f) * 4;
  const total = Math.min(p.readUInt16BE(2) || p.length, p.length);
  if (ihl < 20 || total < ihl) return null;
  const flags = p.readUInt16BE(6);
  const offset = (flags & 0x1fff) * 8;
  const more = (flags & 0x2000) !== 0;
  const src = ipText(p.subarray(12, 16));
  const dst = ipText(p.subarray(16, 20));
  const pkt: IpPacket = { version: 4, src, dst, protocol: p[9]!, payload: p.subarray(ihl, total) };
  if (more || offset > 0) pkt.fragment = { id: `4|${src}|${dst}|${p[9]}|${p.readUInt16BE(4)}`, offset, more };
  return pkt;
}

/** Extension headers skipped on the way to the upper layer (RFC 8200 §4.1). */
const IPV6_EXTENSIONS = new Set([0, 43, 60, 135, 139, 140]);

function ipv6(p: Buffer): IpPacket | null {
  if (p.length < 40 || p[0]! >> 4 !== 6) return null;
  const end = Math.min(40 + p.readUInt16BE(4), p.length);
  const src = ipText(p.subarray(8, 24));
  const dst = ipText(p.subarray(24, 40));
  let next = p[6]!;
  let off = 40;
  let fragment: IpPacket['fragment'];
  for (let guard = 0; guard < 16; guard++) {
    if (next === 44) {
      if (off + 8 > end) return null;
      const fo = p.readUInt16BE(off + 2);
      fragment = { id: `6|${src}|${dst}|${p.readUInt32BE(off + 4)}`, offset: fo & 0xfff8, more: (fo & 1) === 1 };
      next = p[off]!;
      off += 8;
    } else if (IPV6_EXTENSIONS.has(next)) {
      if (off + 8 > end) return null;
      const len = (p[off + 1]! + 1) * 8;
      next = p[off]!;
      off += len;
    } else break;
  }
  if (off > end) return null;
  const pkt: IpPacket = { version: 6, src, dst, protocol: next, payload: p.subarray(off, end) };
  if (fragment && (fragment.more || fragment.offset > 0)) pkt.fragment = fragment;
  return pkt;
}

/**
 * The IP packet of a frame.
 * @returns null for link types it does not know and for frames that carry no IPv4/IPv6 (ARP…) or
 *   are too short; never throws.
 */
export function decodeIpPacket(linkType: number, frame: Buffer): IpPacket | null {
  const net = networkLayer(linkType, frame);
  if (!net || net.offset > frame.length) return null;
  const rest = frame.subarray(net.offset);
  if (net.proto === ETH_IPV4) return ipv4(rest);
  if (net.proto === ETH_IPV6) return ipv6(rest);
  return null;
}

/** A UDP datagram or TCP segment. */
export interface TransportSegment {
  protocol: 'udp' | 'tcp';
  srcPort: number;
  dstPort: number;
  payload: Buffer;
  /** TCP only. */
  seq?: number;
  /** TCP only: flag bits (SYN 0x02, FIN 0x01, RST 0x04). */
  flags?: number;
}

/** The UDP or TCP segment of a whole (reassembled) IP packet; null for other protocols or short data. */
export function decodeTransport(ip: Pick<IpPacket, 'protocol' | 'payload'>): TransportSegment | null {
  const p = ip.payload;
  if (ip.protocol === 17) {
    if (p.length < 8) return null;
    const len = p.readUInt16BE(4);
    return { protocol: 'udp', srcPort: p.readUInt16BE(0), dstPort: p.readUInt16BE(2), payload: p.subarray(8, len >= 8 ? Math.min(len, p.length) : p.length) };
  }
  if (ip.protocol === 6) {
    if (p.length < 20) return null;
    const hl = (p[12]! >> 4) * 4;
    if (hl < 20 || hl > p.length) return null;
    return { protocol: 'tcp', srcPort: p.readUInt16BE(0), dstPort: p.readUInt16BE(2), seq: p.readUInt32BE(4), flags: p[13]!, payload: p.subarray(hl) };
  }
  return null;
}
