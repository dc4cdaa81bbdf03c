import { describe, expect, it } from 'vitest';
import { bracketHost, formatHostPort } from '../../../src/main/net/host-format';

describe('host formatting (RFC 3986 §3.2.2, RFC 3261 §25.1)', () => {
  it('brackets IPv6 literals only', () => {
    expect(bracketHost('::1')).toBe('[::1]');
    expect(bracketHost('fe80::1%eth0')).toBe('[fe80::1%eth0]');
    expect(bracketHost('[::1]')).toBe('[::1]');
    expect(bracketHost('127.0.0.1')).toBe('127.0.0.1');
    expect(bracketHost('pbx.example.com')).toBe('pbx.example.com');
  });

  it('writes host:port', () => {
    expect(formatHostPort('2001:db8::5', 5061)).toBe('[2001:db8::5]:5061');
    expect(formatHostPort('10.0.0.5', 5060)).toBe('10.0.0.5:5060');
  });
});
