/**
 * Benchmark: how evenly the app paces RTP with many calls at once, and the CPU it costs, against
 * SIPp's rtp_stream in the same run.
 *
 * (a) The app: a sender process (a fork of this file) places N concurrent calls (default 50) on
 *     loopback to a receiving SipEndpoint (this process) and plays a prompt on every call at once.
 *     Send intervals are stamped by the media engine's `onRtpPacket` hook as each packet leaves;
 *     the sender's CPU is `process.cpuUsage()` over the playing window.
 * (b) SIPp: `sipp -sf test/interop/scenarios/uac_rtp_stream.xml` places N calls to the same
 *     receiver, each streaming the same audio (raw A-law); its CPU is read from /proc/<pid>/stat
 *     over its streaming window.
 * Both are also stamped on arrival by the same receiver (its `onRtpPacket` hook), so the arrival
 * figures compare like with like. Jitter of the 20 ms interval = |interval − 20 ms| per packet;
 * printed as p50 / p99 / max, with the ratio app / SIPp. Nothing here asserts a timing.
 *
 * Run: `npm run bench:rtp [-- calls]` (needs `sipp` on PATH for (b); Linux for SIPp's CPU).
 */
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import alawmulaw from 'alawmulaw';
import { loadPrompt } from '../src/main/media/prompt';
import type { RtpDatagramInfo } from '../src/main/media/media-config';
import { promptPath } from '../src/main/resources';
import { SipEndpoint } from '../src/main/sip/endpoint';

const HOST = '127.0.0.1';
const PTIME = 20;
const ROOT = resolve(import.meta.dirname, '..');

/** Per-stream packet stamps (ms), keyed by the stream's `local→remote` socket pair. */
type Stamps = Map<string, number[]>;

function stamper(direction: 'in' | 'out', into: Stamps): (p: RtpDatagramInfo) => void {
  return (p) => {
    if (p.rtcp || p.direction !== direction) return;
    const key = `${p.local}>${p.remote}`;
    let list = into.get(key);
    if (!list) into.set(key, (list = []));
    list.push(p.monoMs);
  };
}

/** |interval − ptime| of every consecutive pair of packets of every stream (ms). */
function jitters(stamps: Iterable<number[]>): number[] {
  const out: number[] = [];
  for (const s of stamps) for (let i = 1; i < s.length; i++) out.push(Math.abs(s[i]! - s[i - 1]! - PTIME));
  return out;
}

interface Figures {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

function figures(xs: number[]): Figures {
  const s = Float64Array.from(xs).sort();
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1] ?? NaN, n: s.length };
}

/** What the sender process reports to the parent. */
interface SenderResult {
  sendJitter: number[];
  cpuPercent: number;
  wallMs: number;
  streams: number;
}

// ---- (a) the sender process ------------------------------------------------------------------
async function sender(target: string, calls: number): Promise<void> {
  const out: Stamps = new Map();
  const ep = await SipEndpoint.start({ transport: 'udp', host: HOST, port: 0, user: 'cxone', media: { onRtpPacket: stamper('out', out) } });
  const prompt = await loadPrompt(promptPath('caller.wav'));
  const placed = Array.from({ length: calls }, () => ep.invite(target));
  await Promise.all(placed.map((c) => c.waitForState('answered', 20_000)));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(placed.map((c) => c.playPrompt(prompt)));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await Promise.all(placed.map((c) => c.hangup().catch(() => {})));
  await ep.stop();
  const result: SenderResult = {
    sendJitter: jitters(out.values()),
    cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    wallMs,
    streams: out.size,
  };
  process.send!(result, () => process.exit(0));
}

