import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateInfo, generateSelfSigned, splitPemCertificates } from '../../../src/main/tls/certificates';
import { loadOrCreateListenerCertificate } from '../../../src/main/tls/listener-certificate';
import { readCaFile, trustedCaCertificates } from '../../../src/main/tls/trusted-cas';

const DAY = 86_400_000;
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lab-certs-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('generateSelfSigned', () => {
  it('makes a server certificate for the given DNS names and IPs, with a SHA-256 fingerprint', async () => {
    const c = await generateSelfSigned({ commonName: 'bot.example.com', altNames: ['bot.example.com', '127.0.0.1', '::1'], days: 30 });
    const x = new X509Certificate(c.certPem);
    expect(x.subject).toBe('CN=bot.example.com');
    expect(x.checkHost('bot.example.com')).toBe('bot.example.com');
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x.checkIP('::1')).toBeDefined();
    expect(x.checkHost('other.example.com')).toBeUndefined();
    expect(x.ca).toBe(false);
    expect(c.fingerprint256).toBe(x.fingerprint256);
    expect(c.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(c.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(Math.round((c.notAfter.getTime() - c.notBefore.getTime()) / DAY)).toBe(30);
    expect(certificateInfo(c.certPem)).toMatchObject({ subject: 'bot.example.com', issuer: 'bot.example.com', selfSigned: true, altNames: ['DNS:bot.example.com', 'IP Address:127.0.0.1', expect.stringMatching(/^IP Address:/)] });
  });

  it('names the common name when no names are given; accepts a validity in the past', async () => {
    const past = await generateSelfSigned({ commonName: 'old.example', notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
    expect(certificateInfo(past.certPem).altNames).toEqual(['DNS:old.example']);
    expect(past.notAfter.getTime()).toBeLessThan(Date.now());
  });

  it('makes a CA and certificates it signs', async () => {
    const ca = await generateSelfSigned({ commonName: 'Test CA', isCa: true });
    expect(new X509Certificate(ca.certPem).ca).toBe(true);
    const leaf = await generateSelfSigned({ commonName: 'sip.example.com', issuer: ca });
    const x = new X509Certificate(leaf.certPem);
    expect(x.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(x.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(certificateInfo(leaf.certPem)).toMatchObject({ issuer: 'Test CA', selfSigned: false });
  });

  it('refuses an empty name and a validity that ends before it starts', async () => {
    await expect(generateSelfSigned({ commonName: ' ' })).rejects.toThrow(/needs a common name/);
    await expect(generateSelfSigned({ commonName: 'a', notBefore: new Date(), notAfter: new Date(Date.now() - DAY) })).rejects.toThrow(/ends .* before it starts/);
  });
});

describe('splitPemCertificates, readCaFile, trustedCaCertificates', () => {
  it('reads every certificate of a bundle, ignoring text around them', async () => {
    const [a, b] = await Promise.all([generateSelfSigned({ commonName: 'a' }), generateSelfSigned({ commonName: 'b' })]);
    const file = join(tempDir(), 'bundle.pem');
    writeFileSync(file, `# bundle\n${a.certPem}\nsome text\n${b.certPem}`);
    expect(splitPemCertificates(readFileSync(file, 'utf8'))).toHaveLength(2);
    expect(readCaFile(file).map((p) => new X509Certificate(p).fingerprint256)).toEqual([a.fingerprint256, b.fingerprint256]);
    const trusted = trustedCaCertificates({ caFile: file });
    expect(trusted.length).toBeGreaterThan(2); // the system's and Node's CAs plus the file's
    expect(trustedCaCertificates({ caFile: file, defaults: false })).toHaveLength(2);
  });

  it('names the file and what to do when it cannot be used', () => {
    const dir = tempDir();
    expect(() => readCaFile(join(dir, 'missing.pem'))).toThrow(/cannot read the CA file .*missing\.pem \(ENOENT\)/);
    writeFileSync(join(dir, 'der.cer'), Buffer.from([0x30, 0x82, 0x01]));
    expect(() => readCaFile(join(dir, 'der.cer'))).toThrow(/holds no PEM certificate .*openssl x509 -inform der/);
    writeFileSync(join(dir, 'bad.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(() => readCaFile(join(dir, 'bad.pem'))).toThrow(/holds an unreadable certificate \(number 1\)/);
  });
});

describe('loadOrCreateListenerCertificate', () => {
  it('keeps the certificate: same fingerprint next time; the key file is private', async () => {
    const dir = join(tempDir(), 'tls');
    const first = await loadOrCreateListenerCertificate({ names: ['10.1.2.3', 'localhost'], dir });
    expect(first.created).toBe(true);
    expect(first.certFile).toBe(join(dir, 'listener-cert.pem'));
    expect(statSync(join(dir, 'listener-key.pem')).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateListenerCertificate({ names: ['localhost', '10.1.2.3'], dir });
    expect(again.created).toBe(false);
    expect(again.fingerprint256).toBe(first.fingerprint256);
    expect(again.keyPem).toBe(first.keyPem);
  });

  it('makes a new one when a name is missing, it is about to expire, or the files are damaged', async () => {
    const dir = tempDir();
    const first = await loadOrCreateListenerCertificate({ names: ['10.1.2.3'], dir });
    const moreNames = await loadOrCreateListenerCertificate({ names: ['10.1.2.3', '10.9.9.9'], dir });
    expect(moreNames.created).toBe(true);
    expect(moreNames.fingerprint256).not.toBe(first.fingerprint256);
    const renewed = await loadOrCreateListenerCertificate({ names: ['10.1.2.3'], dir, renewBeforeDays: 10_000 });
    expect(renewed.created).toBe(true);
    writeFileSync(join(dir, 'listener-key.pem'), 'garbage');
    const repaired = await loadOrCreateListenerCertificate({ names: ['10.1.2.3'], dir });
    expect(repaired.created).toBe(true);
    expect(new X509Certificate(repaired.certPem).checkIP('10.1.2.3')).toBe('10.1.2.3');
  });

  it('still gives a certificate when the folder cannot be written, with a warning', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    const c = await loadOrCreateListenerCertificate({ names: ['127.0.0.1'], dir: join(file, 'tls') });
    expect(c.certFile).toBeNull();
    expect(c.warning).toMatch(/cannot keep the listener certificate in .*: .*fingerprint changes at each launch/);
  });

  it('needs a name', async () => {
    await expect(loadOrCreateListenerCertificate({ names: ['0.0.0.0', ''], dir: tempDir() })).rejects.toThrow(/at least one host name/);
  });
});
