/**
 * The self-signed certificate of the app's TLS listener, kept in the data folder so its SHA-256
 * fingerprint (and the CA file a peer was given) stays the same from one launch to the next. A new
 * one is made when the file is missing or unreadable, does not name every address the listener
 * needs, or is about to expire.
 *
 * Files: `<dir>/listener-cert.pem` (public) and `<dir>/listener-key.pem` (mode 0600).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { dataDir } from '../paths';
import { generateSelfSigned, type GeneratedCertificate } from './certificates';

/** Options of {@link loadOrCreateListenerCertificate}. */
export interface ListenerCertificateOptions {
  /** Names (DNS names, IP literals) the certificate must hold; the first is the CN. */
  names: readonly string[];
  /** Folder of the files; default `<data dir>/tls` (see paths.ts). */
  dir?: string;
  /** Validity of a new certificate (days); default 825. */
  days?: number;
  /** Make a new one when the kept one expires within this many days; default 30. */
  renewBeforeDays?: number;
}

/** The listener's certificate and where it is kept. */
export interface ListenerCertificate extends GeneratedCertificate {
  /** The certificate file, for the peer's CA file; null when it could not be written. */
  certFile: string | null;
  /** True when made now, false when read from the files. */
  created: boolean;
  /** Why the files could not be written (the certificate is then only in memory), if so. */
  warning?: string;
}

const DAY_MS = 86_400_000;

/** The default folder of the listener's certificate: `<data dir>/tls`. */
export function defaultTlsDir(): string {
  return join(dataDir(), 'tls');
}

/**
 * Reads the kept self-signed certificate, or makes (and keeps) a new one.
 * @returns the certificate; when the folder is not writable it is still returned, with
 *          `certFile: null` and a `warning`.
 * @throws Error when `names` is empty.
 */
export async function loadOrCreateListenerCertificate(opts: ListenerCertificateOptions): Promise<ListenerCertificate> {
  const names = [...new Set(opts.names.map((n) => n.trim()).filter((n) => n !== '' && n !== '0.0.0.0' && n !== '::'))];
  if (names.length === 0) throw new Error('a listener certificate needs at least one host name or address');
  const dir = opts.dir ?? defaultTlsDir();
  const certFile = join(dir, 'listener-cert.pem');
  const keyFile = join(dir, 'listener-key.pem');
  const kept = readKept(certFile, keyFile, names, (opts.renewBeforeDays ?? 30) * DAY_MS);
  if (kept) return { ...kept, certFile, created: false };
  const made = await generateSelfSigned({ commonName: names[0]!, altNames: names, days: opts.days ?? 825 });
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeAtomic(keyFile, made.keyPem, 0o600);
    writeAtomic(certFile, made.certPem, 0o644);
    return { ...made, certFile, created: true };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ...made, certFile: null, created: true, warning: `cannot keep the listener certificate in ${dir}: ${why}; its fingerprint changes at each launch` };
  }
}

/** The kept certificate when it is readable, matches its key, names every name and is valid long enough. */
function readKept(certFile: string, keyFile: string, names: readonly string[], renewMs: number): GeneratedCertificate | undefined {
  try {
    const certPem = readFileSync(certFile, 'utf8');
    const keyPem = readFileSync(keyFile, 'utf8');
    const x509 = new X509Certificate(certPem);
    if (!x509.checkPrivateKey(createPrivateKey(keyPem))) return undefined;
    const notBefore = new Date(x509.validFrom);
    const notAfter = new Date(x509.validTo);
    const now = Date.now();
    if (notBefore.getTime() > now || notAfter.getTime() - renewMs <= now) return undefined;
    const covered = names.every((n) => (isIP(n) ? x509.checkIP(n) : x509.checkHost(n, { subject: 'never', wildcards: false })) !== undefined);
    if (!covered) return undefined;
    return { certPem, keyPem, fingerprint256: x509.fingerprint256, notBefore, notAfter };
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
function writeAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}
