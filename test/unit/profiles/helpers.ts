/** Test helpers: realistic INVITE headers and raw INVITE text (CRLF) as CXone's child leg sends them. */
import type { SipHeader } from '../../../src/shared/types';

/** The non-X headers of an INVITE from CXone to a bot's pseudo number. */
export function baseInviteHeaders(): SipHeader[] {
  return [
    { name: 'Via', value: 'SIP/2.0/TLS 216.20.235.167:5061;branch=z9hG4bK-524287-1---a1b2c3d4' },
    { name: 'Max-Forwards', value: '70' },
    { name: 'From', value: '"CXone" <sip:+15125550100@216.20.235.167>;tag=cx-8812' },
    { name: 'To', value: '<sip:+15125559999@bot.example.com>' },
    { name: 'Call-ID', value: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6@216.20.235.167' },
    { name: 'CSeq', value: '1 INVITE' },
    { name: 'Contact', value: '<sip:cxone@216.20.235.167:5061;transport=tls>' },
    { name: 'Content-Type', value: 'application/sdp' },
  ];
}

/** INVITE headers with the given X- headers appended (an unrelated X-Campaign first). */
export function invite(...x: Array<[string, string]>): SipHeader[] {
  return [...baseInviteHeaders(), { name: 'X-Campaign', value: 'spring-2025' }, ...x.map(([name, value]) => ({ name, value }))];
}

const SDP = [
  'v=0',
  'o=CXone 53655765 2353687637 IN IP4 216.20.235.167',
  's=-',
  'c=IN IP4 216.20.235.167',
  't=0 0',
  'm=audio 40000 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  '',
].join('\r\n');

/**
 * A raw INVITE using compact header forms (v, f, t, i, m, c, l) and folded lines, with the given
 * X- header lines (raw text, may include folding: pass "Name:\r\n value").
 */
export function rawCompactInvite(xLines: string[]): string {
  const head = [
    'INVITE sip:+15125559999@bot.example.com;transport=tcp SIP/2.0',
    'v: SIP/2.0/TCP 216.20.235.167:5060;branch=z9hG4bK-77aa01',
    'Max-Forwards: 70',
    'f: "CXone"',
    ' <sip:+15125550100@216.20.235.167>;tag=cx-9921',
    't: <sip:+15125559999@bot.example.com>',
    'i: 3848276298220188511@216.20.235.167',
    'CSeq: 1 INVITE',
    'm: <sip:cxone@216.20.235.167:5060;transport=tcp>',
    'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE,',
    '\tREFER, NOTIFY',
    'k: timer',
    ...xLines,
    'c: application/sdp',
    `l: ${Buffer.byteLength(SDP)}`,
  ];
  return `${head.join('\r\n')}\r\n\r\n${SDP}`;
}
