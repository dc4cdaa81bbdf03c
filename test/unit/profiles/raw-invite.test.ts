import { describe, expect, it } from 'vitest';
import { getProfile, listProfiles, verifyContactIdInRaw } from '../../../src/main/profiles';
import { parseSipMessage } from '../../../src/main/sip/message';
import { rawCompactInvite } from './helpers';

describe.each(listProfiles().map((p) => [p.id, p] as const))('verifyContactIdInRaw under %s', (_id, profile) => {
  const header = profile.contactIdHeaders[0]!;

  it('reads the id from a compact-form INVITE with a folded contact-id header', () => {
    const raw = rawCompactInvite(['X-Campaign: spring-2025', `${header}:`, '   5723498123']);
    expect(raw).toContain('\r\nf: "CXone"\r\n <sip:'); // the message really is folded and compact
    const v = verifyContactIdInRaw(raw, profile);
    expect(v).toMatchObject({ ok: true, header, value: '5723498123', patternOk: true, problems: [] });
  });

  it('reads the id from a plain line among compact and folded headers', () => {
    const v = verifyContactIdInRaw(rawCompactInvite([`${header}: 88001`]), profile);
    expect(v).toMatchObject({ ok: true, header, value: '88001' });
  });

  it('joins a value folded across lines before testing the pattern (a warning: the pattern is assumed here)', () => {
    const v = verifyContactIdInRaw(rawCompactInvite([`${header}: 5723`, ' 498123']), profile);
    expect(v).toMatchObject({ ok: true, value: '5723 498123', patternOk: false });
    expect(v.warnings![0]).toMatch(/does not match the pattern/);
  });

  it('verdict on a lower-cased name follows the profile (a failure only when exact case is sourced)', () => {
    const v = verifyContactIdInRaw(rawCompactInvite([`${header.toLowerCase()}: 5723498123`]), profile);
    const sourced = profile.sources.headerCaseSensitive?.kind !== 'assumed' && profile.sources.contactIdHeaders?.kind !== 'assumed';
    expect(v.ok).toBe(!profile.headerCaseSensitive || !sourced);
    expect(v.value !== null).toBe(!profile.headerCaseSensitive);
  });

  it('finds a repeated header with different values in the raw text (a warning [H-PUT], [H-GET])', () => {
    const v = verifyContactIdInRaw(rawCompactInvite([`${header}: 1`, 'X-Skill: Sales', `${header}: 2`]), profile);
    expect(v).toMatchObject({ ok: true, value: '1' });
    expect(v.warnings![0]).toContain('a bot reading the first gets "1"');
    expect(v.nearMisses.map((m) => m.kind)).toEqual(['repeated']);
  });
});

describe('verifyContactIdInRaw on messages that cannot carry the header', () => {
  const kore = getProfile('kore');

  it('gives ok=false with the parse problem for a message without a blank line', () => {
    const v = verifyContactIdInRaw('INVITE sip:bot@example.com SIP/2.0\r\nX-ExternalCallId: 1\r\n', kore);
    expect(v).toMatchObject({ ok: false, profile: 'kore', header: null, value: null, patternOk: null, nearMisses: [] });
    expect(v.problems).toEqual(['the message could not be parsed: no blank line after the headers']);
  });

  it('gives ok=false for garbage', () => {
    const v = verifyContactIdInRaw('hello\r\n\r\n', kore);
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toMatch(/could not be parsed: not a SIP request or status line/);
  });

  it('fails on a BYE even with the header, since only the initial INVITE carries it', () => {
    const raw = rawCompactInvite(['X-ExternalCallId: 5723498123']).replace(/^INVITE/, 'BYE').replace('CSeq: 1 INVITE', 'CSeq: 2 BYE');
    const v = verifyContactIdInRaw(raw, kore);
    expect(v).toMatchObject({ ok: false, value: '5723498123', patternOk: true });
    expect(v.problems[0]).toMatch(/this is a BYE request; CXone sends SIPPUTHEADER headers only on the initial INVITE/);
  });

  it('accepts the final 2xx to the INVITE, and rejects a provisional response', () => {
    const ok200 = 'SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\nX-ExternalCallId: 99\r\nContent-Length: 0\r\n\r\n';
    expect(verifyContactIdInRaw(ok200, kore)).toMatchObject({ ok: true, value: '99' });
    const v180 = verifyContactIdInRaw(ok200.replace('200 OK', '180 Ringing'), kore);
    expect(v180.ok).toBe(false);
    expect(v180.problems[0]).toMatch(/this is a 180 response/);
  });

  it('reads an INVITE with LF-only line ends', () => {
    const raw = rawCompactInvite(['X-ExternalCallId: 5723498123']).replace(/\r\n/g, '\n');
    expect(parseSipMessage(raw)).not.toHaveProperty('error');
    expect(verifyContactIdInRaw(raw, kore)).toMatchObject({ ok: true, value: '5723498123' });
  });
});
