/**
 * The SIP UDP socket on its own thread (src/main/sip/udp-wire.ts): a received datagram is stamped
 * on the wire thread, so a busy main thread does not delay its stamp; sends keep their order; a bind
 * or send failure is a clear error; close() ends the thread. Real sockets on loopback.
 */
import dgram from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { monoNow, type Stamp } from '../../../src/main/clock';
import { UdpWire } from '../../../src/main/sip/udp-wire';

const open: UdpWire[] = [];
const sockets: dgram.Socket[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
  for (const s of sockets.splice(0)) s.close();
});

async function wire(onDatagram: (text: string, stamp: Stamp, from: { host: string; port: number }) => void = () => {}, port = 0): Promise<UdpWire> {
  const w = await UdpWire.open({ host: '127.0.0.1', port, bufferBytes: 1 << 20, onDatagram, onError: () => {} });
  open.push(w);
  return w;
}

async function peer(): Promise<{ sock: dgram.Socket; port: number; received: string[] }> {
  // An IP literal handed over at once (the default lookup would defer the send to the next tick).
  const sock = dgram.createSocket({ type: 'udp4', lookup: (host, _o, cb) => cb(null, host, 4) });
  sockets.push(sock);
  const received: string[] = [];
  sock.on('message', (b) => received.push(b.toString()));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return { sock, port: sock.address().port, received };
}

