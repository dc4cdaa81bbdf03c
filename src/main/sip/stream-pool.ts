/**
 * The live stream connections of one transport (accepted and opened), with lazy, de-duplicated
 * connects: `send()` to a target reuses any live connection to it (RFC 3261 §18.1.1 "reuse",
 * RFC 5626 `;ob`) and only opens one when there is none.
 */
import type net from 'node:net';
import type { Stamp } from '../clock';
import type { HostPort } from './routing';
import { formatHostPort } from '../net/host-format';
import { StreamConnection, type StreamSocketFactory } from './stream-connection';

/** Callbacks and limits of a {@link StreamPool}. */
export interface StreamPoolOptions {
  factory: StreamSocketFactory;
  /** Local address outbound connections bind to. */
  localAddress: string;
  idleTimeoutMs: number;
  maxHeaderBytes?: number;
  onMessage: (conn: StreamConnection, text: string, stamp: Stamp) => void;
  /** A connection closed (after the pool forgot it). */
  onClose: (conn: StreamConnection, reason: string) => void;
  /** See StreamConnectionOptions.onUnframeable. */
  onUnframeable?: (conn: StreamConnection, head: string, reason: string, status: number) => Buffer | undefined;
  log: (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;
}

/** Connections of one stream transport. */
export class StreamPool {
  private readonly conns = new Set<StreamConnection>();
  /** Outbound connections by target `host:port`, and the connects in progress. */
  private readonly outbound = new Map<string, StreamConnection>();
  private readonly connecting = new Map<string, Promise<StreamConnection>>();
  private closed = false;

  constructor(private readonly opts: StreamPoolOptions) {}

  /** Takes an accepted (or newly connected) socket into the pool. */
  adopt(socket: net.Socket): StreamConnection {
    const conn = new StreamConnection(socket, {
      maxHeaderBytes: this.opts.maxHeaderBytes,
      idleTimeoutMs: this.opts.idleTimeoutMs,
      log: this.opts.log,
      onMessage: this.opts.onMessage,
      onUnframeable: this.opts.onUnframeable,
      onClose: (c, reason) => {
        this.conns.delete(c);
        for (const [k, v] of this.outbound) if (v === c) this.outbound.delete(k);
        this.opts.onClose(c, reason);
      },
    });
    this.conns.add(conn);
    return conn;
  }

  /**
   * A live connection to `target`: an open one when there is one, else a new connect (shared by
   * concurrent callers).
   * @returns rejects when the connect fails or the pool is closed meanwhile.
   */
  connectTo(target: HostPort): Promise<StreamConnection> {
    if (this.closed) return Promise.reject(new Error('transport is closed'));
    const key = formatHostPort(target.host, target.port);
    const open = this.outbound.get(key);
    if (open?.alive) return Promise.resolve(open);
    for (const c of this.conns) if (c.alive && c.remote === key) return Promise.resolve(c);
    const pending = this.connecting.get(key);
    if (pending) return pending;
    const p = this.opts.factory
      .connect(target, this.opts.localAddress)
      .then((socket) => {
        if (this.closed) {
          socket.destroy();
          throw new Error('transport closed while connecting');
        }
        const conn = this.adopt(socket);
        this.outbound.set(key, conn);
        this.opts.log('info', `connection #${conn.id} opened to ${key}`);
        return conn;
      })
      .finally(() => this.connecting.delete(key));
    this.connecting.set(key, p);
    return p;
  }

  /** Number of live connections. */
  get size(): number {
    return this.conns.size;
  }

  /** Accepts connects again after {@link StreamPool.closeAll} (the transport connects again). */
  reopen(): void {
    this.closed = false;
  }

  /** Closes every connection; later connects are refused until {@link StreamPool.reopen}. */
  closeAll(reason: string): void {
    this.closed = true;
    for (const c of [...this.conns]) c.close(reason);
    this.conns.clear();
    this.outbound.clear();
  }
}
