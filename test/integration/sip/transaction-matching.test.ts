/**
 * Server transactions matched per RFC 3261 §17.2.3 (branch with the magic cookie, sent-by and
 * method), over real UDP sockets on loopback: raw clients on their own ports send requests that
 * share one Via branch to a SipEndpoint answering as a bot. Each client is its own transaction;
 * a retransmission is answered from its transaction (the same response again, no new call); the
 * ACK to a non-2xx final and the CANCEL (§9.2) find the INVITE of their own client only. Over TCP,
 * two connections whose INVITEs share a branch each get their own responses.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEndpoint, type TestEndpoint } from '../../helpers/sip/endpoints';
import { takeSipMessages } from '../../helpers/sip/stream-framing';
import type { SipCall } from '../../../src/main/sip/call';

const started: TestEndpoint[] = [];
const sockets: dgram.Socket[] = [];
const connections: net.Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.close());
  connections.splice(0).forEach((c) => c.destroy());
  await Promise.all(started.splice(0).map((t) => t.ep.stop()));
});

/** A raw SIP client on its own UDP socket: sends text, waits for the SIP message it expects. */
interface RawClient {
  port: number;
  send: (text: string) => void;
  /** The next received message (in arrival order) that `match` accepts; earlier others stay queued. */
  next: (match: (m: string) => boolean) => Promise<string>;
  /** Every SIP message received so far. */
  received: string[];
}

