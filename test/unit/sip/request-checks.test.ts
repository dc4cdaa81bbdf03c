import { describe, expect, it } from 'vitest';
import { isParseError, parseSipMessage, type ParsedSipMessage } from '../../../src/main/sip/message';
import { checkBodyHeaders, checkCSeq, checkHeaderValues, checkMethod, checkRequestUri, checkRequire, checkSessionBody, checkSingleValued } from '../../../src/main/sip/request-checks';
import { checkInbound } from '../../../src/main/sip/validation';

function msg(start: string, headers: string[], body = ''): ParsedSipMessage {
  const p = parseSipMessage(`${start}\r\n${headers.join('\r\n')}\r\n\r\n${body}`);
  if (isParseError(p)) throw new Error(p.error);
  return p;
}

const BASE = ['Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1', 'From: <sip:a@x>;tag=1', 'To: <sip:b@y>', 'Call-ID: c1', 'CSeq: 1 INVITE', 'Max-Forwards: 70'];

describe('RFC 3261 request checks', () => {
  it('501 with Allow for an unknown method (case counts: "invite" is not INVITE)', () => {
    expect(checkMethod(msg('FOO sip:b@y SIP/2.0', BASE))).toMatchObject({ status: 501, extraHeaders: ['Allow: ACK, BYE, CANCEL, INFO, INVITE, MESSAGE, NOTIFY, OPTIONS'] }); // what we serve (sip/methods.ts), not every method we know
    expect(checkMethod(msg('invite sip:b@y SIP/2.0', BASE))?.status).toBe(501);
    expect(checkMethod(msg('INVITE sip:b@y SIP/2.0', BASE))).toBeUndefined();
  });

  it('400 for a CSeq method mismatch or a CSeq number not below 2^31', () => {
    expect(checkCSeq(msg('BYE sip:b@y SIP/2.0', BASE))).toMatchObject({ status: 400, phrase: 'CSeq Method Mismatch' });
    expect(checkCSeq(msg('INVITE sip:b@y SIP/2.0', [...BASE.slice(0, 4), 'CSeq: 2147483648 INVITE']))).toMatchObject({ status: 400, phrase: 'Bad CSeq' });
    expect(checkCSeq(msg('INVITE sip:b@y SIP/2.0', BASE))).toBeUndefined();
  });

  it('416 for a scheme other than sip, sips or tel (sips only over TLS), 400 for a Request-URI in <> or with headers', () => {
    expect(checkRequestUri(msg('INVITE im:b@y SIP/2.0', BASE), 'udp')?.status).toBe(416);
    expect(checkRequestUri(msg('INVITE http://y/b SIP/2.0', BASE), 'tls')?.status).toBe(416);
    for (const transport of ['udp', 'tcp'] as const) {
      expect(checkRequestUri(msg('INVITE sips:b@y SIP/2.0', BASE), transport)).toMatchObject({ status: 416, phrase: 'Unsupported URI Scheme' });
      expect(checkRequestUri(msg('OPTIONS SIPS:b@y SIP/2.0', BASE), transport)?.status).toBe(416);
    }
    expect(checkRequestUri(msg('INVITE sips:b@y SIP/2.0', BASE), 'tls')).toBeUndefined();
    expect(checkRequestUri(msg('INVITE sip:b@y SIP/2.0', BASE), 'udp')).toBeUndefined();
    expect(checkRequestUri(msg('INVITE <sip:b@y> SIP/2.0', BASE), 'udp')?.status).toBe(400);
    expect(checkRequestUri(msg('INVITE sip:b@y?Route=x SIP/2.0', BASE), 'udp')?.status).toBe(400);
  });

  it('takes a tel: Request-URI (RFC 3966) outside a dialog and in an ACK; 404 inside a dialog; 400 when it is not RFC 3966', () => {
    for (const uri of ['tel:+15551234', 'TEL:+1-555-123.4', 'tel:+1(555)1234;ext=22', 'tel:7042;phone-context=example.com', 'tel:*21#;phone-context=+49', 'tel:1234']) {
      for (const transport of ['udp', 'tcp', 'tls'] as const) expect(checkRequestUri(msg(`INVITE ${uri} SIP/2.0`, BASE), transport), `${uri} ${transport}`).toBeUndefined();
    }
    const inDialog = [...BASE.slice(0, 2), 'To: <sip:b@y>;tag=t1', ...BASE.slice(3)];
    expect(checkRequestUri(msg('ACK tel:+15551234 SIP/2.0', inDialog), 'udp')).toBeUndefined();
    expect(checkRequestUri(msg('BYE tel:+15551234 SIP/2.0', inDialog), 'udp')).toMatchObject({ status: 404 });
    for (const bad of ['tel:', 'tel:+', 'tel:abc xyz', 'tel:+15551234?x=y', 'tel:+1555;;a']) {
      expect(checkRequestUri(msg(`INVITE ${bad.replace(' ', '%20')} SIP/2.0`, BASE), 'udp'), bad).toMatchObject({ status: 400, phrase: 'Bad Request-URI' });
    }
  });

  it('420 with Unsupported listing the unknown options (never for ACK or CANCEL)', () => {
    expect(checkRequire(msg('INVITE sip:b@y SIP/2.0', [...BASE, 'Require: 100rel, foo']))).toMatchObject({ status: 420, extraHeaders: ['Unsupported: 100rel, foo'] });
    expect(checkRequire(msg('ACK sip:b@y SIP/2.0', [...BASE, 'Require: foo']))).toBeUndefined();
  });

  it('415 with Accept for a non-SDP INVITE body, 406 when Accept excludes SDP; other methods keep their bodies', () => {
    expect(checkSessionBody(msg('INVITE sip:b@y SIP/2.0', [...BASE, 'Content-Type: text/plain'], 'hi'), 'hi')).toMatchObject({ status: 415, extraHeaders: ['Accept: application/sdp'] });
    expect(checkSessionBody(msg('INVITE sip:b@y SIP/2.0', [...BASE, 'Accept: text/html']), '')).toMatchObject({ status: 406 });
    expect(checkSessionBody(msg('INVITE sip:b@y SIP/2.0', [...BASE, 'Accept: application/sdp, text/html']), '')).toBeUndefined();
    expect(checkSessionBody(msg('INFO sip:b@y SIP/2.0', [...BASE, 'Content-Type: application/dtmf-relay'], 'Signal=1'), 'Signal=1')).toBeUndefined();
  });

  it('400 for a body without Content-Type, and for no Content-Length on a stream (optional on UDP)', () => {
    expect(checkBodyHeaders(msg('INVITE sip:b@y SIP/2.0', [...BASE, 'Content-Length: 2'], 'hi'), 'udp', 'hi')).toMatchObject({ phrase: 'Missing Content-Type' });
    expect(checkBodyHeaders(msg('OPTIONS sip:b@y SIP/2.0', BASE), 'tcp', '')).toMatchObject({ phrase: 'Missing Content-Length' });
    expect(checkBodyHeaders(msg('OPTIONS sip:b@y SIP/2.0', BASE), 'udp', '')).toBeUndefined();
  });

  it('400 for repeated single-valued headers, Max-Forwards over 255, a Date not in GMT, a bare Contact URI with headers', () => {
    expect(checkSingleValued(msg('INVITE sip:b@y SIP/2.0', [...BASE, 'To: <sip:c@z>']))).toMatchObject({ phrase: 'Multiple To Headers' });
    expect(checkSingleValued(msg('INVITE sip:b@y SIP/2.0', [...BASE, 'Content-Length: 0', 'l: 0']))).toMatchObject({ phrase: 'Multiple Content-Length Headers' });
    expect(checkHeaderValues(msg('INVITE sip:b@y SIP/2.0', [...BASE.slice(0, 5), 'Max-Forwards: 300']))).toMatchObject({ phrase: 'Bad Max-Forwards' });
    expect(checkHeaderValues(msg('INVITE sip:b@y SIP/2.0', [...BASE, 'Date: Fri, 01 Jan 2010 16:00:00 EST']))).toMatchObject({ phrase: 'Bad Date' });
    expect(checkHeaderValues(msg('REGISTER sip:y SIP/2.0', [...BASE, 'Contact: sip:u@y?Route=%3Csip:x%3E']))).toMatchObject({ phrase: 'Bad Contact Header' });
    expect(checkHeaderValues(msg('REGISTER sip:y SIP/2.0', [...BASE, 'Contact: <sip:u@y?Route=%3Csip:x%3E>']))).toBeUndefined();
  });
});

