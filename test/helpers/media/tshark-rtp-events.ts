/**
 * Test helper: see the RTP telephone-events (RFC 4733) a SIPp peer received. SIPp 3.6.1 has no
 * RTP trace of its own (its -trace_* options log SIP only), so this captures UDP on the loopback
 * interface with `tshark` (Debian package tshark; capturing needs root or the wireshark group's
 * dumpcap rights) and decodes what went to SIPp's media port as RTP events.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startCapture } from '../reports/tools';

/** One RTP telephone-event packet as tshark decoded it (RFC 4733 §2.3). */
export interface CapturedRtpEvent {
  payloadType: number;
  seq: number;
  timestamp: number;
  marker: boolean;
  /** Event code: 0-9 digits, 10 `*`, 11 `#`, 12-15 A-D (RFC 4733 §3.2). */
  event: number;
  end: boolean;
  /** Duration field (timestamp units, 8000 Hz). */
  duration: number;
}

/** A running capture; {@link RtpEventCapture.stop} ends it and decodes what it saw. */
export interface RtpEventCapture {
  stop: () => Promise<CapturedRtpEvent[]>;
  kill: () => void;
}

/** RFC 4733 §3.2 event code → DTMF digit. */
export function dtmfDigitOf(event: number): string {
  return '0123456789*#ABCD'[event] ?? '?';
}

/**
 * The digits of a list of event packets: one per distinct event (RTP timestamp + event code),
 * in order of arrival (RFC 4733 §2.5.1: all packets of one event share its timestamp).
 */
export function digitsOf(events: readonly CapturedRtpEvent[]): string {
  const seen = new Set<string>();
  let digits = '';
  for (const e of events) {
    const key = `${e.timestamp}/${e.event}`;
    if (seen.has(key)) continue;
    seen.add(key);
    digits += dtmfDigitOf(e.event);
  }
  return digits;
}

/**
 * Starts capturing UDP on the loopback interface into `dir/name.pcap` (tools.ts's startCapture:
 * resolves once packets really reach the file); `stop` then decodes the events sent to `port`.
 * @throws (rejects) when tshark cannot capture (no permission to capture, no loopback device) or
 *   does not start within `timeoutMs`; the message carries tshark's stderr.
 */
export async function startRtpEventCapture(opts: { port: number; dir: string; name: string; timeoutMs?: number }): Promise<RtpEventCapture> {
  const file = join(opts.dir, `${opts.name}.pcap`);
  const capture = await startCapture({ iface: 'lo', filter: 'udp', file, format: 'pcap', timeoutMs: opts.timeoutMs });
  return {
    kill: () => capture.kill(),
    stop: async () => {
      await capture.stop();
      return decodeRtpEvents(file, opts.port);
    },
  };
}

/**
 * Decodes the telephone-events of a pcap file sent to `port`: UDP to it as RTP, then RTP events of any
 * dynamic payload type (tshark's rtpevent dissector takes one payload type: the one seen).
 * @throws when tshark cannot read the file.
 */
export function decodeRtpEvents(file: string, port: number): CapturedRtpEvent[] {
  const rtp = spawnSync('tshark', ['-r', file, '-d', `udp.port==${port},rtp`, '-Y', `udp.dstport == ${port}`, '-T', 'fields', '-e', 'rtp.p_type'], { encoding: 'utf8' });
  if (rtp.status !== 0) throw new Error(`tshark cannot read ${file}: ${rtp.stderr}`);
  // The telephone-event payload type is the dynamic one (96-127) seen in the capture.
  const dynamic = [...new Set(rtp.stdout.split('\n').map(Number).filter((pt) => pt >= 96 && pt <= 127))];
  const out: CapturedRtpEvent[] = [];
  for (const pt of dynamic) {
    const r = spawnSync(
      'tshark',
      ['-r', file, '-d', `udp.port==${port},rtp`, '-o', `rtpevent.event_payload_type_value:${pt}`, '-Y', `udp.dstport == ${port} && rtpevent && rtp.p_type == ${pt}`,
        '-T', 'fields', '-E', 'separator=,', '-e', 'rtp.p_type', '-e', 'rtp.seq', '-e', 'rtp.timestamp', '-e', 'rtp.marker',
        '-e', 'rtpevent.event_id', '-e', 'rtpevent.end_of_event', '-e', 'rtpevent.duration'],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`tshark cannot decode ${file}: ${r.stderr}`);
    for (const line of r.stdout.split('\n')) {
      const f = line.trim().split(',');
      if (f.length < 7) continue;
      const flag = (v: string | undefined): boolean => v === '1' || v === 'True';
      out.push({
        payloadType: Number(f[0]),
        seq: Number(f[1]),
        timestamp: Number(f[2]),
        marker: flag(f[3]),
        event: Number(f[4]),
        end: flag(f[5]),
        duration: Number(f[6]),
      });
    }
  }
  return out;
}
