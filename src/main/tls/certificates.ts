/**
 * X.509 certificates made by the app: a self-signed certificate for a TLS listener (SIP over TLS,
 * the CXone emulator's HTTPS), and for tests a small CA and certificates it signs (a wrong CA, a
 * wrong name, an expired certificate). Everything is PEM text; nothing is written here (see
 * listener-certificate.ts for the copy kept on disk).
 *
 * @remarks RFC 5280 (X.509 profile: validity §4.1.2.5, basicConstraints §4.2.1.9, subjectAltName
 * §4.2.1.6); RFC 5922 §7.1 (a SIP server's identity is in its subjectAltName DNS names). Keys are
 * ECDSA P-256 and signatures SHA-256 (package `selfsigned`).
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/** What to put in a generated certificate. */
export interface CertificateRequest {
  /** Subject CN, e.g. `sip.example.com` or `127.0.0.1`; also added to the names when none is given. */
  commonName: string;
  /** subjectAltName entries: DNS names and IP literals (IPv4/IPv6), e.g. `['localhost', '127.0.0.1']`. */
  altNames?: readonly string[];
  /** Validity in days from `notBefore` (default 365); ignored when `notAfter` is given. */
  days?: number;
  /** Start of validity; default now. May be in the past (tests of an expired certificate). */
  notBefore?: Date;
  /** End of validity; default `notBefore` + `days`. May be in the past. */
  notAfter?: Date;
  /** Make a CA certificate (basicConstraints cA, keyCertSign) instead of a server certificate. */
  isCa?: boolean;
  /** Sign with this CA (from an earlier call with `isCa`) instead of self-signing. */
  issuer?: { certPem: string; keyPem: string };
}

/** A generated certificate and its private key. */
export interface GeneratedCertificate {
  /** The certificate, PEM (`-----BEGIN CERTIFICATE-----`). */
  certPem: string;
  /** The unencrypted PKCS#8 private key, PEM. Keep it out of logs. */
  keyPem: string;
  /** SHA-256 fingerprint of the DER certificate, upper-case hex pairs joined by `:`. */
  fingerprint256: string;
  notBefore: Date;
  notAfter: Date;
}

/** What the app shows about a certificate. */
export interface CertificateInfo {
  /** Subject CN, or the whole subject when it has no CN. */
  subject: string;
  /** Issuer CN, or the whole issuer. */
  issuer: string;
  /** subjectAltName entries as `DNS:name` / `IP Address:addr`. */
  altNames: string[];
  notBefore: Date;
  notAfter: Date;
  fingerprint256: string;
  /** Issuer and subject are the same. */
  selfSigned: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Generates a certificate and key: self-signed, or signed by `req.issuer`.
 * @returns PEM strings and the SHA-256 fingerprint.
 * @throws Error when the common name is empty, the validity ends before it starts, or the issuer
 *         cannot sign (unreadable PEM).
 */
export async function generateSelfSigned(req: CertificateRequest): Promise<GeneratedCertificate> {
  const cn = req.commonName.trim();
  if (cn === '') throw new Error('a certificate needs a common name');
  const notBefore = req.notBefore ?? new Date();
  const notAfter = req.notAfter ?? new Date(notBefore.getTime() + (req.days ?? 365) * DAY_MS);
  if (notAfter.getTime() <= notBefore.getTime()) {
    throw new Error(`certificate validity ends (${notAfter.toISOString()}) before it starts (${notBefore.toISOString()})`);
  }
  const names = [...new Set(req.altNames && req.altNames.length > 0 ? req.altNames : [cn])];
  const altNames = names.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n }));
  const extensions = req.isCa
    ? [
        { name: 'basicConstraints' as const, cA: true, critical: true },
        { name: 'keyUsage' as const, keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ]
    : [
        { name: 'basicConstraints' as const, cA: false, critical: true },
        { name: 'keyUsage' as const, digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage' as const, serverAuth: true, clientAuth: true },
        { name: 'subjectAltName' as const, altNames },
      ];
  const out = await generate([{ name: 'commonName', value: cn }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions,
    ...(req.issuer ? { ca: { cert: req.issuer.certPem, key: req.issuer.keyPem } } : {}),
  });
  const x509 = new X509Certificate(out.cert);
  return {
    certPem: out.cert,
    keyPem: out.private,
    fingerprint256: x509.fingerprint256,
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
  };
}

/**
 * Reads the facts the app shows about a PEM certificate (the first one in the text).
 * @throws Error when the text holds no parseable certificate.
 */
export function certificateInfo(certPem: string): CertificateInfo {
  const x509 = new X509Certificate(certPem);
  return {
    subject: commonNameOf(x509.subject),
    issuer: commonNameOf(x509.issuer),
    altNames: (x509.subjectAltName ?? '').split(/,\s*/).filter((s) => s !== ''),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    fingerprint256: x509.fingerprint256,
    selfSigned: x509.subject === x509.issuer,
  };
}

/**
 * Splits a PEM bundle into its certificates (RFC 7468 §2: text outside the markers is ignored).
 * @returns the `-----BEGIN CERTIFICATE-----` blocks, in order; empty when there are none.
 */
export function splitPemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)?.map((b) => `${b}\n`) ?? [];
}

/** `CN=a\nO=b` → `a`; the whole name (one line) when there is no CN. */
function commonNameOf(dn: string): string {
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(dn)?.[1];
  return cn ?? dn.replace(/\n/g, ', ');
}
