/**
 * Small text edits the transport makes between the wire and sip.js, working around three sip.js
 * 0.21.2 behaviours (sip-in-node.md §1.1, §3.1, §3.2). Each edit touches one line of the header
 * block and leaves every other byte as it was. The wire records keep the unedited text.
 *
 * - Outgoing requests: sip.js writes no port in its Via, so a peer that answers to the Via sent-by
 *   (RFC 3261 §18.2.2) would answer to port 5060. {@link addViaPort} adds the listen port (and
 *   `;rport` on UDP, RFC 3581).
 * - Incoming responses: sip.js drops a response whose top Via has a port; {@link stripViaPort}
 *   removes it again before sip.js reads it.
 * - Incoming out-of-dialog requests: sip.js answers 404 when the Request-URI user is not its own;
 *   {@link rewriteRequestUri} replaces the Request-URI (the original stays in the wire record).
 *
 * {@link editForSipJs} chooses which of the incoming edits a received message gets.
 */
import { headerTag, headerValue, type ParsedSipMessage } from './message';

/** Splits a message into its header block (without the blank line) and the rest (blank line + body). */
function splitHead(text: string): { head: string; rest: string } {
  const i = text.indexOf('\r\n\r\n');
  return i === -1 ? { head: text, rest: '' } : { head: text.slice(0, i), rest: text.slice(i) };
}

/** The first Via line, split into the part before the sent-by, the sent-by, and the remainder. */
const TOP_VIA = /^((?:via|v)[ \t]*:[ \t]*SIP[ \t]*\/[ \t]*2\.0[ \t]*\/[ \t]*[A-Za-z]+[ \t]+)([^;,\s]+)(.*)$/im;

/** Whether a sent-by (`host`, `host:port`, `[v6]`, `[v6]:port`) carries a port. */
export function sentByHasPort(sentBy: string): boolean {
  if (sentBy.startsWith('[')) return /\]:\d+$/.test(sentBy);
  return /:\d+$/.test(sentBy);
}

/** The sent-by without its port. */
export function sentByHost(sentBy: string): string {
  if (sentBy.startsWith('[')) return sentBy.replace(/(\]):\d+$/, '$1');
  return sentBy.replace(/:\d+$/, '');
}

/**
 * Adds `:port` to the sent-by of the top Via of an outgoing request when it has none, and
 * `;rport` when `addRport` and the top Via has no rport parameter.
 * @returns the edited message (unchanged when there is no readable Via).
 */
export function addViaPort(text: string, port: number, addRport: boolean): string {
  const { head, rest } = splitHead(text);
  const edited = head.replace(TOP_VIA, (_all, before: string, sentBy: string, after: string) => {
    const sb = sentByHasPort(sentBy) ? sentBy : `${sentBy}:${port}`;
    // The rest of the line may hold further comma-separated Via values: only edit the first.
    const comma = after.indexOf(',');
    let params = comma === -1 ? after : after.slice(0, comma);
    const tail = comma === -1 ? '' : after.slice(comma);
    if (addRport && !/;\s*rport\b/i.test(params)) params = `${params.trimEnd()};rport`;
    return `${before}${sb}${params}${tail}`;
  });
  return edited + rest;
}

/**
 * Removes the port from the sent-by of the top Via of an incoming response.
 * @returns the edited message (unchanged when the top Via has no port).
 */
export function stripViaPort(text: string): string {
  const { head, rest } = splitHead(text);
  const edited = head.replace(TOP_VIA, (_all, before: string, sentBy: string, after: string) => {
    return `${before}${sentByHost(sentBy)}${after}`;
  });
  return edited + rest;
}

/**
 * Replaces the Request-URI of a request's start line.
 * @returns the edited message, or the text unchanged when the start line is not a request line.
 */
export function rewriteRequestUri(text: string, requestUri: string): string {
  const eol = text.indexOf('\r\n');
  const line = eol === -1 ? text : text.slice(0, eol);
  const m = /^(\S+) (\S+) (SIP\/2\.0)$/.exec(line);
  if (!m) return text;
  return `${m[1]} ${requestUri} ${m[3]}${eol === -1 ? '' : text.slice(eol)}`;
}

/**
 * The edit an incoming message gets before sip.js reads it (after validation and the transaction
 * key's branch, node-transport.ts):
 * - an out-of-dialog request (no To tag; not an ACK) gets our own Request-URI
 *   (`ourRequestUri()`, e.g. `sip:lab@192.0.2.10:5060`), which sip.js needs to serve it;
 * - inside a dialog (or an ACK) over TLS, a `sips:` Request-URI becomes `sip:`. A dialog begun with
 *   sips: stays on it (RFC 3261 §12.1.1), but sip.js serves only sip: and would answer 416, even
 *   to an ACK (§17.2.1: never answered), so the call's 200 would go unacknowledged. The hop is TLS,
 *   which is what sips: asks (§26.2.2; checkRequestUri refuses sips: on UDP and TCP);
 * - a response loses the port of its top Via ({@link stripViaPort}).
 * The history keeps the message as it came (the wire record is made before).
 * @param msg - the parse of `text`.
 * @returns the text to hand to sip.js (`text` itself when nothing applies).
 */
export function editForSipJs(text: string, msg: ParsedSipMessage, ours: { tls: boolean; ourRequestUri: () => string }): string {
  if (msg.kind === 'response') return stripViaPort(text);
  if (!headerTag(headerValue(msg.headers, 'to')) && msg.method !== 'ACK') return rewriteRequestUri(text, ours.ourRequestUri());
  if (ours.tls && /^sips:/i.test(msg.requestUri ?? '')) return rewriteRequestUri(text, `sip:${msg.requestUri!.slice(5)}`);
  return text;
}
