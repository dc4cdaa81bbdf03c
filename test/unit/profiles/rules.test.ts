/**
 * Every rule of a built-in profile carries its source (issue 14): a seed guide by file name, a NICE
 * document tag of cxone-reference.md, an RFC section, or "assumed here" with why. One test per rule
 * names that source.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROFILE_RULE_FIELDS } from '../../../src/shared/profile';
import { getProfile, listProfiles, parseProfile, profileRules } from '../../../src/main/profiles';
import { formatSource } from '../../../src/main/profiles/sources';

const SEEDS = '../shared/seeds';
/** False in a clone without `../shared/` beside it: the checks against the seeds and NICE tags are skipped (named so). */
const SHARED_PRESENT = existsSync('../shared/cxone-reference.md');
const REFERENCE_TAGS = SHARED_PRESENT ? readFileSync('../shared/cxone-reference.md', 'utf8') : '';

/** [profile, field, source kind, ref] for each rule the issue names. */
const EXPECTED: Array<[string, string, string, string]> = [
  ['kore', 'contactIdHeaders', 'seed', '000_d4ad4dad8823db79.txt'],
  ['kore', 'headerCaseSensitive', 'seed', '000_d4ad4dad8823db79.txt'],
  ['kore', 'expectedP1', 'seed', '000_d4ad4dad8823db79.txt'],
  ['kore', 'apiVersion', 'seed', '000_d4ad4dad8823db79.txt'],
  ['kore', 'hangsUp', 'seed', '000_d4ad4dad8823db79.txt'],
  ['kore', 'placeCall', 'seed', '000_d4ad4dad8823db79.txt'],
  // The seed's text does not say which script's ContactId the header holds (its sample PDFs do).
  ['kore', 'topology', 'assumed', 'main + spawn: the header holds the Main script\'s ContactId, which waits in ONSIGNAL'],
  ['synthflow', 'topology', 'seed', '001_3d23a4ce92d59cc5.txt'],
  ['synthflow', 'placeCall', 'seed', '001_3d23a4ce92d59cc5.txt'],
  ['synthflow', 'hangsUp', 'seed', '001_3d23a4ce92d59cc5.txt'],
  ['synthflow', 'contactIdHeaders', 'assumed', 'header name X-MasterId'],
  ['synthflow', 'headerCaseSensitive', 'assumed', 'exact-case header names'],
  ['watson', 'contactIdHeaders', 'seed', '002_3a3aada58f5230c3.txt'],
  ['watson', 'topology', 'seed', '002_3a3aada58f5230c3.txt'],
  ['watson', 'expectedP1', 'seed', '002_3a3aada58f5230c3.txt'],
  ['watson', 'placeCall', 'seed', '002_3a3aada58f5230c3.txt'],
  ['watson', 'headerCaseSensitive', 'rfc', 'RFC 3261 §7.3.5'],
  ['polyai', 'auth', 'seed', '003_45ce4caa43f38103.txt'],
  ['polyai', 'contactIdHeaders', 'assumed', 'header name X-ContactId'],
  ['custom', 'auth', 'nice', 'NICE-UH'],
];

describe('profile rules and their sources', () => {
  it.each(EXPECTED)('%s.%s comes from %s %s', (id, field, kind, ref) => {
    const rule = profileRules(getProfile(id)).find((r) => r.field === field)!;
    expect(rule.source).toMatchObject({ kind, ref });
    expect(rule.assumed).toBe(kind === 'assumed');
  });

  it.skipIf(!SHARED_PRESENT)(`every rule of every built-in profile has a source that exists${SHARED_PRESENT ? '' : ' (skipped: no ../shared/ beside the project)'}`, () => {
    for (const p of listProfiles()) {
      const rules = profileRules(p);
      expect(rules.map((r) => r.field)).toEqual([...PROFILE_RULE_FIELDS]);
      for (const r of rules) {
        expect(p.sources[r.field], `${r.id} has no recorded source`).toBeDefined();
        if (r.source.kind === 'seed') expect(existsSync(`${SEEDS}/${r.source.ref}`), r.id).toBe(true);
        if (r.source.kind === 'nice') expect(REFERENCE_TAGS, r.id).toContain(`[${r.source.ref}]`);
        if (r.source.kind === 'rfc') expect(r.source.ref).toMatch(/^RFC \d+ §[\d.]+$/);
        if (r.source.kind === 'assumed') expect(r.source.why?.length, `${r.id} must say why`).toBeGreaterThan(10);
      }
    }
  });

  it('the Watson note no longer cites X-Contact-ID as IBM\'s', () => {
    expect(getProfile('watson').notes).not.toContain('X-Contact-ID');
    expect(getProfile('watson').notes).toContain('X-ContactID');
  });

  it('a profile\'s rules are in docs/cxone-facts.md by id', () => {
    const doc = readFileSync('docs/cxone-facts.md', 'utf8');
    for (const p of listProfiles()) for (const r of profileRules(p)) expect(doc, r.id).toContain(`\`${r.id}\``);
  });

  it('formats sources for reports', () => {
    expect(formatSource({ kind: 'seed', ref: '000_d4ad4dad8823db79.txt' })).toBe('seed 000_d4ad4dad8823db79.txt');
    expect(formatSource({ kind: 'nice', ref: 'H-PUT' })).toBe('NICE H-PUT');
    expect(formatSource({ kind: 'rfc', ref: 'RFC 6749 §2.3.1' })).toBe('RFC 6749 §2.3.1');
    expect(formatSource({ kind: 'assumed', ref: 'x', why: 'because' })).toBe('assumed here (because)');
  });
});

describe('profile schema: topology and sources', () => {
  it('a legacy profile with signalTarget gets the matching parent/child topology', () => {
    const { topology: _t, sources: _s, placeCall: _p, ...legacy } = getProfile('custom');
    const child = parseProfile({ ...legacy, signalTarget: 'child' });
    expect(child.ok && child.value.topology).toEqual({ kind: 'parent-child', headerHolds: 'placer', onSignalIn: 'placer' });
    const master = parseProfile({ ...legacy, signalTarget: 'master' });
    expect(master.ok && master.value.topology).toEqual({ kind: 'parent-child', headerHolds: 'main', onSignalIn: 'main' });
    expect(master.ok && 'signalTarget' in master.value).toBe(false);
  });

  it('a single topology names one script for both settings', () => {
    const r = parseProfile({ ...getProfile('custom'), topology: { kind: 'single', headerHolds: 'placer', onSignalIn: 'placer' } });
    expect(r.ok && r.value.topology).toEqual({ kind: 'single', headerHolds: 'main', onSignalIn: 'main' });
  });

  it('an assumed source must say why', () => {
    const r = parseProfile({ ...getProfile('custom'), sources: { auth: { kind: 'assumed', ref: 'x' } } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('sources.auth.why: an assumed rule must say why');
  });
});
