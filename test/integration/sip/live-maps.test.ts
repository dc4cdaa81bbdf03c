/**
 * Bounded live state (issue 11 item 4): after N calls between two real endpoints, every per-call
 * map of the SIP layer (endpoint, transport routes, UDP retransmission timers and caches, RFC 2543
 * branches, sip.js sessions, dialogs and transactions) is empty once the transaction timers ran out.
 * The timers are shortened for the test: T1 = 20 ms for our UDP timers, and sip.js's Timer L/H/M
 * (64·T1, process-global in sip.js) to 64·20 ms.
 */
import { Core } from 'sip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEndpoint, type TestEndpoint } from '../../helpers/sip/endpoints';

const CALLS = 12;
const saved = { ...Core.Timers };

beforeAll(() => {
  Object.assign(Core.Timers, { TIMER_L: 64 * 20, TIMER_H: 64 * 20, TIMER_M: 64 * 20 });
});
afterAll(() => {
  Object.assign(Core.Timers, saved);
});

/** Resolves once every size is 0 (checked on each call end and then every 50 ms), or rejects with the sizes left. */
async function drained(eps: TestEndpoint[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = eps.flatMap((t) => Object.entries(t.ep.liveMapSizes()).filter(([, n]) => n !== 0));
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`live maps not empty: ${JSON.stringify(left)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const transport of ['udp', 'tcp'] as const) {
  describe(`live maps over ${transport.toUpperCase()}`, () => {
    it(`are all 0 after ${CALLS} calls (bot hangs up half, caller the other half)`, async () => {
      const timers = { t1Ms: 20, t2Ms: 160 };
      const bot = await startEndpoint(transport, 'bot', { timers });
      const cxone = await startEndpoint(transport, 'cxone', { timers });
      try {
        let n = 0;
        bot.ep.onInvite = (call) => {
          const mine = n++ % 2 === 0;
          call
            .accept()
            .then(() => (mine ? call.hangup() : undefined))
            .catch(() => {});
        };
        for (let i = 0; i < CALLS; i++) {
          const call = cxone.ep.invite(`sip:bot@127.0.0.1:${bot.ep.listener.port};transport=${transport}`, {
            extraHeaders: [{ name: 'X-ContactID', value: String(1000 + i) }],
          });
          await call.waitForState('answered', 10_000);
          if (i % 2 === 1) await call.hangup();
          expect((await call.waitForEnd(10_000)).reason).toBe('BYE');
        }
        expect(Object.keys(bot.ep.liveMapSizes())).toEqual(
          expect.arrayContaining(['calls', 'bufferedCallIds', 'branchRoutes', 'callRoutes', 'retransmitting', 'cachedResponses', 'rfc2543Branches', 'sipjsSessions', 'sipjsDialogs', 'sipjsServerTransactions']),
        );
        await drained([bot, cxone], 15_000);
        // The short history still shows the ended calls.
        expect(bot.ep.calls().map((c) => c.state)).toEqual(new Array(CALLS).fill('ended'));
      } finally {
        await cxone.ep.stop();
        await bot.ep.stop();
      }
    }, 60_000);
  });
}
