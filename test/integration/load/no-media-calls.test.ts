/**
 * Calls of an endpoint started with `noMedia` (what `lab load` does without `--media`): each INVITE
 * still carries an SDP offer and the far end's answer is read, but every call's SDP points at one
 * RTP port shared by the endpoint, where what the far end sends is dropped; the calls have no
 * media of their own (no prompt, an empty media report), and the endpoint's stop closes the port.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRemoteSdp } from '../../../src/main/media/sdp';
import type { SipCall } from '../../../src/main/sip/call';
import { startEndpoint, type TestEndpoint } from '../../helpers/sip/endpoints';

const started: TestEndpoint[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.ep.stop()));
});

/** Resolves when the port accepts a bind again (nobody holds it), false while it is taken. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

describe('calls without media (endpoint option noMedia)', () => {
  it('offer SDP on one shared RTP port, take the answer, play nothing, and free the port at stop', { timeout: 30_000 }, async () => {
    const callee = await startEndpoint('udp', 'bot');
    const caller = await startEndpoint('udp', 'cxone', { noMedia: true });
    started.push(callee, caller);
    const incoming: SipCall[] = [];
    callee.ep.onInvite = (c) => {
      incoming.push(c);
      void c.accept();
    };
    const target = `sip:4930123456@127.0.0.1:${callee.ep.listener.port}`;
    const calls = [caller.ep.invite(target), caller.ep.invite(target), caller.ep.invite(target)];
    await Promise.all(calls.map((c) => c.waitForState('answered', 10_000)));

    const offers = calls.map((c) => c.messages.find((m) => m.direction === 'out' && m.method === 'INVITE' && m.status === undefined)!);
    const ports = offers.map((m) => parseRemoteSdp(m.raw.slice(m.raw.indexOf('\r\n\r\n') + 4)).port);
    expect(ports[0]).toBeGreaterThan(0);
    expect(new Set(ports).size).toBe(1);
    // The far end (a call with media) read our offer: it sends its RTP to the shared port.
    expect(incoming.map((c) => c.media.remote?.port)).toEqual(ports);
    // Our calls read the far end's answer but have no media session of their own.
    for (const c of calls) {
      expect(c.mediaSession).toBeUndefined();
      expect(c.mediaReport().received.packets).toBe(0);
      await expect(c.playPrompt(new Int16Array(160))).rejects.toThrow(/no negotiated media/);
    }
    expect(await portFree(ports[0]!)).toBe(false);

    await Promise.all(calls.map((c) => c.hangup()));
    await Promise.all(calls.map((c) => c.waitForEnd(10_000)));
    expect(calls.every((c) => c.state === 'ended')).toBe(true);
    await caller.ep.stop();
    expect(await portFree(ports[0]!)).toBe(true);
  });
});
