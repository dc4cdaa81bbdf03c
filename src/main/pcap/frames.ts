/**
 * Synthesised Ethernet frames carrying one UDP datagram or one TCP segment between two IP
 * endpoints, with valid IPv4 header, UDP and TCP checksums, so that Wireshark, tshark and sngrep
 * decode them as if captured.
 *
 * @remarks RFC 894 (IP over Ethernet), RFC 791 (IPv4), RFC 8200 (IPv6), RFC 768 (UDP), RFC 9293
 * (TCP), RFC 1071 (Internet checksum). MAC addresses are made up (locally administered, RFC 7042
 * §2.1) from the IP address, the same for the same address.
 */
import { ipBytes, type IpEndpoint } from './endpoint-address';

/** LINKTYPE_ETHERNET (tcpdump.org link-layer header types). */
export const LINKTYPE_ETHERNET = 1;

/** TCP flag bits (RFC 9293 §3.1). */
export const TCP_FLAGS = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const TTL = 64;

/** The 16-bit one's complement sum of `bufs` (RFC 1071), not yet complemented. */
function onesSum(bufs: readonly Uint8Array[]): number {
  let sum = 0;
  for (const b of bufs) {
    for (let i = 0; i + 1 < b.length; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
    if (b.length % 2 === 1) sum += b[b.length - 1]! << 8;
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

function checksum(bufs: readonly Uint8Array[]): number {
  return ~onesSum(bufs) & 0xffff;
}

/** A made-up unicast MAC for an IP address: 02:00 + the last four bytes of the address. */
function macFor(ip: Buffer): Buffer {
  const mac = Buffer.from([0x02, 0x00, 0, 0, 0, 0]);
  ip.copy(mac, 2, ip.length - 4);
  return mac;
}

/** The pseudo-header of the UDP/TCP checksum (RFC 768, RFC 8200 §8.1). */
function pseudoHeader(src: Buffer, dst: Buffer, proto: number, length: number): Buffer {
  if (src.length === 4) {
    const p = Buffer.alloc(12);
    src.copy(p, 0);
    dst.copy(p, 4);
    p[9] = proto;
    p.writeUInt16BE(length, 10);
    return p;
  }
  const p = Buffer.alloc(40);
  src.copy(p, 0);
  dst.copy(p, 16);
  p.writeUInt32BE(length, 32);
  p[39] = proto;
  return p;
}

let ipId = 0;

/** Wraps a transport segment in IPv4 or IPv6 and Ethernet. */
function ipFrame(src: IpEndpoint, dst: IpEndpoint, proto: number, segment: Buffer, srcIp: Buffer, dstIp: Buffer): Buffer {
  const eth = Buffer.alloc(14);
  macFor(dstIp).copy(eth, 0);
  macFor(srcIp).copy(eth, 6);
  if (src.family === 4) {
    eth.writeUInt16BE(ETHERTYPE_IPV4, 12);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + segment.length, 2);
    ip.writeUInt16BE((ipId = (ipId + 1) & 0xffff), 4);
    ip.writeUInt16BE(0x4000, 6); // don't fragment
    ip[8] = TTL;
    ip[9] = proto;
    srcIp.copy(ip, 12);
    dstIp.copy(ip, 16);
    ip.writeUInt16BE(checksum([ip]), 10);
    return Buffer.concat([eth, ip, segment]);
  }
  eth.writeUInt16BE(ETHERTYPE_IPV6, 12);
  const ip = Buffer.alloc(40);
  ip.writeUInt32BE(0x60000000, 0);
  ip.writeUInt16BE(segment.length, 4);
  ip[6] = proto;
  ip[7] = TTL;
  srcIp.copy(ip, 8);
  dstIp.copy(ip, 24);
  return Buffer.concat([eth, ip, segment]);
}

function addresses(src: IpEndpoint, dst: IpEndpoint): [Buffer, Buffer] {
  if (src.family !== dst.family) throw new Error(`mixed IPv4/IPv6 flow: ${src.address} → ${dst.address}`);
  return [ipBytes(src.address), ipBytes(dst.address)];
}

/**
 * An Ethernet frame with one UDP datagram.
 * @throws Error when the endpoints mix IPv4 and IPv6, or the payload exceeds 65 507 bytes.
 */
export function udpFrame(src: IpEndpoint, dst: IpEndpoint, payload: Uint8Array): Buffer {
  if (payload.length > 65_507) throw new Error(`UDP payload of ${payload.length} bytes is too large`);
  const [s, d] = addresses(src, dst);
  const udp = Buffer.alloc(8 + payload.length);
  udp.writeUInt16BE(src.port, 0);
  udp.writeUInt16BE(dst.port, 2);
  udp.writeUInt16BE(udp.length, 4);
  udp.set(payload, 8);
  const sum = checksum([pseudoHeader(s, d, PROTO_UDP, udp.length), udp]);
  udp.writeUInt16BE(sum === 0 ? 0xffff : sum, 6);
  return ipFrame(src, dst, PROTO_UDP, udp, s, d);
}

/** One TCP segment's header fields. */
export interface TcpSegmentFields {
  seq: number;
  ack: number;
  /** Bits of {@link TCP_FLAGS}. */
  flags: number;
}

/**
 * An Ethernet frame with one TCP segment (no options, window 65535).
 * @throws Error when the endpoints mix IPv4 and IPv6, or the payload exceeds 65 495 bytes.
 */
export function tcpFrame(src: IpEndpoint, dst: IpEndpoint, fields: TcpSegmentFields, payload: Uint8Array): Buffer {
  if (payload.length > 65_495) throw new Error(`TCP payload of ${payload.length} bytes is too large for one segment`);
  const [s, d] = addresses(src, dst);
  const tcp = Buffer.alloc(20 + payload.length);
  tcp.writeUInt16BE(src.port, 0);
  tcp.writeUInt16BE(dst.port, 2);
  tcp.writeUInt32BE(fields.seq >>> 0, 4);
  tcp.writeUInt32BE(fields.ack >>> 0, 8);
  tcp[12] = 5 << 4;
  tcp[13] = fields.flags;
  tcp.writeUInt16BE(0xffff, 14);
  tcp.set(payload, 20);
  tcp.writeUInt16BE(checksum([pseudoHeader(s, d, PROTO_TCP, tcp.length), tcp]), 16);
  return ipFrame(src, dst, PROTO_TCP, tcp, s, d);
}
