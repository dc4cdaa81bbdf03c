import { describe, expect, it } from 'vitest';
import { outboundProxyRoute } from '../../../src/main/sip/outbound-proxy';

describe('outboundProxyRoute (RFC 3261 §8.1.2, loose routing)', () => {
  it.each([
    ['sip:proxy.example:5060', '<sip:proxy.example:5060;lr>'],
    ['10.0.0.1:5070', '<sip:10.0.0.1:5070;lr>'],
    ['sip:10.0.0.1;transport=tcp', '<sip:10.0.0.1;transport=tcp;lr>'],
    ['sip:p.example;lr', '<sip:p.example;lr>'],
    ['<sip:edge@b.example:1>', '<sip:edge@b.example:1;lr>'],
    ['[::1]:5060', '<sip:[::1]:5060;lr>'],
  ])('%s → %s', (proxy, route) => {
    expect(outboundProxyRoute(proxy)).toBe(route);
  });

  it.each(['not a uri', 'sip:', ''])('refuses %j', (proxy) => {
    expect(() => outboundProxyRoute(proxy)).toThrow(/expected a SIP URI \(sip:proxy\.example:5060\) or host\[:port\]/);
  });
});
