import { describe, expect, it } from 'vitest';
import { isParseError, parseSipMessage } from '../../../src/main/sip/message';
import { requestTarget, uriTarget, viaTarget } from '../../../src/main/sip/routing';

function parsed(text: string) {
  const m = parseSipMessage(text);
  if (isParseError(m)) throw new Error(m.error);
  return m;
}

describe('default port of SIP over TLS (RFC 3261 §19.1.2, RFC 3263 §4.2)', () => {
  it('is 5061 for sips:, for transport=tls, and for a bare URI sent over TLS', () => {
    expect(uriTarget('sips:bot@sip.example.com')).toEqual({ host: 'sip.example.com', port: 5061 });
    expect(uriTarget('sip:bot@sip.example.com;transport=tls')).toEqual({ host: 'sip.example.com', port: 5061 });
    expect(uriTarget('<sip:bot@sip.example.com;transport=TLS>')).toEqual({ host: 'sip.example.com', port: 5061 });
    expect(uriTarget('sip:bot@sip.example.com', 'tls')).toEqual({ host: 'sip.example.com', port: 5061 });
  });
  it('stays 5060 for UDP/TCP, and an explicit port always wins', () => {
    expect(uriTarget('sip:bot@sip.example.com')).toEqual({ host: 'sip.example.com', port: 5060 });
    expect(uriTarget('sip:bot@sip.example.com;transport=tcp', 'tls')).toEqual({ host: 'sip.example.com', port: 5060 });
    expect(uriTarget('sip:bot@sip.example.com:6000;transport=tls')).toEqual({ host: 'sip.example.com', port: 6000 });
  });
  it('applies to the Route and Request-URI of a request, and to a TLS Via without a port', () => {
    const req = parsed('INVITE sip:bot@10.0.0.5 SIP/2.0\r\nVia: SIP/2.0/TLS 10.0.0.1;branch=z9hG4bK1\r\nCall-ID: a\r\nCSeq: 1 INVITE\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:bot@10.0.0.5>\r\nContent-Length: 0\r\n\r\n');
    expect(requestTarget(req, 'tls')).toEqual({ host: '10.0.0.5', port: 5061 });
    expect(requestTarget(req, 'tcp')).toEqual({ host: '10.0.0.5', port: 5060 });
    const routed = parsed('BYE sip:bot@10.0.0.5:5061;transport=tls SIP/2.0\r\nRoute: <sip:proxy.example;lr;transport=tls>\r\nCall-ID: a\r\nCSeq: 2 BYE\r\n\r\n');
    expect(requestTarget(routed)).toEqual({ host: 'proxy.example', port: 5061 });
    const resp = parsed('SIP/2.0 200 OK\r\nVia: SIP/2.0/TLS 10.0.0.1;branch=z9hG4bK1\r\nCall-ID: a\r\nCSeq: 1 INVITE\r\n\r\n');
    expect(viaTarget(resp)).toEqual({ host: '10.0.0.1', port: 5061 });
  });
});
