import { describe, expect, it } from 'vitest';
import { Core } from 'sip.js';
import { sipToTel, telToSip } from '../../../src/main/sip/tel-identity';

function msg(from: string, to: string, start = 'INVITE tel:+4930123456 SIP/2.0'): string {
  return [start, 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1', `From: ${from}`, `To: ${to}`, 'Call-ID: c1', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''].join('\r\n');
}

function sipJsReads(text: string): boolean {
  const factory = new Core.LoggerFactory();
  factory.builtinEnabled = false;
  return Core.Parser.parseMessage(text, factory.getLogger('t')) !== undefined;
}

describe('tel: URIs in From and To (RFC 3966; RFC 3261 §19.1.6, §20.20, §20.39)', () => {
  it('writes tel: From/To URIs as SIP URIs on tel.invalid that sip.js reads, and back', () => {
    const cases: [string, string, string][] = [
      ['<tel:+15551234>;tag=a', '<tel:+4930123456>', '<sip:+15551234@tel.invalid;user=phone>;tag=a'],
      ['"Alice tel:+9" <tel:+1-555-1234;phone-context=+1>;tag=a', 'tel:+4930123456', '"Alice tel:+9" <sip:+1-555-1234;phone-context=+1@tel.invalid;user=phone>;tag=a'],
      ['tel:+15551234;tag=a', '<TEL:+4930123456>', '<sip:+15551234@tel.invalid;user=phone>;tag=a'],
    ];
    for (const [from, to, fromSip] of cases) {
      const text = msg(from, to);
      expect(sipJsReads(text), from).toBe(false);
      const inbound = telToSip(text);
      expect(inbound, from).toContain(`\r\nFrom: ${fromSip}\r\n`);
      expect(inbound, from).toMatch(/\r\nTo: <sip:\+4930123456@tel\.invalid;user=phone>\r\n/);
      expect(inbound.split('\r\n')[0], 'the Request-URI is not touched').toBe('INVITE tel:+4930123456 SIP/2.0');
      expect(sipJsReads(inbound), from).toBe(true);
      // A response copies them; sipToTel gives the peer its tel: URIs again.
      const response = inbound.replace(/^INVITE \S+ SIP\/2.0/, 'SIP/2.0 200 OK').replace(/(\r\nTo: [^\r]*)/, '$1;tag=ours');
      const out = sipToTel(response);
      expect(out).toContain(`\r\nFrom: ${from.startsWith('tel:') ? '<tel:+15551234>;tag=a' : from.replace('TEL:', 'tel:')}\r\n`);
      expect(out).toMatch(/\r\nTo: <tel:\+4930123456>;tag=ours\r\n/);
    }
  });

  it("writes back the URIs sip.js escapes in a dialog's requests (';' and '=' of the number's parameters)", () => {
    const bye = msg('<sip:+4930123456@tel.invalid;user=phone>;tag=ours', '<sip:+1-555-1234%3Bphone-context%3D+1@tel.invalid;user=phone>;tag=a', 'BYE sip:peer@10.0.0.1 SIP/2.0');
    const out = sipToTel(bye);
    expect(out).toContain('\r\nFrom: <tel:+4930123456>;tag=ours\r\n');
    expect(out).toContain('\r\nTo: <tel:+1-555-1234;phone-context=+1>;tag=a\r\n');
  });

  it('leaves messages without tel: From/To alone (a tel: Request-URI, a tel: in a display name or another header)', () => {
    for (const text of [
      msg('<sip:a@10.0.0.1>;tag=a', '<sip:b@10.0.0.2>'),
      msg('"tel:+1" <sip:a@10.0.0.1>;tag=a', '<sip:b@10.0.0.2>'),
      msg('<sip:a@10.0.0.1>;tag=a', '<sip:b@10.0.0.2>').replace('Call-ID: c1', 'Call-ID: c1\r\nP-Asserted-Identity: <tel:+1555>'),
    ]) {
      expect(telToSip(text)).toBe(text);
      expect(sipToTel(text)).toBe(text);
    }
  });
});
