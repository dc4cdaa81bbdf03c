/**
 * Benchmark (issue 12, "How it is shown"): in one run, `lab load` (the load run on a LabRuntime, in
 * this process) against SIPp's `uas`, and SIPp's `uac` against SIPp's `uas`, at rising rates until
 * calls fail or the asked rate is not reached; prints the highest rate each sustains with 0
 * failures, the ratio app / SIPp (goal ≥ 0.5), and INVITE→200 p95 at 50 calls/s of both (goal:
 * the app within 2× SIPp's). UDP on 127.0.0.1 only; bounded: each step places rate × STEP_S
 * calls, at most MAX_RATE calls/s. Nothing here asserts a timing; it prints figures.
 * Run: `npm run bench:load [-- <step seconds> <max rate>]` (needs `sipp` on PATH).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import type { LoadReport } from '../src/main/load/report';
import { LabRuntime } from '../src/main/runtime/lab-runtime';
import { freePort, waitForListening } from '../test/helpers/sip/sipp';

const STEP_S = Number(process.argv[2] ?? 3);
const MAX_RATE = Number(process.argv[3] ?? 800);
const RATES = [25, 50, 100, 150, 200, 300, 400, 600, 800, 1000].filter((r) => r <= MAX_RATE);
const HOST = '127.0.0.1';

interface Step {
  rate: number;
  calls: number;
  failed: number;
  achieved: number;
  p95: number | null;
  /** lab load only: this process's CPU (% of one core) and event-loop delay p99 (ms) during the step. */
  cpuPct?: number;
  loopP99Ms?: number;
}

function sipp(args: string[], cwd: string): { done: Promise<number | null>; kill: () => void } {
  const child = spawn('sipp', [...args, '-nostdin'], { cwd, stdio: 'ignore' });
  const done = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { done, kill: () => child.kill('SIGKILL') };
}

async function uas(cwd: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const port = await freePort(4);
  const p = sipp(['-sn', 'uas', '-i', HOST, '-p', String(port), '-t', 'u1', '-mp', String(port + 2)], cwd);
  await waitForListening(port, 'udp', 10_000);
  return { port, stop: async () => (p.kill(), void (await p.done)) };
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** SIPp uac → SIPp uas at one rate. */
async function sippStep(rate: number): Promise<Step> {
  const cwd = mkdtempSync(join(tmpdir(), 'bench-load-sipp-'));
  const far = await uas(cwd);
  const calls = Math.max(10, Math.round(rate * STEP_S));
  const port = await freePort(4);
  const t0 = performance.now();
  const run = sipp([`${HOST}:${far.port}`, '-sn', 'uac', '-i', HOST, '-p', String(port), '-t', 'u1', '-mp', String(port + 2), '-r', String(rate), '-m', String(calls), '-timeout', `${STEP_S * 4 + 30}s`, '-trace_stat', '-stf', 'stat.csv', '-fd', '1', '-trace_rtt', '-rtt_freq', '1'], cwd);
  await run.done;
  const elapsed = (performance.now() - t0) / 1000;
  await far.stop();
  const stat = readFileSync(join(cwd, 'stat.csv'), 'utf8').trim().split('\n');
  const head = stat[0]!.split(';');
  const last = stat[stat.length - 1]!.split(';');
  const failed = Number(last[head.indexOf('FailedCall(C)')]);
  const rttFile = readdirSync(cwd).find((f) => f.endsWith('_rtt.csv'));
  const rtts = rttFile
    ? readFileSync(join(cwd, rttFile), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(';')[1])).filter(Number.isFinite)
    : [];
  // Calls started per second: the last call starts (calls - 1) / rate after the first.
  const achieved = Math.round(((calls - 1) / Math.max(0.001, elapsed - (percentile(rtts, 50) ?? 0) / 1000)) * 10) / 10;
  return { rate, calls, failed, achieved: Math.min(achieved, Number(last[head.indexOf('CallRate(C)')]) || achieved), p95: percentile(rtts, 95) };
}

/** lab load → SIPp uas at one rate. */
async function labStep(runtime: LabRuntime, rate: number): Promise<Step> {
  const cwd = mkdtempSync(join(tmpdir(), 'bench-load-lab-'));
  const far = await uas(cwd);
  const calls = Math.max(10, Math.round(rate * STEP_S));
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runtime.run<LoadReport>('load', { target: `sip:service@${HOST}:${far.port}`, profile: 'kore', rate, calls, transport: 'udp', answerTimeoutMs: 10_000 });
  loop.disable();
  const cpu = process.cpuUsage(cpu0);
  const cpuPct = Math.round(((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100);
  await far.stop();
  return { rate, calls, failed: r.figures.failed + r.figures.open, achieved: r.figures.callsPerSecond, p95: r.figures.latency.invite_to_200.p95, cpuPct, loopP99Ms: Math.round(loop.percentile(99) / 1e5) / 10 };
}

const sustained = (s: Step): boolean => s.failed === 0 && s.achieved >= s.rate * 0.9;

async function series(name: string, step: (rate: number) => Promise<Step>): Promise<Step[]> {
  const out: Step[] = [];
  for (const rate of RATES) {
    const s = await step(rate);
    out.push(s);
    console.log(`${name.padEnd(10)} ${String(rate).padStart(5)} calls/s asked: ${String(s.achieved).padStart(6)} achieved, ${s.calls} calls, ${s.failed} failed, INVITE→200 p95 ${s.p95 ?? '-'} ms${s.cpuPct !== undefined ? `; CPU ${s.cpuPct} %, event-loop delay p99 ${s.loopP99Ms} ms` : ''}${sustained(s) ? '' : '  ← not sustained'}`);
    if (!sustained(s)) break;
  }
  return out;
}

const la = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`machine load average at start: ${la()} (${STEP_S} s per step; figures compare only within this run)`);
const runtime = LabRuntime.open({ dbFile: null });
const lab = await series('lab load', (r) => labStep(runtime, r));
await runtime.close();
const sp = await series('SIPp uac', sippStep);
const best = (steps: Step[]): number => Math.max(0, ...steps.filter(sustained).map((s) => s.rate));
const at50 = (steps: Step[]): number | null => steps.find((s) => s.rate === 50)?.p95 ?? null;
const [a, b] = [best(lab), best(sp)];
console.log('');
console.log(`highest rate with 0 failures: lab load ${a} calls/s, SIPp uac ${b} calls/s (steps of ${STEP_S} s, up to ${MAX_RATE} calls/s)`);
console.log(`ratio app / SIPp: ${b > 0 ? (a / b).toFixed(2) : '-'} (goal ≥ 0.5)${a === MAX_RATE && b === MAX_RATE ? ' (both reached the cap)' : ''}`);
const [pa, pb] = [at50(lab), at50(sp)];
console.log(`INVITE→200 p95 at 50 calls/s: lab load ${pa ?? '-'} ms, SIPp uac ${pb ?? '-'} ms, ratio ${pa !== null && pb ? (pa / pb).toFixed(2) : '-'} (goal ≤ 2)`);
console.log(`machine load average at the end: ${la()}`);
process.exit(0);
