/**
 * Property-based fuzz (fast-check): mutated good INVITEs (torture-mutants.ts) sent over UDP and
 * TCP to a real SipEndpoint answering as a bot. For each mutant: the process does not crash
 * (nothing reaches the process guard), the endpoint still answers an OPTIONS sent right after it,
 * and the mutant got either responses or nothing (a drop); every response it got is a well-formed
 * SIP response (a status line, the request's Via copied, a To tag on a final one).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEndpoint, type TestEndpoint } from '../../helpers/sip/endpoints';
import { processSipFaults } from '../../../src/main/sip/fault-counters';
import { headerValue, isParseError, parseSipMessage } from '../../../src/main/sip/message';
import { mutantArb, type Mutant } from './torture-mutants';

const RUNS = Number(process.env.SIP_FUZZ_RUNS ?? 120);

function options(proto: 'UDP' | 'TCP', port: number, target: number, n: number): string {
  return [
    `OPTIONS sip:bot@127.0.0.1:${target} SIP/2.0`,
    `Via: SIP/2.0/${proto} 127.0.0.1:${port};branch=z9hG4bK-probe-${n}-${proto};rport`,
    'Max-Forwards: 70',
    `From: <sip:probe@127.0.0.1:${port}>;tag=p${n}`,
    `To: <sip:bot@127.0.0.1:${target}>`,
    `Call-ID: probe-${n}-${proto}`,
    `CSeq: ${n} OPTIONS`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** Checks one response the app sent: well-formed, a final one with a To tag. */
function checkResponse(text: string, m: Mutant): void {
  const p = parseSipMessage(text);
  expect(isParseError(p), `unparseable response to ${m.edits.join(' + ')}: ${text.slice(0, 200)}`).toBe(false);
  if (isParseError(p)) return;
  expect(p.kind).toBe('response');
  expect(p.status).toBeGreaterThanOrEqual(100);
  expect(headerValue(p.headers, 'via'), `response without Via to ${m.edits.join(' + ')}`).toBeDefined();
  const to = headerValue(p.headers, 'to');
  if ((p.status ?? 0) >= 200 && to !== undefined) expect(to, `final response without To tag to ${m.edits.join(' + ')}`).toMatch(/;\s*tag\s*=/i);
}

/** Splits a TCP byte string into messages by Content-Length. */
function frames(data: string): string[] {
  const out: string[] = [];
  let rest = data;
  for (;;) {
    rest = rest.replace(/^(\r\n)+/, '');
    const h = rest.indexOf('\r\n\r\n');
    if (h === -1) return out;
    const cl = Number(/\r\n(?:content-length|l)\s*:\s*(\d+)/i.exec(rest.slice(0, h))?.[1] ?? 0);
    out.push(rest.slice(0, h + 4 + cl));
    rest = rest.slice(h + 4 + cl);
  }
}

for (const transport of ['udp', 'tcp'] as const) {
  describe(`fuzzed INVITEs over ${transport.toUpperCase()}`, () => {
    let bot: TestEndpoint;
    beforeAll(async () => {
      bot = await startEndpoint(transport, 'bot', { timers: { t1Ms: 20, t2Ms: 160 } });
      bot.ep.onInvite = (call) => void call.reject(486).catch(() => {});
    });
    afterAll(async () => {
      await bot?.ep.stop();
    });

    it(`${RUNS} mutants: no crash, each answered or dropped, responses well-formed, the endpoint keeps serving`, async () => {
      const target = bot.ep.listener.port;
      let n = 0;
      const tally = { answered: 0, dropped: 0 };
      if (transport === 'udp') {
        const sock = dgram.createSocket('udp4');
        await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
        const port = sock.address().port;
        const got: string[] = [];
        let wake: (() => void) | undefined;
        sock.on('message', (b) => {
          got.push(b.toString('utf8'));
          wake?.();
        });
        try {
          await fc.assert(
            fc.asyncProperty(mutantArb('UDP', port, target, () => ++n), async (m) => {
              got.length = 0;
              if (m.bytes.length <= 65_000) sock.send(m.bytes, target, '127.0.0.1');
              const probeId = `probe-${n}-UDP`;
              sock.send(options('UDP', port, target, n), target, '127.0.0.1');
              // Datagrams are handled in order: once the probe is answered, the mutant's answer (if any) came.
              await new Promise<void>((resolve) => {
                const check = (): void => {
                  if (got.some((g) => g.includes(`Call-ID: ${probeId}`) && /^SIP\/2\.0 [2-6]/.test(g))) resolve();
                  else wake = check;
                };
                check();
              });
              const mine = got.filter((g) => !g.includes(`Call-ID: ${probeId}`) && /^SIP\/2\.0 /.test(g));
              mine.forEach((r) => checkResponse(r, m));
              tally[mine.length > 0 ? 'answered' : 'dropped']++;
            }),
            { numRuns: RUNS },
          );
        } finally {
          sock.close();
        }
      } else {
        const probe = net.connect(target, '127.0.0.1');
        await new Promise<void>((r) => probe.once('connect', () => r()));
        let probeData = '';
        let wake: (() => void) | undefined;
        probe.on('data', (b) => {
          probeData += b.toString('utf8');
          wake?.();
        });
        try {
          await fc.assert(
            fc.asyncProperty(mutantArb('TCP', 0, target, () => ++n), async (m) => {
              const sock = net.connect(target, '127.0.0.1');
              sock.on('error', () => {});
              await new Promise<void>((r) => sock.once('connect', () => r()));
              let data = '';
              const closed = new Promise<void>((r) => sock.once('close', () => r()));
              sock.on('data', (b) => (data += b.toString('utf8')));
              sock.write(m.bytes);
              probeData = '';
              probe.write(options('TCP', probe.localPort!, target, n));
              await new Promise<void>((resolve) => {
                const check = (): void => {
                  if (/^SIP\/2\.0 [2-6]/m.test(probeData) && probeData.includes(`probe-${n}-TCP`)) resolve();
                  else wake = check;
                };
                check();
              });
              // The mutant's answer, if any, is written before its connection is closed here.
              await new Promise<void>((r) => setImmediate(r));
              sock.destroy();
              await closed;
              const mine = frames(data).filter((g) => /^SIP\/2\.0 /.test(g));
              mine.forEach((r) => checkResponse(r, m));
              tally[mine.length > 0 ? 'answered' : 'dropped']++;
            }),
            { numRuns: RUNS },
          );
        } finally {
          probe.destroy();
        }
      }
      expect(tally.answered + tally.dropped).toBe(RUNS);
      const guard = processSipFaults.snapshot();
      expect(guard['sipjs-uncaught-exception'] ?? 0).toBe(0);
      expect(guard['sipjs-unhandled-rejection'] ?? 0).toBe(0);
      // And a real call still goes through.
      const caller = await startEndpoint(transport, 'cxone');
      try {
        bot.ep.onInvite = (call) => void call.accept().catch(() => {});
        const call = caller.ep.invite(`sip:bot@127.0.0.1:${target};transport=${transport}`);
        await call.waitForState('answered', 10_000);
        await call.hangup();
        expect((await call.waitForEnd(10_000)).reason).toBe('BYE');
      } finally {
        await caller.ep.stop();
      }
    }, 120_000);
  });
}
