import { describe, expect, it } from 'vitest';
import { udpResponseTarget, viaTarget } from '../../../src/main/sip/routing';
import { parseSipMessage, type ParsedSipMessage } from '../../../src/main/sip/message';

describe('udpResponseTarget', () => {
  const source = { host: '10.9.8.7', port: 40000 };
  it('uses the sent-by port at the source address when the Via has no rport', () => {
    expect(udpResponseTarget('SIP/2.0/UDP proxy.example:5070;branch=z9hG4bK1', source)).toEqual({ host: '10.9.8.7', port: 5070 });
    expect(udpResponseTarget('SIP/2.0/UDP proxy.example;branch=z9hG4bK1;received=10.9.8.7', source)).toEqual({ host: '10.9.8.7', port: 5060 });
  });
  it('uses the source port when the Via carries rport, with or without a value', () => {
    expect(udpResponseTarget('SIP/2.0/UDP proxy.example:5070;rport;branch=z9hG4bK1', source)).toEqual(source);
    expect(udpResponseTarget('SIP/2.0/UDP proxy.example:5070;branch=z9hG4bK1;rport=40000', source)).toEqual(source);
  });
  it('sends to the maddr at the sent-by port (RFC 3261 §18.2.2), over rport (RFC 3581 §4)', () => {
    expect(udpResponseTarget('SIP/2.0/UDP proxy.example:5070;maddr=239.255.255.1;ttl=2;branch=z9hG4bK1', source)).toEqual({ host: '239.255.255.1', port: 5070 });
    expect(udpResponseTarget('SIP/2.0/UDP proxy.example;rport;maddr=[2001:db8::9];branch=z9hG4bK1', source)).toEqual({ host: '2001:db8::9', port: 5060 });
  });
  it('falls back to the source for a missing or unreadable Via', () => {
    expect(udpResponseTarget(undefined, source)).toEqual(source);
    expect(udpResponseTarget('garbage', source)).toEqual(source);
  });
});

describe('viaTarget', () => {
  const response = (via: string): ParsedSipMessage =>
    parseSipMessage(`SIP/2.0 200 OK\r\nVia: ${via}\r\nCall-ID: a\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nContent-Length: 0\r\n\r\n`) as ParsedSipMessage;
  it('takes the maddr first, then received and rport, then the sent-by', () => {
    expect(viaTarget(response('SIP/2.0/UDP h.example:5070;received=10.0.0.1;rport=4000;maddr=10.0.0.9;branch=z9hG4bK1'))).toEqual({ host: '10.0.0.9', port: 5070 });
    expect(viaTarget(response('SIP/2.0/UDP h.example:5070;received=10.0.0.1;rport=4000;branch=z9hG4bK1'))).toEqual({ host: '10.0.0.1', port: 4000 });
    expect(viaTarget(response('SIP/2.0/TLS h.example;branch=z9hG4bK1'))).toEqual({ host: 'h.example', port: 5061 });
  });
});
