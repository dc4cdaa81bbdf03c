/**
 * A UDP relay for RTP tests: one socket on 127.0.0.1 that forwards every datagram it receives to a
 * target resolved per datagram (so the target can be a call's RTP port known only after the SDP
 * exchange), dropping the ones a rule picks. One direction only: the sender's endpoint points its
 * RTP here with `MediaConfig.rtpTargetOverride`; the receiver answers the sender directly.
 */
import dgram from 'node:dgram';

/** A datagram seen by the relay: its index among RTP datagrams (0-based) and its bytes. */
export interface RelayedDatagram {
  index: number;
  data: Buffer;
}

/** The relay (see the file comment). */
export class RtpRelay {
  /** Datagrams forwarded and dropped. */
  forwarded = 0;
  dropped = 0;
  private index = 0;

  private constructor(
    private readonly socket: dgram.Socket,
    target: () => { address: string; port: number } | undefined,
    drop: (d: RelayedDatagram) => boolean,
  ) {
    socket.on('message', (data) => {
      const t = target();
      if (!t) return;
      if (drop({ index: this.index++, data })) {
        this.dropped++;
        return;
      }
      this.forwarded++;
      socket.send(data, t.port, t.address);
    });
  }

  /**
   * Starts a relay on 127.0.0.1, ephemeral port.
   * @param target - where to forward (undefined: drop silently, not yet known).
   * @param drop - true to drop a datagram; default none.
   */
  static async start(target: () => { address: string; port: number } | undefined, drop: (d: RelayedDatagram) => boolean = () => false): Promise<RtpRelay> {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(0, '127.0.0.1', () => resolve());
    });
    return new RtpRelay(s, target, drop);
  }

  /** The address to send to. */
  get address(): { address: string; port: number } {
    return { address: '127.0.0.1', port: this.socket.address().port };
  }

  /** Closes the socket. */
  close(): Promise<void> {
    return new Promise((r) => this.socket.close(() => r()));
  }
}
