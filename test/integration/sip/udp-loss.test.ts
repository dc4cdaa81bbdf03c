/**
 * UDP loss between two SipEndpoints, through a lossy relay of real dgram sockets: the
 * retransmission timers the transport adds (Timer A, Timer G) and sip.js's own 2xx retransmission
 * recover each lost datagram. Default timers (T1 = 500 ms).
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { LossyUdpRelay, type DropRule } from '../../helpers/sip/lossy-udp-relay';
import { ladder, nextIncomingCall, startEndpoint, type TestEndpoint } from '../../helpers/sip/endpoints';

const started: TestEndpoint[] = [];
const relays: LossyUdpRelay[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.ep.stop()));
  await Promise.all(relays.splice(0).map((r) => r.close()));
});

const firstLineIs = (re: RegExp) => (text: string) => re.test(text.slice(0, text.indexOf('\r\n')));

async function setup(rules: DropRule[]): Promise<{ caller: TestEndpoint; callee: TestEndpoint; relay: LossyUdpRelay }> {
  const callee = await startEndpoint('udp', 'bot');
  const caller = await startEndpoint('udp', 'cxone');
  started.push(callee, caller);
  const relay = await LossyUdpRelay.start({ host: '127.0.0.1', port: callee.ep.listener.port }, rules);
  relays.push(relay);
  return { caller, callee, relay };
}

describe('UDP loss recovery', () => {
  it('Timer A: the first INVITE is lost, its retransmission gets through and the call completes', async () => {
    const { caller, callee, relay } = await setup([{ direction: 'toServer', match: firstLineIs(/^INVITE /) }]);
    const incoming = nextIncomingCall(callee.ep);
    const out = caller.ep.invite(`sip:bot@127.0.0.1:${relay.port}`, { extraHeaders: [{ name: 'X-ContactID', value: '998877' }] });
    const call = await incoming;
    await call.accept();
    await out.waitForState('answered', 10_000);
    await out.hangup();
    expect(await call.waitForEnd(10_000)).toEqual({ by: 'remote', reason: 'BYE' });
    expect(relay.dropped).toEqual([{ direction: 'toServer', firstLine: expect.stringMatching(/^INVITE /) }]);
    // The caller's record shows the INVITE twice (original and retransmission), the callee's once.
    expect(ladder(out.messages).filter((m) => m === '>INVITE')).toHaveLength(2);
    expect(ladder(call.messages).filter((m) => m === '<INVITE')).toHaveLength(1);
    expect(out.messages[0]!.raw).toBe(out.messages[1]!.raw);
  });

  it('2xx retransmission: the first 200 OK is lost, the next copy completes the call', async () => {
    const { caller, callee, relay } = await setup([{ direction: 'toClient', match: firstLineIs(/^SIP\/2\.0 200 /) }]);
    const incoming = nextIncomingCall(callee.ep);
    const out = caller.ep.invite(`sip:bot@127.0.0.1:${relay.port}`);
    const call = await incoming;
    await call.accept();
    await out.waitForState('answered', 10_000);
    expect(relay.dropped).toHaveLength(1);
    expect(ladder(call.messages).filter((m) => m === '>200').length).toBeGreaterThanOrEqual(2);
    expect(ladder(out.messages).filter((m) => m === '<200')).toHaveLength(1);
    await call.hangup();
    expect(await out.waitForEnd(10_000)).toEqual({ by: 'remote', reason: 'BYE' });
  });

  it('Timer G: a 486 is lost once, its retransmission reaches the caller and the ACK stops it', async () => {
    const { caller, callee, relay } = await setup([{ direction: 'toClient', match: firstLineIs(/^SIP\/2\.0 486 /) }]);
    callee.ep.onInvite = (c) => void c.reject(486);
    const out = caller.ep.invite(`sip:bot@127.0.0.1:${relay.port}`);
    await expect(out.waitForState('answered', 10_000)).rejects.toThrow(/486 Busy Here/);
    expect(out.end).toEqual({ by: 'remote', reason: '486 Busy Here' });
    expect(relay.dropped).toEqual([{ direction: 'toClient', firstLine: 'SIP/2.0 486 Busy Here' }]);
    const [inCall] = callee.ep.calls();
    // The callee sent 486 twice and then got the ACK (through the relay) that stops Timer G.
    const waitAck = async (): Promise<void> => {
      for (let i = 0; i < 100 && !ladder(inCall!.messages).includes('<ACK'); i++) await new Promise((r) => setTimeout(r, 20));
    };
    await waitAck();
    const before = ladder(inCall!.messages);
    expect(before.filter((m) => m === '>486')).toHaveLength(2);
    expect(before).toContain('<ACK');
  });

  it('Timer J: a retransmitted OPTIONS (same branch) gets the cached final response, byte for byte', async () => {
    const callee = await startEndpoint('udp', 'bot');
    started.push(callee);
    const sock = dgram.createSocket('udp4');
    const replies: string[] = [];
    sock.on('message', (b) => replies.push(b.toString()));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const port = sock.address().port;
    const options = [
      `OPTIONS sip:bot@127.0.0.1:${callee.ep.listener.port} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-options-1`,
      'From: <sip:probe@127.0.0.1>;tag=p1',
      'To: <sip:bot@127.0.0.1>',
      'Call-ID: options-retransmit-1',
      'CSeq: 7 OPTIONS',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const waitReplies = async (n: number): Promise<void> => {
      for (let i = 0; i < 100 && replies.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    };
    sock.send(options, callee.ep.listener.port, '127.0.0.1');
    await waitReplies(1);
    sock.send(options, callee.ep.listener.port, '127.0.0.1');
    await waitReplies(2);
    sock.close();
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatch(/^SIP\/2\.0 200 /);
    expect(replies[1]).toBe(replies[0]);
    expect(callee.logs.some((l) => /retransmitted OPTIONS .*cached final response/.test(l.msg))).toBe(true);
  });
});
