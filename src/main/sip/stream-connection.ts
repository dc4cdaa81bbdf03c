/**
 * One SIP connection over a byte stream, independent of how the stream was made: a `net.Socket`
 * for TCP, a `tls.TLSSocket` (a `net.Socket` subclass) for TLS. How sockets are made (listen,
 * connect) is a {@link StreamSocketFactory}: {@link tcpSocketFactory} here, the TLS one in
 * tls-socket-factory.ts; both share this file and the framing.
 *
 * @remarks RFC 3261 §18.3 (framing), RFC 5626 §4.4.1 (CRLF keep-alive: a double CRLF ping gets a
 * single CRLF pong), RFC 3261 §18.4 / sip-in-node.md §3.5 (connections stay open after a BYE and
 * close after an idle timeout). A TLS ClientHello (RFC 8446 §5.1: first byte 0x16, handshake) on
 * a plain TCP connection closes it at once with a clear reason, so the TLS client fails fast.
 */
import net from 'node:net';
import tls from 'node:tls';
import { stampNow, type Stamp } from '../clock';
import { SipStreamFramer } from './framing';
import type { HostPort } from './routing';
import { formatHostPort } from '../net/host-format';

/** Makes stream sockets: listens and connects. One implementation per stream protocol. */
export interface StreamSocketFactory {
  /** `tcp` or `tls`. */
  readonly kind: 'tcp' | 'tls';
  /**
   * Listens on `host:port` (port 0 = ephemeral) and calls `onSocket` for every accepted socket.
   * @returns the listening server; rejects when it cannot bind.
   */
  listen(host: string, port: number, onSocket: (socket: net.Socket) => void): Promise<net.Server>;
  /**
   * Connects to `target`, optionally from `localAddress`.
   * @returns the connected socket; rejects on a connect error.
   */
  connect(target: HostPort, localAddress?: string): Promise<net.Socket>;
}

/** Plain TCP sockets (RFC 3261 §18). */
export const tcpSocketFactory: StreamSocketFactory = {
  kind: 'tcp',
  listen(host, port, onSocket) {
    return new Promise((resolve, reject) => {
      const server = net.createServer(onSocket);
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  },
  connect(target, localAddress) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: target.host, port: target.port, localAddress });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(socket);
      });
    });
  },
};


/** Callbacks and limits of a {@link StreamConnection}. */
export interface StreamConnectionOptions {
  /** Cap on the headers of one message (bytes). */
  maxHeaderBytes?: number;
  /** Close the connection after this long without traffic (ms). */
  idleTimeoutMs: number;
  /** A whole message arrived; `stamp` is when its last chunk was read from the socket. */
  onMessage: (conn: StreamConnection, text: string, stamp: Stamp) => void;
  /** The connection is closed (by either side); called once. */
  onClose: (conn: StreamConnection, reason: string) => void;
  /**
   * A message could not be framed but its headers were read (bad Content-Length, body over the cap):
   * the returned bytes (a refusal) are written before the connection closes.
   */
  onUnframeable?: (conn: StreamConnection, head: string, reason: string, status: number) => Buffer | undefined;
  log: (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;
}

let nextConnectionId = 1;
/** First byte of a TLS handshake record (RFC 8446 §5.1, ContentType.handshake); never a SIP message's. */
const TLS_HANDSHAKE_RECORD = 0x16;

/** One live SIP stream connection: frames incoming bytes, answers pings, writes messages. */
export class StreamConnection {
  /** Process-unique number, for logs. */
  readonly id = nextConnectionId++;
  /** Local address `host:port`. */
  readonly local: string;
  /** Remote address `host:port`. */
  readonly remote: string;
  private readonly framer: SipStreamFramer;
  private closed = false;
  private closeReason = 'closed by peer';
  /** No byte read yet (a plain TCP connection checks its first byte for a TLS handshake). */
  private firstChunk = true;

  constructor(
    readonly socket: net.Socket,
    private readonly opts: StreamConnectionOptions,
  ) {
    this.local = formatHostPort(socket.localAddress ?? '?', socket.localPort ?? 0);
    this.remote = formatHostPort(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    this.framer = new SipStreamFramer({ maxHeaderBytes: opts.maxHeaderBytes });
    socket.setNoDelay(true);
    socket.setTimeout(opts.idleTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('timeout', () => this.close(`idle for ${opts.idleTimeoutMs} ms`));
    socket.on('error', (e) => {
      this.closeReason = `socket error: ${e.message}`;
      opts.log('warn', `connection #${this.id} ${this.remote}: ${e.message}`);
    });
    socket.on('close', () => {
      if (this.closed) return;
      this.closed = true;
      opts.onClose(this, this.closeReason);
    });
  }

  /** True until the socket closes. */
  get alive(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  /**
   * Writes bytes.
   * @returns resolves once handed to the OS; rejects when the connection is closed or fails.
   */
  write(bytes: Buffer): Promise<void> {
    if (!this.alive) return Promise.reject(new Error(`connection #${this.id} to ${this.remote} is closed`));
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (e) => (e ? reject(e) : resolve()));
    });
  }

  /** Closes the connection (idempotent). */
  close(reason: string): void {
    if (this.closed) return;
    this.closeReason = reason;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    const stamp = stampNow();
    if (this.firstChunk) {
      this.firstChunk = false;
      if (chunk[0] === TLS_HANDSHAKE_RECORD && !(this.socket instanceof tls.TLSSocket)) {
        this.opts.log('warn', `connection #${this.id} ${this.remote}: the client started a TLS handshake on this plain TCP port: it must use transport=tcp here, or a TLS listener; closing the connection`);
        this.close('TLS handshake on a plain TCP port');
        return;
      }
    }
    for (const ev of this.framer.push(chunk)) {
      switch (ev.kind) {
        case 'message':
          try {
            this.opts.onMessage(this, ev.text, stamp);
          } catch (e) {
            this.opts.log('error', `connection #${this.id}: message handler threw: ${e instanceof Error ? e.stack : String(e)}`);
          }
          break;
        case 'ping':
          this.opts.log('debug', `connection #${this.id} ${this.remote}: CRLF keep-alive ping, answering CRLF`);
          this.write(Buffer.from('\r\n')).catch(() => {});
          break;
        case 'pong':
          break;
        case 'error': {
          this.opts.log('warn', `connection #${this.id} ${this.remote}: ${ev.reason}; closing the connection`);
          let refusal: Buffer | undefined;
          try {
            refusal = ev.head !== undefined ? this.opts.onUnframeable?.(this, ev.head, ev.reason, ev.status ?? 400) : undefined;
          } catch (e) {
            this.opts.log('error', `connection #${this.id}: refusal handler threw: ${e instanceof Error ? e.message : String(e)}`);
          }
          if (refusal) {
            const reason = ev.reason;
            this.write(refusal).then(
              () => this.close(reason),
              () => this.close(reason),
            );
          } else this.close(ev.reason);
          break;
        }
      }
    }
  }
}
