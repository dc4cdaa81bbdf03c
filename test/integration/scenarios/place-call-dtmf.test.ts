// `lab call --dtmf`: runPlaceCall keys digits after the answer by RFC 4733 or SIP INFO; the far end
// (a sip.js bot on loopback) receives them, the report lists them and checks dtmf-sent; the CLI
// refuses malformed flags as usage errors.
import { afterEach, describe, expect, it } from 'vitest';
import { callCommand } from '../../../src/main/cli/call';
import { CliUsageError } from '../../../src/main/cli/args';
import { conversationOf } from '../../../src/main/media/conversation';
import { runPlaceCall } from '../../../src/main/scenarios/place-call';
import type { SipCall } from '../../../src/main/sip/call';
import { SipEndpoint } from '../../../src/main/sip/endpoint';

const eps: SipEndpoint[] = [];
afterEach(async () => {
  await Promise.all(eps.splice(0).map((e) => e.stop()));
});

/** A bot that answers, waits for the digits `want`, and hangs up; resolves with its leg. */
async function digitBot(want: string): Promise<{ bot: SipEndpoint; leg: Promise<SipCall> }> {
  const bot = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'bot' });
  eps.push(bot);
  const leg = new Promise<SipCall>((resolve) => {
    bot.onInvite = (call) => {
      void (async () => {
        await call.accept();
        await conversationOf(call).waitForDtmf({ digits: want, withinMs: 10_000, sinceMonoMs: 0 }).catch(() => {});
        resolve(call);
        await call.hangup();
      })().catch(() => {});
    };
  });
  return { bot, leg };
}

describe('lab call --dtmf', () => {
  it.each(['rfc4733', 'info'] as const)('keys "1#" by %s after the answer; the far end gets them and the report checks dtmf-sent', async (method) => {
    const { bot, leg } = await digitBot('1#');
    const report = await runPlaceCall({
      target: `sip:bot@127.0.0.1:${bot.listener.port}`,
      profile: 'kore',
      transport: 'udp',
      prompt: null,
      recordDir: null,
      dtmf: { digits: '1#', afterMs: 50, method },
      maxCallMs: 15_000,
      local: { host: '127.0.0.1' },
    });
    const farEnd = await leg;
    expect(farEnd.mediaReport().dtmf.filter((d) => d.direction === 'in').map((d) => d.digit)).toEqual(['1', '#']);
    expect(farEnd.mediaReport().dtmf.every((d) => (d.via ?? 'rfc4733') === method)).toBe(true);
    const call = report.calls[0]!;
    expect(call.checks.find((c) => c.name === 'dtmf-sent')).toMatchObject({ ok: true });
    expect(call.media?.dtmf.map((d) => `${d.direction}${d.digit}`)).toEqual(['out1', 'out#']);
    if (method === 'info') expect(farEnd.messages.filter((m) => m.method === 'INFO' && m.status === undefined)).toHaveLength(2);
  });

  it('refuses bad digits, a bad method and --dtmf-after without --dtmf as usage errors', async () => {
    await expect(callCommand(['sip:x@127.0.0.1', '--profile', 'kore', '--dtmf', '12x'])).rejects.toThrow(CliUsageError);
    await expect(callCommand(['sip:x@127.0.0.1', '--profile', 'kore', '--dtmf', '1', '--dtmf-method', 'inband'])).rejects.toThrow(/rfc4733 or info/);
    await expect(callCommand(['sip:x@127.0.0.1', '--profile', 'kore', '--dtmf-after', '2'])).rejects.toThrow(/need --dtmf/);
  });
});
