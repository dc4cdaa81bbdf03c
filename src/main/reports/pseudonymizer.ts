/**
 * Redaction of phone numbers and IP addresses on request (issue 6), consistent within one report:
 * the same number or address always becomes the same placeholder, so a reader can still follow
 * who called whom and which address answered.
 *
 * - Phone numbers: the user part of `sip:`/`sips:` URIs that looks like a number (optional `+`,
 *   at least 3 digits, visual separators `-.()`), `tel:` URIs (RFC 3966), and digit runs in the
 *   display names of From, To, P-Asserted-Identity and the other identity headers. Placeholders
 *   are `phone-1`, `phone-2`… (still a valid SIP URI user part). Other digits are kept: the
 *   ContactId in an X- header is the point of the report, and tags, CSeq and ports are not numbers
 *   of a person.
 * - IP addresses: IPv4 and IPv6 literals anywhere (Via, Contact, Call-ID, SDP `c=`/`o=` lines,
 *   socket addresses). Placeholders come from the documentation ranges: 192.0.2.0/24,
 *   198.51.100.0/24, 203.0.113.0/24 (RFC 5737) and 2001:db8::/32 (RFC 3849), so the text stays
 *   well-formed. Loopback (127.0.0.0/8, ::1) and unspecified (0.0.0.0, ::) addresses identify
 *   nobody and are kept.
 */
import { isIP, isIPv4, isIPv6 } from 'node:net';

/** What to redact besides secrets (which are always redacted). */
export interface RedactionOptions {
  phoneNumbers?: boolean;
  ipAddresses?: boolean;
}

/** Headers whose display names may carry a number (compared lower-case; compact `f`, `t`). */
const IDENTITY_HEADERS = new Set([
  'from', 'f', 'to', 't', 'p-asserted-identity', 'p-preferred-identity', 'remote-party-id', 'diversion',
  'history-info', 'referred-by', 'refer-to', 'r', 'contact', 'm', 'p-called-party-id',
]);

const URI_NUMBER = /\b(sips?:|tel:)(\+?[\d().-]*\d[\d().-]*)(?=[@;>\s,"?]|$)/gi;
const IPV4 = /(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?![\w]|\.\d)/g;
const IPV6_CANDIDATE = /(?<![\w:.])((?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{0,4}|\d{1,3}(?:\.\d{1,3}){3}))(?![\w:])/gi;
const DIGIT_RUN = /\+?\d[\d\s().-]*\d/g;

const digitCount = (s: string): number => (s.match(/\d/g) ?? []).length;

/** Replaces numbers and addresses with stable placeholders; one instance per report. */
export class Pseudonymizer {
  private readonly phones = new Map<string, string>();
  private readonly v4 = new Map<string, string>();
  private readonly v6 = new Map<string, string>();

  constructor(readonly options: RedactionOptions) {}

  /** True when it changes anything. */
  get active(): boolean {
    return Boolean(this.options.phoneNumbers || this.options.ipAddresses);
  }

  /**
   * The placeholder of a phone number. Digits and `+` only are compared, and the international
   * prefix `00` counts as `+`: `+1 555-0100` = `+15550100`, `0044 20…` = `+4420…`.
   */
  phone(n: string): string {
    const key = n.replace(/[^\d+]/g, '').replace(/^00/, '+');
    let p = this.phones.get(key);
    if (!p) {
      p = `phone-${this.phones.size + 1}`;
      this.phones.set(key, p);
    }
    return p;
  }

  /** The placeholder of an IP address, or the address itself when it is loopback or unspecified. */
  ip(addr: string): string {
    if (isIPv4(addr)) {
      if (addr.startsWith('127.') || addr === '0.0.0.0') return addr;
      let p = this.v4.get(addr);
      if (!p) {
        const n = this.v4.size;
        const nets = ['192.0.2', '198.51.100', '203.0.113'];
        p = n < 762 ? `${nets[Math.floor(n / 254)]}.${(n % 254) + 1}` : `192.0.2.${(n % 254) + 1}`;
        this.v4.set(addr, p);
      }
      return p;
    }
    const lower = addr.toLowerCase();
    if (lower === '::1' || lower === '::') return addr;
    let p = this.v6.get(lower);
    if (!p) {
      p = `2001:db8::${(this.v6.size + 1).toString(16)}`;
      this.v6.set(lower, p);
    }
    return p;
  }

  /** Free text: numbers in SIP/tel URIs and IP addresses, as enabled. */
  text(s: string): string {
    let out = s;
    if (this.options.phoneNumbers) {
      out = out.replace(URI_NUMBER, (m, scheme: string, num: string) => (digitCount(num) >= 3 ? `${scheme}${this.phone(num)}` : m));
    }
    if (this.options.ipAddresses) {
      out = out
        .replace(IPV4, (m, a: string) => (isIPv4(a) ? this.ip(a) : m))
        .replace(IPV6_CANDIDATE, (m, a: string) => (isIP(a) === 6 && isIPv6(a) && a.includes(':') ? this.ip(a) : m));
    }
    return out;
  }

  /** A header value: {@link text}, plus digit runs in the display name of identity headers (From, To, PAI…). */
  header(name: string, value: string): string {
    if (!this.options.phoneNumbers || !IDENTITY_HEADERS.has(name.toLowerCase())) return this.text(value);
    const lt = value.indexOf('<');
    if (lt < 0) return this.text(value);
    const display = value.slice(0, lt).replace(DIGIT_RUN, (m) => (digitCount(m) >= 3 ? this.phone(m) : m));
    return display + this.text(value.slice(lt));
  }

  /** A whole SIP message: its start line and body as {@link text}, each header line through {@link header}. */
  sipMessage(raw: string): string {
    if (!this.active) return raw;
    const end = raw.indexOf('\r\n\r\n');
    const head = end < 0 ? raw : raw.slice(0, end);
    const body = end < 0 ? '' : raw.slice(end);
    const lines = head.split('\r\n').map((line, i) => {
      const colon = line.indexOf(':');
      if (i === 0 || colon <= 0 || /^[ \t]/.test(line)) return this.text(line);
      return `${line.slice(0, colon + 1)}${this.header(line.slice(0, colon).trim(), line.slice(colon + 1))}`;
    });
    return lines.join('\r\n') + this.text(body);
  }
}
