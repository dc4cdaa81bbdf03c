// The pcap export read back by the import side (the maintained parser @netkitty/pcap-core and our
// frame decoder): every SIP message comes back with its addresses, transport, text and
// microsecond stamp; UDP and TCP checksums and IPv4 header checksums are valid; TCP segments
// continue their sequence numbers; loopback duplicates are written once.
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../src/main/import/capture-reader';
import { decodeIpPacket, decodeTransport } from '../../../src/main/import/decode-frame';
import { ipBytes, ipText, splitHostPort } from '../../../src/main/pcap/endpoint-address';
import { buildSipPcap } from '../../../src/main/pcap/sip-pcap';
import type { SipMessageRecord } from '../../../src/shared/types';
import { sampleMessages } from '../../helpers/reports/sample-calls';

function onesComplement(bufs: Buffer[]): number {
  let sum = 0;
  for (const b of bufs) {
    for (let i = 0; i + 1 < b.length; i += 2) sum += b.readUInt16BE(i);
    if (b.length % 2) sum += b[b.length - 1]! << 8;
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** Checks the IPv4 header and UDP/TCP checksums of an Ethernet frame (a valid one sums to 0xffff). */
function checksumsValid(frame: Buffer): boolean {
  const v6 = frame.readUInt16BE(12) === 0x86dd;
  const ip = frame.subarray(14);
  const hl = v6 ? 40 : (ip[0]! & 0x0f) * 4;
  if (!v6 && onesComplement([ip.subarray(0, hl)]) !== 0xffff) return false;
  const seg = ip.subarray(hl);
  const proto = v6 ? ip[6]! : ip[9]!;
  const pseudo = v6 ? Buffer.alloc(40) : Buffer.alloc(12);
  if (v6) {
    ip.copy(pseudo, 0, 8, 40);
    pseudo.writeUInt32BE(seg.length, 32);
    pseudo[39] = proto;
  } else {
    ip.copy(pseudo, 0, 12, 20);
    pseudo[9] = proto;
    pseudo.writeUInt16BE(seg.length, 10);
  }
  return onesComplement([pseudo, seg]) === 0xffff;
}

function readBack(bytes: Buffer) {
  const c = readCapture(bytes);
  expect(c.error).toBeNull();
  expect(c.format).toBe('pcap');
  return c.frames.map((f) => {
    expect(f.linkType).toBe(1);
    const ip = decodeIpPacket(f.linkType, f.data)!;
    const seg = decodeTransport(ip)!;
    return { f, ip, seg, valid: checksumsValid(f.data) };
  });
}

describe('pcap export of SIP messages', () => {
  it.each([
    ['IPv4 UDP', 'udp', '10.9.8.7:5070', '10.1.2.3:5080'],
    ['IPv6 UDP', 'udp', '[2001:db8::7]:5070', '[2001:db8::3]:5080'],
  ] as const)('%s: one datagram per message, real addresses, microsecond stamps', (_name, transport, local, remote) => {
    const messages = sampleMessages({ transport, local, remote });
    const out = buildSipPcap({ messages });
    expect(out.sipMessages).toBe(7);
    const frames = readBack(out.bytes);
    expect(frames).toHaveLength(7);
    frames.forEach(({ f, ip, seg, valid }, i) => {
      const m = messages[i]!;
      const [src, dst] = m.direction === 'in' ? [m.remote, m.local] : [m.local, m.remote];
      expect(ip.src).toBe(splitHostPort(src)!.host);
      expect(ip.dst).toBe(splitHostPort(dst)!.host);
      expect(seg.protocol).toBe('udp');
      expect(seg.srcPort).toBe(splitHostPort(src)!.port);
      expect(seg.payload.toString('utf8')).toBe(m.raw);
      expect(Math.abs(f.wallMs - m.wallMs)).toBeLessThan(0.001);
      expect(valid).toBe(true);
    });
  });

  it('TCP and TLS: a handshake, then one PSH segment per message with continuing sequence numbers', () => {
    for (const transport of ['tcp', 'tls'] as const) {
      const messages = sampleMessages({ transport });
      const out = buildSipPcap({ messages });
      const frames = readBack(out.bytes);
      expect(frames).toHaveLength(3 + 7);
      expect(frames.slice(0, 3).map((x) => x.seg.flags)).toEqual([0x02, 0x12, 0x10]);
      const next = new Map<string, number>();
      next.set(`${frames[0]!.seg.srcPort}`, (frames[0]!.seg.seq! + 1) >>> 0);
      next.set(`${frames[1]!.seg.srcPort}`, (frames[1]!.seg.seq! + 1) >>> 0);
      frames.slice(3).forEach(({ seg, valid }, i) => {
        expect(valid).toBe(true);
        expect(seg.flags! & 0x18).toBe(0x18);
        expect(seg.seq).toBe(next.get(`${seg.srcPort}`));
        next.set(`${seg.srcPort}`, (seg.seq! + seg.payload.length) >>> 0);
        expect(seg.payload.toString('utf8')).toBe(messages[i]!.raw);
      });
      if (transport === 'tls') expect(out.notes.join(' ')).toMatch(/clear text/);
    }
  });

  it('writes a loopback packet recorded by both legs once, but keeps real retransmissions', () => {
    const bot = sampleMessages({ local: '127.0.0.1:5070', remote: '127.0.0.1:5080' });
    // CXone's leg: the same packets seen from the other side.
    const cxone: SipMessageRecord[] = bot.map((m) => ({ ...m, direction: m.direction === 'in' ? 'out' : 'in', local: m.remote, remote: m.local, wallMs: m.wallMs - 0.05 }));
    const retransmission = { ...bot[3]!, wallMs: bot[3]!.wallMs + 500 };
    const out = buildSipPcap({ messages: [...cxone, ...bot, retransmission] });
    expect(out.duplicatesDropped).toBe(7);
    expect(out.sipMessages).toBe(8);
  });

  it('gives a host name a stable stand-in address and says so', () => {
    const messages = sampleMessages({ local: 'bot.example.com:5070', remote: '10.1.2.3:5080' });
    const out = buildSipPcap({ messages });
    const frames = readBack(out.bytes);
    expect(new Set(frames.map((x) => (x.ip.src === '10.1.2.3' ? x.ip.dst : x.ip.src)))).toEqual(new Set(['198.18.0.1']));
    expect(out.notes).toContain('host "bot.example.com" written as 198.18.0.1 (no address was recorded)');
  });

  it('exports UDP datagrams (RTP) with the SIP, each once', () => {
    const messages = sampleMessages();
    const rtp = Buffer.from([0x80, 0x00, 0x00, 0x01, 0, 0, 0, 160, 0x12, 0x34, 0xab, 0xcd, ...Array<number>(160).fill(0xff)]);
    const d = { wallMs: messages[4]!.wallMs + 20, src: '10.1.2.3:40000', dst: '10.9.8.7:40002', data: rtp };
    const out = buildSipPcap({ messages, datagrams: [d, { ...d, wallMs: d.wallMs + 0.01 }] });
    expect(out.udpDatagrams).toBe(1);
    const frames = readBack(out.bytes);
    const media = frames.find((x) => x.seg.dstPort === 40002)!;
    expect(media.seg.payload).toEqual(rtp);
    expect(frames.indexOf(media)).toBe(5); // after the ACK, in time order
  });
});

describe('IP address bytes', () => {
  it.each(['::1', '2001:db8::7', 'fe80::1:2:3:4', '::ffff:10.0.0.1', '1:2:3:4:5:6:7:8', '2001:db8:0:0:1::1'])('%s round-trips', (a) => {
    const b = ipBytes(a);
    expect(b).toHaveLength(16);
    expect(ipBytes(ipText(b))).toEqual(b);
  });
  it('writes IPv6 in the RFC 5952 short form', () => {
    expect(ipText(ipBytes('2001:0db8:0000:0000:0000:0000:0000:0001'))).toBe('2001:db8::1');
    expect(ipText(ipBytes('2001:db8:0:1:0:0:0:1'))).toBe('2001:db8:0:1::1');
    expect(ipText(ipBytes('10.0.0.255'))).toBe('10.0.0.255');
  });
});