const until = async (cond: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('UdpWire', () => {
  it('stamps a datagram when it arrives, even while the main thread is busy', async () => {
    const got: Array<{ text: string; stamp: Stamp; from: { host: string; port: number } }> = [];
    const w = await wire((text, stamp, from) => got.push({ text, stamp, from }));
    const p = await peer();
    const sentAt = monoNow();
    p.sock.send('OPTIONS sip:x SIP/2.0\r\n\r\n', w.port, '127.0.0.1');
    // Hold the main thread for 300 ms: the datagram lands meanwhile and waits for it.
    const busyUntil = sentAt + 300;
    while (monoNow() < busyUntil) {
      /* busy */
    }
    await until(() => got.length === 1, 'the datagram');
    expect(got[0]!.text).toBe('OPTIONS sip:x SIP/2.0\r\n\r\n');
    expect(got[0]!.from).toEqual({ host: '127.0.0.1', port: p.port });
    // Stamped on the wire thread during the busy spell, not when the main thread got to it.
    expect(got[0]!.stamp.monoMs).toBeGreaterThanOrEqual(sentAt - 1);
    expect(got[0]!.stamp.monoMs).toBeLessThan(busyUntil);
    expect(got[0]!.stamp.wallMs - got[0]!.stamp.monoMs).toBeCloseTo(performance.timeOrigin, 3);
  });

  it('sends in order from its bound port and confirms each send', async () => {
    const w = await wire();
    const p = await peer();
    const from: number[] = [];
    p.sock.on('message', (_b, r) => from.push(r.port));
    await Promise.all(Array.from({ length: 50 }, (_, i) => w.send(`m${i}`, p.port, '127.0.0.1')));
    await until(() => p.received.length === 50, '50 datagrams');
    expect(p.received).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    expect(new Set(from)).toEqual(new Set([w.port]));
    expect(w.pendingSends).toBe(0);
  });

  it('a send is stamped on the wire thread as it goes out, even while the main thread is busy', async () => {
    const w = await wire();
    const p = await peer();
    let arrived: number | null = null;
    p.sock.on('message', () => (arrived ??= monoNow()));
    const sent = w.send('INFO sip:x SIP/2.0\r\n\r\n', p.port, '127.0.0.1');
    // The send goes to the wire thread at the end of this turn of the event loop (one message for
    // the turn's sends); an immediate queued after it runs just after the hand-over.
    await new Promise((r) => setImmediate(r));
    const handedOver = monoNow();
    // Hold the main thread for 200 ms right after the hand-over: the wire thread sends meanwhile.
    const busyUntil = handedOver + 200;
    while (monoNow() < busyUntil) {
      /* busy */
    }
    const at = await sent;
    expect(at.monoMs).toBeGreaterThanOrEqual(handedOver - 1);
    expect(at.monoMs).toBeLessThan(busyUntil);
    await until(() => arrived !== null, 'the datagram at the peer');
    expect(at.wallMs - at.monoMs).toBeCloseTo(performance.timeOrigin, 3);
  });

  it('a port in use is a bind error with its code; a name that does not resolve rejects the send', async () => {
    const a = await wire();
    await expect(wire(undefined, a.port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await expect(a.send('x', 5060, 'no-such-host.invalid')).rejects.toThrow(/ENOTFOUND|EAI_AGAIN|getaddrinfo/);
    expect(a.pendingSends).toBe(0);
  });

  it('sends made in one turn leave in that order, and a close right after them still sends them', async () => {
    const w = await wire();
    const p = await peer();
    const sends = ['a', 'b', 'c'].map((t) => w.send(t, p.port, '127.0.0.1'));
    const closed = w.close();
    const stamps = await Promise.all(sends);
    await closed;
    await until(() => p.received.length === 3, '3 datagrams');
    expect(p.received).toEqual(['a', 'b', 'c']);
    expect(stamps.map((s) => s.monoMs)).toEqual([...stamps.map((s) => s.monoMs)].sort((x, y) => x - y));
  });

  it('close() ends the thread; a send after it rejects', async () => {
    const w = await wire();
    await w.close();
    await w.close();
    await expect(w.send('x', 9, '127.0.0.1')).rejects.toThrow('udp socket closed');
  });
});

/** The scheduling policy and nice of every thread of this process (Linux /proc/self/task/N/stat). */
function threadsScheduling(): Array<{ policy: number; nice: number }> {
  const out: Array<{ policy: number; nice: number }> = [];
  for (const tid of readdirSync('/proc/self/task')) {
    const f = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    out.push({ nice: Number(f[16]), policy: Number(f[38]) });
  }
  return out;
}

describe('UdpWire scheduling', () => {
  const linux = process.platform === 'linux';

  it.runIf(linux)('the wire thread asks for SCHED_FIFO and says what the kernel granted; the kernel agrees', async () => {
    const told: string[] = [];
    const w = await UdpWire.open({ host: '127.0.0.1', port: 0, bufferBytes: 1 << 20, onDatagram: () => {}, onError: () => {}, onPriority: (v) => told.push(v) });
    open.push(w);
    await until(() => told.length === 1, 'the priority notice');
    expect(w.priority).toBe(told[0]);
    expect(w.priority).toMatch(/^(SCHED_FIFO 1|nice -10 \(chrt: (not installed|not permitted)\)|default \(.+\))$/);
    const threads = threadsScheduling();
    // What it says is what /proc shows (SCHED_FIFO is policy 1): whether it got it depends on the
    // rights here. Only the wire thread: libuv's pool threads (made by the other tests' host-name
    // lookups on earlier wire threads) keep the default.
    if (w.priority === 'SCHED_FIFO 1') expect(threads.filter((t) => t.policy === 1)).toHaveLength(1);
    else if (w.priority.startsWith('nice -10')) expect(threads.filter((t) => t.nice === -10)).toHaveLength(1);
    else expect(threads.every((t) => t.policy === 0)).toBe(true);
  });

  it('with priority "normal" the wire thread keeps the default scheduling', async () => {
    const told: string[] = [];
    const w = await UdpWire.open({ host: '127.0.0.1', port: 0, bufferBytes: 1 << 20, onDatagram: () => {}, onError: () => {}, priority: 'normal', onPriority: (v) => told.push(v) });
    open.push(w);
    await until(() => told.length === 1, 'the priority notice');
    expect(w.priority).toBe('default (not asked)');
    if (linux) expect(threadsScheduling().filter((t) => t.policy !== 0)).toHaveLength(0);
  });
});
