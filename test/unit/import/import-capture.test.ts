// pcap/pcapng import from captures other tools write: Linux cooked capture v1/v2 (tcpdump -i
// any), raw IP, VLAN-tagged Ethernet, pcapng with several interfaces, IPv6, IPv4 fragments, SIP
// over TCP split across segments, two messages in one segment, out-of-order and retransmitted
// segments, and non-SIP traffic next to the SIP. Each call is rebuilt with the verdict the bot
// itself would give, and kept in history as an `import` run.
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { importCapture } from '../../../src/main/import/import-capture';
import { toIpEndpoint } from '../../../src/main/pcap/endpoint-address';
import { tcpFrame, udpFrame } from '../../../src/main/pcap/frames';
import { getProfile, verifyContactId } from '../../../src/main/profiles';
import { parseSipMessage, type ParsedSipMessage } from '../../../src/main/sip/message';
import { fragmentIpv4, ipOf, pcap, pcapng, sll, sll2, vlan } from '../../helpers/reports/capture-frames';
import { sampleMessages, T0 } from '../../helpers/reports/sample-calls';

const stores: HistoryStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

const names = new Map<string, string>();
const ep = (hp: string) => toIpEndpoint(hp, names);

/** The UDP Ethernet frames of the sample call. */
function udpFrames(o: Parameters<typeof sampleMessages>[0] = {}) {
  return sampleMessages(o).map((m) => ({
    wallMs: m.wallMs,
    data: m.direction === 'in' ? udpFrame(ep(m.remote), ep(m.local), Buffer.from(m.raw)) : udpFrame(ep(m.local), ep(m.remote), Buffer.from(m.raw)),
  }));
}

const dns = { wallMs: T0 - 5, data: udpFrame(ep('10.1.2.3:5353'), ep('10.1.2.4:53'), Buffer.from('not sip at all')) };
const keepalive = { wallMs: T0 - 4, data: udpFrame(ep('10.1.2.3:5080'), ep('10.9.8.7:5070'), Buffer.from('\r\n\r\n')) };
const arp = { wallMs: T0 - 3, data: Buffer.concat([Buffer.alloc(12), Buffer.from([0x08, 0x06]), Buffer.alloc(28)]) };

