/**
 * Benchmark (issue 12, the rate tests' figures): SIPp's `uac` with the contact-id header (the rate
 * tests' scenario) against `lab answer --cxone-api embedded` (the answer run on a LabRuntime, in
 * this process, no history file: as the CLI without --db), at each rate; and, as the reference
 * in the same run, SIPp `uac` against SIPp `uas` at the same rate. Prints per rate: SIPp's failed
 * calls, the app's failed checks and duplicate records, CPU per call (ms) of the app, of SIPp
 * `uac` driving it and of SIPp `uas` (the reference peer doing the app's job without media or a
 * Signal), SIPp's mean INVITE→200 as it saw it, the Signal's HTTP time p50/p95, and the machine's
 * load average. CPU time is what to compare on a shared machine: wall latencies follow the load.
 * A warm-up of 20 calls runs first (lazy imports, JIT). Nothing here asserts; it prints figures.
 * Run: `npm run bench:answer-rate [-- <seconds per step> <rate,rate,...>]` (default 5 s, 50,100,200).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AnswerReport } from '../src/main/runs/answer';
import { runHeadless } from '../src/main/runtime/headless';
import { freePort, waitForListening } from '../test/helpers/sip/sipp';

const STEP_S = Number(process.argv[2] ?? 5);
const RATES = (process.argv[3] ?? '50,100,200').split(',').map(Number);
const HOST = '127.0.0.1';
const SCENARIO = resolve(import.meta.dirname, '../test/interop/scenarios/uac_xheader_remote_bye.xml');
/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** A SIPp process whose CPU time (ms) is sampled from /proc until it exits. */
function sipp(args: string[], cwd: string): { done: Promise<number | null>; cpuMs: () => number; kill: () => void } {
  const child = spawn('sipp', [...args, '-nostdin'], { cwd, stdio: 'ignore' });
  let cpu = 0;
  const sample = (): void => {
    try {
      const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      cpu = ((Number(f[11]) + Number(f[12])) * 1000) / USER_HZ;
    } catch {
      /* exited */
    }
  };
  const timer = setInterval(sample, 100);
  const done = new Promise<number | null>((r) =>
    child.on('exit', (c) => {
      clearInterval(timer);
      r(c);
    }),
  );
  return { done, cpuMs: () => cpu, kill: () => child.kill('SIGKILL') };
}

/** A field of the last row of SIPp's -trace_stat CSV. */
function sippStat(file: string, name: string): string {
  const rows = readFileSync(file, 'utf8').trim().split('\n');
  return rows[rows.length - 1]!.split(';')[rows[0]!.split(';').indexOf(name)] ?? '';
}

/** SIPp's `HH:MM:SS:mmm000` as ms. */
function sippMs(t: string): number {
  const [h, m, s, us] = t.split(':').map(Number);
  return ((h! * 60 + m!) * 60 + s!) * 1000 + us! / 1000;
}

function pct(values: number[], p: number): string {
  if (values.length === 0) return '-';
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]!.toFixed(0);
}

async function appStep(rate: number, calls: number): Promise<string> {
  const cwd = mkdtempSync(join(tmpdir(), 'bench-answer-'));
  let port = 0;
  let listeningResolve: () => void = () => {};
  const listening = new Promise<void>((r) => (listeningResolve = r));
  // CPU from the listening line to the last call's report: the calls, not the run's set-up or linger.
  let cpu0 = process.cpuUsage();
  let cpuCalls = cpu0;
  const run = runHeadless<AnswerReport>(
    'answer',
    {
      listen: { transport: 'udp', host: HOST, port: 0 },
      profile: 'watson',
      cxoneApi: { kind: 'embedded' },
      calls,
      timeoutMs: STEP_S * 1000 + 120_000,
      lingerMs: 500,
      onCall: () => (cpuCalls = process.cpuUsage(cpu0)),
      onListening: (uri: string) => {
        cpu0 = process.cpuUsage();
        port = Number(/:(\d+)/.exec(uri.replace(/^sip:[^@]*@/, ''))![1]);
        listeningResolve();
      },
    },
    { dbFile: null },
  );
  await listening;
  const sipPort = await freePort(4);
  const uac = sipp([`${HOST}:${port}`, '-sf', SCENARIO, '-s', '4930123456', '-t', 'u1', '-i', HOST, '-p', String(sipPort), '-mp', String(sipPort + 2),
    '-r', String(rate), '-m', String(calls), '-timeout', '200s', '-timeout_error', '-trace_stat', '-stf', 'stats.csv', '-fd', '1'], cwd);
  const [report] = await Promise.all([run, uac.done]);
  const appCpu = (cpuCalls.user + cpuCalls.system) / 1000 / calls;
  const stats = join(cwd, 'stats.csv');
  const failedChecks = report.calls.filter((c) => c.checks.some((k) => !k.ok)).length;
  const dups = report.calls.length - new Set(report.calls.map((c) => c.callId)).size;
  const sig = report.calls.map((c) => c.signal?.ms).filter((v): v is number => typeof v === 'number');
  return [
    `app  ${rate}/s × ${calls}: SIPp failed ${sippStat(stats, 'FailedCall(C)')}, app failed checks ${failedChecks}, duplicates ${dups}`,
    `     CPU/call: app ${appCpu.toFixed(2)} ms, SIPp uac ${(uac.cpuMs() / calls).toFixed(2)} ms; SIPp's INVITE→200 mean ${sippMs(sippStat(stats, 'ResponseTime1(C)')).toFixed(0)} ms;`,
    `     Signal HTTP p50 ${pct(sig, 50)} ms, p95 ${pct(sig, 95)} ms; load average ${loadavg()[0]!.toFixed(1)}`,
  ].join('\n');
}

async function sippStep(rate: number, calls: number): Promise<string> {
  const cwd = mkdtempSync(join(tmpdir(), 'bench-answer-sipp-'));
  const uasPort = await freePort(4);
  const far = sipp(['-sn', 'uas', '-i', HOST, '-p', String(uasPort), '-t', 'u1', '-mp', String(uasPort + 2)], cwd);
  await waitForListening(uasPort, 'udp', 10_000);
  const port = await freePort(4);
  const uac = sipp([`${HOST}:${uasPort}`, '-sn', 'uac', '-i', HOST, '-p', String(port), '-t', 'u1', '-mp', String(port + 2),
    '-r', String(rate), '-m', String(calls), '-timeout', '120s', '-timeout_error', '-trace_stat', '-stf', 'stats.csv', '-fd', '1'], cwd);
  await uac.done;
  const uasCpu = far.cpuMs();
  far.kill();
  await far.done;
  const stats = join(cwd, 'stats.csv');
  return `sipp ${rate}/s × ${calls}: failed ${sippStat(stats, 'FailedCall(C)')}; CPU/call: SIPp uas ${(uasCpu / calls).toFixed(2)} ms, SIPp uac ${(uac.cpuMs() / calls).toFixed(2)} ms; INVITE→200 mean ${sippMs(sippStat(stats, 'ResponseTime1(C)')).toFixed(0)} ms`;
}

console.log(`bench:answer-rate: ${STEP_S} s per rate, rates ${RATES.join(', ')} calls/s; CPUs ${(await import('node:os')).cpus().length}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
// Warm-up (not printed): the run's lazily imported modules and the JIT, so the first step's CPU per call is the calls'.
await appStep(10, 20);
for (const rate of RATES) {
  const calls = Math.max(10, Math.round(rate * STEP_S));
  console.log(await appStep(rate, calls));
  console.log(await sippStep(rate, calls));
}
