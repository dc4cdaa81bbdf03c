import { describe, expect, it } from 'vitest';
import { getProfile, isSimilarHeaderName, verifyContactId } from '../../../src/main/profiles';
import { invite } from './helpers';

/** Per profile: the header it reads, whether a case-only difference fails, a misspelling to flag. */
const CASES = [
  { id: 'kore', header: 'X-ExternalCallId', caseFails: true, misspelt: 'X-External-Call-Id' },
  { id: 'synthflow', header: 'X-MasterId', caseFails: true, misspelt: 'X-Master_Id' },
  { id: 'watson', header: 'X-ContactID', caseFails: false, misspelt: 'X-ContactIdd' },
  { id: 'polyai', header: 'X-ContactId', caseFails: false, misspelt: 'X-Contact-Idd' },
  { id: 'custom', header: 'X-ContactID', caseFails: false, misspelt: 'X-Contact-ID' },
] as const;

describe.each(CASES)('verifyContactId under $id', ({ id, header, caseFails, misspelt }) => {
  const profile = getProfile(id);

  it('finds the header and its value', () => {
    const v = verifyContactId(invite([header, '5723498123']), profile);
    expect(v).toMatchObject({ ok: true, profile: id, header, value: '5723498123', patternOk: true, problems: [] });
    expect(v.nearMisses).toEqual([]);
    expect(v.expectedHeaders).toEqual(profile.contactIdHeaders);
  });

  it('fails when the header is absent, naming what was looked for and the X- headers that came', () => {
    const v = verifyContactId(invite(['X-Other', '1']), profile);
    expect(v).toMatchObject({ ok: false, header: null, value: null, patternOk: null });
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0]).toContain(`"${header}"`);
    expect(v.problems[0]).toContain('X-Campaign, X-Other');
    expect(v.nearMisses).toEqual([]);
  });

  it(`treats a case-only difference as ${caseFails ? 'a failure' : 'fine'}`, () => {
    const lower = header.toLowerCase();
    const v = verifyContactId(invite([lower, '5723498123']), profile);
    if (caseFails) {
      expect(v).toMatchObject({ ok: false, header: null, value: null, patternOk: null });
      expect(v.nearMisses).toEqual([expect.objectContaining({ kind: 'case', header: lower, value: '5723498123' })]);
      expect(v.problems).toEqual([
        `header "${lower}" differs in case from "${header}"; ${profile.name} matches the name exactly, so the bot will not find the contact id`,
      ]);
    } else {
      expect(v).toMatchObject({ ok: true, header: lower, value: '5723498123', patternOk: true, problems: [] });
      expect(v.nearMisses).toEqual([]);
    }
  });

  it('reports a similarly spelt X- header as a spelling near miss, not unrelated ones', () => {
    const v = verifyContactId(invite([misspelt, '5723498123']), profile);
    expect(v.ok).toBe(false);
    expect(v.nearMisses).toEqual([expect.objectContaining({ kind: 'spelling', header: misspelt, value: '5723498123' })]);
    expect(v.problems[0]).toContain(`"${misspelt}" looks like a misspelling of "${header}"`);
    // X-Campaign is in every INVITE of these tests and is never flagged.
    expect(v.nearMisses.some((m) => m.header === 'X-Campaign')).toBe(false);
  });

  it('keeps a spelling near miss (not a failure) next to the right header', () => {
    const v = verifyContactId(invite([header, '5723498123'], [misspelt, '5723498123']), profile);
    expect(v.ok).toBe(true);
    expect(v.nearMisses.map((m) => m.kind)).toEqual(['spelling']);
  });

  it('fails on an empty value', () => {
    const v = verifyContactId(invite([header, '']), profile);
    expect(v).toMatchObject({ ok: false, header: null, value: null, patternOk: null });
    expect(v.nearMisses).toEqual([expect.objectContaining({ kind: 'empty', header, value: '' })]);
    expect(v.problems[0]).toMatch(/present but empty/);
  });

  it('fails on a non-numeric value', () => {
    const v = verifyContactId(invite([header, 'abc-123']), profile);
    expect(v).toMatchObject({ ok: false, header, value: 'abc-123', patternOk: false });
    expect(v.nearMisses).toEqual([expect.objectContaining({ kind: 'pattern', value: 'abc-123' })]);
    expect(v.problems[0]).toMatch(/does not match the pattern .*numeric/);
  });

  it('names an unsubstituted Studio variable', () => {
    const v = verifyContactId(invite([header, '{ContactId}']), profile);
    expect(v).toMatchObject({ ok: false, value: '{ContactId}', patternOk: false });
    expect(v.nearMisses[0]?.kind).toBe('pattern');
    expect(v.problems[0]).toMatch(/Studio variable \{ContactId\} was never substituted/);
  });

  it('accepts a header repeated with the same value, with a repeated near miss', () => {
    const v = verifyContactId(invite([header, '5723498123'], [header, '5723498123']), profile);
    expect(v).toMatchObject({ ok: true, value: '5723498123', problems: [] });
    expect(v.nearMisses).toEqual([expect.objectContaining({ kind: 'repeated', header })]);
    expect(v.nearMisses[0]!.detail).toMatch(/2 times with the same value.*the first, "5723498123", is taken/);
  });

  it('fails on a header repeated with different values, taking the first', () => {
    const v = verifyContactId(invite([header, '111'], [header, '222']), profile);
    expect(v).toMatchObject({ ok: false, header, value: '111', patternOk: true });
    expect(v.nearMisses).toEqual([expect.objectContaining({ kind: 'repeated', value: '222' })]);
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0]).toMatch(/different values \("111", "222"\).*the first, "111", is taken/);
  });
});