describe('lab import', () => {
  it('pcap with Ethernet: one call, its ladder, the verdict under the chosen profile, stored as an import run', () => {
    const store = HistoryStore.open(':memory:');
    stores.push(store);
    const s = importCapture(pcap([dns, keepalive, arp, ...udpFrames()]), { profile: 'watson', store, fileName: 'customer.pcap' });
    expect(s.error).toBeNull();
    expect(s).toMatchObject({ ok: true, format: 'pcap', frames: 10, sipMessages: 7, file: 'customer.pcap' });
    expect(s.skipped).toMatchObject({ notIp: 1, notSip: 1 });
    expect(s.calls).toHaveLength(1);
    const c = s.calls[0]!;
    expect(c.verdict).toMatchObject({ ok: true, header: 'X-ContactID', value: '701234567890' });
    expect(c.state).toBe('ended');
    const run = store.getRun(s.runId!)!;
    expect(run).toMatchObject({ kind: 'import', profile: 'watson', ok: true, options: { file: 'customer.pcap', format: 'pcap' } });
    const detail = store.getCall(c.callRef)!;
    expect(detail.messages.map((m) => `${m.direction} ${m.status ?? m.method}`)).toEqual(['in INVITE', 'out 100', 'out 180', 'out 200', 'in ACK', 'out BYE', 'in 200']);
    expect(detail.messages[0]).toMatchObject({ local: '10.9.8.7:5070', remote: '10.1.2.3:5080', wallMs: T0 });
    expect(detail.latency).toMatchObject({ invite_to_100: 1.5, invite_to_180: 3, invite_to_200: 812.3 });
    expect(detail.end).toEqual({ by: 'local', reason: 'BYE' });
    expect(detail.checks).toEqual([{ name: 'contact-id', ok: true, detail: 'X-ContactID = 701234567890' }]);
  });

  it('verifies under the chosen profile: Kore wants X-ExternalCallId, so this call fails for Kore', () => {
    const s = importCapture(pcap(udpFrames()), { profile: 'kore', fileName: 'x.pcap' });
    const expected = verifyContactId((parseSipMessage(sampleMessages()[0]!.raw) as ParsedSipMessage).headers, getProfile('kore'));
    expect(s.ok).toBe(false);
    expect(s.runId).toBeNull();
    expect(s.calls[0]!.verdict).toEqual(expected);
  });

  it.each([
    ['Linux cooked capture v1 (tcpdump -i any)', 113, sll],
    ['Linux cooked capture v2', 276, sll2],
    ['raw IP', 101, (ip: Buffer) => ip],
  ] as const)('%s, IPv4 and IPv6, in pcap and pcapng', (_n, linkType, wrap) => {
    for (const [local, remote] of [['10.9.8.7:5070', '10.1.2.3:5080'], ['[2001:db8::7]:5070', '[2001:db8::3]:5080']]) {
      const frames = udpFrames({ local, remote }).map((f) => ({ wallMs: f.wallMs, data: wrap(ipOf(f.data)) }));
      for (const file of [pcap(frames, linkType), pcapng(frames.map((f) => ({ ...f, linkType })))]) {
        const s = importCapture(file, { profile: 'watson', fileName: 'any.pcap' });
        expect(s.error).toBeNull();
        expect(s.calls).toHaveLength(1);
        expect(s.calls[0]!.verdict.ok).toBe(true);
        expect(s.calls[0]!.messages).toBe(7);
      }
    }
  });

  it('pcapng with two interfaces of different link types (Ethernet with VLAN tags, and SLL)', () => {
    const frames = udpFrames();
    const file = pcapng(frames.map((f, i) => (i % 2 ? { linkType: 1, wallMs: f.wallMs, data: vlan(f.data) } : { linkType: 113, wallMs: f.wallMs, data: sll(ipOf(f.data)) })));
    const s = importCapture(file, { profile: 'watson', fileName: 'two.pcapng' });
    expect(s.format).toBe('pcapng');
    expect(s.sipMessages).toBe(7);
  });

  it('reassembles an INVITE fragmented over UDP (IPv4)', () => {
    const big = [{ name: 'X-ContactID', value: '701234567890' }, ...Array.from({ length: 40 }, (_, i) => ({ name: `X-Pad-${i}`, value: 'x'.repeat(60) }))];
    const frames = udpFrames({ xHeaders: big });
    const invite = frames[0]!;
    const parts = fragmentIpv4(ipOf(invite.data), 1480);
    expect(parts.length).toBeGreaterThan(1);
    const file = pcap([...parts.reverse().map((p) => ({ wallMs: invite.wallMs, data: p })), ...frames.slice(1).map((f) => ({ wallMs: f.wallMs, data: ipOf(f.data) }))], 101);
    const s = importCapture(file, { profile: 'watson', fileName: 'frag.pcap' });
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0]!.verdict.ok).toBe(true);
    expect(s.skipped.incompleteFragments).toBe(0);
  });

  it('SIP over TCP: split messages, two in one segment, out of order, retransmitted; an HTTP connection beside it is ignored', () => {
    const msgs = sampleMessages({ transport: 'tcp' });
    const a = ep('10.1.2.3:5080');
    const b = ep('10.9.8.7:5070');
    const seq = { a: 1000, b: 5000 };
    const seg = (from: 'a' | 'b', data: Buffer, at: number, opts: { seq?: number; flags?: number } = {}) => {
      const s = opts.seq ?? seq[from];
      if (opts.seq === undefined) seq[from] += data.length;
      return { wallMs: at, data: from === 'a' ? tcpFrame(a, b, { seq: s, ack: 0, flags: opts.flags ?? 0x18 }, data) : tcpFrame(b, a, { seq: s, ack: 0, flags: opts.flags ?? 0x18 }, data) };
    };
    const raw = msgs.map((m) => Buffer.from(m.raw));
    const frames = [
      seg('a', Buffer.alloc(0), T0 - 1, { seq: 999, flags: 0x02 }), // SYN
      seg('b', Buffer.alloc(0), T0 - 1, { seq: 4999, flags: 0x12 }), // SYN/ACK
    ];
    // INVITE in three segments, the last two swapped, the first one retransmitted.
    const inv = raw[0]!;
    const s1 = seg('a', inv.subarray(0, 100), T0);
    const s2 = seg('a', inv.subarray(100, 300), T0 + 0.1);
    const s3 = seg('a', inv.subarray(300), T0 + 0.2);
    frames.push(s1, s3, { ...s1, wallMs: T0 + 0.15 }, s2);
    // 100 and 180 in one segment; 200 alone.
    frames.push(seg('b', Buffer.concat([raw[1]!, raw[2]!]), T0 + 3), seg('b', raw[3]!, T0 + 812.25));
    frames.push(seg('a', raw[4]!, T0 + 830), seg('b', raw[5]!, T0 + 9000), seg('a', raw[6]!, T0 + 9010));
    const http = { wallMs: T0 + 5000, data: tcpFrame(ep('10.9.8.7:40100'), ep('10.5.5.5:443'), { seq: 1, ack: 0, flags: 0x18 }, Buffer.from('POST /signal HTTP/1.1\r\nContent-Length: 0\r\n\r\n')) };
    frames.push(http);
    const s = importCapture(pcap(frames.sort((x, y) => x.wallMs - y.wallMs)), { profile: 'watson', fileName: 'tcp.pcap' });
    expect(s.sipMessages).toBe(7);
    expect(s.skipped.notSip).toBe(1);
    const c = s.calls[0]!;
    expect(c.verdict.ok).toBe(true);
    expect(c.messages).toBe(7);
  });

  it('a damaged file keeps the calls before the damage and says why', () => {
    const file = pcap(udpFrames());
    const cut = Buffer.concat([file.subarray(0, file.length - 40), Buffer.from([0xff, 0xff, 0xff, 0x7f])]);
    const s = importCapture(cut, { profile: 'watson', fileName: 'cut.pcap' });
    expect(s.calls).toHaveLength(1);
    expect(s.error).toMatch(/truncat|length|corrupt/i);
    const notPcap = importCapture(Buffer.from('hello, this is not a capture'), { profile: 'watson', fileName: 'x.txt' });
    expect(notPcap.error).toMatch(/pcap|magic/i);
    expect(notPcap.calls).toEqual([]);
    expect(notPcap.ok).toBe(false);
  });
});
