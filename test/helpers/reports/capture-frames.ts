/**
 * Test helpers that turn SIP messages into the captures other tools write: Linux cooked capture
 * v1/v2 (`tcpdump -i any`), raw IP, VLAN-tagged Ethernet, IPv4 fragments, and pcapng files with
 * several interfaces (written with @netkitty/pcap-core's generator, not with the code under test).
 */
import { createRequire } from 'node:module';

type PcapCore = typeof import('@netkitty/pcap-core');
const core = createRequire(import.meta.url)('@netkitty/pcap-core') as PcapCore;

/** The IP packet of an Ethernet frame (the 14-byte header dropped). */
export const ipOf = (ethernetFrame: Buffer): Buffer => ethernetFrame.subarray(14);

/** Linux cooked capture v1 (LINKTYPE_LINUX_SLL 113): 16-byte header, protocol last. */
export function sll(ip: Buffer): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(0, 0); // packet to us
  h.writeUInt16BE(772, 2); // ARPHRD_LOOPBACK
  h.writeUInt16BE(6, 4);
  h.writeUInt16BE(ip[0]! >> 4 === 6 ? 0x86dd : 0x0800, 14);
  return Buffer.concat([h, ip]);
}

/** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 276): 20-byte header, protocol first. */
export function sll2(ip: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(ip[0]! >> 4 === 6 ? 0x86dd : 0x0800, 0);
  h.writeUInt32BE(1, 4); // interface index
  h.writeUInt16BE(772, 8);
  h[11] = 6;
  return Buffer.concat([h, ip]);
}

/** An Ethernet frame with an 802.1Q tag inserted. */
export function vlan(ethernetFrame: Buffer, id = 42): Buffer {
  const tag = Buffer.alloc(4);
  tag.writeUInt16BE(0x8100, 0);
  tag.writeUInt16BE(id, 2);
  return Buffer.concat([ethernetFrame.subarray(0, 12), tag, ethernetFrame.subarray(12)]);
}

/** Splits an IPv4 packet into fragments of at most `size` payload bytes (a multiple of 8). */
export function fragmentIpv4(ip: Buffer, size: number): Buffer[] {
  const hl = (ip[0]! & 0x0f) * 4;
  const payload = ip.subarray(hl);
  const out: Buffer[] = [];
  for (let off = 0; off < payload.length; off += size) {
    const part = payload.subarray(off, off + size);
    const h = Buffer.from(ip.subarray(0, hl));
    h.writeUInt16BE(hl + part.length, 2);
    h.writeUInt16BE(((off + size < payload.length ? 0x2000 : 0) | (off / 8)) >>> 0, 6);
    out.push(Buffer.concat([h, part]));
  }
  return out;
}

/** A pcapng file: one interface per link type given, each frame on the interface of its link type. */
export function pcapng(frames: { linkType: number; wallMs: number; data: Buffer }[]): Buffer {
  const types = [...new Set(frames.map((f) => f.linkType))];
  return Buffer.concat([
    core.GeneratePcapngSectionHeader(),
    ...types.map((t) => core.GeneratePcapngInterfaceDescription({ linkLayerType: t })),
    ...frames.map((f) =>
      core.GeneratePcapngEnhancedPacket({
        buffer: f.data,
        interfaceId: types.indexOf(f.linkType),
        microsecond: { seconds: Math.floor(f.wallMs / 1000), microseconds: Math.round((f.wallMs % 1000) * 1000) },
      }),
    ),
  ]);
}

/**
 * A classic pcap file of one link type. The generator writes a big-endian file (magic A1B2C3D4 in
 * network order) but its link type field little-endian, so the field is rewritten big-endian here.
 */
export function pcap(frames: { wallMs: number; data: Buffer }[], linkType = 1): Buffer {
  const file = core.GeneratePCAP(
    frames.map((f) => ({ frameBase64Data: f.data.toString('base64'), microsecond: { seconds: Math.floor(f.wallMs / 1000), microseconds: Math.round((f.wallMs % 1000) * 1000) } })),
  );
  file.writeUInt32BE(linkType, 20);
  return file;
}
