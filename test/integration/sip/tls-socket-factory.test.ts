/**
 * The TLS socket factory on its own, against real TLS servers on 127.0.0.1: SNI carries the host
 * name (never an IP literal, RFC 6066 §3), a configured server name replaces the target host for
 * the check, the listener needs a certificate, and a client that fails the handshake is logged in
 * words.
 */
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTlsSocketFactory } from '../../../src/main/sip/tls-socket-factory';
import { TlsConnectError } from '../../../src/main/sip/tls-errors';
import { generateSelfSigned, type GeneratedCertificate } from '../../../src/main/tls/certificates';

let ca: GeneratedCertificate;
let loopback: GeneratedCertificate;
let named: GeneratedCertificate;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ca = await generateSelfSigned({ commonName: 'Factory CA', isCa: true });
  loopback = await generateSelfSigned({ commonName: 'localhost', altNames: ['localhost', '127.0.0.1'], issuer: ca });
  named = await generateSelfSigned({ commonName: 'bot.other.com', altNames: ['bot.other.com'], issuer: ca });
});

afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** A TLS server that records the SNI name of each client; `seen(n)` waits for n clients. */
async function sniServer(cert: GeneratedCertificate): Promise<{ port: number; names: (string | false)[]; seen: (n: number) => Promise<void> }> {
  const names: (string | false)[] = [];
  const sockets = new Set<tls.TLSSocket>();
  const waiters: (() => void)[] = [];
  const server = tls.createServer({ cert: cert.certPem, key: cert.keyPem }, (s) => {
    names.push((s as tls.TLSSocket & { servername: string | false }).servername);
    sockets.add(s);
    s.on('error', () => {});
    for (const w of waiters.splice(0)) w();
  });
  const seen = async (n: number): Promise<void> => {
    while (names.length < n) await new Promise<void>((r) => waiters.push(r));
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return { port: (server.address() as net.AddressInfo).port, names, seen };
}

describe('TLS socket factory', () => {
  it('sends the host name as SNI, and no SNI for an IP literal', async () => {
    const srv = await sniServer(loopback);
    const factory = createTlsSocketFactory({ ca: [ca.certPem] });
    const byName = await factory.connect({ host: 'localhost', port: srv.port });
    const byIp = await factory.connect({ host: '127.0.0.1', port: srv.port });
    await srv.seen(2);
    byName.destroy();
    byIp.destroy();
    expect(srv.names).toEqual(['localhost', false]);
  });

  it('checks a configured server name instead of the dialled address', async () => {
    const srv = await sniServer(named);
    await expect(createTlsSocketFactory({ ca: [ca.certPem] }).connect({ host: '127.0.0.1', port: srv.port })).rejects.toMatchObject({
      kind: 'name-mismatch',
    });
    const sock = await createTlsSocketFactory({ ca: [ca.certPem], serverName: 'bot.other.com' }).connect({ host: '127.0.0.1', port: srv.port });
    // The refused client may be gone before the server saw its handshake end: wait for the good one.
    for (let n = 1; !srv.names.includes('bot.other.com'); n++) await srv.seen(n);
    sock.destroy();
    expect(srv.names.at(-1)).toBe('bot.other.com');
  });

  it('rejects with a TlsConnectError, with the system CAs alone not trusting a private CA', async () => {
    const srv = await sniServer(loopback);
    const err = await createTlsSocketFactory({ ca: tls.getCACertificates('default') }).connect({ host: '127.0.0.1', port: srv.port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TlsConnectError);
    expect((err as TlsConnectError).kind).toBe('unknown-ca');
  });

  it('will not listen without a certificate', async () => {
    await expect(createTlsSocketFactory({ ca: [] }).listen('127.0.0.1', 0, () => {})).rejects.toThrow(/needs a certificate and its key/);
  });

  it('logs a client that speaks plain text to the TLS listener', async () => {
    const logs: string[] = [];
    const factory = createTlsSocketFactory({ ca: [], certPem: loopback.certPem, keyPem: loopback.keyPem, log: (_l, m) => logs.push(m) });
    const server = await factory.listen('127.0.0.1', 0, (s) => s.destroy());
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as net.AddressInfo).port;
    const plain = net.connect(port, '127.0.0.1');
    plain.on('error', () => {});
    plain.write('OPTIONS sip:bot@127.0.0.1 SIP/2.0\r\n\r\n');
    await new Promise<void>((r) => plain.on('close', () => r()));
    expect(logs.some((m) => /sent something that is not TLS to this TLS port/.test(m))).toBe(true);
  });
});
