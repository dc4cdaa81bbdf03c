/**
 * The sip.js patch's `utf8Length` (patches/sip.js+*.patch, lib/core/messages/utils.js): the
 * Content-Length sip.js writes for a body it sends (RFC 3261 §20.14: the body's size in octets) is
 * Buffer.byteLength in Node instead of a percent-encoded copy; it must count what the wire carries.
 */
import { utf8Length } from 'sip.js/lib/core/messages/utils.js';
import { describe, expect, it } from 'vitest';

describe('sip.js utf8Length (patched)', () => {
  it('counts the UTF-8 octets of 1-, 2-, 3- and 4-byte characters as the original did', () => {
    const original = (s: string): number => encodeURIComponent(s).replace(/%[A-F\d]{2}/g, 'U').length;
    for (const s of ['', 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n', 'é', 'Zürich ☎', '€', '😀 p1=Ä', 'a'.repeat(5000)]) {
      expect(utf8Length(s)).toBe(original(s));
      expect(utf8Length(s)).toBe(Buffer.from(s, 'utf8').length);
    }
  });

  it('counts a lone surrogate as the 3 octets it is sent as (U+FFFD) instead of throwing', () => {
    const lone = 'a\ud800b';
    expect(() => encodeURIComponent(lone)).toThrow(URIError);
    expect(utf8Length(lone)).toBe(Buffer.from(lone, 'utf8').length);
    expect(utf8Length(lone)).toBe(5);
  });
});
