/**
 * SIP over TLS between two SipEndpoints on loopback (port 0): a call with X- headers completes
 * (records say `tls`, Via SIP/2.0/TLS, Contact ;transport=tls), and each TLS failure ends the
 * call `failed` with its own message: untrusted CA, self-signed, wrong name, expired, handshake
 * refused (plain TCP port, reset), handshake timeout, connection refused. A good call still
 * completes after a failed one, and a kept self-signed certificate keeps its fingerprint.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { headerValues } from '../../../src/main/sip/message';
import { SipEndpoint, type SipEndpointOptions } from '../../../src/main/sip/endpoint';
import type { SipTlsOptions } from '../../../src/main/sip/tls-setup';
import { generateSelfSigned, type GeneratedCertificate } from '../../../src/main/tls/certificates';
import type { SipMessageRecord } from '../../../src/shared/types';
import { ladder, nextIncomingCall } from '../../helpers/sip/endpoints';

const DAY = 86_400_000;
const eps: SipEndpoint[] = [];
const servers: net.Server[] = [];
const rawSockets = new Set<net.Socket>();
const dirs: string[] = [];
let labCa: GeneratedCertificate;
let otherCa: GeneratedCertificate;
let good: GeneratedCertificate;
let fromOtherCa: GeneratedCertificate;
let wrongName: GeneratedCertificate;
let expired: GeneratedCertificate;

beforeAll(async () => {
  labCa = await generateSelfSigned({ commonName: 'Lab Test CA', isCa: true });
  otherCa = await generateSelfSigned({ commonName: 'Other CA', isCa: true });
  const loopback = ['127.0.0.1', 'localhost'];
  [good, fromOtherCa, wrongName, expired] = await Promise.all([
    generateSelfSigned({ commonName: '127.0.0.1', altNames: loopback, issuer: labCa }),
    generateSelfSigned({ commonName: '127.0.0.1', altNames: loopback, issuer: otherCa }),
    generateSelfSigned({ commonName: 'bot.other.com', altNames: ['bot.other.com'], issuer: labCa }),
    generateSelfSigned({ commonName: '127.0.0.1', altNames: loopback, issuer: labCa, notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - 2 * DAY) }),
  ]);
});

afterEach(async () => {
  await Promise.all(eps.splice(0).map((e) => e.stop()));
  for (const s of rawSockets) s.destroy();
  rawSockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Started {
  ep: SipEndpoint;
  logs: string[];
  wire: SipMessageRecord[];
}

async function start(user: string, tls: SipTlsOptions, extra: Partial<SipEndpointOptions> = {}): Promise<Started> {
  const logs: string[] = [];
  const wire: SipMessageRecord[] = [];
  const ep = await SipEndpoint.start({
    transport: 'tls',
    host: '127.0.0.1',
    port: 0,
    user,
    tls,
    log: (level, msg) => {
      logs.push(`${level} ${msg}`);
      if (process.env.SIP_TEST_LOG) console.log(`[${user} ${level}] ${msg}`);
    },
    onWire: (r) => wire.push(r),
    ...extra,
  });
  eps.push(ep);
  return { ep, logs, wire };
}

/** A caller trusting only the lab CA (plus the system's), and a callee presenting `cert`. */
async function callerAndCallee(cert: GeneratedCertificate): Promise<{ caller: Started; callee: Started }> {
  const callee = await start('bot', { certPem: cert.certPem, keyPem: cert.keyPem });
  const caller = await start('cxone', { caPem: [labCa.certPem] });
  return { caller, callee };
}

/** Places a call that must fail at TLS, and returns its end reason. */
async function failedReason(caller: Started, target: string): Promise<string> {
  const out = caller.ep.invite(target, { extraHeaders: [{ name: 'X-ContactID', value: '1' }] });
  const end = await out.waitForEnd(10_000);
  expect(out.state).toBe('failed');
  expect(end.by).toBe('none');
  expect(out.messages.filter((m) => m.direction === 'out')).toEqual([]);
  return end.reason;
}

