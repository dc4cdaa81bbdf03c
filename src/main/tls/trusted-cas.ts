/**
 * The CA certificates a TLS client of the app trusts: the operating system's store, Node's bundled
 * Mozilla list, plus a CA file the user gives (a PEM bundle, or a peer's self-signed certificate).
 * Passing a `ca` list to Node replaces its default trust, so the list here always holds all three.
 *
 * @remarks RFC 5280 §6.1 (trust anchors); Node `tls.getCACertificates('system' | 'default')`.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { splitPemCertificates } from './certificates';

/** Where trusted CAs come from. */
export interface TrustOptions {
  /** A PEM file of extra trusted CA certificates (`--ca-file`). */
  caFile?: string;
  /** Extra trusted CA certificates as PEM text (tests, the GUI). */
  caPem?: readonly string[];
  /** Include the system store and Node's bundled CAs; default true. */
  defaults?: boolean;
}

let defaultCas: string[] | undefined;

/** The system store plus Node's default list, de-duplicated; read once per process. */
function defaultCaCertificates(): string[] {
  if (!defaultCas) {
    let system: string[] = [];
    try {
      system = tls.getCACertificates('system');
    } catch {
      // No readable system store (some containers): Node's bundled list still applies.
    }
    defaultCas = [...new Set([...tls.getCACertificates('default'), ...system])];
  }
  return defaultCas;
}

/**
 * The trusted CA certificates (PEM), for `tls.connect({ ca })`.
 * @throws Error naming the file when `caFile` cannot be read or holds no PEM certificate.
 */
export function trustedCaCertificates(opts: TrustOptions = {}): string[] {
  const out = opts.defaults === false ? [] : [...defaultCaCertificates()];
  if (opts.caFile) out.push(...readCaFile(opts.caFile));
  for (const pem of opts.caPem ?? []) out.push(...splitPemCertificates(pem));
  return out;
}

/**
 * Reads a CA file: every `-----BEGIN CERTIFICATE-----` block in it.
 * @throws Error naming the file when it cannot be read, holds no certificate or an unreadable one.
 */
export function readCaFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`cannot read the CA file ${file}${code ? ` (${code})` : ''}: give a readable PEM file of CA certificates`, { cause: e });
  }
  const certs = splitPemCertificates(text);
  if (certs.length === 0) {
    throw new Error(`the CA file ${file} holds no PEM certificate ("-----BEGIN CERTIFICATE-----"): convert a DER file with "openssl x509 -inform der -in FILE -out FILE.pem"`);
  }
  certs.forEach((pem, i) => {
    try {
      new X509Certificate(pem);
    } catch (e) {
      throw new Error(`the CA file ${file} holds an unreadable certificate (number ${i + 1}): ${(e as Error).message}`, { cause: e });
    }
  });
  return certs;
}
