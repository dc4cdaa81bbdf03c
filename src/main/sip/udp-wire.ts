/**
 * The SIP UDP socket on a thread of its own ("the wire thread"), so that every datagram's stamp is
 * taken when it reaches or leaves the socket, not when the main thread gets round to it.
 *
 * Why (issue 15 item 4, `bench:stamps`): the main thread also runs sip.js, the history store, the
 * CXone emulator and the events; a datagram that arrives during a garbage collection or a SQLite
 * write was stamped up to ~10 ms late (received p99 8.9 ms at 50 calls/s, p50 0.46 ms: the peer's
 * answer typically lands while the main thread is still recording what it just sent). A worker
 * thread has its own event loop and its own heap (its collections do not stop the main thread's and
 * the main thread's do not stop it), and does nothing but read, stamp, forward, stamp and write.
 *
 * ```
 *   main thread (NodeSipTransport)                   wire thread (this file's WIRE_SOURCE)
 *   record(out) · send() ──────────── post {send} ──▶   stamp (hrtime) · socket.send · post {sent, hr}
 *   restamp(out) · store it         ◀── {sent, hr} ──
 *   inbound(text, stamp)         ◀── {dgram, hr} ──   socket 'message' · stamp (hrtime) · utf-8 decode
 * ```
 * Both ways go in batches, one message per turn of the sender's event loop: the main thread's sends
 * of one turn (flushed in its check phase, `setImmediate`, after the I/O callbacks that made them),
 * the wire thread's datagrams and confirmations of one turn. One message per datagram cost the main
 * thread ~30 µs each (the structured clone and the wake-up of the thread, which on a busy 2-core
 * machine preempts the main thread), 12 % of its time at 1,500 calls/s; batched, `lab load` took
 * ~25 % less CPU per call at that rate (an in-process A/B on 2 cores, issue 12). A datagram's stamp
 * is still taken as it goes to the kernel, so the wait for the check phase does not move it.
 *
 * A sent message is recorded on the main thread as it is handed over, synchronously with sip.js's
 * send, because the call's own logic reads its sent messages at once (call.ts: our final response,
 * a BYE the stack sent); its stamp is then replaced by the wire thread's, taken as the datagram went
 * to the kernel, before the message is stored (wire-record.ts {@link stampSettled}): a main thread
 * that the OS preempts between the hand-over and the send would otherwise date it milliseconds
 * early. A received datagram is stamped on the wire thread.
 *
 * The wire thread asks the kernel for a real-time scheduling class (Linux `SCHED_FIFO`, the lowest
 * real-time priority, through util-linux's `chrt` on its own thread id), else a nice of −10, else
 * keeps the default: on a busy machine a thread of the default class can wait milliseconds for a
 * CPU after its datagram arrived (bench:stamps on 2 cores, 50 calls/s: p99 of |stamp − tshark|
 * 2.2–3.1 ms with the default class or nice −10, 0.6 ms with SCHED_FIFO; SIPp's own stamps in the
 * same runs 1.1–1.5 ms). It needs the right to (root, CAP_SYS_NICE or an RLIMIT_RTPRIO above 0);
 * without it nothing changes but the stamps' accuracy under load, and {@link UdpWire.priority}
 * says which one the thread got. The thread does only bounded work per datagram, so the real-time
 * class cannot starve the process (and the kernel caps real-time threads at 95 % of a CPU,
 * `sched_rt_runtime_us`).
 *
 * Stamps are `process.hrtime.bigint()` readings (one monotonic clock for the whole process, every
 * thread) converted by clock.ts {@link stampFromHrtime}. The worker's code is plain JavaScript in a
 * string (node:dgram and node:worker_threads only), so it runs the same from `tsx`, the bundled CLI
 * and Electron's main process, with no file of its own to ship.
 */
import { Worker } from 'node:worker_threads';
import { stampFromHrtime, type Stamp } from '../clock';

/** What the wire thread tells the main thread (in batches: one array per turn of its event loop). */
type WireNotice =
  | { t: 'bound'; port: number; address: string; buffers: string | null }
  | { t: 'priority'; value: string }
  | { t: 'bind-error'; message: string; code: string | null }
  | { t: 'dgram'; text: string; hr: bigint; address: string; port: number }
  | { t: 'sent'; id: number; hr: bigint }
  | { t: 'send-error'; id: number; message: string }
  | { t: 'socket-error'; message: string }
  | { t: 'closed' };

/**
 * The wire thread's program. `workerData`: `{ type: 'udp4'|'udp6', host, port, bufferBytes, priority }`.
 * Its `lookup` answers an IP literal destination at once: Node's default (`dns.lookup`) answers
 * even `127.0.0.1` on the next tick, so the datagram would leave only after the rest of the current
 * task. A host name still goes through `dns.lookup` (RFC 3263 resolution is not this file's job).
 */
