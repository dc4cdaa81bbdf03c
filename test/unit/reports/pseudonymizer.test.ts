// Redaction on request: phone numbers and IP addresses replaced consistently (the same input, the
// same placeholder, within one report), the ContactId and SIP structure kept; secrets always.
import { describe, expect, it } from 'vitest';
import { makeReportDocument } from '../../../src/main/reports/report-document';
import { Pseudonymizer } from '../../../src/main/reports/pseudonymizer';
import { sampleCall } from '../../helpers/reports/sample-calls';

describe('Pseudonymizer', () => {
  const both = () => new Pseudonymizer({ phoneNumbers: true, ipAddresses: true });

  it('numbers in sip: and tel: URIs, not user names or short numbers', () => {
    const p = both();
    expect(p.text('sip:+15551234567@10.1.2.3:5060')).toBe('sip:phone-1@192.0.2.1:5060');
    expect(p.text('<tel:+1-555-123-4567>')).toBe('<tel:phone-1>');
    expect(p.text('sip:15550100@127.0.0.1;user=phone')).toBe('sip:phone-2@127.0.0.1;user=phone');
    expect(p.text('sip:bot@10.1.2.3')).toBe('sip:bot@192.0.2.1');
    expect(p.text('sip:42@host')).toBe('sip:42@host');
  });

  it('digits in the display names of From, To and P-Asserted-Identity, not tags or ContactIds', () => {
    const p = both();
    expect(p.header('From', '"+1 555 123 4567" <sip:+15551234567@10.1.2.3>;tag=1928301774')).toBe('"phone-1" <sip:phone-1@192.0.2.1>;tag=1928301774');
    expect(p.header('P-Asserted-Identity', 'Alice 0044 20 7946 0000 <tel:+442079460000>')).toBe('Alice phone-2 <tel:phone-2>');
    expect(p.header('X-ContactID', '701234567890')).toBe('701234567890');
  });

  it('IPv4 and IPv6 anywhere, to documentation addresses; loopback and unspecified kept', () => {
    const p = both();
    const out = p.sipMessage(
      'INVITE sip:bot@[2001:4860::8888]:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 10.1.2.3:5080;branch=z9;received=203.0.113.77\r\nCall-ID: abc@10.1.2.3\r\nX-ContactID: 701234567890\r\n' +
        'Content-Length: 40\r\n\r\nc=IN IP4 10.1.2.3\r\nc=IN IP6 2001:4860::8888\r\no=- 1 1 IN IP4 127.0.0.1\r\n',
    );
    expect(out).toBe(
      'INVITE sip:bot@[2001:db8::1]:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5080;branch=z9;received=192.0.2.2\r\nCall-ID: abc@192.0.2.1\r\nX-ContactID: 701234567890\r\n' +
        'Content-Length: 40\r\n\r\nc=IN IP4 192.0.2.1\r\nc=IN IP6 2001:db8::1\r\no=- 1 1 IN IP4 127.0.0.1\r\n',
    );
    expect(p.text('0.0.0.0 and ::1 and 12:30:45 and 999.1.1.1')).toBe('0.0.0.0 and ::1 and 12:30:45 and 999.1.1.1');
  });

  it('does nothing unless asked', () => {
    const p = new Pseudonymizer({});
    const raw = 'INVITE sip:+15551234567@10.1.2.3 SIP/2.0\r\n\r\n';
    expect(p.sipMessage(raw)).toBe(raw);
  });
});

describe('report document redaction', () => {
  it('is consistent across every place a number or address appears, and always hides secrets', () => {
    const call = sampleCall('c1');
    const doc = makeReportDocument(null, [call], { redact: { phoneNumbers: true, ipAddresses: true } });
    const text = JSON.stringify(doc);
    for (const secret of ['+15551234567', '10.1.2.3', '10.9.8.7', 'secret-token-value', '/home/alice']) expect(text).not.toContain(secret);
    const c = doc.calls[0]!;
    expect(c.from).toBe('<sip:phone-1@192.0.2.1:5080>;tag=1928301774');
    expect(c.messages[0]!.remote).toBe('192.0.2.1:5080');
    expect(c.messages[0]!.local).toBe('192.0.2.2:5070');
    expect(c.messages.every((m) => m.raw.includes('sip:phone-1@192.0.2.1:5080'))).toBe(true);
    expect(c.invite!.headers.find((h) => h.name === 'X-ContactID')!.value).toBe('701234567890');
    expect(c.contactId).toBe('701234567890');
    expect(c.signals[0]!.exchange.request.headers.Authorization).toBe('[redacted]');
    expect(c.media!.recordingPath).toBe('call.wav');
    expect(doc.redaction).toEqual({ secrets: true, phoneNumbers: true, ipAddresses: true });
  });

  it('redacts SIP digest credentials even without a request', () => {
    const call = sampleCall('c1');
    call.messages[0]!.raw = call.messages[0]!.raw.replace('Max-Forwards: 70', 'Authorization: Digest username="lab", response="6629fae49393a05397450978507c4ef1"\r\nMax-Forwards: 70');
    const doc = makeReportDocument(null, [call]);
    expect(doc.calls[0]!.messages[0]!.raw).toContain('Authorization: Digest [redacted]');
    expect(JSON.stringify(doc)).not.toContain('6629fae4');
  });
});
