/**
 * Bench helper: a tshark capture on loopback, filtered on one UDP port, and the INVITE→200 time of
 * each call read back from it (µs resolution, the capture's own clock), so two SIP tools can be
 * compared on the wire whatever resolution they report in. Needs `tshark` with the right to
 * capture on `lo` (root or the wireshark group). Used by bench/load.mts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/** A running capture; `stop()` ends it and returns the pcap's path. */
export interface WireCapture {
  file: string;
  stop: () => Promise<string>;
}

const exited = (c: ChildProcess): Promise<void> => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

/**
 * Starts `tshark -i lo -f 'udp port <port>' -w <file>` and resolves once tshark says it captures.
 * @throws Error when tshark does not start capturing within `timeoutMs`.
 */
export async function startCapture(port: number, file: string, timeoutMs = 15_000): Promise<WireCapture> {
  const child = spawn('tshark', ['-i', 'lo', '-B', '64', '-f', `udp port ${port}`, '-w', file, '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`tshark did not start capturing within ${timeoutMs} ms: ${text.slice(-300)}`)), timeoutMs);
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      if (/Capturing on/.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tshark exited (${code}) before capturing: ${text.slice(-300)}`));
    });
  });
  return {
    file,
    stop: async () => {
      // Let the last datagrams reach the file before stopping.
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGINT');
      await exited(child);
      return file;
    },
  };
}

/**
 * INVITE→200 per Call-ID (ms, µs resolution) from a capture: the first INVITE request seen to the
 * first 200 response whose CSeq method is INVITE. Calls without both are left out. `port` is
 * decoded as SIP whatever its number.
 */
export function inviteTo200FromCapture(file: string, port: number): number[] {
  const r = spawnSync(
    'tshark',
    ['-r', file, '-d', `udp.port==${port},sip`, '-Y', 'sip', '-T', 'fields', '-E', 'separator=\t',
      '-e', 'frame.time_epoch', '-e', 'sip.Call-ID', '-e', 'sip.CSeq.method', '-e', 'sip.Status-Code', '-e', 'sip.Method'],
    { encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  if (r.status !== 0) throw new Error(`tshark -r ${file} failed: ${r.stderr.slice(-300)}`);
  const invite = new Map<string, number>();
  const ok = new Map<string, number>();
  let base: number | null = null;
  for (const line of r.stdout.split('\n')) {
    const [t, callId, cseqMethod, status, method] = line.split('\t');
    if (!t || !callId) continue;
    // Epoch seconds with 9 decimals: keep µs precision by subtracting a base second first.
    const [sec, frac = ''] = t.split('.');
    base ??= Number(sec);
    const ms = (Number(sec) - base) * 1000 + Number(frac.padEnd(9, '0').slice(0, 9)) / 1e6;
    if (method === 'INVITE' && !status && !invite.has(callId)) invite.set(callId, ms);
    else if (status === '200' && cseqMethod === 'INVITE' && !ok.has(callId)) ok.set(callId, ms);
  }
  const out: number[] = [];
  for (const [callId, t0] of invite) {
    const t1 = ok.get(callId);
    if (t1 !== undefined && t1 >= t0) out.push(t1 - t0);
  }
  return out;
}
