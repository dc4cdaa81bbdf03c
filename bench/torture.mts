/**
 * Benchmark (robustness): the RFC 4475 torture messages and 10,000 mutated INVITEs, over UDP and
 * TCP, against a SipEndpoint answering as a bot in a child process. Prints, per RFC 4475 message,
 * the status it got on each transport against the one RFC 4475 / RFC 3261 name; for the mutants,
 * how many were answered (2xx), refused (by status) or dropped; and the crash count: child exits
 * plus errors that reached the SIP process guard (each would have ended the process without it).
 * Goal: crash count 0. Nothing here asserts; it prints figures.
 *
 * Run: `npm run bench:torture [-- mutants]` (default 10,000 per transport; seed 4475).
 */
import { fork, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { SipEndpoint } from '../src/main/sip/endpoint';
import { processSipFaults } from '../src/main/sip/fault-counters';
import { TORTURE_CASES, TortureClient, prepareTorture, type Expected } from '../test/integration/sip/torture-corpus';
import { mutantArb } from '../test/integration/sip/torture-mutants';

type ToChild = { mode: 'accept' | 'reject' } | { report: true };
type FromChild = { ports: { udp: number; tcp: number } } | { faults: Record<string, number>; guard: Record<string, number> };

/** The child: two endpoints (UDP and TCP) answering as a bot until told to report. */
async function bot(): Promise<void> {
  let mode: 'accept' | 'reject' = 'accept';
  const start = async (transport: 'udp' | 'tcp'): Promise<SipEndpoint> => {
    const ep = await SipEndpoint.start({ transport, host: '127.0.0.1', port: 0, user: 'bot', timers: { t1Ms: 100, t2Ms: 800 } });
    ep.onInvite = (call) => void (mode === 'accept' ? call.accept() : call.reject(486)).catch(() => {});
    return ep;
  };
  const udp = await start('udp');
  const tcp = await start('tcp');
  process.on('message', (m: ToChild) => {
    if ('mode' in m) mode = m.mode;
    else {
      const faults: Record<string, number> = { ...udp.faultCounts() };
      for (const [k, v] of Object.entries(tcp.faultCounts())) faults[k] = (faults[k] ?? 0) + v;
      process.send?.({ faults, guard: processSipFaults.snapshot() } satisfies FromChild);
    }
  });
  process.send?.({ ports: { udp: udp.listener.port, tcp: tcp.listener.port } } satisfies FromChild);
}

interface Child {
  proc: ChildProcess;
  ports: { udp: number; tcp: number };
}

let exits = 0;

function spawnBot(): Promise<Child> {
  const proc = fork(fileURLToPath(import.meta.url), ['--bot'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: process.execArgv });
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.on('message', (m: FromChild) => {
      if ('ports' in m) resolve({ proc, ports: m.ports });
    });
    proc.once('exit', (code, signal) => {
      if (!stopping) {
        exits++;
        console.log(`  ! the bot process exited (code ${code}, signal ${signal}): a crash`);
      }
    });
  });
}

let stopping = false;
/** Probe numbers, unique over the whole run (a reused branch would be taken for a retransmission). */
let probes = 0;
let child: Child;

/** Restarts the bot when it died (and counts it), so the run goes on. */
async function alive(): Promise<Child> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) child = await spawnBot();
  return child;
}

function tell(m: ToChild): void {
  child.proc.send(m);
}

async function rfc4475(): Promise<number> {
  console.log('\nRFC 4475 torture messages (status got / status named; - = dropped)');
  console.log(`${'message'.padEnd(12)} ${'section'.padEnd(8)} ${'UDP'.padEnd(10)} ${'TCP'.padEnd(10)} named`);
  const show = (e: Expected | undefined): string => (e === undefined ? '?' : e === 'drop' ? '-' : String(e));
  let wrong = 0;
  let n = 0;
  tell({ mode: 'accept' });
  for (const tc of TORTURE_CASES) {
    const got: Partial<Record<'udp' | 'tcp', Expected>> = {};
    n++;
    for (const t of ['udp', 'tcp'] as const) {
      const c = await alive();
      const client = await TortureClient.open(t === 'udp' ? 'UDP' : 'TCP', c.ports[t]);
      try {
        got[t] = (await client.probe(prepareTorture(tc.name, client.transport, client.port, n))).final;
      } finally {
        client.close();
      }
    }
    const ok = got.udp === tc.udp && got.tcp === tc.tcp;
    if (!ok) wrong++;
    const named = tc.udp === tc.tcp ? show(tc.udp) : `${show(tc.udp)}/${show(tc.tcp)}`;
    console.log(`${tc.name.padEnd(12)} ${tc.section.padEnd(8)} ${show(got.udp).padEnd(10)} ${show(got.tcp).padEnd(10)} ${named}${ok ? '' : '   ✗'}`);
  }
  console.log(`${TORTURE_CASES.length - wrong}/${TORTURE_CASES.length} messages got the named status on both transports`);
  return wrong;
}

function probeOptions(proto: 'UDP' | 'TCP', port: number, target: number, n: number): string {
  return [`OPTIONS sip:bot@127.0.0.1:${target} SIP/2.0`, `Via: SIP/2.0/${proto} 127.0.0.1:${port};branch=z9hG4bK-bp-${n};rport`, 'Max-Forwards: 70', `From: <sip:probe@127.0.0.1>;tag=p${n}`, `To: <sip:bot@127.0.0.1>`, `Call-ID: bprobe-${n}`, `CSeq: ${n} OPTIONS`, 'Content-Length: 0', '', ''].join('\r\n');
}

