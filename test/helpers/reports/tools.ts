/**
 * Test helpers around the Debian tools that read our files: tshark and sngrep (pcap), xmllint
 * (JUnit XML against its schema), and a live capture with tshark.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';

/** True when `cmd args` runs and exits 0 (the tool is installed). */
export function toolAvailable(cmd: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  return !r.error && r.status === 0;
}

/** One SIP message as tshark decodes it. */
export interface TsharkSip {
  frame: number;
  callId: string;
  method: string;
  status: string;
  /** The headers, CRLF-separated (tshark's `sip.msg_hdr`). */
  headers: string;
}

/**
 * The SIP messages tshark finds in a capture file.
 * @param extra - more tshark options (e.g. `-d tcp.port==5061,sip`).
 * @throws when tshark cannot read the file.
 */
export function tsharkSip(file: string, extra: string[] = []): TsharkSip[] {
  const r = spawnSync('tshark', ['-r', file, ...extra, '-Y', 'sip', '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.number', '-e', 'sip.Call-ID', '-e', 'sip.Method', '-e', 'sip.Status-Code', '-e', 'sip.msg_hdr'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`tshark cannot read ${file}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [frame, callId, method, status, headers] = l.split('\t');
      return { frame: Number(frame), callId: callId ?? '', method: method ?? '', status: status ?? '', headers: (headers ?? '').replace(/\\r\\n/g, '\r\n') };
    });
}

/**
 * Opens a capture in sngrep's no-interface mode (`sngrep -N -I file -O out`), which parses every
 * packet as the interface would and writes the SIP packets it took to `out`.
 * @returns the dialog count sngrep printed, and its output.
 */
export function sngrepRead(file: string, out: string): { dialogs: number; output: string; status: number | null } {
  const r = spawnSync('sngrep', ['-N', '-I', file, '-O', out], { encoding: 'utf8', timeout: 30_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const counts = [...output.matchAll(/Dialog count: (\d+)/g)].map((m) => Number(m[1]));
  return { dialogs: counts.length > 0 ? counts[counts.length - 1]! : 0, output, status: r.status };
}

/** A running capture; `stop` ends it (the file is then complete). */
export interface LiveCapture {
  stop(): Promise<void>;
  kill(): void;
}

/**
 * Starts `tshark -i <iface> -f <filter> -w <file>` and resolves once packets really reach the
 * file: tshark prints "Capturing on" a little before its filter sees traffic, so a canary UDP
 * datagram to 127.0.0.1 is sent every 50 ms until tshark reports one (`-P -l`).
 * @param opts.linkType - `-y` (e.g. LINUX_SLL2 on `any`); `opts.format` `pcap` or `pcapng` (`-F`).
 * @throws (rejects) when tshark cannot capture (no permission, no device), with its stderr.
 */
export async function startCapture(opts: { iface: string; filter: string; file: string; linkType?: string; format?: 'pcap' | 'pcapng'; timeoutMs?: number }): Promise<LiveCapture> {
  const canary = dgram.createSocket('udp4');
  await new Promise<void>((r) => canary.bind(0, '127.0.0.1', () => r()));
  const port = canary.address().port;
  const args = ['-i', opts.iface, '-f', opts.filter, '-w', opts.file, '-P', '-l', ...(opts.linkType ? ['-y', opts.linkType] : []), '-F', opts.format ?? 'pcapng'];
  const child: ChildProcess = spawn('tshark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', (e) => {
      stderr += `\nspawn error: ${e.message}`;
      resolve(null);
    });
  });
  const ping = setInterval(() => canary.send('lab-capture-canary', port, '127.0.0.1'), 50);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`tshark did not capture within ${opts.timeoutMs ?? 10_000} ms: ${stderr.trim()}`));
      }, opts.timeoutMs ?? 10_000);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`tshark exited (${code}) before capturing: ${stderr.trim()}`));
      });
      child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
      child.stdout!.on('data', (b: Buffer) => {
        stdout += b.toString();
        if (!stdout.includes(` ${port} `) && !stdout.includes(`${port} Len`)) return;
        clearTimeout(timer);
        resolve();
      });
    });
  } finally {
    clearInterval(ping);
    canary.close();
  }
  return {
    kill: () => child.kill('SIGKILL'),
    stop: async () => {
      // tshark flushes the file and exits on SIGTERM.
      child.kill('SIGTERM');
      await exited;
    },
  };
}
