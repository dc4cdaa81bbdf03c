/**
 * A lossy UDP relay for tests: real dgram sockets on 127.0.0.1 between one client and one server.
 * The client sends to `relay.port` (as if it were the server); the relay forwards to the server
 * from its own back socket and forwards the server's replies back to the client. It drops the first
 * datagram matching each rule, once.
 */
import dgram from 'node:dgram';

/** Which way a datagram travels through the relay. */
export type RelayDirection = 'toServer' | 'toClient';

/** Drops the first datagram for which `match` is true (once). */
export interface DropRule {
  direction: RelayDirection;
  match: (text: string) => boolean;
}

/** The relay; `dropped` lists what it dropped, `forwarded` counts what it passed. */
export class LossyUdpRelay {
  readonly dropped: { direction: RelayDirection; firstLine: string }[] = [];
  forwarded = 0;
  private client: { address: string; port: number } | undefined;
  private readonly rules: (DropRule & { used: boolean })[];

  private constructor(
    private readonly front: dgram.Socket,
    private readonly back: dgram.Socket,
    private readonly server: { host: string; port: number },
    rules: DropRule[],
  ) {
    this.rules = rules.map((r) => ({ ...r, used: false }));
    front.on('message', (buf, rinfo) => {
      this.client = { address: rinfo.address, port: rinfo.port };
      if (this.drop('toServer', buf)) return;
      this.forwarded++;
      back.send(buf, server.port, server.host);
    });
    back.on('message', (buf) => {
      if (!this.client || this.drop('toClient', buf)) return;
      this.forwarded++;
      front.send(buf, this.client.port, this.client.address);
    });
  }

  /** Starts a relay in front of `server` on 127.0.0.1 (ephemeral ports). */
  static async start(server: { host: string; port: number }, rules: DropRule[]): Promise<LossyUdpRelay> {
    const bind = (): Promise<dgram.Socket> =>
      new Promise((resolve, reject) => {
        const s = dgram.createSocket('udp4');
        s.once('error', reject);
        s.bind(0, '127.0.0.1', () => resolve(s));
      });
    return new LossyUdpRelay(await bind(), await bind(), server, rules);
  }

  /** The port the client sends to. */
  get port(): number {
    return this.front.address().port;
  }

  /** Closes both sockets. */
  async close(): Promise<void> {
    await Promise.all([this.front, this.back].map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  private drop(direction: RelayDirection, buf: Buffer): boolean {
    const text = buf.toString('utf8');
    const rule = this.rules.find((r) => !r.used && r.direction === direction && r.match(text));
    if (!rule) return false;
    rule.used = true;
    this.dropped.push({ direction, firstLine: text.slice(0, text.indexOf('\r\n')) });
    return true;
  }
}
