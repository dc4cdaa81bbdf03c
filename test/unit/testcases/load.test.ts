import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/main/testcases/duration';
import { CaseFileError, loadCaseText } from '../../../src/main/testcases/load';
import { caseJsonSchema } from '../../../src/main/testcases/schema';
import { Redactor, resolveSecrets } from '../../../src/main/testcases/secrets';
import { collectCases, matrixRows } from '../../../src/main/testcases/suite';

const GOOD = `name: Kore hands back when the caller presses 2
profile: kore
mode: emulate
sip: { target: "sip:bot@10.0.0.5:5060", transport: udp }
cxone: { api_listen: "127.0.0.1:8088", access_key_id: lab, access_key_secret: lab-secret }
steps:
  - expect_speech: { within: 5s }
  - wait_silence: { for: 700ms, within: 20s }
  - say: "I want to talk to a person"
  - play: prompts/account-number.wav
  - dtmf: "2"
  - dtmf: { digits: "2", method: info }
  - expect_signal: { within: 10s, params: { p1: "2" } }
  - expect_hangup: { within: 5s }
  - wait: 2s
  - hangup
`;

/** The error a bad case throws, with its position. */
function problem(text: string, vars: Record<string, string> = {}): CaseFileError {
  try {
    loadCaseText(text, 'case.yaml', vars);
  } catch (e) {
    if (e instanceof CaseFileError) return e;
    throw e;
  }
  throw new Error('expected a CaseFileError');
}

describe('durations', () => {
  it('reads ms, s, m and plain numbers', () => {
    expect(parseDuration('800ms')).toBe(800);
    expect(parseDuration('5s')).toBe(5000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration(250)).toBe(250);
  });
  it('refuses other spellings', () => {
    expect(() => parseDuration('5 sec')).toThrow(/"800ms", "5s"/);
    expect(() => parseDuration(-1)).toThrow();
    expect(() => parseDuration('1h')).toThrow();
  });
});

describe('loading a case', () => {
  it('reads the issue example with every step parsed', () => {
    const { case: tc } = loadCaseText(GOOD, 'case.yaml');
    expect(tc.mode).toBe('emulate');
    expect(tc.steps.map((s) => s.kind)).toEqual(['expect_speech', 'wait_silence', 'say', 'play', 'dtmf', 'dtmf', 'expect_signal', 'expect_hangup', 'wait', 'hangup']);
    expect(tc.steps[0]).toMatchObject({ kind: 'expect_speech', args: { within: 5000 } });
    expect(tc.steps[1]).toMatchObject({ args: { for: 700, within: 20_000 } });
    expect(tc.steps[5]).toMatchObject({ args: { digits: '2', method: 'info' } });
    expect(tc.steps[6]).toMatchObject({ args: { within: 10_000, params: { p1: '2' }, leg: 'onsignal' } });
    expect(tc.steps[8]).toMatchObject({ kind: 'wait', args: 2000 });
    expect(tc.timeout).toBe(60_000);
  });

  it('reads JSON too', () => {
    const { case: tc } = loadCaseText(JSON.stringify({ name: 'j', steps: [{ expect_speech: { within: 1000 } }, 'hangup'] }), 'case.json');
    expect(tc.mode).toBe('embedded');
    expect(tc.steps).toHaveLength(2);
  });

  it('names the file, line and what is wrong', () => {
    const e = problem(GOOD.replace('within: 10s', 'within: soon'));
    expect(e.file).toBe('case.yaml');
    expect(e.line).toBe(13);
    expect(e.message).toMatch(/^case\.yaml:13:\d+: step 7: expect_signal: .*duration/);
  });

  it('points at an unknown step and lists the known ones', () => {
    const e = problem(GOOD.replace('  - hangup', '  - hang_up: {}'));
    expect(e.line).toBe(16);
    expect(e.problem).toMatch(/unknown step "hang_up"; steps: expect_speech/);
  });

  it('refuses steps of another mode', () => {
    const e = problem(GOOD.replace('  - hangup', '  - expect_dtmf: "1"\n  - signal: { p1: x }'));
    expect(e.line).toBe(17);
    expect(e.problem).toMatch(/"signal" is not a step of emulate mode/);
  });

  it('refuses unknown fields at their line', () => {
    const e = problem(GOOD.replace('profile: kore', 'profile: kore\nprofil: kore'));
    expect(e.line).toBe(3);
    expect(e.problem).toMatch(/unknown field "profil"/);
  });

  it('reports a YAML syntax error with its line', () => {
    const e = problem('name: x\nsteps:\n  - say: "unterminated\n');
    expect(e.line).not.toBeNull();
    expect(e.message).toMatch(/^case\.yaml:\d+/);
  });

  it('substitutes variables, leaves secrets for run time, and refuses unknown variables', () => {
    const text = GOOD.replace('profile: kore', 'profile: ${who}').replace('access_key_secret: lab-secret', 'access_key_secret: "${env:LAB_SECRET}"');
    const { case: tc } = loadCaseText(text, 'case.yaml', { who: 'watson' });
    expect(tc.profile).toBe('watson');
    expect(tc.cxone?.access_key_secret).toBe('${env:LAB_SECRET}');
    const e = problem(text);
    expect(e.line).toBe(2);
    expect(e.problem).toMatch(/unknown variable \$\{who\}/);
  });

  it('lets a profile or transport variable override the case (a suite matrix)', () => {
    const { case: tc } = loadCaseText(GOOD, 'case.yaml', { profile: 'polyai', transport: 'tcp' });
    expect(tc.profile).toBe('polyai');
    expect(tc.transport).toBe('tcp');
  });
});