const WIRE_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const dgram = require('node:dgram');
const dns = require('node:dns');
const net = require('node:net');
const hr = process.hrtime.bigint;
// Notices for the main thread go out in one message per turn of this thread's event loop (the
// datagrams read in one poll and the sends confirmed), in the order they happened.
let out = [];
function post(n) {
  if (out.length === 0) setImmediate(flush);
  out.push(n);
}
function flush() {
  const batch = out;
  out = [];
  if (batch.length > 0) parentPort.postMessage(batch);
}
function lookup(host, options, cb) {
  const family = net.isIP(host);
  if (family !== 0) return cb(null, host, family);
  const opts = typeof options === 'number' ? { family: options } : (options || {});
  dns.lookup(host, Object.assign({}, opts, { all: false }), cb);
}
// This thread's scheduling: SCHED_FIFO 1, else nice -10, else the default (see the file's comment).
function raisePriority() {
  if (workerData.priority !== 'realtime') return post({ t: 'priority', value: 'default (not asked)' });
  if (process.platform !== 'linux') return post({ t: 'priority', value: 'default (real-time asked only on Linux)' });
  let tid;
  try {
    tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  } catch (e) {
    return post({ t: 'priority', value: 'default (no thread id: ' + e.message + ')' });
  }
  // A thread inherits its creator's scheduling. libuv's thread pool (fs, dns, crypto: the whole
  // process's) is created by its first user: a host-name lookup here would make it real-time. So
  // it is made first (fs.stat), and --reset-on-fork keeps any later child of this thread default.
  require('node:fs').stat('/', () => {
    require('node:child_process').execFile('chrt', ['--fifo', '--reset-on-fork', '--pid', '1', String(tid)], { timeout: 5000 }, (e) => {
      if (!e) return post({ t: 'priority', value: 'SCHED_FIFO 1' });
      try {
        require('node:os').setPriority(tid, -10);
        post({ t: 'priority', value: 'nice -10 (chrt: ' + (e.code === 'ENOENT' ? 'not installed' : 'not permitted') + ')' });
      } catch (e2) {
        post({ t: 'priority', value: 'default (no right to raise it: ' + (e2.code || e2.message) + ')' });
      }
    });
  });
}
raisePriority();
const sock = dgram.createSocket({ type: workerData.type, lookup });
let bound = false;
sock.on('error', (e) => {
  post(bound ? { t: 'socket-error', message: e.message } : { t: 'bind-error', message: e.message, code: e.code || null });
});
sock.on('message', (buf, rinfo) => {
  const at = hr();
  post({ t: 'dgram', text: buf.toString('utf8'), hr: at, address: rinfo.address, port: rinfo.port });
});
sock.bind(workerData.port, workerData.host, () => {
  bound = true;
  let buffers = null;
  try {
    sock.setRecvBufferSize(workerData.bufferBytes);
    sock.setSendBufferSize(workerData.bufferBytes);
  } catch (e) {
    buffers = e.message;
  }
  const a = sock.address();
  post({ t: 'bound', port: a.port, address: a.address, buffers });
});
function sendOne(m) {
  try {
    const data = Buffer.from(m.text, 'utf8');
    // Stamped as it is handed to the kernel: with an IP literal (lookup above) send() writes at
    // once, in this call, when nothing is queued before it.
    const at = hr();
    sock.send(data, m.port, m.host, (e) => {
      post(e ? { t: 'send-error', id: m.id, message: e.message } : { t: 'sent', id: m.id, hr: at });
    });
  } catch (e) {
    post({ t: 'send-error', id: m.id, message: e.message });
  }
}
parentPort.on('message', (m) => {
  if (m.t === 'send') {
    // One message per turn of the main thread's event loop: its sends, in the order they were made.
    for (const one of m.batch) sendOne(one);
  } else if (m.t === 'close') {
    const done = () => { out.push({ t: 'closed' }); flush(); parentPort.close(); };
    try { sock.close(done); } catch { done(); }
  }
});
`;

/** Options of {@link UdpWire.open}. */
export interface UdpWireOptions {
  /** Bind address (IPv4 or IPv6 literal, `0.0.0.0`/`::` for all). */
  host: string;
  /** Bind port; 0 takes a free one. */
  port: number;
  /** Kernel receive and send buffer size asked for (bytes); the kernel caps it at rmem_max/wmem_max. */
  bufferBytes: number;
  /**
   * `realtime` (the default): the wire thread asks for SCHED_FIFO, else nice −10 (Linux, when
   * permitted); `normal`: it keeps the default scheduling.
   */
  priority?: 'realtime' | 'normal';
  /** One datagram as received: its UTF-8 text, the stamp taken on the wire thread, the source. */
  onDatagram: (text: string, stamp: Stamp, from: { host: string; port: number }) => void;
  /** Told once, when the wire thread knows its scheduling ({@link UdpWire.priority}). */
  onPriority?: (value: string) => void;
  /** A socket error after the bind (ICMP unreachable and the like) or the thread's own end. */
  onError: (message: string) => void;
}

/**
 * A bound UDP socket on the wire thread. `send()` resolves once the kernel took the datagram;
 * received datagrams reach `onDatagram` in the order they arrived, each with its wire-thread stamp.
 */
export class UdpWire {
  /** Sends not yet confirmed by the wire thread (id → settle): emptied as confirmations come. */
  private readonly pending = new Map<number, { resolve: (at: Stamp) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** Sends made in this turn of the event loop, not yet handed to the wire thread. */
  private outbox: Array<{ id: number; text: string; port: number; host: string }> = [];
  private closed = false;
  private closing: Promise<void> | null = null;
  private _priority = 'not known yet';

  private constructor(
    private readonly worker: Worker,
    /** The bound port. */
    readonly port: number,
    /** Why the socket buffers were left at the kernel's default, if they were. */
    readonly bufferProblem: string | null,
  ) {}

  /**
   * Starts the wire thread, binds the socket, and resolves once the thread also knows its
   * scheduling ({@link UdpWire.priority}: asking for it takes a `chrt` run, a few ms), so that the
   * first datagram of a run is stamped as the last.
   * @throws Error with the bind's message (`EADDRINUSE`…) and `code`, or when the thread cannot start.
   */
  static open(opts: UdpWireOptions): Promise<UdpWire> {
    const type = opts.host.includes(':') ? 'udp6' : 'udp4';
    const worker = new Worker(WIRE_SOURCE, { eval: true, workerData: { type, host: opts.host, port: opts.port, bufferBytes: opts.bufferBytes, priority: opts.priority ?? 'realtime' }, name: 'sip-udp-wire' });
    return new Promise<UdpWire>((resolve, reject) => {
      let wire: UdpWire | null = null;
      let priority: string | null = null;
      worker.on('message', (batch: WireNotice[]) => {
        for (const m of batch) {
          if (m.t === 'priority') {
            priority = m.value;
            opts.onPriority?.(m.value);
            if (wire) {
              wire._priority = m.value;
              resolve(wire);
            }
          } else if (wire) {
            wire.notice(m, opts);
          } else if (m.t === 'bound') {
            wire = new UdpWire(worker, m.port, m.buffers);
            if (priority) {
              wire._priority = priority;
              resolve(wire);
            }
          } else if (m.t === 'bind-error') {
            void worker.terminate();
            reject(Object.assign(new Error(m.message), { code: m.code ?? undefined }));
          }
        }
      });
      worker.on('error', (e) => {
        if (!wire) reject(e);
        else wire.fail(`wire thread failed: ${e.message}`, opts);
      });
      worker.on('exit', (code) => {
        if (!wire) reject(new Error(`wire thread exited (${code}) before binding`));
        else if (!wire.closed) wire.fail(`wire thread exited (${code})`, opts);
      });
    });
  }

  /**
   * The wire thread's scheduling as the kernel granted it: `SCHED_FIFO 1`, `nice -10 (…)` or
   * `default (…why…)` (known when {@link UdpWire.open} resolves).
   */
  get priority(): string {
    return this._priority;
  }

  /** Number of sends waiting for the wire thread's confirmation (a live map; 0 when idle). */
  get pendingSends(): number {
    return this.pending.size;
  }

  /**
   * Sends one datagram.
   * @param text the whole SIP message (sent as UTF-8)
   * @returns resolves once the kernel took the datagram, with the stamp taken on the wire thread as
   *          it handed the datagram to the kernel
   * @throws Error when the socket is closed or the send failed (unresolvable name, EMSGSIZE…)
   */
  send(text: string, port: number, host: string): Promise<Stamp> {
    if (this.closed) return Promise.reject(new Error('udp socket closed'));
    const id = this.nextId++;
    return new Promise<Stamp>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.outbox.length === 0) setImmediate(this.flush);
      this.outbox.push({ id, text, port, host });
    });
  }

  /** Hands the sends made since the last flush to the wire thread, in one message. */
  private readonly flush = (): void => {
    if (this.outbox.length === 0) return;
    const batch = this.outbox;
    this.outbox = [];
    this.worker.postMessage({ t: 'send', batch });
  };

  /** Closes the socket and ends the thread; pending sends are rejected. Idempotent. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.closing = new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.worker.terminate().then(() => resolve()), 1_000);
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.flush();
      this.worker.postMessage({ t: 'close' });
    }).then(() => this.rejectPending('udp socket closed'));
    return this.closing;
  }

  private notice(m: WireNotice, opts: UdpWireOptions): void {
    switch (m.t) {
      case 'dgram':
        if (!this.closed) opts.onDatagram(m.text, stampFromHrtime(m.hr), { host: m.address, port: m.port });
        return;
      case 'sent': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(stampFromHrtime(m.hr));
        return;
      }
      case 'send-error': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.reject(new Error(m.message));
        return;
      }
      case 'socket-error':
        opts.onError(`udp socket: ${m.message}`);
        return;
      default:
        return;
    }
  }

  private fail(message: string, opts: UdpWireOptions): void {
    this.closed = true;
    this.rejectPending(message);
    opts.onError(message);
  }

  private rejectPending(message: string): void {
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }
}
