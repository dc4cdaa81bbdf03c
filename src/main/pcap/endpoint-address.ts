/**
 * The `host:port` addresses of {@link SipMessageRecord} and RTP datagrams, as IP addresses a packet
 * header can carry.
 */
import { isIP } from 'node:net';

/** An IP endpoint: address family, address text (no brackets) and port. */
export interface IpEndpoint {
  family: 4 | 6;
  address: string;
  port: number;
}

/**
 * Splits `host:port` (IPv6 in brackets: `[::1]:5060`) into its parts.
 * @returns null when the text has no port or the port is out of range; the host is returned as
 *   written (it may be a name).
 */
export function splitHostPort(hostPort: string): { host: string; port: number } | null {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(hostPort.trim()) ?? /^([^:[\]]+):(\d{1,5})$/.exec(hostPort.trim());
  if (!m) return null;
  const port = Number(m[2]);
  if (port > 65535) return null;
  return { host: m[1]!, port };
}

/**
 * Resolves `host:port` to an IP endpoint without DNS: an IP literal is used as is; a name (or a
 * missing port) is given a stable stand-in from the benchmarking range 198.18.0.0/15 (RFC 2544),
 * the same for the same text, so that every packet of a flow gets the same address.
 * @param names - the stand-ins given so far (text → address), shared across one export.
 */
export function toIpEndpoint(hostPort: string, names: Map<string, string>): IpEndpoint {
  const hp = splitHostPort(hostPort);
  const host = hp?.host ?? hostPort;
  const port = hp?.port ?? 0;
  const fam = isIP(host);
  if (fam === 4 || fam === 6) return { family: fam, address: host, port };
  let address = names.get(host);
  if (!address) {
    const n = names.size + 1;
    address = `198.18.${(n >> 8) & 0xff}.${n & 0xff}`;
    names.set(host, address);
  }
  return { family: 4, address, port };
}

/** The 4 (IPv4) or 16 (IPv6) bytes of an IP literal. @throws Error when it is not one. */
export function ipBytes(address: string): Buffer {
  const fam = isIP(address);
  if (fam === 4) return Buffer.from(address.split('.').map(Number));
  if (fam !== 6) throw new Error(`not an IP address: ${address}`);
  let text = address;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    text = `${text.slice(0, -v4[1]!.length)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16) || 0, i * 2));
  return out;
}

/** Text form of 4 or 16 address bytes (IPv6 in the RFC 5952 short form). */
export function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // RFC 5952 §4.2: the longest run (≥ 2) of zero groups becomes "::", the first one on a tie.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
