/**
 * Framing of SIP messages on stream transports (TCP now, TLS later): the byte stream of one
 * connection is cut into whole messages by the `Content-Length` header.
 *
 * @remarks
 * - RFC 3261 §18.3: on a stream transport the body length is given by Content-Length, counted in
 *   bytes; a message without it has an empty body here.
 * - RFC 3261 §7.5: CRLFs before a start line are ignored.
 * - RFC 5626 §4.4.1 / §3.5.1: a double CRLF is a keep-alive ping (the peer expects a single CRLF
 *   back, the pong); a single CRLF is a pong.
 */

/** Default cap on the size of a message's start line and headers (bytes): 64 KB. */
export const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;

/** Default cap on the size of a message body (bytes): 1 MiB. SIP bodies here are SDP (~300 bytes). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** One thing the framer found in the stream. */
export type FrameEvent =
  /** A whole SIP message, decoded from UTF-8. `byteLength` counts bytes on the wire. */
  | { kind: 'message'; text: string; byteLength: number }
  /** A double CRLF keep-alive ping (RFC 5626 §4.4.1): answer with one CRLF. */
  | { kind: 'ping' }
  /** A single CRLF keep-alive pong (RFC 5626 §4.4.1). */
  | { kind: 'pong' }
  /**
   * The stream cannot be framed any more (header cap exceeded, bad Content-Length): close it. When
   * the header block was read, `head` holds it and `status` the refusal it deserves (400 for a bad
   * Content-Length, 513 for a body over the cap), to answer before closing.
   */
  | { kind: 'error'; reason: string; head?: string; status?: number };

/** Limits of one framer (bytes). */
export interface SipStreamFramerOptions {
  /** Cap on start line + headers + the blank line; default {@link DEFAULT_MAX_HEADER_BYTES}. */
  maxHeaderBytes?: number;
  /** Cap on a body; default {@link DEFAULT_MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
}

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');
const CR = 0x0d;
const LF = 0x0a;

/**
 * Finds the Content-Length (or compact `l`) of a header block.
 * @param head - the start line and headers, without the final blank line.
 * @returns the length in bytes, 0 when absent, or an error string when it is unreadable or repeated
 *          with different values.
 */
export function contentLengthOf(head: string): number | { error: string } {
  let found: number | undefined;
  for (const line of head.split('\r\n')) {
    const m = /^(content-length|l)[ \t]*:[ \t]*(.*)$/i.exec(line);
    if (!m) continue;
    const raw = m[2]!.trim();
    if (!/^\d{1,9}$/.test(raw)) return { error: `invalid Content-Length "${raw.slice(0, 40)}"` };
    const n = Number(raw);
    if (found !== undefined && found !== n) return { error: 'conflicting Content-Length headers' };
    found = n;
  }
  return found ?? 0;
}

/**
 * Cuts one connection's byte stream into SIP messages. Feed every chunk read from the socket to
 * {@link SipStreamFramer.push}; it keeps the incomplete tail between calls. After an `error` event
 * the framer yields nothing more: the caller closes the connection.
 */
export class SipStreamFramer {
  private buf: Buffer = Buffer.alloc(0);
  private failed = false;
  private readonly maxHeaderBytes: number;
  private readonly maxBodyBytes: number;

  constructor(opts: SipStreamFramerOptions = {}) {
    this.maxHeaderBytes = opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    this.maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /** Bytes held while waiting for the rest of a message. */
  get bufferedBytes(): number {
    return this.buf.length;
  }

  /**
   * Adds bytes read from the stream.
   * @returns the messages, pings, pongs and at most one terminal error found so far, in order.
   */
  push(chunk: Buffer): FrameEvent[] {
    if (this.failed) return [];
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: FrameEvent[] = [];
    for (;;) {
      const ev = this.next();
      if (!ev) break;
      out.push(ev);
      if (ev.kind === 'error') {
        this.failed = true;
        this.buf = Buffer.alloc(0);
        break;
      }
    }
    return out;
  }

  /** One event from the head of the buffer, or undefined when more bytes are needed. */
  private next(): FrameEvent | undefined {
    const b = this.buf;
    if (b.length === 0) return undefined;
    // Keep-alives and CRLFs before a start line (RFC 5626 §4.4.1, RFC 3261 §7.5).
    if (b[0] === CR || b[0] === LF) {
      if (b.length >= 4 && b.subarray(0, 4).equals(CRLFCRLF)) {
        this.buf = b.subarray(4);
        return { kind: 'ping' };
      }
      if (b[0] === LF) {
        this.buf = b.subarray(1);
        return this.next();
      }
      if (b.length < 2) return undefined;
      if (!b.subarray(0, 2).equals(CRLF)) {
        this.buf = b.subarray(1); // a stray CR
        return this.next();
      }
      // "\r\n" then maybe "\r\n" (ping) still to come: decide once a third byte is there.
      if (b.length < 3) return undefined;
      if (b[2] === CR && b.length < 4) return undefined;
      this.buf = b.subarray(2);
      return { kind: 'pong' };
    }
    const headEnd = b.indexOf(CRLFCRLF);
    // Over the header cap: answered 513 from the first lines read (they hold the Via, usually).
    const firstLines = (): string => {
      const part = b.subarray(0, this.maxHeaderBytes).toString('utf8');
      return `${part.slice(0, Math.max(0, part.lastIndexOf('\r\n')))}\r\n\r\n`;
    };
    if (headEnd === -1) {
      if (b.length > this.maxHeaderBytes) {
        return { kind: 'error', reason: `headers exceed ${this.maxHeaderBytes} bytes without a blank line`, head: firstLines(), status: 513 };
      }
      return undefined;
    }
    if (headEnd + 4 > this.maxHeaderBytes) {
      return { kind: 'error', reason: `headers of ${headEnd + 4} bytes exceed the cap of ${this.maxHeaderBytes} bytes`, head: firstLines(), status: 513 };
    }
    const cl = contentLengthOf(b.subarray(0, headEnd).toString('latin1'));
    const head = (): string => b.subarray(0, headEnd + 4).toString('utf8');
    if (typeof cl !== 'number') return { kind: 'error', reason: cl.error, head: head(), status: 400 };
    if (cl > this.maxBodyBytes) {
      return { kind: 'error', reason: `Content-Length ${cl} exceeds the cap of ${this.maxBodyBytes} bytes`, head: head(), status: 513 };
    }
    const total = headEnd + 4 + cl;
    if (b.length < total) return undefined;
    const msg = b.subarray(0, total);
    this.buf = b.subarray(total);
    return { kind: 'message', text: msg.toString('utf8'), byteLength: total };
  }
}
