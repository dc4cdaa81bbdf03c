/**
 * Turns a SIP endpoint's TLS options into a ready {@link StreamSocketFactory}: reads the listener's
 * certificate and key (or makes a self-signed one), checks that they belong together, and gathers
 * the trusted CAs for outgoing connections (system + Node's list + the user's CA file).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { certificateInfo, generateSelfSigned } from '../tls/certificates';
import { loadOrCreateListenerCertificate } from '../tls/listener-certificate';
import { trustedCaCertificates } from '../tls/trusted-cas';
import type { StreamSocketFactory } from './stream-connection';
import { createTlsSocketFactory } from './tls-socket-factory';

/** TLS options of a SIP endpoint (`transport: 'tls'`). */
export interface SipTlsOptions {
  /** Listener certificate chain, PEM (leaf first). With `keyPem`. */
  certPem?: string;
  /** Private key of the certificate, PEM. */
  keyPem?: string;
  /** Listener certificate file, PEM (`--tls-cert`); used when `certPem` is not given. */
  certFile?: string;
  /** Key file, PEM (`--tls-key`). */
  keyFile?: string;
  /**
   * Use a self-signed certificate for the listener (`--tls-self-signed`), naming the advertised
   * and bound addresses. Also the fallback when no certificate is given at all (then kept in
   * memory only, `certDir: null`).
   */
  selfSigned?: boolean;
  /** Where the self-signed certificate is kept; default `<data dir>/tls`; null = in memory only. */
  certDir?: string | null;
  /** Extra trusted CAs for outgoing connections, a PEM file (`--ca-file`). */
  caFile?: string;
  /** Extra trusted CAs as PEM text. */
  caPem?: string[];
  /** Trust the system store and Node's bundled CAs too; default true. */
  systemCas?: boolean;
  /** Check peer certificates against this name instead of the target host. */
  serverName?: string;
  /** Limit on TCP connect + TLS handshake (ms); default 10 s. */
  handshakeTimeoutMs?: number;
}

/** The certificate a TLS listener presents, as shown to the user. */
export interface TlsListenerCertificate {
  /** SHA-256 fingerprint, `AB:CD:…`. */
  fingerprint256: string;
  subject: string;
  /** subjectAltName entries, `DNS:x` / `IP Address:y`. */
  altNames: string[];
  notAfter: Date;
  selfSigned: boolean;
  /** The file a peer can take as its CA file, when there is one. */
  certFile: string | null;
  /** The certificate, PEM (public). */
  certPem: string;
}

/**
 * Prepares TLS for an endpoint.
 * @param names - addresses the listener is reached at (advertised first), for a self-signed certificate.
 * @throws Error naming the file or option when a certificate, key or CA file is unreadable, the key
 *         does not belong to the certificate, or only one of certificate and key is given.
 */
export async function prepareSipTls(
  opts: SipTlsOptions,
  names: readonly string[],
  log: (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void,
): Promise<{ factory: StreamSocketFactory; certificate: TlsListenerCertificate }> {
  const ca = trustedCaCertificates({ caFile: opts.caFile, caPem: opts.caPem, defaults: opts.systemCas !== false });
  let certPem = opts.certPem ?? (opts.certFile ? readPem(opts.certFile, 'certificate') : undefined);
  let keyPem = opts.keyPem ?? (opts.keyFile ? readPem(opts.keyFile, 'key') : undefined);
  let certFile = opts.certFile ?? null;
  if (!!certPem !== !!keyPem) throw new Error('a TLS certificate needs its key, and a key its certificate (--tls-cert and --tls-key)');
  if (certPem && keyPem) {
    checkPair(certPem, keyPem, opts.certFile ?? 'the certificate');
  } else {
    const usable = names.filter((n) => n !== '' && n !== '0.0.0.0' && n !== '::');
    const all = [...new Set([...usable, 'localhost', '127.0.0.1'])];
    if (opts.selfSigned && opts.certDir !== null) {
      const kept = await loadOrCreateListenerCertificate({ names: all, dir: opts.certDir });
      if (kept.warning) log('warn', kept.warning);
      ({ certPem, keyPem, certFile } = kept);
      log('info', `TLS listener: ${kept.created ? 'new' : 'kept'} self-signed certificate ${kept.fingerprint256}${kept.certFile ? ` (${kept.certFile})` : ''}`);
    } else {
      const made = await generateSelfSigned({ commonName: all[0]!, altNames: all });
      ({ certPem, keyPem } = made);
      log('info', `TLS listener: self-signed certificate made for this run only (${made.fingerprint256})`);
    }
  }
  const info = certificateInfo(certPem!);
  if (info.notAfter.getTime() < Date.now()) log('warn', `TLS listener certificate ${info.subject} expired on ${info.notAfter.toISOString().slice(0, 10)}: peers will refuse it`);
  const advertised = names[0];
  if (advertised && !certificateNames(certPem!, advertised)) {
    log('warn', `TLS listener certificate (${info.altNames.join(', ') || info.subject}) does not name ${advertised}: peers that check the name will refuse it`);
  }
  const factory = createTlsSocketFactory({ certPem, keyPem, ca, serverName: opts.serverName, handshakeTimeoutMs: opts.handshakeTimeoutMs, log });
  return {
    factory,
    certificate: { fingerprint256: info.fingerprint256, subject: info.subject, altNames: info.altNames, notAfter: info.notAfter, selfSigned: info.selfSigned, certFile, certPem: certPem! },
  };
}

function readPem(file: string, what: 'certificate' | 'key'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`cannot read the TLS ${what} file ${file}${code ? ` (${code})` : ''}`, { cause: e });
  }
}

/** Throws when the certificate or key is unreadable or they do not belong together. */
function checkPair(certPem: string, keyPem: string, label: string): void {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certPem);
  } catch (e) {
    throw new Error(`${label} is not a readable PEM certificate: ${(e as Error).message}`, { cause: e });
  }
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch (e) {
    throw new Error(`the TLS key is not a readable (unencrypted) PEM private key: ${(e as Error).message}`, { cause: e });
  }
  if (!x509.checkPrivateKey(key)) throw new Error(`the TLS key does not belong to ${label}`);
}

function certificateNames(certPem: string, name: string): boolean {
  const x509 = new X509Certificate(certPem);
  return (isIP(name) ? x509.checkIP(name) : x509.checkHost(name)) !== undefined;
}