/** Received SIP messages in arrival order, and a wait for the next one a test expects. */
function inbox(): Pick<RawClient, 'next' | 'received'> & { deliver: (m: string) => void } {
  const received: string[] = [];
  const queue: string[] = [];
  const waiters: { match: (m: string) => boolean; resolve: (m: string) => void }[] = [];
  return {
    received,
    deliver: (m) => {
      received.push(m);
      const w = waiters.findIndex((x) => x.match(m));
      if (w >= 0) waiters.splice(w, 1)[0]!.resolve(m);
      else queue.push(m);
    },
    next: (match) => {
      const i = queue.findIndex(match);
      if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0]!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected message not received in 5 s; got: ${received.map((r) => r.split('\r\n')[0]).join(' | ')}`)), 5000);
        waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
}

async function rawClient(target: number): Promise<RawClient> {
  const sock = dgram.createSocket('udp4');
  sockets.push(sock);
  const box = inbox();
  sock.on('message', (buf) => {
    const m = buf.toString('utf8');
    if (!/^(SIP\/2\.0 \d{3}[^\r]*|[A-Z]+ \S+ SIP\/2\.0)\r\n/.test(m)) return; // RTP or anything else
    box.deliver(m);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return { port: sock.address().port, send: (text) => sock.send(text, target, '127.0.0.1'), received: box.received, next: box.next };
}

/** {@link rawClient} on one TCP connection (messages framed by Content-Length). */
async function tcpClient(target: number): Promise<RawClient> {
  const sock = net.connect(target, '127.0.0.1');
  connections.push(sock);
  sock.on('error', () => {});
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const box = inbox();
  let buf = '';
  sock.on('data', (b: Buffer) => {
    const { messages, rest } = takeSipMessages(buf + b.toString('utf8'));
    buf = rest;
    messages.forEach(box.deliver);
  });
  return { port: sock.localPort!, send: (text) => sock.write(text), received: box.received, next: box.next };
}

const status = (code: number, method: string, callId: string) => (m: string): boolean =>
  m.startsWith(`SIP/2.0 ${code} `) && new RegExp(`\r\nCSeq: *\\d+ ${method}\r\n`, 'i').test(m) && m.includes(`\r\nCall-ID: ${callId}\r\n`);

function header(m: string, name: string): string {
  return new RegExp(`\r\n${name}: *([^\r]*)\r\n`, 'i').exec(m)?.[1] ?? '';
}

function request(o: { method: string; via: string; callId: string; cseq?: string; to?: string; port: number; body?: string }): string {
  const body = o.body ?? '';
  return [
    `${o.method} sip:bot@127.0.0.1 SIP/2.0`,
    `Via: ${o.via}`,
    'Max-Forwards: 70',
    `From: <sip:raw@127.0.0.1:${o.port}>;tag=f-${o.callId}`,
    `To: ${o.to ?? '<sip:bot@127.0.0.1>'}`,
    `Call-ID: ${o.callId}`,
    `CSeq: ${o.cseq ?? `1 ${o.method}`}`,
    `Contact: <sip:raw@127.0.0.1:${o.port}>`,
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

function sdp(rtpPort: number): string {
  return ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${rtpPort} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');
}

/** An RTP sink for the SDP offers (the bot's media goes there, not to the SIP sockets). */
async function rtpSink(): Promise<number> {
  const sock = dgram.createSocket('udp4');
  sockets.push(sock);
  sock.on('message', () => {});
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return sock.address().port;
}

/**
 * A callee (the app's endpoint) and two clients from different ports whose INVITEs will share one
 * branch: `calls` fills as the callee gets them, `twoCalls` resolves at the second.
 */
async function twoClientsOneBranch(transport: 'udp' | 'tcp') {
  const callee = await startEndpoint(transport, 'bot');
  started.push(callee);
  const port = callee.ep.listener.port;
  const calls: SipCall[] = [];
  const twoCalls = new Promise<void>((resolve) => {
    callee.ep.onInvite = (call) => {
      calls.push(call);
      if (calls.length === 2) resolve();
    };
  });
  const branch = `z9hG4bK-${transport}-${Math.random().toString(36).slice(2)}`;
  const a = transport === 'udp' ? await rawClient(port) : await tcpClient(port);
  const b = transport === 'udp' ? await rawClient(port) : await tcpClient(port);
  const rtp = await rtpSink();
  const via = (c: RawClient): string => `SIP/2.0/${transport.toUpperCase()} 127.0.0.1:${c.port};branch=${branch}`;
  return { callee, calls, twoCalls, a, b, rtp, viaA: via(a), viaB: via(b) };
}

describe('server transactions matched by branch, sent-by and method (RFC 3261 §17.2.3) over UDP', () => {
  it('two clients with the same branch get two answers; a retransmission of each gets its own response again', async () => {
    const callee = await startEndpoint('udp', 'bot');
    started.push(callee);
    const port = callee.ep.listener.port;
    const branch = `z9hG4bK-shared-${Math.random().toString(36).slice(2)}`;
    const a = await rawClient(port);
    const b = await rawClient(port);
    const c = await rawClient(port);
    const optA = request({ method: 'OPTIONS', via: `SIP/2.0/UDP 127.0.0.1:${a.port};branch=${branch}`, callId: 'opt-a', port: a.port });
    const optB = request({ method: 'OPTIONS', via: `SIP/2.0/UDP 127.0.0.1:${b.port};branch=${branch}`, callId: 'opt-b', port: b.port });
    a.send(optA);
    const okA = await a.next(status(200, 'OPTIONS', 'opt-a'));
    b.send(optB);
    const okB = await b.next(status(200, 'OPTIONS', 'opt-b'));
    // Each got its own 200, with its Via (and the peer's branch) as sent.
    expect(header(okA, 'Via')).toBe(`SIP/2.0/UDP 127.0.0.1:${a.port};branch=${branch}`);
    expect(header(okB, 'Via')).toBe(`SIP/2.0/UDP 127.0.0.1:${b.port};branch=${branch}`);
    expect(header(okA, 'To')).not.toBe(header(okB, 'To'));

    // Retransmissions: the same 200, byte for byte (a new transaction would get a new To tag).
    b.send(optB);
    expect(await b.next(status(200, 'OPTIONS', 'opt-b'))).toBe(okB);
    a.send(optA);
    expect(await a.next(status(200, 'OPTIONS', 'opt-a'))).toBe(okA);

    // A third client with that branch and a sent-by without a port (rport: answered at its source);
    // its retransmission spells the sent-by host in capitals with the default port 5060.
    const optC = (sentBy: string): string => request({ method: 'OPTIONS', via: `SIP/2.0/UDP ${sentBy};branch=${branch};rport`, callId: 'opt-c', port: c.port });
    c.send(optC('localhost'));
    const okC = await c.next(status(200, 'OPTIONS', 'opt-c'));
    expect(header(okC, 'To')).not.toBe(header(okA, 'To'));
    c.send(optC('LocalHost:5060'));
    expect(await c.next(status(200, 'OPTIONS', 'opt-c'))).toBe(okC);
    expect([a.received.length, b.received.length, c.received.length]).toEqual([2, 2, 2]);
  });

  it('INVITEs with one branch from two clients: retransmission, CANCEL (200 + 487) and ACK find their own INVITE only', async () => {
    const { callee, calls, twoCalls, a, b, rtp, viaA, viaB } = await twoClientsOneBranch('udp');
    const invA = request({ method: 'INVITE', via: viaA, callId: 'inv-a', port: a.port, body: sdp(rtp) });
    const invB = request({ method: 'INVITE', via: viaB, callId: 'inv-b', port: b.port, body: sdp(rtp) });
    a.send(invA);
    const ringA = await a.next(status(180, 'INVITE', 'inv-a'));
    b.send(invB);
    const ringB = await b.next(status(180, 'INVITE', 'inv-b'));
    await twoCalls;
    expect(calls.map((c) => c.callId).sort()).toEqual(['inv-a', 'inv-b']);
    expect(header(ringA, 'Via')).toBe(viaA);
    expect(header(ringB, 'Via')).toBe(viaB);

    // A retransmitted INVITE gets the last provisional response of its own transaction again.
    a.send(invA);
    expect(await a.next(status(180, 'INVITE', 'inv-a'))).toBe(ringA);

    // A's CANCEL (same branch, its own transaction, §9.2): 200 for the CANCEL, 487 for A's INVITE.
    const cancelA = request({ method: 'CANCEL', via: viaA, callId: 'inv-a', cseq: '1 CANCEL', port: a.port });
    a.send(cancelA);
    const okCancel = await a.next(status(200, 'CANCEL', 'inv-a'));
    const terminated = await a.next(status(487, 'INVITE', 'inv-a'));
    expect(header(okCancel, 'Via')).toBe(viaA);
    expect(header(terminated, 'Via')).toBe(viaA);
    // Its retransmission gets the same 200 (the CANCEL's transaction), not a second 487 or a 481.
    a.send(cancelA);
    expect(await a.next(status(200, 'CANCEL', 'inv-a'))).toBe(okCancel);
    const callA = calls.find((c) => c.callId === 'inv-a')!;
    const callB = calls.find((c) => c.callId === 'inv-b')!;
    await callA.waitForEnd(5000);
    expect(callB.state).toBe('ringing');
    expect(callee.ep.liveMapSizes().retransmitting).toBe(1); // Timer G: the 487 waits for its ACK.

    // The ACK to the 487 (same branch, §17.1.1.3) ends Timer G of A's INVITE transaction.
    a.send(request({ method: 'ACK', via: viaA, callId: 'inv-a', cseq: '1 ACK', to: header(terminated, 'To'), port: a.port }));
    a.send(request({ method: 'OPTIONS', via: `SIP/2.0/UDP 127.0.0.1:${a.port};branch=z9hG4bK-after-ack`, callId: 'inv-a-opt', port: a.port }));
    await a.next(status(200, 'OPTIONS', 'inv-a-opt'));
    expect(callee.ep.liveMapSizes().retransmitting).toBe(0);

    // B's INVITE was not touched by A's CANCEL: it is answered, ACKed and hung up.
    await callB.accept();
    const okB = await b.next(status(200, 'INVITE', 'inv-b'));
    expect(header(okB, 'Via')).toBe(viaB);
    const target = /<([^>]+)>/.exec(header(okB, 'Contact'))![1]!;
    const inDialog = (method: string, seq: number): string =>
      request({ method, via: `SIP/2.0/UDP 127.0.0.1:${b.port};branch=z9hG4bK-b-${method}`, callId: 'inv-b', cseq: `${seq} ${method}`, to: header(okB, 'To'), port: b.port }).replace(
        /^\S+ \S+ /,
        `${method} ${target} `,
      );
    b.send(inDialog('ACK', 1));
    await callB.waitForState('answered', 5000);
    b.send(inDialog('BYE', 2));
    await b.next(status(200, 'BYE', 'inv-b'));
    expect((await callB.waitForEnd(5000)).reason).toBe('BYE');
    expect(b.received.some((m) => m.startsWith('SIP/2.0 487 '))).toBe(false);
  });
});

describe('server transactions matched by branch, sent-by and method (RFC 3261 §17.2.3) over TCP', () => {
  it('INVITEs with one branch on two connections: each gets its own 180, the CANCEL ends only its own', async () => {
    const { calls, twoCalls, a, b, rtp, viaA, viaB } = await twoClientsOneBranch('tcp');
    a.send(request({ method: 'INVITE', via: viaA, callId: 'tcp-a', port: a.port, body: sdp(rtp) }));
    await a.next(status(180, 'INVITE', 'tcp-a'));
    b.send(request({ method: 'INVITE', via: viaB, callId: 'tcp-b', port: b.port, body: sdp(rtp) }));
    await b.next(status(180, 'INVITE', 'tcp-b'));
    await twoCalls;
    a.send(request({ method: 'CANCEL', via: viaA, callId: 'tcp-a', cseq: '1 CANCEL', port: a.port }));
    await a.next(status(200, 'CANCEL', 'tcp-a'));
    await a.next(status(487, 'INVITE', 'tcp-a'));
    const callB = calls.find((c) => c.callId === 'tcp-b')!;
    expect(callB.state).toBe('ringing');
    await callB.reject(486);
    expect(header(await b.next(status(486, 'INVITE', 'tcp-b')), 'Via')).toBe(viaB);
    // Nothing of one client's transaction reached the other's connection.
    expect(a.received.every((m) => m.includes('\r\nCall-ID: tcp-a\r\n'))).toBe(true);
    expect(b.received.every((m) => m.includes('\r\nCall-ID: tcp-b\r\n'))).toBe(true);
  });
});
