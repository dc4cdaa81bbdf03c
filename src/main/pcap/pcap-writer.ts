/**
 * A writer of classic libpcap files (the format every tool reads: Wireshark, tshark, sngrep,
 * tcpdump): a 24-byte global header, then one record per frame with its capture time in
 * microseconds.
 *
 * @remarks draft-ietf-opsawg-pcap §4 (file header: magic 0xA1B2C3D4 = microsecond stamps, version
 * 2.4, SnapLen, LinkType), §5 (packet record: seconds, microseconds, captured and original length).
 */

/** Snapshot length written in the header (bytes): frames are never truncated below it. */
export const PCAP_SNAPLEN = 262_144;

/** One frame to write: its wall-clock capture time (Unix ms, fractional) and its bytes. */
export interface PcapRecord {
  wallMs: number;
  frame: Uint8Array;
}

/**
 * The bytes of a pcap file holding `records` in the order given.
 * @param linkType - LINKTYPE of every frame (1 = Ethernet).
 * @throws Error when a frame exceeds {@link PCAP_SNAPLEN} or a time is not finite.
 */
export function pcapBytes(records: readonly PcapRecord[], linkType: number): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(PCAP_SNAPLEN, 16);
  header.writeUInt32LE(linkType, 20);
  const parts: Buffer[] = [header];
  for (const r of records) {
    if (!Number.isFinite(r.wallMs)) throw new Error(`pcap record with a time that is not a number (${r.wallMs})`);
    if (r.frame.length > PCAP_SNAPLEN) throw new Error(`frame of ${r.frame.length} bytes exceeds the snapshot length ${PCAP_SNAPLEN}`);
    const us = Math.max(0, Math.round(r.wallMs * 1000));
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(us / 1_000_000), 0);
    rec.writeUInt32LE(us % 1_000_000, 4);
    rec.writeUInt32LE(r.frame.length, 8);
    rec.writeUInt32LE(r.frame.length, 12);
    parts.push(rec, Buffer.from(r.frame.buffer, r.frame.byteOffset, r.frame.byteLength));
  }
  return Buffer.concat(parts);
}