describe('checkInbound caps and versions', () => {
  const invite = (extra: string[] = []): string => `INVITE sip:b@y SIP/2.0\r\n${[...BASE, 'Contact: <sip:a@x>', ...extra, 'Content-Length: 0'].join('\r\n')}\r\n\r\n`;

  it('505 for another SIP version, answerable even though its Via carries that version too', () => {
    const d = checkInbound('OPTIONS sip:b@y SIP/7.0\r\nVia: SIP/7.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n', 'udp');
    expect(d).toMatchObject({ action: 'reject', status: 505, phrase: 'Version Not Supported' });
  });

  it('400 Too Many Headers past the header cap, 513 past the size cap (marked for counting)', () => {
    const many = Array.from({ length: 300 }, (_, i) => `X-ContactID: ${i}`);
    expect(checkInbound(invite(many), 'udp')).toMatchObject({ status: 400, phrase: 'Too Many Headers', cap: 'header-count' });
    expect(checkInbound(invite(many), 'udp', { limits: { maxHeaders: 1000, maxMessageBytes: 2000 } })).toMatchObject({ status: 513, phrase: 'Message Too Large', cap: 'message-size' });
    expect(checkInbound(invite(), 'udp').action).toBe('deliver');
  });

  it('reads 20,000 repeated headers and refuses them (a linear parse: no quadratic blow-up to wait for)', () => {
    const many = Array.from({ length: 20_000 }, () => 'X-ContactID: 7');
    const d = checkInbound(invite(many), 'tcp', { limits: { maxHeaders: 256, maxMessageBytes: 10_000_000 } });
    expect(d).toMatchObject({ status: 400, phrase: 'Too Many Headers' });
  });
});