/** Sends `count` mutants over one transport; each is followed by an OPTIONS that proves the bot alive. */
async function mutants(transport: 'udp' | 'tcp', count: number): Promise<void> {
  tell({ mode: 'reject' });
  const tally = { answered: 0, busy: 0, dropped: 0, refused: new Map<number, number>() };
  let id = 0;
  const sample = fc.sample(mutantArb(transport === 'udp' ? 'UDP' : 'TCP', 0, 0, () => ++id), { numRuns: count, seed: 4475 });
  const started = performance.now();
  const udp = dgram.createSocket('udp4');
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  const got: string[] = [];
  let wake: (() => void) | undefined;
  udp.on('message', (b) => {
    got.push(b.toString('latin1'));
    wake?.();
  });
  try {
    for (let i = 0; i < sample.length; i++) {
      const c = await alive();
      const target = c.ports[transport];
      // The mutant was generated for ports 0/0: put the real ones in.
      const bytes = Buffer.from(sample[i]!.bytes.toString('latin1').replaceAll('127.0.0.1:0', `127.0.0.1:${transport === 'udp' ? udp.address().port : 9}`), 'latin1');
      let responses: string[] = [];
      const probe = ++probes;
      got.length = 0;
      if (transport === 'udp') {
        if (bytes.length <= 65_000) udp.send(bytes, target, '127.0.0.1');
      } else {
        const sock = net.connect(target, '127.0.0.1');
        sock.on('error', () => {});
        let data = '';
        sock.on('data', (b) => (data += b.toString('latin1')));
        await new Promise<void>((r) => sock.once('connect', () => r()).once('error', () => r()));
        sock.write(bytes);
        await afterProbe(udp, got, () => (wake = undefined), (w) => (wake = w), c.ports.udp, probe);
        // The probe went to the same process over UDP: give the TCP answer a moment to arrive.
        if (!/^SIP\/2\.0 [2-6]/m.test(data)) {
          await new Promise<void>((r) => {
            const t = setTimeout(r, 30);
            sock.once('data', () => setTimeout(() => (clearTimeout(t), r()), 2));
          });
        }
        sock.destroy();
        responses = data.split(/(?=SIP\/2\.0 \d{3})/).filter((s) => /^SIP\/2\.0 \d{3}/.test(s));
      }
      if (transport === 'udp') {
        await afterProbe(udp, got, () => (wake = undefined), (w) => (wake = w), target, probe);
        responses = got.filter((g) => /^SIP\/2\.0 /.test(g) && !g.includes(`bprobe-${probe}`));
      }
      const finals = responses.map((r) => Number(/^SIP\/2\.0 (\d{3})/.exec(r)![1])).filter((s) => s >= 200);
      if (finals.length === 0) tally.dropped++;
      else if (finals[0]! < 300) tally.answered++;
      else if (finals[0] === 486) tally.busy++;
      else tally.refused.set(finals[0]!, (tally.refused.get(finals[0]!) ?? 0) + 1);
    }
  } finally {
    udp.close();
  }
  const secs = (performance.now() - started) / 1000;
  const refusedTotal = [...tally.refused.values()].reduce((a, b) => a + b, 0);
  const byStatus = [...tally.refused.entries()].sort((a, b) => b[1] - a[1]).map(([s, k]) => `${s}×${k}`).join(' ');
  console.log(
    `\n${count} mutants over ${transport.toUpperCase()} in ${secs.toFixed(1)} s (${(count / secs).toFixed(0)}/s): answered ${tally.answered + tally.busy} ` +
      `(taken to the bot, which answers 486 in this phase: ${tally.busy}; 2xx: ${tally.answered}), refused ${refusedTotal} by the SIP layer (${byStatus}), dropped ${tally.dropped}`,
  );
}

/** Sends the UDP OPTIONS probe number `n` and resolves once it is answered (the bot is alive). */
function afterProbe(sock: dgram.Socket, got: string[], clear: () => void, setWake: (w: () => void) => void, udpTarget: number, n: number): Promise<void> {
  sock.send(probeOptions('UDP', sock.address().port, udpTarget, n), udpTarget, '127.0.0.1');
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      clear();
      console.log(`  ! probe ${n} unanswered within 10 s`);
      resolve();
    }, 10_000);
    const check = (): void => {
      if (got.some((g) => g.includes(`bprobe-${n}`) && /^SIP\/2\.0 [2-6]/.test(g))) {
        clearTimeout(timer);
        clear();
        resolve();
      } else setWake(check);
    };
    check();
  });
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 10_000);
  child = await spawnBot();
  const wrong = await rfc4475();
  await mutants('udp', count);
  await mutants('tcp', count);
  const c = await alive();
  const report = await new Promise<Extract<FromChild, { faults: unknown }>>((resolve) => {
    c.proc.on('message', (m: FromChild) => {
      if ('faults' in m) resolve(m);
    });
    tell({ report: true });
  });
  stopping = true;
  c.proc.kill();
  const guard = (report.guard['sipjs-uncaught-exception'] ?? 0) + (report.guard['sipjs-unhandled-rejection'] ?? 0);
  console.log(`\ncaught and counted by the SIP layer: ${JSON.stringify(report.faults)}`);
  console.log(`RFC 4475 messages with another status than named: ${wrong}`);
  console.log(`crash count: ${exits + guard} (bot process exits ${exits}, errors caught by the process guard ${guard}; goal 0)`);
}

if (process.argv.includes('--bot')) void bot();
else void main();
