/**
 * Two SipEndpoints on loopback (port 0) place and take calls, over UDP and over TCP: X- headers
 * arrive with their original spelling, an arbitrary Request-URI user is answered (not 404), BYE
 * works from either side, and every message is recorded in wire order with monotonic stamps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { headerValues } from '../../../src/main/sip/message';
import { ladder, nextIncomingCall, startEndpoint, type TestEndpoint } from '../../helpers/sip/endpoints';

const started: TestEndpoint[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.ep.stop()));
});

async function pair(transport: 'udp' | 'tcp'): Promise<{ caller: TestEndpoint; callee: TestEndpoint }> {
  const callee = await startEndpoint(transport, 'bot');
  const caller = await startEndpoint(transport, 'cxone');
  started.push(callee, caller);
  return { caller, callee };
}

describe.each(['udp', 'tcp'] as const)('call flow over %s', (transport) => {
  it('delivers X-ContactID with its original name to an arbitrary Request-URI user; BYE from the caller', async () => {
    const { caller, callee } = await pair(transport);
    const target = `sip:4930123456@127.0.0.1:${callee.ep.listener.port}`;
    const incoming = nextIncomingCall(callee.ep);
    const out = caller.ep.invite(target, {
      extraHeaders: [{ name: 'X-ContactID', value: '998877' }],
      fromUser: 'cxone-agent',
      fromDisplayName: 'CXone Agent',
    });
    expect(out.state).toBe('inviting');
    expect(out.role).toBe('uac');

    const call = await incoming;
    expect(call.role).toBe('uas');
    expect(call.state).toBe('ringing');
    expect(call.transport).toBe(transport);
    expect(call.callId).toBe(out.callId);
    expect(call.originalRequestUri).toBe(target);
    expect(call.invite?.parsed.requestUri).toBe(target);
    expect(call.invite?.parsed.headers).toContainEqual({ name: 'X-ContactID', value: '998877' });
    expect(call.invite?.raw).toContain('\r\nX-ContactID: 998877\r\n');
    expect(headerValues(call.invite!.parsed.headers, 'from')[0]).toContain('"CXone Agent" <sip:cxone-agent@127.0.0.1');
    expect(call.messages[0]?.raw).toBe(call.invite?.raw);

    await call.accept();
    await out.waitForState('answered', 5000);
    expect(call.state).toBe('answered');
    expect(out.media.remote?.port).toBe(call.media.local.port);
    expect(call.media.remote?.port).toBe(out.media.local.port);
    expect(call.media.remote?.codec).toBe('PCMU');

    await out.hangup();
    const [endOut, endIn] = await Promise.all([out.waitForEnd(5000), call.waitForEnd(5000)]);
    expect(endOut).toEqual({ by: 'local', reason: 'BYE' });
    expect(endIn).toEqual({ by: 'remote', reason: 'BYE' });
    expect(out.state).toBe('ended');
    expect(call.state).toBe('ended');

    expect(ladder(out.messages)).toEqual(['>INVITE', '<100', '<180', '<200', '>ACK', '>BYE', '<200']);
    expect(ladder(call.messages)).toEqual(['<INVITE', '>100', '>180', '>200', '<ACK', '<BYE', '>200']);
    expect(call.messages.some((m) => m.status === 404)).toBe(false);
    for (const c of [out, call]) {
      for (let i = 1; i < c.messages.length; i++) {
        expect(c.messages[i]!.monoMs).toBeGreaterThanOrEqual(c.messages[i - 1]!.monoMs);
      }
      expect(c.messages.every((m) => m.transport === transport && m.callId === c.callId)).toBe(true);
    }
    // The calls hold exactly what the endpoints reported on the wire for that Call-ID, in order.
    expect(out.messages).toEqual(caller.wire.filter((r) => r.callId === out.callId));
    expect(call.messages).toEqual(callee.wire.filter((r) => r.callId === call.callId));
    // Records carry the socket addresses: the callee's listener is the remote of our INVITE.
    expect(out.messages[0]!.remote).toBe(`127.0.0.1:${callee.ep.listener.port}`);
    expect(call.messages[0]!.local).toBe(`127.0.0.1:${callee.ep.listener.port}`);
    if (transport === 'udp') expect(out.messages[0]!.local).toBe(`127.0.0.1:${caller.ep.listener.port}`);
    // Our Via carries the listen port (and rport on UDP), so peers that answer to the sent-by work.
    const via = headerValues(out.invite!.parsed.headers, 'via')[0]!;
    expect(via).toContain(`127.0.0.1:${caller.ep.listener.port};branch=`);
    expect(/;rport/.test(via)).toBe(transport === 'udp');
  });

  it('hangs up with BYE from the callee', async () => {
    const { caller, callee } = await pair(transport);
    const incoming = nextIncomingCall(callee.ep);
    const out = caller.ep.invite(`sip:bot@127.0.0.1:${callee.ep.listener.port}`);
    const call = await incoming;
    await call.accept();
    await out.waitForState('answered', 5000);
    await call.hangup();
    expect(call.state).toBe('ending');
    expect(await call.waitForEnd(5000)).toEqual({ by: 'local', reason: 'BYE' });
    expect(await out.waitForEnd(5000)).toEqual({ by: 'remote', reason: 'BYE' });
    expect(ladder(call.messages).slice(-2)).toEqual(['>BYE', '<200']);
    expect(ladder(out.messages).slice(-2)).toEqual(['<BYE', '>200']);
  });

  it('rejects with 486 and the caller fails with the remote reason', async () => {
    const { caller, callee } = await pair(transport);
    callee.ep.onInvite = (c) => void c.reject(486);
    const out = caller.ep.invite(`sip:bot@127.0.0.1:${callee.ep.listener.port}`);
    await expect(out.waitForState('answered', 5000)).rejects.toThrow(/reached 'failed' \(remote: 486 Busy Here\)/);
    expect(out.end).toEqual({ by: 'remote', reason: '486 Busy Here' });
    const [inCall] = callee.ep.calls();
    expect(await inCall!.waitForEnd(5000)).toEqual({ by: 'local', reason: '486 Busy Here' });
  });

  it('cancels an unanswered call (CANCEL, 487)', async () => {
    const { caller, callee } = await pair(transport);
    const incoming = nextIncomingCall(callee.ep);
    const out = caller.ep.invite(`sip:bot@127.0.0.1:${callee.ep.listener.port}`);
    const call = await incoming;
    await out.waitForState('ringing', 5000);
    await out.hangup();
    expect(await out.waitForEnd(5000)).toEqual({ by: 'local', reason: 'CANCEL' });
    expect(await call.waitForEnd(5000)).toEqual({ by: 'remote', reason: 'CANCEL' });
    expect(out.state).toBe('failed');
    expect(ladder(out.messages)).toContain('<487');
  });

  it('keeps the TCP connection (or UDP socket) usable after a BYE for a second call', async () => {
    const { caller, callee } = await pair(transport);
    for (let i = 0; i < 2; i++) {
      const incoming = nextIncomingCall(callee.ep);
      const out = caller.ep.invite(`sip:bot@127.0.0.1:${callee.ep.listener.port}`);
      const call = await incoming;
      await call.accept();
      await out.waitForState('answered', 5000);
      await out.hangup();
      await call.waitForEnd(5000);
    }
    expect(callee.ep.calls().map((c) => c.state)).toEqual(['ended', 'ended']);
    if (transport === 'tcp') {
      const remotes = new Set(callee.wire.map((r) => r.remote));
      expect(remotes.size).toBe(1);
    }
  });
});

describe('endpoint lifecycle and limits', () => {
  it('stop() ends a live answered call with BYE and can be called twice', async () => {
    const { caller, callee } = await pair('tcp');
    const incoming = nextIncomingCall(callee.ep);
    const out = caller.ep.invite(`sip:bot@127.0.0.1:${callee.ep.listener.port}`);
    const call = await incoming;
    await call.accept();
    await out.waitForState('answered', 5000);
    await Promise.all([caller.ep.stop(), caller.ep.stop()]);
    await caller.ep.stop();
    expect(out.end).toEqual({ by: 'local', reason: 'BYE' });
    expect(await call.waitForEnd(5000)).toEqual({ by: 'remote', reason: 'BYE' });
    expect(() => caller.ep.invite(`sip:bot@127.0.0.1:${callee.ep.listener.port}`)).toThrow(/stopped/);
  });

  it('sends an INVITE over 1300 bytes on UDP anyway and logs a warning (RFC 3261 §18.1.1)', async () => {
    const { caller, callee } = await pair('udp');
    const incoming = nextIncomingCall(callee.ep);
    const big = 'x'.repeat(1400);
    const out = caller.ep.invite(`sip:bot@127.0.0.1:${callee.ep.listener.port}`, { extraHeaders: [{ name: 'X-Big', value: big }] });
    const call = await incoming;
    expect(headerValues(call.invite!.parsed.headers, 'X-Big')).toEqual([big]);
    expect(caller.logs.some((l) => l.level === 'warn' && /over UDP \(over 1300/.test(l.msg))).toBe(true);
    await call.reject(480);
    expect(await out.waitForEnd(5000)).toEqual({ by: 'remote', reason: '480 Temporarily Unavailable' });
  });

  it('refuses an invalid target URI and header injection', async () => {
    const { caller } = await pair('udp');
    expect(() => caller.ep.invite('not a uri')).toThrow(/invalid SIP URI/);
    expect(() => caller.ep.invite('sip:a@127.0.0.1', { extraHeaders: [{ name: 'X-A', value: '1\r\nBYE: x' }] })).toThrow(/unusable header/);
  });

  it('stop() right after a reject still delivers the final response, and leaves no call live', async () => {
    const { caller, callee } = await pair('udp');
    const incoming = nextIncomingCall(callee.ep);
    const out = caller.ep.invite(`sip:bot@127.0.0.1:${callee.ep.listener.port}`);
    const call = await incoming;
    await call.reject(480);
    await callee.ep.stop();
    expect(await out.waitForEnd(5000)).toEqual({ by: 'remote', reason: '480 Temporarily Unavailable' });
    expect(call.end).toEqual({ by: 'local', reason: '480 Temporarily Unavailable' });
  });

  it('stop() with an unanswered outgoing call to a silent peer ends it as failed', async () => {
    const { caller } = await pair('udp');
    const silent = await import('node:dgram').then((d) => d.createSocket('udp4'));
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    const out = caller.ep.invite(`sip:bot@127.0.0.1:${silent.address().port}`);
    await caller.ep.stop();
    silent.close();
    expect(out.state).toBe('failed');
    expect(out.end?.by).toBe('local');
  });
});
