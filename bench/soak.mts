/**
 * Soak benchmark (issue 11): does a long `lab answer` keep flat memory and empty live maps?
 *
 * Starts the product's own CLI, `lab answer --cxone-api embedded --lean` on UDP loopback with a
 * history file in a temp folder, and has SIPp place N calls (default 10,000) at a steady rate
 * (default 25 calls/s: call 1,000 then comes after sip.js's 32 s transaction timers are in their
 * steady state; 100 calls/s is more than `lab answer` with the embedded CXone and the greeting's
 * RTP sustains on 2 cores, and a backlog is not a leak) with the contact id in `X-ContactID` (the shared
 * `sipp-scenarios/uac_xheader_remote_bye.xml`: INVITE, 200, ACK, then the bot signals the embedded
 * CXone and hangs up). It follows the run's `--journal` (one line per call) and, after call 1,000
 * and after calls N/2 and N, samples the answer process: VmRSS from /proc/PID/status, and the V8 heap after
 * a full GC (the preloaded bench/soak-probe.mjs answers SIGUSR2 with process.memoryUsage()). SIPp's
 * own VmRSS is sampled at the same moments as a reference. At the end it prints the live-map sizes
 * of the `--json` report (`liveMaps`), made 33 s after the last call (`--linger 33`), once sip.js's
 * last transactions have run out their RFC 3261 timers (64·T1).
 *
 * Goal (printed, not asserted): RSS growth under 10% between calls 1,000 and N; every live map
 * empty (`runtime.runs` counts the answer run itself, still open when its report is made). The
 * growth from call N/2 on is printed too, and the heap after GC and V8's external memory with each
 * sample: RSS that grows while those stay flat is memory outside the JS heap and its buffers.
 *
 * Run: `npm run bench:soak -- [calls] [rate]` (needs `sipp` on PATH and Linux /proc). Takes about
 * calls / rate seconds plus start-up and the 33 s linger.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CALLS = Number(process.argv[2] ?? 10_000);
const RATE = Number(process.argv[3] ?? 25);
const FIRST_SAMPLE = Math.min(1_000, CALLS);
/** A sample half-way too: growth from there on is past every warm-up (sip.js's 32 s timers, caches). */
const MID_SAMPLE = Math.floor(CALLS / 2);
/** The listener stays open this long after the last call before the report: 64·T1 (32 s) + 1 s. */
const LINGER_S = 33;
const HOST = '127.0.0.1';
const root = resolve(import.meta.dirname, '..');
const scenario = resolve(root, '../shared/sipp-scenarios/uac_xheader_remote_bye.xml');

