/**
 * Bench helper for profiling `lab load` (issue 12): one load run (the `load` run kind on an
 * in-process LabRuntime without a history file) against SIPp's `uas` on 127.0.0.1, then one JSON
 * line: failed calls, calls/s achieved, INVITE→200 p95 (ms), CPU per call (ms) of the main thread
 * and of the whole process (all threads), and the wall time (ms). Repeat runs to see the noise;
 * compare only figures taken on the same machine at the same load.
 * Run: `npx tsx bench/load-profile.mts [rate] [calls] [runs]` (defaults 250 calls/s, 1,250 calls, 1
 * run); with a CPU profile: `npx tsx --cpu-prof --cpu-prof-dir DIR bench/load-profile.mts …`.
 * Nothing here asserts a timing; it prints figures.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadReport } from '../src/main/load/report';
import { LabRuntime } from '../src/main/runtime/lab-runtime';
import { freePort, waitForListening } from '../test/helpers/sip/sipp';

const rate = Number(process.argv[2] ?? 250);
const calls = Number(process.argv[3] ?? 1250);
const runs = Number(process.argv[4] ?? 1);
const threadCpu = (): NodeJS.CpuUsage => (process as unknown as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.() ?? process.cpuUsage();
const msOf = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
/** CPU (ms) of each live thread of this process by thread id, with its name (Linux /proc; empty elsewhere). */
function threadTimes(): Map<string, { name: string; ms: number }> {
  const out = new Map<string, { name: string; ms: number }>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, { name, ms: (Number(f[11]) + Number(f[12])) * 10 }); // utime + stime (fields 14, 15), clock ticks of 10 ms
    }
  } catch {
    // not Linux: no per-thread figures
  }
  return out;
}
/**
 * Follows the threads' CPU while a run goes (a thread that ends during the run, such as the SIP
 * wire thread, is counted up to its last sample, 200 ms apart): `stop()` gives ms per thread name.
 */
function followThreads(): { stop: () => Map<string, number> } {
  const first = threadTimes();
  const last = new Map(first);
  const sample = (): void => void threadTimes().forEach((v, k) => last.set(k, v));
  const iv = setInterval(sample, 200);
  return {
    stop: () => {
      clearInterval(iv);
      sample();
      const by = new Map<string, number>();
      for (const [tid, v] of last) by.set(v.name, (by.get(v.name) ?? 0) + v.ms - (first.get(tid)?.ms ?? 0));
      return by;
    },
  };
}

const runtime = LabRuntime.open({ dbFile: null });
for (let i = 0; i < runs; i++) {
  const port = await freePort(4);
  const child = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(port), '-t', 'u1', '-mp', String(port + 2), '-nostdin'], { stdio: 'ignore', cwd: mkdtempSync(join(tmpdir(), 'load-profile-')) });
  await waitForListening(port, 'udp', 10_000);
  const [p0, m0, t0, threads] = [process.cpuUsage(), threadCpu(), performance.now(), followThreads()];
  const r = await runtime.run<LoadReport>('load', { target: `sip:service@127.0.0.1:${port}`, profile: 'kore', rate, calls, transport: 'udp', answerTimeoutMs: 10_000 });
  const [p1, m1, wallMs, th1] = [process.cpuUsage(p0), threadCpu(), performance.now() - t0, threads.stop()];
  const perThread = Object.fromEntries([...th1].map(([k, v]) => [k, Math.round((v / calls) * 1000) / 1000]).filter(([, v]) => (v as number) > 0));
  console.log(JSON.stringify({
    rate, calls, failed: r.figures.failed + r.figures.open, cps: r.figures.callsPerSecond, p95: r.figures.latency.invite_to_200.p95,
    mainCpuMsPerCall: Math.round(((msOf(m1) - msOf(m0)) / calls) * 1000) / 1000,
    processCpuMsPerCall: Math.round((msOf(p1) / calls) * 1000) / 1000,
    wallMs: Math.round(wallMs), load: loadavg()[0]!.toFixed(1), threadCpuMsPerCall: perThread,
  }));
  child.kill('SIGKILL');
}
await runtime.close();
process.exit(0);
