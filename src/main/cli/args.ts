/**
 * Parsing of the CLI's option values, kept pure so it is unit-tested.
 */
import { SIGNAL_PARAM_NAMES, type SignalParamName, type SignalParams } from '../../shared/types';

/** A `--listen` value: `<udp|tcp>:<host>:<port>`. */
export interface ListenSpec {
  transport: 'udp' | 'tcp';
  host: string;
  port: number;
}

/**
 * Parses `--listen udp:127.0.0.1:5070` (IPv6 hosts in brackets: `tcp:[::1]:5070`).
 * @throws Error naming the expected form.
 */
export function parseListen(value: string): ListenSpec {
  const m = /^(udp|tcp):(\[[^\]]+\]|[^:]+):(\d{1,5})$/i.exec(value.trim());
  if (!m) throw new Error(`--listen "${value}": expected <udp|tcp>:<host>:<port>, e.g. udp:0.0.0.0:5060`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`--listen "${value}": port ${port} is out of range (0-65535)`);
  return { transport: m[1]!.toLowerCase() as 'udp' | 'tcp', host: m[2]!.replace(/^\[|\]$/g, ''), port };
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
