/**
 * Parsing of the CLI's option values, kept pure so it is unit-tested.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SIGNAL_PARAM_NAMES, type SignalParamName, type SignalParams } from '../../shared/types';
import type { SipTlsOptions } from '../sip/tls-setup';

/** A usage mistake found by a command module (exit status 2, with the hint to read the usage). */
export class CliUsageError extends Error {}

/** A `--listen` value: `<udp|tcp|tls>:<host>:<port>`. */
export interface ListenSpec {
  transport: 'udp' | 'tcp' | 'tls';
  host: string;
  port: number;
}

/**
 * Parses `--listen udp:127.0.0.1:5070` (IPv6 hosts in brackets: `tcp:[::1]:5070`; SIP over TLS:
 * `tls:0.0.0.0:5061`).
 * @throws Error naming the expected form.
 */
export function parseListen(value: string): ListenSpec {
  const m = /^(udp|tcp|tls):(\[[^\]]+\]|[^:]+):(\d{1,5})$/i.exec(value.trim());
  if (!m) throw new Error(`--listen "${value}": expected <udp|tcp|tls>:<host>:<port>, e.g. udp:0.0.0.0:5060 or tls:0.0.0.0:5061`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`--listen "${value}": port ${port} is out of range (0-65535)`);
  return { transport: m[1]!.toLowerCase() as ListenSpec['transport'], host: m[2]!.replace(/^\[|\]$/g, ''), port };
}

/** `node:util` parseArgs options of the TLS flags, shared by the commands that open SIP over TLS. */
export const TLS_FLAG_OPTIONS = {
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-self-signed': { type: 'boolean' },
  'ca-file': { type: 'string' },
} as const;

/** The parsed values of {@link TLS_FLAG_OPTIONS}. */
export interface TlsFlags {
  'tls-cert'?: string;
  'tls-key'?: string;
  'tls-self-signed'?: boolean;
  'ca-file'?: string;
}

/**
 * Checks the TLS flags against the SIP transport and turns them into the endpoint's TLS options.
 * @param listener - true when the command's job is to listen (`lab answer`): a certificate is then
 *   required; otherwise a self-signed one made for the run serves the (unused) listener.
 * @returns the options for transport `tls`, undefined for the others.
 * @throws Error when TLS flags are given for UDP/TCP, a certificate lacks its key (or the reverse),
 *   both a certificate and `--tls-self-signed` are given, or a listener has no certificate.
 */
export function parseTlsFlags(flags: TlsFlags, transport: 'udp' | 'tcp' | 'tls', listener: boolean): SipTlsOptions | undefined {
  const given = (Object.keys(TLS_FLAG_OPTIONS) as (keyof TlsFlags)[]).filter((k) => flags[k] !== undefined && flags[k] !== false);
  if (transport !== 'tls') {
    if (given.length > 0) throw new Error(`${given.map((k) => `--${k}`).join(', ')}: only for SIP over TLS (tls:<host>:<port>)`);
    return undefined;
  }
  const cert = flags['tls-cert'];
  const key = flags['tls-key'];
  if (!!cert !== !!key) throw new Error('--tls-cert and --tls-key go together: give the certificate file and its key file');
  if (cert && flags['tls-self-signed']) throw new Error('--tls-self-signed or --tls-cert/--tls-key: one of them, not both');
  if (listener && !cert && !flags['tls-self-signed']) {
    throw new Error('a TLS listener needs a certificate: --tls-cert FILE --tls-key FILE, or --tls-self-signed');
  }
  return {
    ...(cert && key ? { certFile: cert, keyFile: key } : {}),
    ...(flags['tls-self-signed'] ? { selfSigned: true } : {}),
    ...(flags['ca-file'] ? { caFile: flags['ca-file'] } : {}),
  };
}

/**
 * Parses Signal parameters from one or more `--signal` values: `p1=AgentHandoff,p3=abc` or repeated
 * `--signal p1=a --signal p2=b`. A comma splits only where it is followed by `pN=`, so values may
 * hold commas. Up to nine, p1..p9 (cxone-reference.md §2).
 * @throws Error on a name other than p1..p9 or a pair without `=`.
 */
export function parseSignalParams(values: readonly string[]): SignalParams {
  const out: SignalParams = {};
  for (const value of values) {
    for (const pair of value.split(/,(?=\s*p[1-9]=)/i)) {
      if (pair.trim() === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`--signal "${pair}": expected pN=value`);
      const name = pair.slice(0, eq).trim().toLowerCase();
      if (!(SIGNAL_PARAM_NAMES as readonly string[]).includes(name)) {
        throw new Error(`--signal "${pair}": CXone Signal takes p1..p9 only`);
      }
      out[name as SignalParamName] = pair.slice(eq + 1);
    }
  }
  return out;
}

/**
 * Parses a `--header 'X-Name: value'` option.
 * @throws Error when there is no colon or the name is empty.
 */
export function parseHeaderOption(value: string): { name: string; value: string } {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new Error(`--header "${value}": expected 'X-Name: value'`);
  return { name: value.slice(0, colon).trim(), value: value.slice(colon + 1).trim() };
}

/**
 * `node:util` parseArgs in strict mode for one command, its mistakes as {@link CliUsageError}s.
 * @param positionals - whether the command takes positional arguments (a file, a target).
 * @throws CliUsageError naming the unknown option or the missing value.
 */
export function parseCommandArgs<const O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals: positionals, strict: true as const });
  } catch (e) {
    throw new CliUsageError((e as Error).message);
  }
}

/** Runs an option parser, its error becoming a {@link CliUsageError}. */
export function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new CliUsageError((e as Error).message);
  }
}

/**
 * Where a command's live lines go: standard error when `--json -` owns standard output, else
 * standard output.
 */
export function sayFor(json: string | undefined): (line: string) => void {
  return json === '-' ? (line) => process.stderr.write(`${line}\n`) : (line) => console.log(line);
}

/**
 * Prints a command's result: with `--json -` only the JSON, on standard output; otherwise the
 * text (through `say`), and the JSON written to the file `json` when given.
 * @returns the exit status: 0 when `result.ok`, else 1. @throws the file's write error.
 */
export function emitResult(result: { ok: boolean }, text: () => string, json: string | undefined, say: (line: string) => void = console.log): number {
  const body = `${JSON.stringify(result, null, 2)}\n`;
  if (json === '-') process.stdout.write(body);
  else {
    say(text());
    if (json) writeFileSync(json, body);
  }
  return result.ok ? 0 : 1;
}
