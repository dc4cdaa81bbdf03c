import { describe, expect, it } from 'vitest';
import { buildStatelessResponse, checkInbound, sipJsParseError } from '../../../src/main/sip/validation';

const VIA = 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;rport';

function invite(opts: { drop?: string[]; body?: string; cl?: string; extra?: string[] } = {}): string {
  const body = opts.body ?? '';
  const headers = [
    VIA,
    'From: <sip:a@10.0.0.1>;tag=f1',
    'To: <sip:4930123456@10.0.0.2>',
    'Call-ID: call-1@10.0.0.1',
    'CSeq: 1 INVITE',
    'Contact: <sip:a@10.0.0.1:5060>',
    'Max-Forwards: 70',
    ...(opts.extra ?? []),
    ...(body === '' ? [] : ['Content-Type: application/sdp']),
    `Content-Length: ${opts.cl ?? Buffer.byteLength(body)}`,
  ].filter((h) => !(opts.drop ?? []).some((d) => h.startsWith(`${d}:`)));
  return `INVITE sip:4930123456@10.0.0.2 SIP/2.0\r\n${headers.join('\r\n')}\r\n\r\n${body}`;
}

describe('checkInbound', () => {
  it('delivers a well-formed request unchanged', () => {
    const raw = invite({ body: 'v=0\r\n' });
    expect(checkInbound(raw, 'udp')).toMatchObject({ action: 'deliver', text: raw });
  });

  it('answers 400 Missing Call-ID to an INVITE without Call-ID, copying Via, From, To (tag added) and CSeq', () => {
    const d = checkInbound(invite({ drop: ['Call-ID'] }), 'tcp');
    expect(d).toMatchObject({ action: 'reject', status: 400, phrase: 'Missing Call-ID' });
    const resp = (d as { response: string }).response.split('\r\n');
    expect(resp[0]).toBe('SIP/2.0 400 Missing Call-ID');
    expect(resp).toContain(VIA);
    expect(resp).toContain('From: <sip:a@10.0.0.1>;tag=f1');
    expect(resp.find((l) => l.startsWith('To: <sip:4930123456@10.0.0.2>;tag='))).toBeDefined();
    expect(resp).toContain('CSeq: 1 INVITE');
    expect(resp.some((l) => l.startsWith('Call-ID'))).toBe(false);
  });

  it('names every missing header, and an unreadable CSeq', () => {
    expect(checkInbound(invite({ drop: ['From', 'To'] }), 'udp')).toMatchObject({ phrase: 'Missing From, To' });
    const badCseq = invite().replace('CSeq: 1 INVITE', 'CSeq: one');
    expect(checkInbound(badCseq, 'udp')).toMatchObject({ action: 'reject', phrase: 'Bad CSeq' });
  });

  it('answers 400 on UDP when the body is shorter than Content-Length', () => {
    const d = checkInbound(invite({ body: 'v=0\r\n', cl: '500' }), 'udp');
    expect(d).toMatchObject({ action: 'reject', phrase: 'Body Shorter Than Content-Length' });
    expect((d as { reason: string }).reason).toBe('body of 5 bytes is shorter than Content-Length 500');
  });

  it('cuts a UDP body longer than Content-Length (RFC 3261 §18.3), counting bytes not characters', () => {
    const raw = invite({ body: 'é€xyz', cl: '5' });
    const d = checkInbound(raw, 'udp');
    expect(d.action).toBe('deliver');
    expect((d as { text: string }).text.endsWith('\r\n\r\né€')).toBe(true);
  });

  it('answers 400 Bad Content-Length for a non-numeric value', () => {
    expect(checkInbound(invite({ cl: 'abc' }), 'udp')).toMatchObject({ action: 'reject', phrase: 'Bad Content-Length' });
  });

  it('answers 400 for a header sip.js cannot parse (From without a URI)', () => {
    const raw = invite().replace('From: <sip:a@10.0.0.1>;tag=f1', 'From: <<garbage>>');
    expect(checkInbound(raw, 'udp')).toMatchObject({ action: 'reject', phrase: 'Bad From Header' });
  });

  it('answers 400 Malformed Message to an unparseable request that still has a Via', () => {
    const raw = invite().replace('Max-Forwards: 70', 'this line has no colon');
    expect(checkInbound(raw, 'udp')).toMatchObject({ action: 'reject', phrase: 'Malformed Message' });
  });

  it('drops what cannot be answered: a response, an ACK, a request without Via, garbage', () => {
    const response = 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nCSeq: 1 INVITE\r\n\r\n';
    expect(checkInbound(response, 'udp')).toMatchObject({ action: 'drop', reason: expect.stringMatching(/Call-ID.*not a request/) });
    const ack = invite({ drop: ['Call-ID'] }).replace(/^INVITE/, 'ACK').replace('1 INVITE', '1 ACK');
    expect(checkInbound(ack, 'udp')).toMatchObject({ action: 'drop', reason: expect.stringMatching(/never answered/) });
    expect(checkInbound(invite({ drop: ['Via'] }), 'udp')).toMatchObject({ action: 'drop', reason: expect.stringMatching(/no usable Via/) });
    expect(checkInbound('\u0000\u0001binary junk', 'udp')).toMatchObject({ action: 'drop' });
  });
});

describe('buildStatelessResponse', () => {
  it('keeps all Via lines in order and an existing To tag', () => {
    const raw = 'BYE sip:x@h SIP/2.0\r\nVia: SIP/2.0/TCP a;branch=1\r\nv: SIP/2.0/TCP b;branch=2\r\nTo: <sip:x@h>;tag=t9\r\n\r\n';
    expect(buildStatelessResponse(raw, 400, 'Missing Call-ID')).toBe(
      'SIP/2.0 400 Missing Call-ID\r\nVia: SIP/2.0/TCP a;branch=1\r\nVia: SIP/2.0/TCP b;branch=2\r\nTo: <sip:x@h>;tag=t9\r\nContent-Length: 0\r\n\r\n',
    );
  });
});

describe('sipJsParseError', () => {
  it('is undefined for a message sip.js reads and names the header otherwise', () => {
    expect(sipJsParseError(invite())).toBeUndefined();
    expect(sipJsParseError(invite().replace('CSeq: 1 INVITE', 'CSeq: x'))).toMatch(/CSeq/);
  });
});
