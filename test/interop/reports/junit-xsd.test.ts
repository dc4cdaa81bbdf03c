// The JUnit XML of a passing and of a failing run validates against the Apache Ant JUnit schema
// (test/fixtures/junit/JUnit.xsd, windyroad) with xmllint (Debian: libxml2-utils).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFault } from '../../../src/main/emulator/faults';
import { HistoryStore } from '../../../src/main/history/store';
import { writeReports } from '../../../src/main/reports/write-reports';
import { runHandoff } from '../../../src/main/scenarios/handoff';
import { toolAvailable } from '../../helpers/reports/tools';

const XSD = resolve(import.meta.dirname, '../../fixtures/junit/JUnit.xsd');
const HAVE_XMLLINT = toolAvailable('xmllint', ['--version']);

describe.skipIf(!HAVE_XMLLINT)('JUnit XML against the JUnit schema (xmllint)', () => {
  it.each([
    ['passing', undefined],
    ['failing', 'server-error'],
  ] as const)('a %s run', async (_name, fault) => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-junit-'));
    const dbFile = join(dir, 'history.db');
    const run = await runHandoff({ profile: 'watson', transport: 'udp', dbFile, faults: fault ? [parseFault(fault)] : undefined, dropWaitMs: 500 });
    const file = join(dir, 'junit.xml');
    const store = HistoryStore.open(dbFile);
    try {
      writeReports(store, { runId: run.runId }, { junit: file });
    } finally {
      store.close();
    }
    const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
    expect(r.stderr.trim()).toBe(`${file} validates`);
    expect(r.status).toBe(0);
    const xml = readFileSync(file, 'utf8');
    expect((xml.match(/<failure /g) ?? []).length).toBe(fault ? run.calls[0]!.checks.filter((k) => !k.ok).length : 0);
  });

  it('the schema itself catches a broken file (so the check above means something)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-junit-'));
    const file = join(dir, 'bad.xml');
    spawnSync('sh', ['-c', `printf '<testsuites><testsuite name="x"/></testsuites>' > ${file}`]);
    const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/fails to validate/);
  });
});
