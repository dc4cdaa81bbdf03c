// An endpoint bound to the wildcard address writes a reachable address, never 0.0.0.0, in its URIs.
import { afterEach, describe, expect, it } from 'vitest';
import { advertisedAddress, SipEndpoint } from '../../../src/main/sip/endpoint';

const eps: SipEndpoint[] = [];
afterEach(async () => {
  await Promise.all(eps.splice(0).map((e) => e.stop()));
});

describe('advertised address', () => {
  it('keeps a concrete bind address and replaces a wildcard', () => {
    expect(advertisedAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(advertisedAddress('0.0.0.0')).not.toBe('0.0.0.0');
  });

  it.each(['udp', 'tcp'] as const)('a %s listener on 0.0.0.0 advertising 127.0.0.1 takes a call', async (transport) => {
    const bot = await SipEndpoint.start({ transport, host: '0.0.0.0', advertiseHost: '127.0.0.1', port: 0, user: 'bot' });
    eps.push(bot);
    expect(bot.listener.uri).toMatch(/^sip:bot@127\.0\.0\.1:\d+;transport=/);
    const caller = await SipEndpoint.start({ transport, host: '127.0.0.1', port: 0, user: 'cxone' });
    eps.push(caller);
    bot.onInvite = (call) => void call.accept();
    const call = caller.invite(`sip:4930123456@127.0.0.1:${bot.listener.port};transport=${transport}`, { extraHeaders: [{ name: 'X-ContactID', value: '42' }] });
    await call.waitForState('answered', 5000);
    const answered = bot.calls()[0]!;
    expect(answered.invite?.parsed.headers.find((h) => h.name === 'X-ContactID')?.value).toBe('42');
    const ok = answered.messages.find((m) => m.direction === 'out' && m.status === 200)!;
    expect(ok.raw).toMatch(/Contact: <sip:bot@127\.0\.0\.1:\d+/);
    expect(ok.raw).toMatch(/c=IN IP4 127\.0\.0\.1/);
    expect(ok.raw).not.toContain('0.0.0.0');
    await call.hangup();
    await call.waitForEnd(5000);
  });
});
