/**
 * Test helper: SIP messages out of a stream (TCP, TLS) as they arrive, framed by Content-Length
 * (RFC 3261 §18.3; the compact form `l`), CRLF keep-alives between messages skipped (RFC 5626 §3.5.1).
 */

/**
 * Takes every whole message at the head of `buf`.
 * @returns the messages, in order, and what is left (the start of the next one)
 */
export function takeSipMessages(buf: string): { messages: string[]; rest: string } {
  const messages: string[] = [];
  for (;;) {
    buf = buf.replace(/^(\r\n)+/, '');
    const h = buf.indexOf('\r\n\r\n');
    if (h === -1) break;
    const cl = Number(/\r\n(?:content-length|l) *: *(\d+)/i.exec(buf.slice(0, h))?.[1] ?? 0);
    if (buf.length < h + 4 + cl) break;
    messages.push(buf.slice(0, h + 4 + cl));
    buf = buf.slice(h + 4 + cl);
  }
  return { messages, rest: buf };
}
