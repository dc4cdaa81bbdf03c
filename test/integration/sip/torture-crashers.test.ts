/**
 * The peer behaviours that used to end the process (issue 12): each one now gets a clear answer or
 * is counted, the process lives, and a good call completes afterwards.
 * - A BYE before the ACK of our 200, then the ACK timer (Timer L): sip.js 0.21.2 threw "Invalid
 *   state transition from Terminated to Terminated" from Invitation.onAckTimeout (patched).
 * - One UDP INVITE with a body and no Content-Type: an unhandled rejection from progress() (now a
 *   400 Missing Content-Type, RFC 3261 §7.4.1, before sip.js sees it).
 * - Thousands of repeated X-ContactID headers: refused by the header-count cap (400), logged once.
 * - A Content-Length over the body cap on TCP: 513 Message Too Large, then the connection closes.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { Core } from 'sip.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEndpoint, type TestEndpoint } from '../../helpers/sip/endpoints';
import { processSipFaults } from '../../../src/main/sip/fault-counters';

const saved = { ...Core.Timers };
beforeAll(() => Object.assign(Core.Timers, { TIMER_L: 64 * 20, TIMER_H: 64 * 20 }));
afterAll(() => Object.assign(Core.Timers, saved));

const started: TestEndpoint[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  closers.splice(0).forEach((c) => c());
  await Promise.all(started.splice(0).map((t) => t.ep.stop()));
});

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

function invite(proto: 'UDP' | 'TCP', me: number, callId: string, opts: { contentType?: boolean; extra?: string[]; body?: string; cl?: number } = {}): string {
  const body = opts.body ?? SDP;
  return [
    'INVITE sip:4930123456@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/${proto} 127.0.0.1:${me};branch=z9hG4bK-${callId}`,
    `From: <sip:cxone@127.0.0.1:${me}>;tag=f-${callId}`,
    'To: <sip:4930123456@127.0.0.1>',
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:cxone@127.0.0.1:${me}>`,
    'Max-Forwards: 70',
    ...(opts.extra ?? []),
    ...(opts.contentType === false ? [] : ['Content-Type: application/sdp']),
    `Content-Length: ${opts.cl ?? Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** A raw UDP peer: sends text, waits for a message matching a pattern. */