describe('secrets', () => {
  it('resolves ${env:} and ${keychain:} only in the running copy, and the redactor scrubs them', async () => {
    const { case: tc } = loadCaseText(GOOD.replace('access_key_secret: lab-secret', 'access_key_secret: "${keychain:cxone-key}"').replace('access_key_id: lab', 'access_key_id: "${env:KEY_ID}"'), 'case.yaml');
    const red = new Redactor();
    const run = await resolveSecrets(tc, red, { env: (n) => (n === 'KEY_ID' ? 'key-id-123' : undefined), keychain: async (a) => (a === 'cxone-key' ? 's3cr3t-value' : null) });
    expect(run.cxone?.access_key_secret).toBe('s3cr3t-value');
    expect(run.cxone?.access_key_id).toBe('key-id-123');
    expect(tc.cxone?.access_key_secret).toBe('${keychain:cxone-key}');
    expect(red.scrub('token for s3cr3t-value and key-id-123')).toBe('token for *** and ***');
  });
  it('says which placeholder is missing, never a value', async () => {
    await expect(resolveSecrets({ a: '${env:NOPE_NOT_SET}' }, new Redactor(), { env: () => undefined, keychain: async () => null })).rejects.toThrow(/NOPE_NOT_SET is not set/);
    await expect(resolveSecrets({ a: '${keychain:acct}' }, new Redactor(), { env: () => undefined, keychain: async () => null })).rejects.toThrow(/lab secret set acct/);
  });
});

describe('suites', () => {
  it('runs a folder in name order and expands a suite.yaml matrix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'suite-'));
    const c = (name: string): string => `name: ${name}\nsteps:\n  - hangup\n`;
    writeFileSync(join(dir, 'b.yaml'), c('B'));
    writeFileSync(join(dir, 'a.yml'), c('A'));
    writeFileSync(join(dir, 'notes.txt'), 'not a case');
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'm', 'x.yaml'), 'name: X ${profile}\nsteps:\n  - hangup\n');
    writeFileSync(join(dir, 'm', 'suite.yaml'), 'matrix:\n  profile: [kore, watson]\n  transport: [udp, tcp]\n');
    const jobs = collectCases([dir]);
    expect(jobs.map((j) => j.displayName)).toEqual([
      'A',
      'B',
      'X kore [profile=kore, transport=udp]',
      'X kore [profile=kore, transport=tcp]',
      'X watson [profile=watson, transport=udp]',
      'X watson [profile=watson, transport=tcp]',
    ]);
    expect(jobs[5]!.case.transport).toBe('tcp');
    expect(jobs[5]!.case.profile).toBe('watson');
    // --var wins over the matrix
    expect(collectCases([join(dir, 'm')], { transport: 'tls' }).map((j) => j.case.transport)).toEqual(['tls', 'tls', 'tls', 'tls']);
  });
  it('makes every combination of a matrix', () => {
    expect(matrixRows({})).toEqual([{}]);
    expect(matrixRows({ a: ['1', '2'], b: ['x'] })).toEqual([{ a: '1', b: 'x' }, { a: '2', b: 'x' }]);
  });
  it('names a missing path', () => {
    expect(() => collectCases(['/no/such/case.yaml'])).toThrow(/no such file/);
  });
});

describe('JSON Schema', () => {
  it('describes the case file for editors', () => {
    const s = caseJsonSchema() as { properties: Record<string, unknown>; $schema: string };
    expect(s.$schema).toMatch(/2020-12/);
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(['name', 'profile', 'mode', 'sip', 'cxone', 'steps', 'expect']));
    expect(JSON.stringify(s)).toContain('expect_signal');
  });
});

describe('live validation (checkCaseText)', () => {
  it('returns the case or where and what is wrong, without throwing', async () => {
    const { checkCaseText } = await import('../../../src/main/testcases/load');
    expect(checkCaseText(GOOD)).toMatchObject({ ok: true });
    const bad = checkCaseText('name: x\nsteps:\n  - wait: soon\n', 'edit.yaml');
    expect(bad).toMatchObject({ ok: false, file: 'edit.yaml', line: 3 });
  });
});