/** A free UDP port on loopback (bound and released). */
async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, HOST, () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** VmRSS of a process in bytes, or null once it has gone. */
function vmRss(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Counts the lines of a growing file, reading only what was appended since the last call. */
class LineCounter {
  private offset = 0;
  lines = 0;
  constructor(private readonly file: string) {}
  poll(): number {
    if (!existsSync(this.file)) return this.lines;
    const size = statSync(this.file).size;
    if (size <= this.offset) return this.lines;
    const fd = openSync(this.file, 'r');
    const buf = Buffer.alloc(size - this.offset);
    readSync(fd, buf, 0, buf.length, this.offset);
    closeSync(fd);
    this.offset = size;
    for (const b of buf) if (b === 10) this.lines++;
    return this.lines;
  }
}

interface Sample {
  calls: number;
  labRss: number | null;
  heapUsed: number | null;
  heapTotal: number | null;
  sippRss: number | null;
  atS: number;
}

const MB = (n: number | null): string => (n === null ? 'n/a' : `${(n / 1024 / 1024).toFixed(1)} MB`);

async function main(): Promise<void> {
  if (spawnSync('sipp', ['-v']).error) throw new Error('sipp is not on PATH (Debian: apt-get install sip-tester)');
  const dir = mkdtempSync(join(tmpdir(), 'lab-soak-'));
  const journal = join(dir, 'answer.jsonl');
  const report = join(dir, 'answer.json');
  const probe = join(dir, 'probe.jsonl');
  const labPort = await freeUdpPort();
  const sippPort = await freeUdpPort();
  const t0 = performance.now();
  const atS = (): number => (performance.now() - t0) / 1000;

  // The product's CLI in one Node process (no tsx wrapper process), so its PID is the one to sample.
  const lab = spawn(
    process.execPath,
    [
      '--expose-gc', ...(process.env.SOAK_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean), '--import', 'tsx', '--import', resolve(root, 'bench/soak-probe.mjs'), resolve(root, 'src/main/cli/index.ts'),
      'answer', '--listen', `udp:${HOST}:${labPort}`, '--profile', 'watson', '--cxone-api', 'embedded',
      '--calls', String(CALLS), '--drop-wait', '0', '--lean', '--db', join(dir, 'history.sqlite'),
      '--json', report, '--journal', journal,
      // The report (and its live-map sizes) is made after the last transaction's RFC 3261 timers
      // (64·T1 = 32 s on UDP: Timer J of a non-INVITE, Timer L of an INVITE answered 2xx, RFC 6026).
      '--linger', String(LINGER_S),
    ],
    { cwd: root, env: { ...process.env, LAB_SOAK_PROBE_FILE: probe }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let labErr = '';
  lab.stderr!.on('data', (d: Buffer) => {
    labErr = (labErr + d.toString()).slice(-4000);
  });
  const labExit = new Promise<number | null>((r) => lab.on('exit', (code) => r(code)));

  // Wait for the listener: its "listening:" line (the journal's header line is written before the
  // socket is bound: SIPp's first INVITEs then met an ICMP port unreachable and SIPp gave a call up).
  let listening = false;
  lab.stdout!.on('data', (d: Buffer) => {
    if (/listening: sip:/.test(d.toString())) listening = true;
  });
  const counter = new LineCounter(journal);
  while (counter.poll() < 1 || !listening) {
    if (lab.exitCode !== null) throw new Error(`lab answer exited (${lab.exitCode}) before listening:\n${labErr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`lab answer (pid ${lab.pid}) on udp:${HOST}:${labPort}; SIPp: ${CALLS} calls at ${RATE} calls/s`);

  const sipp: ChildProcess = spawn(
    'sipp',
    [
      `${HOST}:${labPort}`, '-sf', scenario, '-s', '4930123456', '-t', 'u1', '-i', HOST, '-p', String(sippPort),
      '-m', String(CALLS), '-r', String(RATE), '-rp', '1000', '-l', String(RATE * 20), '-nostdin',
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  const sippExit = new Promise<number | null>((r) => sipp.on('exit', (code) => r(code)));
  const sippPid = sipp.pid;
  // Ctrl-C or a crash of the bench must not leave the two processes running.
  const stopChildren = (): void => {
    if (lab.exitCode === null) lab.kill('SIGTERM');
    if (sipp.exitCode === null) sipp.kill('SIGTERM');
  };
  process.once('exit', stopChildren);
  process.once('SIGINT', () => {
    stopChildren();
    process.exit(130);
  });

  const samples: Sample[] = [];
  const sample = async (calls: number): Promise<void> => {
    const labRss = vmRss(lab.pid);
    const sippRss = vmRss(sippPid);
    const before = existsSync(probe) ? readFileSync(probe, 'utf8').split('\n').filter(Boolean).length : 0;
    lab.kill('SIGUSR2');
    let heap: { heapUsed: number; heapTotal: number; external?: number; arrayBuffers?: number; spaces?: Record<string, { committed: number; used: number }> } | null = null;
    // A full GC of a busy process on a loaded machine can take seconds: wait up to 20 s for the line.
    for (let i = 0; i < 200 && !heap; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const lines = existsSync(probe) ? readFileSync(probe, 'utf8').split('\n').filter(Boolean) : [];
      if (lines.length > before) heap = JSON.parse(lines[lines.length - 1]!);
    }
    samples.push({ calls, labRss, heapUsed: heap?.heapUsed ?? null, heapTotal: heap?.heapTotal ?? null, sippRss, atS: atS() });
    console.log(
      `after call ${calls} (${atS().toFixed(1)} s): lab RSS ${MB(labRss)}, heap used ${MB(heap?.heapUsed ?? null)} of ${MB(heap?.heapTotal ?? null)} (after GC), ` +
        `external ${MB(heap?.external ?? null)} (array buffers ${MB(heap?.arrayBuffers ?? null)}); SIPp RSS ${MB(sippRss)}`,
    );
    // V8's spaces, committed (used): where a heap that is larger than its live objects keeps its pages.
    if (heap?.spaces) console.log(`  V8 spaces: ${Object.entries(heap.spaces).filter(([, v]) => v.committed > 0).map(([k, v]) => `${k} ${MB(v.committed)} (${MB(v.used)})`).join(', ')}`);
  };

  // Journal lines: one header, then one per call.
  let next = FIRST_SAMPLE;
  while (lab.exitCode === null && next <= CALLS) {
    const calls = counter.poll() - 1;
    if (calls >= next) {
      await sample(calls);
      next = next < MID_SAMPLE && calls < MID_SAMPLE ? MID_SAMPLE : next < CALLS ? CALLS : CALLS + 1;
    } else await new Promise((r) => setTimeout(r, 20));
  }
  const code = await labExit;
  if (sipp.exitCode === null) sipp.kill('SIGTERM');
  const sippCode = await sippExit;
  // Up to the moment the last call was seen (the linger after it is not answering time).
  const elapsed = samples.find((x) => x.calls >= CALLS)?.atS ?? atS();

  const out = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as { ok: boolean; liveMaps?: Record<string, number> }) : null;
  const callLines = readFileSync(journal, 'utf8').split('\n').filter(Boolean).slice(1).map((l) => JSON.parse(l) as { type: string; call?: { checks?: { name: string; ok: boolean; detail?: string }[] } });
  const calls = callLines.filter((l) => l.type === 'call');
  const passed = calls.filter((l) => (l.call?.checks ?? []).every((c) => c.ok)).length;
  const failedChecks = new Map<string, number>();
  const firstDetail = new Map<string, string>();
  for (const l of calls) {
    for (const c of l.call?.checks ?? []) {
      if (c.ok) continue;
      failedChecks.set(c.name, (failedChecks.get(c.name) ?? 0) + 1);
      if (!firstDetail.has(c.name)) firstDetail.set(c.name, c.detail ?? '');
    }
  }

  console.log(`\n${calls.length} calls answered in ${elapsed.toFixed(1)} s (${(calls.length / elapsed).toFixed(1)} calls/s), ${passed} with every check passed; lab answer exit ${code}, report ok ${out?.ok}; SIPp exit ${sippCode} (0: every call succeeded)`);
  for (const [name, n] of [...failedChecks].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`failed check ${name}: ${n} calls; first: ${firstDetail.get(name)}`);
  const a = samples[0];
  const b = samples.length > 1 ? samples[samples.length - 1] : undefined;
  const mid = samples.length > 2 ? samples[1] : undefined;
  if (a && b && a.labRss && b.labRss) {
    const growth = (b.labRss - a.labRss) / a.labRss;
    console.log(`RSS growth call ${a.calls} → ${b.calls}: ${(growth * 100).toFixed(1)}% (goal < 10%: ${growth < 0.1 ? 'met' : 'NOT met'})`);
    if (a.heapUsed && b.heapUsed) console.log(`heap used growth: ${(((b.heapUsed - a.heapUsed) / a.heapUsed) * 100).toFixed(1)}%`);
    if (a.sippRss && b.sippRss) console.log(`SIPp RSS growth over the same calls (reference): ${(((b.sippRss - a.sippRss) / a.sippRss) * 100).toFixed(1)}%`);
    if (mid?.labRss) {
      const heap = mid.heapUsed && b.heapUsed ? `, heap used ${(((b.heapUsed - mid.heapUsed) / mid.heapUsed) * 100).toFixed(1)}%` : '';
      console.log(`after warm-up, call ${mid.calls} → ${b.calls}: RSS ${(((b.labRss - mid.labRss) / mid.labRss) * 100).toFixed(1)}%${heap}`);
    }
  } else console.log(`only ${samples.length} sample(s) taken: the process ended before call ${CALLS} was sampled`);
  const maps = out?.liveMaps ?? null;
  console.log(`live maps at the end: ${maps ? JSON.stringify(maps) : 'n/a (no liveMaps in the report)'}`);
  if (maps) {
    const left = Object.entries(maps).filter(([k, v]) => v > 0 && k !== 'runtime.runs');
    console.log(
      left.length === 0
        ? `every live map empty ${LINGER_S} s after the last call (runtime.runs is the answer run itself)`
        : `NOT empty ${LINGER_S} s after the last call: ${left.map(([k, v]) => `${k}=${v}`).join(', ')}`,
    );
  }
  if (code !== 0 && code !== 1) console.log(`lab answer stderr (tail):\n${labErr}`);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
