/**
 * Malformed input from raw sockets gets 400 (or is dropped, or its connection closed), is logged,
 * and a good call on the same endpoint still completes afterwards. Also: CRLF keep-alive on TCP.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nextIncomingCall, startEndpoint, type TestEndpoint } from '../../helpers/sip/endpoints';

const started: TestEndpoint[] = [];
const sockets: { close: () => void }[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.close());
  await Promise.all(started.splice(0).map((t) => t.ep.stop()));
});

function rawInvite(opts: { proto: 'UDP' | 'TCP'; port: number; callId?: boolean; contentLength?: number; body?: string }): string {
  const body = opts.body ?? 'v=0\r\n';
  const lines = [
    'INVITE sip:4930123456@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/${opts.proto} 127.0.0.1:${opts.port};branch=z9hG4bK-raw-${Math.random().toString(36).slice(2)}`,
    'From: <sip:raw@127.0.0.1>;tag=r1',
    'To: <sip:4930123456@127.0.0.1>',
    ...(opts.callId === false ? [] : [`Call-ID: raw-${Math.random()}`]),
    'CSeq: 1 INVITE',
    `Contact: <sip:raw@127.0.0.1:${opts.port}>`,
    'Content-Type: application/sdp',
    `Content-Length: ${opts.contentLength ?? Buffer.byteLength(body)}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

async function udpClient(): Promise<{ sock: dgram.Socket; port: number; next: () => Promise<string> }> {
  const sock = dgram.createSocket('udp4');
  sockets.push({ close: () => sock.close() });
  const queue: string[] = [];
  const waiters: ((s: string) => void)[] = [];
  sock.on('message', (buf) => {
    const w = waiters.shift();
    if (w) w(buf.toString());
    else queue.push(buf.toString());
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const next = (): Promise<string> => {
    const q = queue.shift();
    return q !== undefined ? Promise.resolve(q) : new Promise((r) => waiters.push(r));
  };
  return { sock, port: sock.address().port, next };
}

async function tcpClient(port: number): Promise<{ sock: net.Socket; received: () => string; closed: Promise<void>; waitFor: (re: RegExp) => Promise<string> }> {
  const sock = net.connect(port, '127.0.0.1');
  sockets.push({ close: () => sock.destroy() });
  let data = '';
  const listeners: (() => void)[] = [];
  sock.on('data', (b) => {
    data += b.toString();
    listeners.splice(0).forEach((l) => l());
  });
  sock.on('error', () => {});
  const closed = new Promise<void>((r) => sock.on('close', () => r()));
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const waitFor = (re: RegExp): Promise<string> =>
    new Promise((resolve) => {
      const check = (): void => {
        const m = re.exec(data);
        if (m) resolve(m[0]);
        else listeners.push(check);
      };
      check();
    });
  return { sock, received: () => data, closed, waitFor };
}

async function goodCallCompletes(callee: TestEndpoint, transport: 'udp' | 'tcp'): Promise<void> {
  const caller = await startEndpoint(transport, 'cxone');
  started.push(caller);
  const incoming = nextIncomingCall(callee.ep);
  const out = caller.ep.invite(`sip:bot@127.0.0.1:${callee.ep.listener.port}`, {
    extraHeaders: [{ name: 'X-ContactID', value: '998877' }],
  });
  const call = await incoming;
  await call.accept();
  await out.waitForState('answered', 5000);
  await out.hangup();
  expect(await call.waitForEnd(5000)).toEqual({ by: 'remote', reason: 'BYE' });
}

describe('malformed input over UDP', () => {
  it('answers 400 Missing Call-ID and 400 for a Content-Length past the end, logs both, then completes a good call', async () => {
    const callee = await startEndpoint('udp', 'bot');
    started.push(callee);
    callee.ep.onInvite = () => {
      throw new Error('no call may be created from malformed input');
    };
    const client = await udpClient();
    const port = callee.ep.listener.port;

    client.sock.send(rawInvite({ proto: 'UDP', port: client.port, callId: false }), port, '127.0.0.1');
    expect((await client.next()).split('\r\n')[0]).toBe('SIP/2.0 400 Missing Call-ID');

    client.sock.send(rawInvite({ proto: 'UDP', port: client.port, contentLength: 900 }), port, '127.0.0.1');
    const second = await client.next();
    expect(second.split('\r\n')[0]).toBe('SIP/2.0 400 Body Shorter Than Content-Length');
    expect(second).toMatch(/\r\nCall-ID: raw-/);

    // Garbage and a response without Call-ID are dropped with a logged reason (nothing to answer).
    client.sock.send(Buffer.from([0, 1, 2, 3, 255, 254]), port, '127.0.0.1');
    client.sock.send('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKx\r\n\r\n', port, '127.0.0.1');

    await goodCallCompletes(callee, 'udp');
    const warnings = callee.logs.filter((l) => l.level === 'warn').map((l) => l.msg);
    expect(warnings.some((m) => /answered 400 Missing Call-ID: missing .*Call-ID/.test(m))).toBe(true);
    expect(warnings.some((m) => /answered 400 Body Shorter Than Content-Length: body of 5 bytes is shorter than Content-Length 900/.test(m))).toBe(true);
    expect(warnings.filter((m) => /dropped/.test(m))).toHaveLength(2);
    expect(callee.ep.calls()).toHaveLength(1);
    // The malformed messages were recorded as they crossed the socket, with the 400s we sent.
    expect(callee.wire.filter((r) => r.status === 400 && r.direction === 'out')).toHaveLength(2);
  });
});

describe('unusable SDP offer', () => {
  it('accept() of an INVITE offering only G.729 throws a clear error and the caller gets 488', async () => {
    const callee = await startEndpoint('udp', 'bot');
    started.push(callee);
    const client = await udpClient();
    const accepted = new Promise<unknown>((resolve) => {
      callee.ep.onInvite = (call) => void call.accept().then(() => resolve('accepted'), (e: unknown) => resolve(e));
    });
    const sdp = 'v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 7000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n';
    client.sock.send(rawInvite({ proto: 'UDP', port: client.port, body: sdp }), callee.ep.listener.port, '127.0.0.1');
    const error = await accepted;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/no common codec: the SDP lists 18 G729\/8000; we support PCMU \(0\), PCMA \(8\); answered 488/);
    let line = '';
    while (!/^SIP\/2\.0 [2-6]\d\d /.test(line)) line = (await client.next()).split('\r\n')[0]!;
    expect(line).toBe('SIP/2.0 488 Not Acceptable Here');
    const [call] = callee.ep.calls();
    expect(await call!.waitForEnd(5000)).toEqual({ by: 'local', reason: '488 Not Acceptable Here' });
  });
});

describe('malformed input over TCP', () => {
  it('answers 400 Missing Call-ID on the connection', async () => {
    const callee = await startEndpoint('tcp', 'bot');
    started.push(callee);
    const c = await tcpClient(callee.ep.listener.port);
    c.sock.write(rawInvite({ proto: 'TCP', port: c.sock.localPort! , callId: false }));
    expect(await c.waitFor(/^SIP\/2\.0 400 [^\r]*/)).toBe('SIP/2.0 400 Missing Call-ID');
    await goodCallCompletes(callee, 'tcp');
  });

  it('closes only the connection that sends 100 KB of headers, logs it, and keeps serving', async () => {
    const callee = await startEndpoint('tcp', 'bot');
    started.push(callee);
    const bystander = await tcpClient(callee.ep.listener.port);
    const c = await tcpClient(callee.ep.listener.port);
    c.sock.write(`INVITE sip:bot@127.0.0.1 SIP/2.0\r\nX-Pad: ${'a'.repeat(100 * 1024)}\r\n`);
    await c.closed;
    expect(callee.logs.some((l) => l.level === 'warn' && /headers exceed 65536 bytes.*closing the connection/.test(l.msg))).toBe(true);
    expect(callee.ep.calls()).toHaveLength(0);
    // The other connection is still served: a CRLF keep-alive ping gets its CRLF pong.
    bystander.sock.write('\r\n\r\n');
    await bystander.waitFor(/^\r\n$/);
    await goodCallCompletes(callee, 'tcp');
  });

  it('answers a CRLFCRLF keep-alive ping with a single CRLF (RFC 5626 §4.4.1)', async () => {
    const callee = await startEndpoint('tcp', 'bot');
    started.push(callee);
    const c = await tcpClient(callee.ep.listener.port);
    c.sock.write('\r\n\r\n');
    await c.waitFor(/^\r\n$/);
    expect(c.received()).toBe('\r\n');
  });
});