async function udpPeer(): Promise<{ port: number; send: (s: string, to: number) => void; waitFor: (re: RegExp) => Promise<string> }> {
  const sock = dgram.createSocket('udp4');
  closers.push(() => sock.close());
  const got: string[] = [];
  const waiters: (() => void)[] = [];
  sock.on('message', (b) => {
    got.push(b.toString());
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const waitFor = (re: RegExp): Promise<string> =>
    new Promise((resolve) => {
      const check = (): void => {
        const i = got.findIndex((m) => re.test(m));
        if (i >= 0) resolve(got.splice(i, 1)[0]!);
        else waiters.push(check);
      };
      check();
    });
  return { port: sock.address().port, send: (s, to) => sock.send(s, to, '127.0.0.1'), waitFor };
}

/** Opens a TCP connection, writes one message, resolves with the first response's header block. */
async function tcpExchange(port: number, message: (localPort: number) => string): Promise<string> {
  const sock = net.connect(port, '127.0.0.1');
  closers.push(() => sock.destroy());
  await new Promise<void>((r) => sock.once('connect', () => r()));
  let data = '';
  const got = new Promise<string>((resolve) =>
    sock.on('data', (b) => {
      data += b.toString();
      if (data.includes('\r\n\r\n')) resolve(data);
    }),
  );
  sock.write(message(sock.localPort!));
  return got;
}

async function goodCallCompletes(bot: TestEndpoint, transport: 'udp' | 'tcp'): Promise<void> {
  const caller = await startEndpoint(transport, 'cxone');
  started.push(caller);
  bot.ep.onInvite = (call) => void call.accept().catch(() => {});
  const call = caller.ep.invite(`sip:bot@127.0.0.1:${bot.ep.listener.port};transport=${transport}`);
  await call.waitForState('answered', 10_000);
  await call.hangup();
  expect((await call.waitForEnd(10_000)).reason).toBe('BYE');
}

describe('peer behaviours that used to end the process', () => {
  it('a BYE before the ACK, then the ACK timer: counted as ack-timeout-after-end, no crash', async () => {
    const bot = await startEndpoint('udp', 'bot', { timers: { t1Ms: 20, t2Ms: 160 } });
    started.push(bot);
    bot.ep.onInvite = (call) => void call.accept().catch(() => {});
    const peer = await udpPeer();
    const port = bot.ep.listener.port;
    peer.send(invite('UDP', peer.port, 'early-bye'), port);
    const ok = await peer.waitFor(/^SIP\/2\.0 200 /);
    const toTag = /^To:.*;tag=([^;\r\n]+)/m.exec(ok)![1];
    // No ACK; a BYE instead (as a UDP peer whose ACK was lost would).
    peer.send(
      [
        `BYE sip:bot@127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-bye-early`,
        `From: <sip:cxone@127.0.0.1:${peer.port}>;tag=f-early-bye`,
        `To: <sip:4930123456@127.0.0.1>;tag=${toTag}`,
        'Call-ID: early-bye',
        'CSeq: 2 BYE',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
      port,
    );
    await peer.waitFor(/^SIP\/2\.0 200 [^\r]*\r\n(?:.*\r\n)*CSeq: 2 BYE/);
    // Timer L (64·20 ms here) ends the INVITE transaction while the dialog still waits for its ACK.
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if ((bot.ep.faultCounts()['ack-timeout-after-end'] ?? 0) > 0) resolve();
        else setTimeout(check, 50);
      };
      check();
    });
    expect(bot.logs.filter((l) => /caught SIP fault 'ack-timeout-after-end'/.test(l.msg))).toHaveLength(1);
    await goodCallCompletes(bot, 'udp');
  });

  it('a UDP INVITE with a body and no Content-Type gets 400 Missing Content-Type', async () => {
    const bot = await startEndpoint('udp', 'bot');
    started.push(bot);
    bot.ep.onInvite = () => {
      throw new Error('no call may come of it');
    };
    const peer = await udpPeer();
    peer.send(invite('UDP', peer.port, 'no-ct', { contentType: false }), bot.ep.listener.port);
    const r = await peer.waitFor(/^SIP\/2\.0 /);
    expect(r.split('\r\n')[0]).toBe('SIP/2.0 400 Missing Content-Type');
    expect(r).toMatch(/\r\nTo: <sip:4930123456@127\.0\.0\.1>;tag=\S+\r\n/);
    await goodCallCompletes(bot, 'udp');
  });

  it('1,000 repeated X-ContactID headers over TCP get 400 Too Many Headers, logged once for two such requests', async () => {
    const bot = await startEndpoint('tcp', 'bot');
    started.push(bot);
    bot.ep.onInvite = () => {
      throw new Error('no call may come of it');
    };
    const extra = Array.from({ length: 1000 }, (_, i) => `X-ContactID: ${i}`);
    const replies: string[] = [];
    for (const id of ['rep-1', 'rep-2']) replies.push(await tcpExchange(bot.ep.listener.port, (me) => invite('TCP', me, id, { extra })));
    for (const r of replies) expect(r.split('\r\n')[0]).toBe('SIP/2.0 400 Too Many Headers');
    expect(bot.ep.faultCounts()['refused-header-count']).toBe(2);
    expect(bot.logs.filter((l) => l.level === 'warn' && /Too Many Headers/.test(l.msg))).toHaveLength(1);
    expect(bot.ep.calls()).toHaveLength(0);
    await goodCallCompletes(bot, 'tcp');
  });

  it('3,800 repeated X-ContactID headers get 400 Too Many Headers over TCP and in one UDP datagram; 5,000 over TCP pass the 64 KB header cap: 513', async () => {
    const tcp = await startEndpoint('tcp', 'bot');
    const udp = await startEndpoint('udp', 'bot');
    started.push(tcp, udp);
    const repeated = (n: number): string[] => Array.from({ length: n }, (_, i) => `X-ContactID: ${i % 10}`);
    const r = await tcpExchange(tcp.ep.listener.port, (me) => invite('TCP', me, 'rep-tcp', { extra: repeated(3800) }));
    expect(r.split('\r\n')[0]).toBe('SIP/2.0 400 Too Many Headers');
    const big = await tcpExchange(tcp.ep.listener.port, (me) => invite('TCP', me, 'rep-big', { extra: repeated(5000) }));
    expect(big.split('\r\n')[0]).toBe('SIP/2.0 513 Message Too Large');
    const peer = await udpPeer();
    peer.send(invite('UDP', peer.port, 'rep-udp', { extra: repeated(3800) }), udp.ep.listener.port);
    expect((await peer.waitFor(/^SIP\/2\.0 /)).split('\r\n')[0]).toBe('SIP/2.0 400 Too Many Headers');
    await goodCallCompletes(udp, 'udp');
    await goodCallCompletes(tcp, 'tcp');
  });

  it('a Content-Length over the body cap on TCP gets 513 Message Too Large before the connection closes', async () => {
    const bot = await startEndpoint('tcp', 'bot');
    started.push(bot);
    const sock = net.connect(bot.ep.listener.port, '127.0.0.1');
    closers.push(() => sock.destroy());
    await new Promise<void>((r) => sock.once('connect', () => r()));
    let data = '';
    sock.on('data', (b) => (data += b.toString()));
    const closed = new Promise<void>((r) => sock.on('close', () => r()));
    sock.write(invite('TCP', sock.localPort!, 'huge', { cl: 50_000_000 }));
    await closed;
    expect(data.split('\r\n')[0]).toBe('SIP/2.0 513 Message Too Large');
    await goodCallCompletes(bot, 'tcp');
    expect(processSipFaults.snapshot()['sipjs-uncaught-exception'] ?? 0).toBe(0);
  });
});