// ---- the parent: receiver, then (a) and (b) ----------------------------------------------------
/** CPU time (ms) of a process so far, from /proc/<pid>/stat (utime + stime, in clock ticks of 100 Hz). */
function procCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main(calls: number): Promise<void> {
  const inbound: Stamps = new Map();
  const receiver = await SipEndpoint.start({ transport: 'udp', host: HOST, port: 0, user: 'bot', media: { onRtpPacket: stamper('in', inbound), rtcpIntervalMs: 0 } });
  receiver.onInvite = (call) => void call.accept().catch(() => {});
  const target = `sip:bot@${HOST}:${receiver.listener.port};transport=udp`;

  // (a) the app as sender, in its own process so its CPU is its own.
  const child = fork(import.meta.filename, ['--sender', target, String(calls)], { execArgv: process.execArgv, stdio: 'inherit' });
  const app = await new Promise<SenderResult>((res, rej) => {
    child.once('message', (m) => res(m as SenderResult));
    child.once('exit', (code) => rej(new Error(`sender exited ${code}`)));
  });
  const appArrival = jitters(inbound.values());
  inbound.clear();

  // (b) SIPp streaming the same audio with rtp_stream (raw A-law, see uac_rtp_stream.xml).
  let sipp: { arrival: number[]; cpuPercent: number; streams: number } | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'bench-rtp-'));
  try {
    const prompt = await loadPrompt(promptPath('caller.wav'));
    writeFileSync(join(dir, 'rtp-stream.alaw'), alawmulaw.alaw.encode(prompt));
    const streamMs = (prompt.length / 8000) * 1000;
    const base = 30_000 + (process.pid % 1000) * 20;
    const proc = spawn('sipp', [`${HOST}:${receiver.listener.port}`, '-sf', join(ROOT, 'test/interop/scenarios/uac_rtp_stream.xml'), '-s', 'bot',
      '-t', 'u1', '-i', HOST, '-p', String(base), '-mp', String(base + 2), '-m', String(calls), '-l', String(calls), '-r', String(calls),
      '-rp', '1000', '-d', String(streamMs + 500), '-nostdin', '-timeout', '60'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => {
      proc.once('exit', (code) => r(code));
      proc.once('error', () => r(null));
    });
    // Measure SIPp's CPU while every stream plays: from the first packet to the last one's time.
    const first = await Promise.race([new Promise<void>((r) => { const t = setInterval(() => inbound.size > 0 && (clearInterval(t), r()), 5); }), exited]);
    if (first === undefined && proc.pid) {
      const cpu0 = procCpuMs(proc.pid);
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, streamMs - 200));
      const cpuPercent = ((procCpuMs(proc.pid) - cpu0) / (performance.now() - t0)) * 100;
      await exited;
      sipp = { arrival: jitters(inbound.values()), cpuPercent, streams: inbound.size };
    } else {
      console.log(`SIPp did not stream (exit ${first}): is sipp on PATH?`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await receiver.stop();
  }

  const fmt = (x: number): string => (Number.isNaN(x) ? '     -' : x.toFixed(3).padStart(7));
  const row = (name: string, f: Figures, ref?: Figures): string =>
    `${name.padEnd(34)} | ${fmt(f.p50)} ${fmt(f.p99)} ${fmt(f.max)}  (n=${f.n})${ref ? ` | ${(f.p50 / ref.p50).toFixed(2)} ${(f.p99 / ref.p99).toFixed(2)} ${(f.max / ref.max).toFixed(2)}` : ''}`;
  console.log(`RTP send-interval jitter, ${calls} concurrent calls on loopback, 20 ms G.711 packets (|interval − 20 ms|, ms)`);
  console.log(`${'stream'.padEnd(34)} |     p50     p99     max          | ratio app/SIPp (p50 p99 max)`);
  const sippF = sipp ? figures(sipp.arrival) : undefined;
  console.log(row(`app, stamped at send (${app.streams})`, figures(app.sendJitter)));
  console.log(row('app, stamped on arrival', figures(appArrival), sippF));
  if (sipp && sippF) console.log(row(`SIPp rtp_stream, on arrival (${sipp.streams})`, sippF));
  console.log(`CPU while streaming (% of one core): app sender ${app.cpuPercent.toFixed(1)}% over ${(app.wallMs / 1000).toFixed(1)} s` +
    (sipp ? `; SIPp ${sipp.cpuPercent.toFixed(1)}%; ratio app/SIPp ${(app.cpuPercent / sipp.cpuPercent).toFixed(1)}` : ''));
}

if (process.argv[2] === '--sender') await sender(process.argv[3]!, Number(process.argv[4]));
else {
  await main(Number(process.argv[2] ?? 50));
  process.exit(0);
}
