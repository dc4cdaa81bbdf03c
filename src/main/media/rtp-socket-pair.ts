/**
 * Binds the UDP sockets of one call's media: RTP on an even port and RTCP on the next port up
 * (RFC 3550 §11), both ephemeral.
 */
import dgram from 'node:dgram';
import net from 'node:net';

/** Attempts at finding an even port whose successor is free. */
const PAIR_ATTEMPTS = 40;

function bind(host: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    s.once('error', (e) => {
      try {
        s.close();
      } catch {
        // never bound
      }
      reject(e);
    });
    s.bind(port, host, () => {
      s.removeAllListeners('error');
      resolve(s);
    });
  });
}

function close(s: dgram.Socket): void {
  try {
    s.close();
  } catch {
    // already closed
  }
}

/**
 * Binds an RTP socket on an even ephemeral port and the RTCP socket on port + 1.
 * @returns both sockets, or the RTP socket alone (`rtcp` undefined) when no pair was found
 *          (the call then has no RTCP, which RFC 3550 allows).
 * @throws (rejects) when not even an RTP socket can be bound on `host`.
 */
export async function bindRtpPair(host: string): Promise<{ rtp: dgram.Socket; rtcp?: dgram.Socket }> {
  for (let i = 0; i < PAIR_ATTEMPTS; i++) {
    const rtp = await bind(host, 0);
    const port = rtp.address().port;
    if (port % 2 !== 0 || port >= 65535) {
      close(rtp);
      continue;
    }
    try {
      return { rtp, rtcp: await bind(host, port + 1) };
    } catch {
      close(rtp);
    }
  }
  return { rtp: await bind(host, 0) };
}