async function completeCall(caller: Started, callee: Started, target: string): Promise<void> {
  const incoming = nextIncomingCall(callee.ep);
  const out = caller.ep.invite(target, { extraHeaders: [{ name: 'X-ContactID', value: '998877' }] });
  const call = await incoming;
  expect(call.invite?.parsed.headers).toContainEqual({ name: 'X-ContactID', value: '998877' });
  await call.accept();
  await out.waitForState('answered', 5000);
  await out.hangup();
  expect(await call.waitForEnd(5000)).toEqual({ by: 'remote', reason: 'BYE' });
  expect(await out.waitForEnd(5000)).toEqual({ by: 'local', reason: 'BYE' });
}

async function rawServer(onSocket: (s: net.Socket) => void): Promise<number> {
  const server = net.createServer((s) => {
    s.on('error', () => {});
    rawSockets.add(s);
    onSocket(s);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as net.AddressInfo).port;
}

describe('SIP over TLS', () => {
  it('completes a call with X- headers: INVITE/100/180/200/ACK/BYE/200, all recorded as tls', async () => {
    const { caller, callee } = await callerAndCallee(good);
    expect(callee.ep.listener.uri).toBe(`sip:bot@127.0.0.1:${callee.ep.listener.port};transport=tls`);
    expect(callee.ep.tlsCertificate?.fingerprint256).toBe(good.fingerprint256);
    const incoming = nextIncomingCall(callee.ep);
    const out = caller.ep.invite(`sip:4930123456@127.0.0.1:${callee.ep.listener.port};transport=tls`, {
      extraHeaders: [{ name: 'X-ContactID', value: '998877' }, { name: 'X-Skill', value: 'billing' }],
    });
    const call = await incoming;
    expect(call.transport).toBe('tls');
    expect(call.invite?.raw).toContain('\r\nX-ContactID: 998877\r\nX-Skill: billing\r\n');
    const via = headerValues(call.invite!.parsed.headers, 'via')[0]!;
    expect(via).toMatch(new RegExp(`^SIP/2\\.0/TLS 127\\.0\\.0\\.1:${caller.ep.listener.port};branch=`));
    expect(headerValues(call.invite!.parsed.headers, 'contact')[0]).toMatch(/;transport=tls/);
    await call.accept();
    await out.waitForState('answered', 5000);
    expect(out.media.remote?.port).toBe(call.media.local.port);
    await out.hangup();
    expect(await call.waitForEnd(5000)).toEqual({ by: 'remote', reason: 'BYE' });
    expect(await out.waitForEnd(5000)).toEqual({ by: 'local', reason: 'BYE' });
    expect(ladder(out.messages)).toEqual(['>INVITE', '<100', '<180', '<200', '>ACK', '>BYE', '<200']);
    expect(ladder(call.messages)).toEqual(['<INVITE', '>100', '>180', '>200', '<ACK', '<BYE', '>200']);
    for (const c of [out, call]) expect(c.messages.every((m) => m.transport === 'tls')).toBe(true);
    // One TLS connection carried the whole dialog.
    expect(new Set(call.messages.map((m) => m.remote)).size).toBe(1);
  });

  it('reaches a peer by host name (SNI and the name check use it) and sends a sips: target as sip:…;transport=tls', async () => {
    const { caller, callee } = await callerAndCallee(good);
    await completeCall(caller, callee, `sip:bot@localhost:${callee.ep.listener.port};transport=tls`);
    const incoming = nextIncomingCall(callee.ep);
    const out = caller.ep.invite(`sips:bot@127.0.0.1:${callee.ep.listener.port}`);
    const call = await incoming;
    expect(call.invite?.parsed.requestUri).toBe(`sip:bot@127.0.0.1:${callee.ep.listener.port};transport=tls`);
    await call.reject(486);
    expect((await out.waitForEnd(5000)).reason).toBe('486 Busy Here');
  });

  it('takes an INVITE whose Request-URI is sips: (sip.js alone would answer 416)', async () => {
    const callee = await start('bot', { certPem: good.certPem, keyPem: good.keyPem });
    const incoming = nextIncomingCall(callee.ep);
    const sock = tls.connect({ host: '127.0.0.1', port: callee.ep.listener.port, ca: [labCa.certPem] });
    sock.on('error', () => {});
    await new Promise<void>((r) => sock.once('secureConnect', () => r()));
    let data = '';
    const got486 = new Promise<void>((r) =>
      sock.on('data', (b: Buffer) => {
        data += b.toString();
        if (data.includes('SIP/2.0 486 ')) r();
      }),
    );
    const ruri = `sips:4930123456@127.0.0.1:${callee.ep.listener.port}`;
    const local = `127.0.0.1:${sock.localPort}`;
    sock.write(
      [
        `INVITE ${ruri} SIP/2.0`,
        `Via: SIP/2.0/TLS ${local};branch=z9hG4bK-sips-1`,
        'Max-Forwards: 70',
        `From: <sips:cxone@${local}>;tag=f1`,
        `To: <${ruri}>`,
        'Call-ID: sips-call-1',
        'CSeq: 1 INVITE',
        `Contact: <sips:cxone@${local}>`,
        'X-ContactID: 4242',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    const call = await incoming;
    expect(call.originalRequestUri).toBe(ruri);
    await call.reject(486);
    await got486;
    expect(data).toContain('SIP/2.0 486 Busy Here');
    expect(data).not.toContain('416');
    sock.destroy();
  });

  it('a sips: target on a TCP endpoint is refused with a clear error', async () => {
    const ep = await SipEndpoint.start({ transport: 'tcp', host: '127.0.0.1', port: 0 });
    eps.push(ep);
    expect(() => ep.invite('sips:bot@127.0.0.1:5061')).toThrow(/sips: URI: it needs a TLS endpoint/);
  });

  it('a certificate from a CA the caller does not trust: its own message, naming the peer and --ca-file', async () => {
    const { caller, callee } = await callerAndCallee(fromOtherCa);
    const where = `127.0.0.1:${callee.ep.listener.port}`;
    const reason = await failedReason(caller, `sip:bot@${where};transport=tls`);
    expect(reason).toBe(
      `TLS to ${where}: the certificate of ${where} (127.0.0.1, issued by Other CA) is signed by a CA this app does not trust: give its CA with --ca-file FILE`,
    );
    expect(callee.ep.calls()).toEqual([]);
  });

  it('an untrusted self-signed certificate: its own message', async () => {
    const callee = await start('bot', { selfSigned: true, certDir: null });
    const caller = await start('cxone', { caPem: [labCa.certPem] });
    const reason = await failedReason(caller, `sip:bot@127.0.0.1:${callee.ep.listener.port};transport=tls`);
    expect(reason).toMatch(/is self-signed and this app does not trust it: if this is the right peer, give that certificate as a trusted CA with --ca-file FILE$/);
  });

  it('a certificate for another name: its own message, with the names it holds', async () => {
    const { caller, callee } = await callerAndCallee(wrongName);
    const where = `127.0.0.1:${callee.ep.listener.port}`;
    const reason = await failedReason(caller, `sip:bot@${where};transport=tls`);
    expect(reason).toBe(
      `TLS to ${where}: the certificate of 127.0.0.1 is for bot.other.com (names: DNS:bot.other.com), not 127.0.0.1: check the host name in the SIP URI (use one of the certificate's names)`,
    );
  });

  it('an expired certificate: its own message, with the date', async () => {
    const { caller, callee } = await callerAndCallee(expired);
    const reason = await failedReason(caller, `sip:bot@127.0.0.1:${callee.ep.listener.port};transport=tls`);
    const day = expired.notAfter.toISOString().slice(0, 10);
    expect(reason).toMatch(new RegExp(`the certificate of 127\\.0\\.0\\.1:\\d+ \\(127\\.0\\.0\\.1, issued by Lab Test CA\\) expired on ${day}: the peer must renew it`));
    expect(callee.logs.some((l) => /TLS listener certificate 127\.0\.0\.1 expired/.test(l))).toBe(true);
  });

  it('a plain TCP SIP port refuses the handshake: its own message; the TCP side logs why', async () => {
    const tcpLogs: string[] = [];
    const tcp = await SipEndpoint.start({ transport: 'tcp', host: '127.0.0.1', port: 0, user: 'bot', log: (_l, m) => tcpLogs.push(m) });
    eps.push(tcp);
    const caller = await start('cxone', { caPem: [labCa.certPem] });
    const where = `127.0.0.1:${tcp.listener.port}`;
    const reason = await failedReason(caller, `sip:bot@${where};transport=tls`);
    expect(reason).toMatch(/^TLS to ([\d.:]+): \1 refused the TLS handshake \((ECONNRESET|connection closed)\): is it a TLS port\? \(SIP over TLS is usually port 5061; 5060 is plain UDP\/TCP\)$/);
    expect(reason).toContain(where);
    expect(tcpLogs.some((m) => /started a TLS handshake on this plain TCP port/.test(m))).toBe(true);
  });

  it('a server that resets the connection: handshake refused', async () => {
    const port = await rawServer((s) => s.once('data', () => s.resetAndDestroy()));
    const caller = await start('cxone', {});
    const reason = await failedReason(caller, `sip:bot@127.0.0.1:${port};transport=tls`);
    expect(reason).toMatch(/^TLS to 127\.0\.0\.1:\d+: 127\.0\.0\.1:\d+ refused the TLS handshake \((ECONNRESET|connection closed)\): is it a TLS port\?/);
  });

  it('a server that answers with plain text: not TLS', async () => {
    const port = await rawServer((s) => s.once('data', () => s.end('SIP/2.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n')));
    const caller = await start('cxone', {});
    const reason = await failedReason(caller, `sip:bot@127.0.0.1:${port};transport=tls`);
    expect(reason).toMatch(/answered the TLS handshake with something that is not TLS: is it a TLS port\?/);
  });

  it('a silent server: handshake timeout (a parameter, small here)', async () => {
    const port = await rawServer(() => {});
    const caller = await start('cxone', { handshakeTimeoutMs: 200 });
    const reason = await failedReason(caller, `sip:bot@127.0.0.1:${port};transport=tls`);
    expect(reason).toMatch(/accepted the TCP connection but did not finish the TLS handshake within 200 ms: is it a TLS port\?/);
  });

  it('nothing listening: connection refused', async () => {
    const port = await rawServer(() => {});
    await new Promise<void>((r) => servers.pop()!.close(() => r()));
    const caller = await start('cxone', {});
    const reason = await failedReason(caller, `sip:bot@127.0.0.1:${port};transport=tls`);
    expect(reason).toBe(`TLS to 127.0.0.1:${port}: nothing listens on 127.0.0.1:${port} (connection refused): check the host and port, and that the peer listens for SIP over TLS`);
  });

  it('after a failed TLS call the same caller completes a good one', async () => {
    const bad = await start('bot', { certPem: fromOtherCa.certPem, keyPem: fromOtherCa.keyPem });
    const { caller, callee } = await callerAndCallee(good);
    expect(await failedReason(caller, `sip:bot@127.0.0.1:${bad.ep.listener.port};transport=tls`)).toMatch(/does not trust/);
    await completeCall(caller, callee, `sip:bot@127.0.0.1:${callee.ep.listener.port};transport=tls`);
    expect(await failedReason(caller, `sip:bot@127.0.0.1:${bad.ep.listener.port};transport=tls`)).toMatch(/does not trust/);
  });

  it('keeps a self-signed listener certificate on disk: same fingerprint next time, usable as the peer CA file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-tls-'));
    dirs.push(dir);
    const first = await start('bot', { selfSigned: true, certDir: dir });
    const cert = first.ep.tlsCertificate!;
    expect(cert.selfSigned).toBe(true);
    expect(cert.certFile).toBe(join(dir, 'listener-cert.pem'));
    expect(existsSync(join(dir, 'listener-key.pem'))).toBe(true);
    expect(readFileSync(cert.certFile!, 'utf8')).toBe(cert.certPem);
    const caller = await start('cxone', { caFile: cert.certFile! });
    await completeCall(caller, first, `sip:bot@127.0.0.1:${first.ep.listener.port};transport=tls`);
    await first.ep.stop();
    const again = await start('bot', { selfSigned: true, certDir: dir });
    expect(again.ep.tlsCertificate?.fingerprint256).toBe(cert.fingerprint256);
  });

  it('refuses unusable TLS settings at start with a clear error', async () => {
    await expect(start('bot', { caFile: '/nonexistent/ca.pem' })).rejects.toThrow(/cannot read the CA file \/nonexistent\/ca\.pem \(ENOENT\)/);
    await expect(start('bot', { certPem: good.certPem })).rejects.toThrow(/needs its key/);
    await expect(start('bot', { certPem: good.certPem, keyPem: otherCa.keyPem })).rejects.toThrow(/key does not belong/);
  });
});
