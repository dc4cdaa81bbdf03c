/**
 * An ended outgoing call no longer holds its sip.js Inviter through the INVITE transaction (the
 * sip.js patch's terminatedInviteDelegate, which lets `lab load` keep ~14 KB instead of ~27 KB per
 * ended call for the 64·T1 of RFC 6026 Timer M), and the transaction still does what the Inviter
 * did after its end: a 2xx of another dialog (a forking proxy) that arrives after our BYE is ACKed
 * and BYEd (RFC 3261 §13.2.2.4). The far end is a raw UDP socket, so the test sends that 2xx itself.
 */
import dgram from 'node:dgram';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { headerValue, headerValues, isParseError, parseSipMessage, type ParsedSipMessage } from '../../../src/main/sip/message';
import { startEndpoint, type TestEndpoint } from '../../helpers/sip/endpoints';

const started: TestEndpoint[] = [];
const sockets: dgram.Socket[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.ep.stop()));
  for (const s of sockets.splice(0)) s.close();
});

/** A raw UDP peer: every datagram read, parsed, and a wait for the next request of a method. */
async function rawPeer(): Promise<{ port: number; send: (text: string, port: number) => void; next: (method: string, toTag?: string) => Promise<ParsedSipMessage> }> {
  const sock = dgram.createSocket('udp4');
  sockets.push(sock);
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const seen: ParsedSipMessage[] = [];
  const waiters: (() => void)[] = [];
  sock.on('message', (buf) => {
    const m = parseSipMessage(buf.toString('utf8'));
    if (isParseError(m)) return;
    seen.push(m);
    for (const w of waiters.splice(0)) w();
  });
  const find = (method: string, toTag?: string): ParsedSipMessage | undefined =>
    seen.find((m) => m.method === method && (toTag === undefined || (headerValue(m.headers, 'to') ?? '').includes(`tag=${toTag}`)));
  return {
    port: sock.address().port,
    send: (text, port) => sock.send(text, port, '127.0.0.1'),
    next: async (method, toTag) => {
      for (;;) {
        const m = find(method, toTag);
        if (m) return m;
        await new Promise<void>((r) => waiters.push(r));
      }
    },
  };
}

function respond(req: ParsedSipMessage, status: string, toTag: string, peerPort: number, body = ''): string {
  const lines = [`SIP/2.0 ${status}`];
  for (const v of headerValues(req.headers, 'via')) lines.push(`Via: ${v}`);
  const to = headerValue(req.headers, 'to')!;
  lines.push(
    `From: ${headerValue(req.headers, 'from')}`,
    `To: ${to.includes(';tag=') ? to : `${to};tag=${toTag}`}`,
    `Call-ID: ${headerValue(req.headers, 'call-id')}`,
    `CSeq: ${headerValue(req.headers, 'cseq')}`,
    `Contact: <sip:bot@127.0.0.1:${peerPort}>`,
  );
  if (body) lines.push('Content-Type: application/sdp');
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`, '', body);
  return lines.join('\r\n');
}

const SDP = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');

/** V8's gc(), made reachable for this test (the flag exposes it in new contexts). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('an ended outgoing call (sip.js patch: terminatedInviteDelegate)', () => {
  it('is not kept in memory by its INVITE transaction, which lives on for Timer M', { timeout: 30_000 }, async () => {
    const callee = await startEndpoint('udp', 'bot');
    const caller = await startEndpoint('udp', 'cxone', { noMedia: true });
    started.push(callee, caller);
    callee.ep.onInvite = (c) => void c.accept();
    const target = `sip:bot@127.0.0.1:${callee.ep.listener.port}`;
    // More calls than the endpoint's short history of ended calls (64), which keeps the last ones.
    const refs: { call: WeakRef<object>; session: WeakRef<object> }[] = [];
    await (async () => {
      const calls = Array.from({ length: 80 }, () => caller.ep.invite(target));
      await Promise.all(calls.map((c) => c.waitForState('answered', 10_000)));
      await Promise.all(calls.map((c) => c.hangup()));
      await Promise.all(calls.map((c) => c.waitForEnd(10_000)));
      for (const c of calls.slice(0, 10)) refs.push({ call: new WeakRef(c), session: new WeakRef(c.sipSession!) });
    })();
    await new Promise((r) => setImmediate(r));
    const gc = collector();
    gc();
    await new Promise((r) => setTimeout(r, 10));
    gc();
    // The INVITE client transactions still wait out Timer M (64·T1 = 32 s)…
    expect(caller.ep.liveMapSizes().sipjsClientTransactions).toBeGreaterThanOrEqual(10);
    // …without keeping the ended calls or their sip.js sessions.
    expect(refs.filter((r) => r.call.deref() !== undefined)).toEqual([]);
    expect(refs.filter((r) => r.session.deref() !== undefined)).toEqual([]);
  });

  it.each([false, true])('a 2xx of another dialog after our BYE is ACKed and BYEd (noMedia %s)', { timeout: 20_000 }, async (noMedia) => {
    const caller = await startEndpoint('udp', 'cxone', { noMedia });
    started.push(caller);
    const peer = await rawPeer();
    const call = caller.ep.invite(`sip:bot@127.0.0.1:${peer.port}`);
    const invite = await peer.next('INVITE');
    const callerPort = caller.ep.listener.port;
    peer.send(respond(invite, '200 OK', 'first', peer.port, SDP), callerPort);
    await peer.next('ACK', 'first');
    await call.waitForState('answered', 5000);
    await call.hangup();
    const bye = await peer.next('BYE', 'first');
    peer.send(respond(bye, '200 OK', 'first', peer.port), callerPort);
    expect(await call.waitForEnd(5000)).toEqual({ by: 'local', reason: 'BYE' });

    // A forking proxy's second 2xx, after the session ended: ACK it, then BYE that dialog.
    peer.send(respond(invite, '200 OK', 'second', peer.port, SDP), callerPort);
    const ack = await peer.next('ACK', 'second');
    const bye2 = await peer.next('BYE', 'second');
    expect(headerValue(ack.headers, 'call-id')).toBe(call.callId);
    expect(headerValue(bye2.headers, 'call-id')).toBe(call.callId);
    peer.send(respond(bye2, '200 OK', 'second', peer.port), callerPort);
    // The first dialog got exactly one BYE; the ended call stays as it was.
    expect(call.state).toBe('ended');
  });
});
