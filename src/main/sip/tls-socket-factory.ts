/**
 * A {@link StreamSocketFactory} for SIP over TLS: the listener presents a certificate; outgoing
 * connections send the target host as SNI, verify the peer's chain against the trusted CAs and its
 * name against the SIP URI host, and fail with a {@link TlsConnectError} whose message says what to
 * do. Framing, routing and records stay the TCP ones (stream-connection.ts).
 *
 * The peer's certificate is checked after the handshake and before the socket is handed over (Node
 * `rejectUnauthorized: false`, then `authorized` + `checkServerIdentity`): no byte is written on a
 * connection that failed the check, and the message can name the certificate's dates and names.
 *
 * @remarks RFC 3261 §26.3.1 and RFC 5922 §7 (a SIP server's identity is the URI host, checked
 * against subjectAltName), RFC 6066 §3 (SNI: a host name, never an IP literal), RFC 5280 §6.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { HostPort } from './routing';
import { formatHostPort } from '../net/host-format';
import { type StreamSocketFactory } from './stream-connection';
import {
  describeTlsClientError,
  describeTlsFailure,
  TLS_CLOSED_BEFORE_HANDSHAKE,
  TLS_CONNECT_TIMEOUT,
  TLS_HANDSHAKE_TIMEOUT,
  type NodeErrorLike,
} from './tls-errors';

/** Default limit on TCP connect + TLS handshake (ms). */
export const DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

/** Options of {@link createTlsSocketFactory}. */
export interface TlsSocketFactoryOptions {
  /** Our certificate chain (PEM): required to listen; offered as a client certificate when a server asks. */
  certPem?: string;
  /** Private key of `certPem` (PEM). */
  keyPem?: string;
  /** Trusted CA certificates (PEM) for outgoing connections; see trusted-cas.ts. */
  ca: readonly string[];
  /** Name to check peer certificates against instead of the target host (e.g. when dialling an IP). */
  serverName?: string;
  /** Limit on TCP connect + handshake, both directions (ms); default {@link DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS}. */
  handshakeTimeoutMs?: number;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;
}

/**
 * Makes the TLS socket factory.
 * @returns a factory whose `listen` rejects without `certPem`/`keyPem`, and whose `connect`
 *          rejects with a {@link TlsConnectError}.
 */
export function createTlsSocketFactory(opts: TlsSocketFactoryOptions): StreamSocketFactory {
  const timeoutMs = opts.handshakeTimeoutMs ?? DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS;
  const log = opts.log ?? (() => {});
  const ca = [...opts.ca];
  return {
    kind: 'tls',
    listen(host, port, onSocket) {
      return new Promise((resolve, reject) => {
        if (!opts.certPem || !opts.keyPem) {
          reject(new Error('a TLS listener needs a certificate and its key (or a generated self-signed one)'));
          return;
        }
        let server: tls.Server;
        try {
          server = tls.createServer({ cert: opts.certPem, key: opts.keyPem, handshakeTimeout: timeoutMs }, onSocket);
        } catch (e) {
          reject(new Error(`the TLS certificate or key is unusable: ${(e as Error).message}`, { cause: e }));
          return;
        }
        server.on('tlsClientError', (e: NodeErrorLike, socket: tls.TLSSocket) => {
          log('warn', describeTlsClientError(e, formatHostPort(socket.remoteAddress ?? '?', socket.remotePort ?? 0)));
        });
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server);
        });
      });
    },
    connect(target, localAddress) {
      return connectTls(target, localAddress, { ...opts, ca, timeoutMs });
    },
  };
}

/** One outgoing TLS connection, settled once: the verified socket, or a TlsConnectError. */
function connectTls(
  target: HostPort,
  localAddress: string | undefined,
  opts: TlsSocketFactoryOptions & { timeoutMs: number },
): Promise<net.Socket> {
  const where = formatHostPort(target.host, target.port);
  const checkName = opts.serverName ?? target.host;
  return new Promise((resolve, reject) => {
    let socket: tls.TLSSocket;
    // tls.connect takes every socket.connect() option too (Node docs); the types omit localAddress.
    const options: tls.ConnectionOptions & { localAddress?: string } = {
      host: target.host,
      port: target.port,
      localAddress: localAddress && !isWildcard(localAddress) ? localAddress : undefined,
      servername: net.isIP(checkName) ? undefined : checkName,
      ca: opts.ca as string[],
      cert: opts.certPem,
      key: opts.keyPem,
      rejectUnauthorized: false,
      // The name is checked below, against `checkName`, once the chain is known to be good.
      checkServerIdentity: () => undefined,
    };
    try {
      socket = tls.connect(options);
    } catch (e) {
      reject(describeTlsFailure({ message: (e as Error).message, code: (e as NodeJS.ErrnoException).code }, { target: where, serverName: checkName }));
      return;
    }
    let tcpUp = false;
    let settled = false;
    const onError = (e: NodeErrorLike): void => fail(e);
    const onClose = (): void => fail({ code: TLS_CLOSED_BEFORE_HANDSHAKE, message: 'connection closed before the TLS handshake ended' });
    const settle = (): void => {
      settled = true;
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    const fail = (err: NodeErrorLike, peerCert?: tls.PeerCertificate): void => {
      if (settled) return;
      settle();
      // Keep a listener: a late error on the dying socket must not become an uncaught exception.
      socket.on('error', () => {});
      socket.destroy();
      reject(describeTlsFailure(err, { target: where, serverName: checkName, peerCert, timeoutMs: opts.timeoutMs }));
    };
    const timer = setTimeout(() => {
      fail({ code: tcpUp ? TLS_HANDSHAKE_TIMEOUT : TLS_CONNECT_TIMEOUT, message: 'timeout' });
    }, opts.timeoutMs);
    socket.once('connect', () => (tcpUp = true));
    socket.on('error', onError);
    socket.once('close', onClose);
    socket.once('secureConnect', () => {
      if (settled) return;
      const cert = socket.getPeerCertificate();
      if (!socket.authorized) {
        const code = String(socket.authorizationError ?? 'UNKNOWN');
        fail({ code, message: code }, cert);
        return;
      }
      const nameError = tls.checkServerIdentity(checkName, cert);
      if (nameError) {
        fail(nameError as NodeErrorLike, cert);
        return;
      }
      settle();
      opts.log?.('info', `TLS to ${where}: ${socket.getProtocol() ?? 'TLS'}, certificate ${String(cert.subject?.CN ?? '?')} verified for ${checkName}`);
      resolve(socket);
    });
  });
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}
