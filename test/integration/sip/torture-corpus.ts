/**
 * The RFC 4475 torture messages (read in place from ../shared/corpus/rfc4475/) with the status RFC
 * 4475 and RFC 3261 name for each, and a raw UDP/TCP client that sends one message and reports what
 * came back. Used by torture-rfc4475.test.ts and bench/torture.mts.
 *
 * Each request is prepared as the corpus README says, so that replies reach the sender and nothing
 * leaves 127.0.0.1: the top Via's transport and sent-by become the real ones; in an INVITE the
 * Contact and Record-Route hosts (and maddr) become 127.0.0.1:<sender port>; SDP c=/o= addresses
 * become 127.0.0.1 with a numeric Content-Length moved by the same number of bytes; the top Via
 * branch gets a suffix `.t<n>` (except the bare `z9hG4bK` of badbranch); baddn gets its missing CRLF.
 */
import dgram from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Where the corpus is, relative to the project root. */
export const CORPUS_DIR = path.resolve(process.cwd(), '../shared/corpus/rfc4475');
/**
 * False in a clone without `../shared/` beside it (the corpus is read in place, never copied into
 * the project): the suites that need it are skipped, and their name says why.
 */
export const CORPUS_PRESENT = existsSync(CORPUS_DIR);

/** What must come back for a message: a final status, or nothing (`drop`). */
export type Expected = number | 'drop';

/** One corpus message and the handling RFC 4475 asks for. */
export interface TortureCase {
  name: string;
  /** RFC 4475 section (3.1.1 valid, 3.1.2 invalid, 3.2, 3.3, 3.4; `-` for test.dat). */
  section: string;
  /** Expected final status per transport. */
  udp: Expected;
  tcp: Expected;
  why: string;
}

const c = (name: string, section: string, udp: Expected, why: string, tcp: Expected = udp): TortureCase => ({ name, section, udp, tcp, why });

