/**
 * RFC 4475: every torture message of ../shared/corpus/rfc4475/ sent over UDP and over TCP to a real
 * SipEndpoint answering as a bot gets the status RFC 4475 / RFC 3261 name (torture-corpus.ts says
 * which and why): valid ones answered, invalid ones refused with the right code, responses to no
 * request of ours dropped. Afterwards the endpoint still completes a good call, nothing reached the
 * process guard, and every live map drains.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEndpoint, type TestEndpoint } from '../../helpers/sip/endpoints';
import { CORPUS_PRESENT, TORTURE_CASES, TortureClient, prepareTorture, type Expected } from './torture-corpus';
import { processSipFaults } from '../../../src/main/sip/fault-counters';

for (const transport of ['udp', 'tcp'] as const) {
  describe.skipIf(!CORPUS_PRESENT)(`RFC 4475 torture messages over ${transport.toUpperCase()}${CORPUS_PRESENT ? '' : ' (skipped: no ../shared/corpus beside the project)'}`, () => {
    let callee: TestEndpoint;
    const got = new Map<string, { final: Expected; statuses: number[]; finalText?: string }>();

    beforeAll(async () => {
      callee = await startEndpoint(transport, 'bot', { timers: { t1Ms: 20, t2Ms: 160 } });
      callee.ep.onInvite = (call) => {
        call.accept().catch(() => {});
      };
      let n = 0;
      for (const tc of TORTURE_CASES) {
        const client = await TortureClient.open(transport === 'udp' ? 'UDP' : 'TCP', callee.ep.listener.port);
        try {
          got.set(tc.name, await client.probe(prepareTorture(tc.name, client.transport, client.port, ++n)));
        } finally {
          client.close();
        }
      }
    }, 240_000);

    afterAll(async () => {
      await callee?.ep.stop();
    });

    it.each(TORTURE_CASES.map((tc) => [tc.name, tc] as const))('%s', (_name, tc) => {
      const want = transport === 'udp' ? tc.udp : tc.tcp;
      expect({ name: tc.name, final: got.get(tc.name)?.final }, tc.why).toEqual({ name: tc.name, final: want });
    });

    it('420 names the unsupported options, 415 says what is accepted, final responses carry a To tag', () => {
      expect(got.get('bext01')?.finalText).toMatch(/\r\nUnsupported: nothingSupportsThis, nothingSupportsThisEither\r\n/);
      expect(got.get('invut')?.finalText).toMatch(/\r\nAccept: application\/sdp\r\n/);
      for (const name of ['badvers', 'mismatch01', 'unkscm', 'bext01', 'invut', 'sdp01', 'intmeth']) {
        expect(got.get(name)?.finalText, name).toMatch(/\r\nTo:[^\r]*;tag=/i);
      }
    });

    it('still completes a good call afterwards, with nothing caught by the process guard', async () => {
      const caller = await startEndpoint(transport, 'cxone');
      try {
        const incoming = new Promise<void>((resolve) => {
          callee.ep.onInvite = (call) => {
            call.accept().then(resolve, () => {});
          };
        });
        const out = caller.ep.invite(`sip:bot@127.0.0.1:${callee.ep.listener.port};transport=${transport}`, {
          extraHeaders: [{ name: 'X-ContactID', value: '998877' }],
        });
        await incoming;
        await out.waitForState('answered', 10_000);
        await out.hangup();
        expect((await out.waitForEnd(10_000)).reason).toBe('BYE');
      } finally {
        await caller.ep.stop();
      }
      const guard = processSipFaults.snapshot();
      expect(guard['sipjs-uncaught-exception'] ?? 0).toBe(0);
      expect(guard['sipjs-unhandled-rejection'] ?? 0).toBe(0);
    });
  });
}
