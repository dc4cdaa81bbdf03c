import { describe, expect, it } from 'vitest';
import { getProfile, listProfiles, parseProfile } from '../../../src/main/profiles';

const base = (): Record<string, unknown> => ({ ...getProfile('custom') }) as unknown as Record<string, unknown>;
const errorOf = (input: unknown): string => {
  const r = parseProfile(input);
  if (r.ok) throw new Error('expected parseProfile to fail');
  return r.error;
};

describe('parseProfile', () => {
  it.each(listProfiles().map((p) => [p.id, p] as const))('accepts the built-in %s unchanged', (_id, p) => {
    expect(parseProfile(p)).toEqual({ ok: true, value: p });
  });

  it('accepts a JSON round trip and fills defaults for optional fields', () => {
    const p = base();
    delete p.notes;
    delete p.extraHeaders;
    delete p.expectedP1;
    const r = parseProfile(JSON.parse(JSON.stringify(p)));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toMatchObject({ notes: '', extraHeaders: [], expectedP1: [] });
  });

  it('rejects a header name that does not start with X-, listing the path', () => {
    const e = errorOf({ ...base(), contactIdHeaders: ['X-ContactID', 'P-Contact-ID'] });
    expect(e).toMatch(/^invalid profile: contactIdHeaders\[1\]: must start with "X-"/);
  });

  it.each(['x-contactid', 'X-', 'X-Contact ID', 'X-Contact:ID', 'X-Contäct'])('rejects the header name %j', (name) => {
    expect(errorOf({ ...base(), contactIdHeaders: [name] })).toContain('contactIdHeaders[0]: must start with "X-"');
  });

  it('rejects an invalid valuePattern', () => {
    expect(errorOf({ ...base(), valuePattern: '([0-9' })).toContain('valuePattern: is not a valid regular expression');
  });

  it('lists every bad field at once', () => {
    const e = errorOf({ ...base(), id: 'Bad Id', auth: 'basic', contactIdHeaders: [], apiVersion: '28' });
    for (const part of ['id:', 'auth:', 'contactIdHeaders:', 'apiVersion: must look like "v28.0"']) expect(e).toContain(part);
  });

  it('rejects a missing field and an unknown (misspelt) one', () => {
    const p = base();
    delete p.hangsUp;
    p.contactIdHeader = ['X-ContactID'];
    const e = errorOf(p);
    expect(e).toContain('hangsUp:');
    expect(e).toMatch(/contactIdHeader/);
  });

  it('rejects a defaultSignal without p1, with p10, or with CR/LF', () => {
    expect(errorOf({ ...base(), defaultSignal: { p2: 'x' } })).toContain('defaultSignal.p1: p1 must be present and non-empty');
    expect(errorOf({ ...base(), defaultSignal: { p1: 'x', p10: 'y' } })).toMatch(/defaultSignal.*p10/);
    expect(errorOf({ ...base(), defaultSignal: { p1: 'x\r\ny' } })).toContain('defaultSignal.p1: must not contain CR, LF or NUL');
  });

  it('rejects duplicate contact-id headers and an extra header that repeats one', () => {
    expect(errorOf({ ...base(), contactIdHeaders: ['X-ContactID', 'X-ContactID'] })).toContain(
      'contactIdHeaders[1]: "X-ContactID" is listed twice',
    );
    expect(errorOf({ ...base(), extraHeaders: [{ name: 'X-Contactid', value: '1' }] })).toContain(
      'extraHeaders[0].name: "X-Contactid" is a contact-id header',
    );
  });

  it('rejects an extra header value with LF and a bad extra header name', () => {
    const e = errorOf({ ...base(), extraHeaders: [{ name: 'Campaign', value: 'a\nb' }] });
    expect(e).toContain('extraHeaders[0].name: must start with "X-"');
    expect(e).toContain('extraHeaders[0].value: must not contain CR, LF or NUL');
  });

  it('rejects input that is not an object, without throwing', () => {
    for (const x of [null, undefined, 42, 'kore', []]) expect(parseProfile(x).ok).toBe(false);
  });
});