describe('verifyContactId details', () => {
  it('Kore: a case variant next to the exact header is a near miss, not a failure', () => {
    const v = verifyContactId(invite(['X-ExternalCallID', '9'], ['X-ExternalCallId', '5723498123']), getProfile('kore'));
    expect(v).toMatchObject({ ok: true, header: 'X-ExternalCallId', value: '5723498123' });
    expect(v.nearMisses).toEqual([expect.objectContaining({ kind: 'case', header: 'X-ExternalCallID' })]);
  });

  it('Kore: X-ExternalCallID is a case miss, not a spelling one', () => {
    const v = verifyContactId(invite(['X-ExternalCallID', '5723498123']), getProfile('kore'));
    expect(v.ok).toBe(false);
    expect(v.nearMisses.map((m) => m.kind)).toEqual(['case']);
  });

  it('Watson: accepts X-Contact-ID (second name) and prefers X-ContactID when both arrive', () => {
    const w = getProfile('watson');
    expect(verifyContactId(invite(['X-Contact-ID', '42']), w)).toMatchObject({ ok: true, header: 'X-Contact-ID', value: '42' });
    const both = verifyContactId(invite(['X-Contact-ID', '42'], ['X-ContactID', '43']), w);
    expect(both).toMatchObject({ ok: true, header: 'X-ContactID', value: '43' });
    expect(both.nearMisses).toEqual([expect.objectContaining({ kind: 'spelling', header: 'X-Contact-ID', value: '42' })]);
  });

  it('Watson: two case spellings of one name count as a repeated header', () => {
    const v = verifyContactId(invite(['X-ContactID', '1'], ['x-contactid', '2']), getProfile('watson'));
    expect(v).toMatchObject({ ok: false, value: '1' });
    expect(v.nearMisses).toEqual([expect.objectContaining({ kind: 'repeated', header: 'x-contactid' })]);
  });

  it('says so when no X- header arrived at all', () => {
    const v = verifyContactId(invite().filter((h) => h.name !== 'X-Campaign'), getProfile('custom'));
    expect(v.problems[0]).toMatch(/no X- header arrived at all.*SIPPUTHEADER runs before PLACECALL/);
  });

  it('reports an invalid valuePattern instead of throwing', () => {
    const p = { ...getProfile('custom'), valuePattern: '([0-9' };
    const v = verifyContactId(invite(['X-ContactID', '1']), p);
    expect(v).toMatchObject({ ok: false, value: '1', patternOk: null });
    expect(v.problems[0]).toMatch(/not a valid regular expression/);
  });

  it('trims values (a folded value may start with a space)', () => {
    expect(verifyContactId(invite(['X-ContactID', ' 77 ']), getProfile('custom'))).toMatchObject({ ok: true, value: '77' });
  });

  it('rejects a contact id longer than 20 digits', () => {
    expect(verifyContactId(invite(['X-ContactID', '1'.repeat(21)]), getProfile('custom')).patternOk).toBe(false);
  });
});

describe('isSimilarHeaderName', () => {
  it.each([
    ['X-Contact-ID', 'X-ContactID', true],
    ['X-ContactIdd', 'X-ContactID', true],
    ['X-External-Call-Id', 'X-ExternalCallId', true],
    ['X-ExternalCalId', 'X-ExternalCallId', true],
    ['X-External-Call-I-d', 'X-ExternalCallId', true], // 3 edits apart, equal without separators
    ['X-ExternalCallID', 'X-ExternalCallId', false], // case only: kind 'case'
    ['X-Campaign', 'X-ContactID', false],
    ['X-CallId', 'X-ContactID', false],
    ['X-Skill', 'X-MasterId', false],
    ['X-EI', 'X-ID', false], // short names: distance 1 only
    ['Contact', 'X-ContactID', false], // not an X- header
  ])('%s vs %s -> %s', (a, b, want) => {
    expect(isSimilarHeaderName(a, b)).toBe(want);
  });
});
