import { describe, expect, it } from 'vitest';
import { udpResponseTarget } from '../../../src/main/sip/routing';

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
  it('falls back to the source for a missing or unreadable Via', () => {
    expect(udpResponseTarget(undefined, source)).toEqual(source);
    expect(udpResponseTarget('garbage', source)).toEqual(source);
  });
});
