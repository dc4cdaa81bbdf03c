// The test run's JUnit XML (passed, failed, skipped and set-up-error cases) validates against the
// Apache Ant JUnit schema (test/fixtures/junit/JUnit.xsd) with xmllint (Debian: libxml2-utils).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTestJunit } from '../../../src/main/reports/test-junit';
import { toolAvailable } from '../../helpers/reports/tools';
import { sampleRun } from '../../unit/testcases/fixture';

const XSD = resolve(import.meta.dirname, '../../fixtures/junit/JUnit.xsd');

describe.skipIf(!toolAvailable('xmllint', ['--version']))('lab test JUnit XML against the JUnit schema', () => {
  it('validates', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lab-test-junit-')), 'junit.xml');
    writeFileSync(file, renderTestJunit(sampleRun(), 'host'));
    const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
    expect(r.stderr.trim()).toBe(`${file} validates`);
    expect(r.status).toBe(0);
  });
});
