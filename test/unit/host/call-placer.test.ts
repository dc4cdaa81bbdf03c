import { describe, expect, it } from 'vitest';
import { substituteIds, withTransport } from '../../../src/main/host/call-placer';

describe('call placer helpers', () => {
  it('substitutes the emulated contact ids in header values', () => {
    const ids = { contactId: '100', masterId: '100', childId: '101' };
    expect(substituteIds('{contactId}', ids)).toBe('100');
    expect(substituteIds('m={masterId};c={childId};x={other}', ids)).toBe('m=100;c=101;x={other}');
  });
  it('adds ;transport= for TCP and TLS unless the URI names one', () => {
    expect(withTransport('sip:bot@10.0.0.5:5060', 'udp')).toBe('sip:bot@10.0.0.5:5060');
    expect(withTransport('sip:bot@10.0.0.5:5060', 'tcp')).toBe('sip:bot@10.0.0.5:5060;transport=tcp');
    expect(withTransport('sip:bot@h;transport=udp', 'tls')).toBe('sip:bot@h;transport=udp');
    expect(withTransport('sip:bot@h?X-A=1', 'tls')).toBe('sip:bot@h;transport=tls?X-A=1');
  });
});
