/**
 * Test helpers to run SIPp (`sipp`, Debian package `sip-tester`) as a real SIP peer: find it,
 * pick free ports, wait until it listens, and run it with a hard timeout.
 */
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** True when `sipp` is on PATH and runs. */
export function sippAvailable(): boolean {
  const r = spawnSync('sipp', ['-v'], { encoding: 'utf8' });
  return !r.error && /SIPp v\d/.test(`${r.stdout}${r.stderr}`);
}

function bindTcp(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(undefined));
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

function bindUdp(port: number): Promise<dgram.Socket | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(undefined));
    s.bind(port, '127.0.0.1', () => resolve(s));
  });
}

/**
 * A port free on 127.0.0.1 for both TCP and UDP, with `span - 1` free ports after it (SIPp's
 * media uses port, port+2…). Found by binding port 0 first, then checking the others.
 */
export async function freePort(span = 1): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const probe = await bindTcp(0);
    const port = (probe!.address() as net.AddressInfo).port;
    const held: { close: (cb: () => void) => void }[] = [probe!];
    let ok = port + span < 65536;
    for (let p = port; ok && p < port + span; p++) {
      const t = p === port ? probe : await bindTcp(p);
      const u = await bindUdp(p);
      if (!t || !u) ok = false;
      if (t && t !== probe) held.push(t);
      if (u) held.push(u);
    }
    await Promise.all(held.map((h) => new Promise<void>((r) => h.close(() => r()))));
    if (ok) return port;
  }
  throw new Error('no free port found');
}

/** Whether something listens on 127.0.0.1:`port` (Linux /proc/net; TCP: LISTEN state, UDP: bound). */
function isListening(port: number, proto: 'tcp' | 'udp'): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const table = readFileSync(`/proc/net/${proto}`, 'utf8').split('\n').slice(1);
  return table.some((line) => {
    const cols = line.trim().split(/\s+/);
    return cols[1]?.endsWith(`:${hex}`) && (proto === 'udp' || cols[3] === '0A');
  });
}

/** Waits until a socket is bound to `port` (polls /proc/net, bounded by `timeoutMs`). */
export async function waitForListening(port: number, proto: 'tcp' | 'udp', timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!isListening(port, proto)) {
    if (Date.now() > until) throw new Error(`nothing listens on ${proto} port ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The outcome of one SIPp run. */
export interface SippResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  killedByTimeout: boolean;
}

/** A running SIPp; `done` settles when it exits (or is killed after `timeoutMs`). */
export interface SippRun {
  done: Promise<SippResult>;
  kill: () => void;
}

/** Starts `sipp` with `args` in `cwd`, killing it after `timeoutMs`. */
export function runSipp(args: string[], opts: { cwd: string; timeoutMs: number }): SippRun {
  const child = spawn('sipp', args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let killedByTimeout = false;
  child.stdout.on('data', (b: Buffer) => (stdout = (stdout + b.toString()).slice(-20_000)));
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-20_000)));
  const timer = setTimeout(() => {
    killedByTimeout = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs);
  const done = new Promise<SippResult>((resolve) => {
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}\nspawn error: ${e.message}`, killedByTimeout });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, killedByTimeout });
    });
  });
  return { done, kill: () => child.kill('SIGKILL') };
}

/** A one-line explanation of a failed SIPp run, for assertion messages. */
export function describeSipp(r: SippResult): string {
  const tail = (s: string): string => s.trim().split('\n').slice(-15).join('\n');
  return `sipp exited ${r.code ?? r.signal}${r.killedByTimeout ? ' (killed by timeout)' : ''}\nstderr:\n${tail(r.stderr)}\nstdout:\n${tail(r.stdout)}`;
}