/** Every file of the corpus with its expected handling (RFC 4475 §3 and RFC 3261). */
export const TORTURE_CASES: readonly TortureCase[] = [
  c('wsinv', '3.1.1', 481, 'valid; its To has a tag, so it is a re-INVITE of a dialog we do not have: 481 (RFC 3261 §12.2.2)'),
  c('intmeth', '3.1.1', 501, 'valid; unknown method: 501 (RFC 3261 §8.2.1)'),
  c('esc01', '3.1.1', 200, 'valid INVITE: answered by the bot'),
  c('escnull', '3.1.1', 405, 'valid REGISTER: we are no registrar, 405 with Allow'),
  c('esc02', '3.1.1', 501, 'valid; the method RE%47IST%45R is unknown (escapes are not decoded in a method): 501'),
  c('lwsdisp', '3.1.1', 200, 'valid OPTIONS: 200'),
  c('longreq', '3.1.1', 200, 'valid INVITE (no branch: RFC 2543 matching): answered'),
  c('dblreq', '3.1.1', 405, 'valid REGISTER (on UDP the INVITE after it is past Content-Length and cut; on TCP it is the next message)'),
  c('semiuri', '3.1.1', 200, 'valid OPTIONS: 200'),
  c('transports', '3.1.1', 200, 'valid OPTIONS: 200'),
  c('mpart01', '3.1.1', 200, 'valid MESSAGE: taken (sip.js accepts MESSAGE)'),
  c('unreason', '3.1.1', 'drop', 'valid response, but to no request of ours: nothing to answer'),
  c('noreason', '3.1.1', 'drop', 'valid response, but to no request of ours: nothing to answer'),
  c('badinv01', '3.1.2', 400, 'invalid Via and Contact: 400'),
  c('clerr', '3.1.2', 400, 'Content-Length larger than the body: 400 on UDP; on TCP the stream waits for the rest of the body (Content-Length frames it, RFC 3261 §18.3)', 'drop'),
  c('ncl', '3.1.2', 400, 'negative Content-Length: 400 (on TCP the connection is then closed: it cannot be framed)'),
  c('scalar02', '3.1.2', 400, 'CSeq over 2^31, Max-Forwards over 255: 400'),
  c('scalarlg', '3.1.2', 'drop', 'an invalid response: dropped'),
  c('quotbal', '3.1.2', 400, 'unterminated quoted string in To: 400'),
  c('ltgtruri', '3.1.2', 400, 'Request-URI in <>: 400'),
  c('lwsruri', '3.1.2', 400, 'LWS in the Request-URI: 400'),
  c('lwsstart', '3.1.2', 400, 'several SP in the request line: 400'),
  c('trws', '3.1.2', 400, 'trailing whitespace in the request line: 400'),
  c('escruri', '3.1.2', 400, 'escaped headers in a SIP Request-URI: 400'),
  c('baddate', '3.1.2', 400, 'Date not in GMT: 400'),
  c('regbadct', '3.1.2', 400, 'Contact URI with headers outside <>: 400'),
  c('badaspec', '3.1.2', 400, 'spaces inside <> of the To URI: 400'),
  c('baddn', '3.1.2', 400, 'unquoted display name with a comma: 400'),
  c('badvers', '3.1.2', 505, 'SIP/7.0: 505 Version Not Supported'),
  c('mismatch01', '3.1.2', 400, 'CSeq method differs from the request method: 400'),
  c('mismatch02', '3.1.2', 501, 'unknown method with a CSeq mismatch: 501 (RFC 4475 §3.1.2.18)'),
  c('bigcode', '3.1.2', 'drop', 'a response with a status over 699: dropped'),
  c('badbranch', '3.2', 200, 'branch is only the magic cookie: still a valid OPTIONS, 200'),
  c('insuf', '3.3', 400, 'missing Call-ID, From, To, Max-Forwards: 400'),
  c('unkscm', '3.3', 416, 'unknown Request-URI scheme: 416'),
  c('novelsc', '3.3', 416, 'soap.beep Request-URI scheme: 416'),
  c('unksm2', '3.3', 400, 'REGISTER whose To is isbn:, From http:, Contact name: (valid syntax): 400, as RFC 4475 §3.3.5 says a registrar answers (the To of a REGISTER must be a SIP or SIPS URI); here sip.js cannot read such a To either'),
  c('bext01', '3.3', 420, 'Require of unknown options: 420 with Unsupported'),
  c('invut', '3.3', 415, 'INVITE body of an unknown type: 415 with Accept'),
  c('regaut01', '3.3', 405, 'REGISTER with an unknown Authorization scheme: 405'),
  c('multi01', '3.3', 400, 'several To, From, Call-ID, CSeq: 400'),
  c('mcl01', '3.3', 400, 'several Content-Length values: 400'),
  c('bcast', '3.3', 'drop', 'a response to no request of ours: dropped'),
  c('zeromf', '3.3', 200, 'Max-Forwards 0 at the UAS: processed, 200'),
  c('cparam01', '3.3', 405, 'REGISTER: 405'),
  c('cparam02', '3.3', 405, 'REGISTER: 405'),
  c('regescrt', '3.3', 405, 'REGISTER: 405'),
  c('sdp01', '3.3', 406, 'Accept excludes application/sdp: 406 Not Acceptable'),
  c('inv2543', '3.4', 200, 'RFC 2543 INVITE (no branch, no From tag, no Contact, no Content-Length): answered on UDP, its Contact taken from the Via; on TCP a missing Content-Length is 400 (RFC 3261 §18.3)', 400),
  c('test', '-', 'drop', 'no SIP version and no Via: nothing to answer by'),
];

/** The bytes of a corpus file. */
export function corpusMessage(name: string): Buffer {
  return readFileSync(path.join(CORPUS_DIR, `${name}.dat`));
}

