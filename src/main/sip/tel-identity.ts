/**
 * `tel:` URIs (RFC 3966) in From and To. RFC 3261 allows any URI there (§20.20, §20.39: addr-spec
 * is SIP-URI / SIPS-URI / absoluteURI), and carriers and IMS peers write numbers as
 * `To: <tel:+4930123456>`; sip.js 0.21.2's grammar reads only sip:/sips: URIs in From and To, so
 * it refuses such a request (our transport answers it 400 Bad To Header).
 *
 * Before sip.js sees a request, {@link telToSip} writes each tel: From/To URI as the SIP URI of
 * RFC 3261 §19.1.6 on a host that cannot exist (`sip:<number and params>@tel.invalid;user=phone`,
 * `.invalid` of RFC 6761 §6.4); {@link sipToTel} writes it back in every message we send, so the
 * peer sees its own tel: URI in our responses (§8.2.6.2 copies From and To) and in our in-dialog
 * requests (§12.2.1.1: the dialog's local and remote URIs). Both are stateless.
 */

/** Host of the SIP URIs that stand for a tel: URI here (never sent to a peer). */
export const TEL_HOST = 'tel.invalid';

const MARK = `@${TEL_HOST};user=phone>`;
/** A From/To header line (long or compact name) at the start of a line of the head. */
const FROM_TO_LINE = /^(?:from|f|to|t)[ \t]*:/i;
/** The head (start line and headers) and the rest (blank line and body) of a message. */
function splitHead(text: string): [string, string] {
  const end = text.indexOf('\r\n\r\n');
  return end === -1 ? [text, ''] : [text.slice(0, end), text.slice(end)];
}

/**
 * Where the tel: URI of a From/To value is: `<tel:…>` (name-addr) or a bare `tel:…` addr-spec
 * (which ends at `;`, RFC 3261 §20.10), outside a quoted display name.
 * @returns the start and end (indices into `value`) and the URI's text after `tel:`, or undefined.
 */
function telUriIn(value: string): { start: number; end: number; rest: string } | undefined {
  const masked = value.replace(/"(?:[^"\\]|\\.)*"/g, (q) => ' '.repeat(q.length));
  const bracketed = /<\s*tel:([^>\s]+)\s*>/i.exec(masked);
  if (bracketed) return { start: bracketed.index, end: bracketed.index + bracketed[0].length, rest: value.substr(bracketed.index + bracketed[0].indexOf(':') + 1, bracketed[1]!.length) };
  const bare = /^(\s*)tel:([^;,\s<>]+)/i.exec(masked);
  if (bare) return { start: bare[1]!.length, end: bare[0].length, rest: value.substr(bare[0].length - bare[2]!.length, bare[2]!.length) };
  return undefined;
}

/** True when a header line of `head` is a From or To line whose value holds a tel: URI. */
function hasTelFromTo(head: string): boolean {
  return head.split('\r\n').some((l, i) => i > 0 && FROM_TO_LINE.test(l) && telUriIn(l.slice(l.indexOf(':') + 1)) !== undefined);
}

/**
 * An incoming request's text with each tel: URI of its From and To written as
 * `<sip:<number>@tel.invalid;user=phone>` (a bare `tel:` URI gets angle brackets, RFC 3261 §20.10).
 * Folded From/To lines are left as they are.
 * @returns the text unchanged when no From or To holds a tel: URI (the common case, checked first).
 */
export function telToSip(text: string): string {
  if (!/tel:/i.test(text)) return text;
  const [head, rest] = splitHead(text);
  if (!hasTelFromTo(head)) return text;
  const lines = head.split('\r\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!FROM_TO_LINE.test(line)) continue;
    const colon = line.indexOf(':') + 1;
    const at = telUriIn(line.slice(colon));
    if (!at) continue;
    lines[i] = `${line.slice(0, colon + at.start)}<sip:${at.rest}${MARK}${line.slice(colon + at.end)}`;
  }
  return lines.join('\r\n') + rest;
}

/**
 * An outgoing message's text with each `<sip:<number>@tel.invalid;user=phone>` of its From and To
 * written back as `<tel:<number>>`.
 * @returns the text unchanged when it has none (checked first).
 */
export function sipToTel(text: string): string {
  if (!text.includes(MARK)) return text;
  const [head, rest] = splitHead(text);
  const lines = head.split('\r\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!FROM_TO_LINE.test(line) || !line.includes(MARK)) continue;
    // sip.js writes the dialog's URIs with `;` and `=` of the user part escaped (RFC 3261 §25.1
    // lets them stand): they are the tel: URI's parameter separators again (RFC 3966 §3).
    lines[i] = line.replace(/<sip:([^@>\s]+)@tel\.invalid;user=phone>/gi, (_m, user: string) => `<tel:${user.replace(/%3B/gi, ';').replace(/%3D/gi, '=')}>`);
  }
  return lines.join('\r\n') + rest;
}
