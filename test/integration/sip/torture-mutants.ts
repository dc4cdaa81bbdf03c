/**
 * Mutants of a good INVITE for the fuzz test (torture-fuzz.test.ts) and bench/torture.mts, as a
 * fast-check arbitrary: each mutant is a good INVITE with 1–3 edits (a header dropped, repeated,
 * given a hostile value or folded; the start line's method, Request-URI or version changed; the
 * Content-Length wrong; the message cut; bytes inserted; line ends changed).
 *
 * The Call-ID and the top Via branch stay findable (`callId`) unless an edit removes them.
 */
import fc from 'fast-check';

/** One mutant: its bytes, its Call-ID as generated, and the edits made (for reports). */
export interface Mutant {
  bytes: Buffer;
  callId: string;
  edits: string[];
}

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n';

/** The good INVITE's lines (start line, headers) and body. */
function goodInvite(proto: 'UDP' | 'TCP', port: number, target: number, callId: string): { lines: string[]; body: string } {
  return {
    lines: [
      `INVITE sip:bot@127.0.0.1:${target} SIP/2.0`,
      `Via: SIP/2.0/${proto} 127.0.0.1:${port};branch=z9hG4bK-${callId};rport`,
      'Max-Forwards: 70',
      `From: "CXone" <sip:cxone@127.0.0.1:${port}>;tag=f-${callId}`,
      `To: <sip:bot@127.0.0.1:${target}>`,
      `Call-ID: ${callId}`,
      'CSeq: 1 INVITE',
      `Contact: <sip:cxone@127.0.0.1:${port}>`,
      'X-ContactID: 998877',
      'Supported: timer',
      'Content-Type: application/sdp',
      `Content-Length: ${Buffer.byteLength(SDP)}`,
    ],
    body: SDP,
  };
}

/** A header line's index (1..n-1) from a random number, or -1 when there is none. */
function pick(lines: string[], i: number): number {
  return lines.length < 2 ? -1 : 1 + (i % (lines.length - 1));
}

type Edit = (m: { lines: string[]; body: string; tail: Buffer | undefined; tailAt: number }) => string;

const hostile = fc.oneof(
  fc.constantFrom('', ';;,;,,', '<', '>', '"', '\\', 'sip:', '<sip:>', ';tag=', '%00', '\u0000', '\u00ff\u00fe', 'a'.repeat(5000), '1'.repeat(30), '-1', '*', '𝄞'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.nat().map((i): Edit => (m) => {
    const k = pick(m.lines, i);
    if (k < 0) return 'no-op';
    const [gone] = m.lines.splice(k, 1);
    return `drop "${gone?.split(':')[0]}"`;
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 400 })).map(([i, n]): Edit => (m) => {
    const k = pick(m.lines, i);
    if (k < 0) return 'no-op';
    m.lines.splice(k, 0, ...new Array<string>(n).fill(m.lines[k]!));
    return `repeat "${m.lines[k]!.split(':')[0]}" ×${n + 1}`;
  }),
  fc.tuple(fc.nat(), hostile).map(([i, v]): Edit => (m) => {
    const k = pick(m.lines, i);
    if (k < 0) return 'no-op';
    const name = m.lines[k]!.split(':')[0]!;
    m.lines[k] = `${name}: ${v}`;
    return `${name} = ${JSON.stringify(v.slice(0, 20))}`;
  }),
  fc.tuple(fc.constantFrom('INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'FOO', 'invite', 'INV ITE', ''), fc.constantFrom('sip:bot@127.0.0.1', 'sips:bot@127.0.0.1', 'tel:+1555', '<sip:bot@127.0.0.1>', 'sip:bot@127.0.0.1; lr', 'sip:bot@127.0.0.1?X=1', ''), fc.constantFrom('SIP/2.0', 'SIP/3.0', 'SIP/2.0 ', 'sip/2.0', 'HTTP/1.1', '')).map(
    ([method, uri, version]): Edit => (m) => {
      m.lines[0] = [method, uri, version].join(' ');
      return `start line "${m.lines[0]}"`;
    },
  ),
  fc.oneof(fc.integer({ min: -5, max: 100_000 }).map(String), fc.constantFrom('', 'abc', '1e3', ' 12', '99999999999')).map((v): Edit => (m) => {
    const k = m.lines.findIndex((l) => l.startsWith('Content-Length'));
    if (k >= 0) m.lines[k] = `Content-Length: ${v}`;
    return `Content-Length ${JSON.stringify(v)}`;
  }),
  fc.constantFrom('Content-Type: text/plain', 'Content-Type: multipart/mixed;boundary=x', 'Require: 100rel', 'Require: foo, bar', 'Accept: text/html', 'Content-Encoding: gzip', 'Date: Fri, 01 Jan 2010 16:00:00 EST', 'CSeq: 1 BYE', 'CSeq: 99999999999 INVITE', 'Max-Forwards: 300', 'To: <sip:bot@127.0.0.1>;tag=nosuchdialog').map(
    (line): Edit => (m) => {
      const name = line.split(':')[0]!;
      const k = m.lines.findIndex((l) => l.startsWith(`${name}:`));
      if (k >= 0) m.lines[k] = line;
      else m.lines.push(line);
      return `set "${line}"`;
    },
  ),
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]): Edit => (m) => {
    const k = pick(m.lines, i);
    if (k < 0) return 'no-op';
    const l = m.lines[k]!;
    const at = 1 + (j % Math.max(1, l.length - 1));
    m.lines[k] = `${l.slice(0, at)}\r\n ${l.slice(at)}`;
    return `fold line ${k}`;
  }),
  fc.constantFrom('\n', '\r', '\r\n\r\n').map((eol): Edit => (m) => {
    m.lines = [m.lines.join(eol)];
    return `line ends ${JSON.stringify(eol)}`;
  }),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([i, bytes]): Edit => (m) => {
    m.tail = Buffer.from(bytes);
    m.tailAt = i % 100;
    return `${bytes.length} random bytes at ${i % 100}%`;
  }),
  fc.nat({ max: 99 }).map((pct): Edit => (m) => {
    m.lines.push(`X-Cut: ${pct}`);
    return `cut at ${pct}%`;
  }),
  hostile.map((b): Edit => (m) => {
    m.body = b;
    return `body ${JSON.stringify(b.slice(0, 20))}`;
  }),
);

/**
 * Mutants of a good INVITE from port `port` (transport `proto`) to 127.0.0.1:`target`.
 * @param id - makes the Call-ID unique per mutant (a counter the caller keeps).
 */
export function mutantArb(proto: 'UDP' | 'TCP', port: number, target: number, id: () => number): fc.Arbitrary<Mutant> {
  return fc.array(editArb, { minLength: 1, maxLength: 3 }).map((edits) => {
    const callId = `fuzz-${id()}-${proto}`;
    const m = { ...goodInvite(proto, port, target, callId), tail: undefined as Buffer | undefined, tailAt: 50 };
    const names = edits.map((e) => e(m));
    let bytes = Buffer.from(`${m.lines.join('\r\n')}\r\n\r\n${m.body}`, 'utf8');
    const cut = /X-Cut: (\d+)/.exec(m.lines.join('\n'))?.[1];
    if (cut !== undefined) bytes = bytes.subarray(0, Math.floor((bytes.length * Number(cut)) / 100));
    if (m.tail) {
      const at = Math.floor((bytes.length * m.tailAt) / 100);
      bytes = Buffer.concat([bytes.subarray(0, at), m.tail, bytes.subarray(at)]);
    }
    return { bytes, callId, edits: names };
  });
}
