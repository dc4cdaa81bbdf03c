// The Tests screen's form over the YAML text: fields read from the text, a change written back
// with comments and unshown fields kept, an emptied field (and its emptied mapping) removed.
import { describe, expect, it } from 'vitest';
import { readForm, writeForm } from '../../src/shared/case-yaml-form';

const TEXT = `# a comment kept
name: Case one   # trailing comment
profile: kore
mode: emulate
sip: { target: "sip:bot@127.0.0.1:5080" }
steps:
  - dtmf: "2"
`;

describe('case form over YAML', () => {
  it('reads the fields, missing ones as empty', () => {
    expect(readForm(TEXT)).toEqual({ name: 'Case one', profile: 'kore', mode: 'emulate', target: 'sip:bot@127.0.0.1:5080', transport: '', timeout: '' });
    expect(readForm('- a list')).toBeNull();
    expect(readForm('name: [unclosed')).toBeNull();
  });

  it('writes a field back, keeping comments and steps', () => {
    const t = writeForm(TEXT, 'name', 'Case two');
    expect(readForm(t)?.name).toBe('Case two');
    expect(t).toContain('# a comment kept');
    expect(t).toContain('# trailing comment');
    expect(t).toContain('- dtmf: "2"');
    expect(readForm(writeForm(t, 'transport', 'tcp'))?.transport).toBe('tcp');
  });

  it('an emptied field goes, and an emptied sip mapping with it; unparsable text is left alone', () => {
    const t = writeForm(TEXT, 'target', '');
    expect(t).not.toContain('sip');
    expect(readForm(t)?.name).toBe('Case one');
    expect(writeForm('name: [unclosed', 'name', 'x')).toBe('name: [unclosed');
  });
});