/** Prepares one request (latin1 in, latin1 out: the bytes stay as they are). */
function prepareOne(msg: string, transport: 'UDP' | 'TCP', port: number, n: number): string {
  if (/^SIP\//.test(msg)) return msg;
  const headEnd = msg.indexOf('\r\n\r\n');
  let head = headEnd === -1 ? msg : msg.slice(0, headEnd);
  let body = headEnd === -1 ? '' : msg.slice(headEnd + 4);
  // Top Via: transport and sent-by (folding kept).
  head = head.replace(/^((?:via|v)[ \t]*:[ \t\r\n]*SIP[ \t\r\n]*\/[ \t\r\n]*\d+\.\d+[ \t\r\n]*\/[ \t\r\n]*)([A-Za-z]+)([ \t\r\n]+)([^;,\s]+)/im, `$1${transport}$3127.0.0.1:${port}`);
  // Branch suffix (the top Via is the first branch= in the head).
  head = head.replace(/(branch[ \t]*=[ \t\r\n]*)(z9hG4bK[^;,\s]+|(?!z9hG4bK)[^;,\s]+)/i, `$1$2.t${n}`);
  if (/^INVITE /.test(head)) {
    head = head.replace(/^((?:contact|m|record-route)[ \t]*:.*)$/gim, (line) =>
      line.replace(/(sips?:(?:[^@>;\s]+@)?)([^;>\s:]+)(:\d+)?/i, `$1127.0.0.1:${port}`).replace(/maddr=[^;>\s]+/i, 'maddr=127.0.0.1'),
    );
  }
  let extra = '';
  const clMatch = /^((?:content-length|l)[ \t]*:[ \t]*)(\d+)/im.exec(head);
  if (clMatch && /\r\n(?:[A-Za-z%!]+) \S+ SIP\/2\.0\r\n/.test(`\r\n${body}`) && Number(clMatch[2]) < body.length) {
    // A second request after the body (dblreq): prepared the same way.
    const cl = Number(clMatch[2]);
    extra = body.slice(cl);
    body = body.slice(0, cl);
    const lead = /^\s*/.exec(extra)![0];
    extra = lead + prepareOne(extra.slice(lead.length), transport, port, n + 1000);
  }
  const before = Buffer.byteLength(body, 'latin1');
  body = body.replace(/^(c=IN IP4 |o=.* IN IP4 )(\d+\.\d+\.\d+\.\d+)/gm, '$1127.0.0.1');
  const delta = Buffer.byteLength(body, 'latin1') - before;
  if (delta !== 0) head = head.replace(/^((?:content-length|l)[ \t]*:[ \t]*)(\d+)/im, (_m, p: string, v: string) => `${p}${Number(v) + delta}`);
  return headEnd === -1 ? head : `${head}\r\n\r\n${body}${extra}`;
}

/**
 * The message as it is sent: prepared for the real transport and the sender's port.
 * @param n - the message's place (for the branch suffix).
 */
export function prepareTorture(name: string, transport: 'UDP' | 'TCP', port: number, n: number): Buffer {
  let text = corpusMessage(name).toString('latin1');
  if (name === 'baddn') text += '\r\n';
  return Buffer.from(prepareOne(text, transport, port, n), 'latin1');
}

/** What came back for one message. */
export interface ProbeOutcome {
  /** The first final status (≥ 200), or `drop` when none came in time. */
  final: Expected;
  /** Every status line received, in order. */
  statuses: number[];
  /** The final response's text (for header checks). */
  finalText?: string;
}

/** How long a probe waits for a final response before calling the message dropped (ms). */
export const DROP_WAIT_MS = 1500;

/**
 * A raw client on one UDP socket or one TCP connection: sends a message and gathers the responses;
 * answers a 2xx to an INVITE with ACK and BYE so that the call ends.
 */
export class TortureClient {
  private buf = '';
  private readonly datagrams: string[] = [];
  private readonly waiters: (() => void)[] = [];
  private constructor(
    readonly transport: 'UDP' | 'TCP',
    readonly port: number,
    private readonly sendRaw: (b: Buffer) => void,
    readonly close: () => void,
  ) {}

  /** Opens a client towards 127.0.0.1:`target`. */
  static async open(transport: 'UDP' | 'TCP', target: number): Promise<TortureClient> {
    if (transport === 'UDP') {
      const sock = dgram.createSocket('udp4');
      await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
      const client = new TortureClient('UDP', sock.address().port, (b) => sock.send(b, target, '127.0.0.1'), () => sock.close());
      sock.on('message', (b) => {
        client.datagrams.push(b.toString('latin1'));
        client.feed('');
      });
      return client;
    }
    const sock = net.connect(target, '127.0.0.1');
    sock.on('error', () => {});
    await new Promise<void>((r) => sock.once('connect', () => r()));
    const client = new TortureClient('TCP', sock.localPort!, (b) => sock.write(b), () => sock.destroy());
    sock.on('data', (b) => client.feed(b.toString('latin1')));
    return client;
  }

  private feed(s: string): void {
    this.buf += s;
    this.waiters.splice(0).forEach((w) => w());
  }

  /** Splits what arrived into messages (UDP: one per datagram; TCP: by Content-Length). */
  private takeMessages(): string[] {
    const out: string[] = [];
    for (;;) {
      if (this.transport === 'UDP') return this.datagrams.splice(0);
      this.buf = this.buf.replace(/^(\r\n)+/, '');
      const h = this.buf.indexOf('\r\n\r\n');
      if (h === -1) return out;
      const cl = Number(/\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)/i.exec(this.buf.slice(0, h))?.[1] ?? 0);
      if (this.buf.length < h + 4 + cl) return out;
      out.push(this.buf.slice(0, h + 4 + cl));
      this.buf = this.buf.slice(h + 4 + cl);
    }
  }

  private readonly pending: string[] = [];

  private next(deadline: number): Promise<string | undefined> {
    const queued = this.pending.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const check = (): void => {
        const got = this.takeMessages();
        const m = got.shift();
        if (got.length > 0) this.pending.unshift(...got);
        if (m !== undefined) {
          clearTimeout(timer);
          resolve(m);
        } else this.waiters.push(check);
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(check);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(undefined);
      }, Math.max(0, deadline - Date.now()));
      check();
    });
  }

  /** Sends a message and waits for its final response (or {@link DROP_WAIT_MS} of silence). */
  async probe(message: Buffer): Promise<ProbeOutcome> {
    this.buf = '';
    this.pending.length = 0;
    this.datagrams.length = 0;
    this.sendRaw(message);
    const statuses: number[] = [];
    let deadline = Date.now() + DROP_WAIT_MS;
    for (;;) {
      const m = await this.next(deadline);
      if (m === undefined) return { final: 'drop', statuses };
      const status = /^SIP\/2\.0 (\d{3})/.exec(m)?.[1];
      if (!status) continue; // a request from the app (e.g. a BYE): not this probe's concern
      statuses.push(Number(status));
      if (Number(status) < 200) {
        deadline = Date.now() + 10_000; // a call in progress: the bot answers
        continue;
      }
      if (/^CSeq:\s*\d+\s+INVITE/im.test(m) && Number(status) < 300) await this.endCall(m);
      return { final: Number(status), statuses, finalText: m };
    }
  }

  /** ACKs a 2xx to an INVITE and hangs up with BYE (waits for the BYE's response). */
  private async endCall(ok: string): Promise<void> {
    const get = (name: string): string => new RegExp(`^(?:${name})[ \\t]*:[ \\t]*(.*)$`, 'im').exec(ok)?.[1]?.trim() ?? '';
    const contact = /<([^>]+)>/.exec(get('contact|m'))?.[1] ?? '';
    const seq = Number(/^(\d+)/.exec(get('cseq'))?.[1] ?? 1);
    const via = (branch: string): string => `Via: SIP/2.0/${this.transport} 127.0.0.1:${this.port};branch=z9hG4bK${branch}${Date.now()}${Math.random().toString(36).slice(2)}`;
    const common = [`From: ${get('from|f')}`, `To: ${get('to|t')}`, `Call-ID: ${get('call-id|i')}`, 'Max-Forwards: 70'];
    this.sendRaw(Buffer.from([`ACK ${contact} SIP/2.0`, via('ack'), ...common, `CSeq: ${seq} ACK`, 'Content-Length: 0', '', ''].join('\r\n')));
    this.sendRaw(Buffer.from([`BYE ${contact} SIP/2.0`, via('bye'), ...common, `CSeq: ${seq + 1} BYE`, 'Content-Length: 0', '', ''].join('\r\n')));
    const deadline = Date.now() + 5000;
    for (;;) {
      const m = await this.next(deadline);
      if (m === undefined || /^SIP\/2\.0 [2-6]\d\d[^\r]*\r\n(?:[^\r]*\r\n)*CSeq:\s*\d+\s+BYE/im.test(m)) return;
    }
  }
}
