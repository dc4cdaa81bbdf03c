// Issue 14: a test case overrides the profile's script topology (cxone.topology): a Kore case whose
// Spawn script puts its own ContactId in the header (the Main script waits in ONSIGNAL) reproduces a
// customer's script that signals the wrong leg; the same case with the profile's topology passes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabRuntime } from '../../../src/main/runtime/lab-runtime';
import type { TestRunReport } from '../../../src/main/runs/test-case';

const caseYaml = (topology: string): string => `name: Kore handoff ${topology ? 'wrong leg' : 'right leg'}
profile: kore
mode: embedded
${topology}
steps:
  - expect_signal: { within: 5s, params: { p1: AgentHandoff } }
expect:
  outcome: REQAGENT
`;

describe('cxone.topology in a test case', () => {
  it('the profile topology passes; headerHolds: placer reproduces the wrong leg', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-case-topology-'));
    writeFileSync(join(dir, 'a-right.yaml'), caseYaml(''));
    writeFileSync(join(dir, 'b-wrong.yaml'), caseYaml('cxone:\n  topology: { header_holds: placer }'));
    const rt = LabRuntime.open({ dbFile: null });
    try {
      const r = await rt.run<TestRunReport>('test', { paths: [dir] });
      const [right, wrong] = r.cases;
      expect(right!.ok, JSON.stringify(right!.expectations)).toBe(true);
      expect(wrong!.ok).toBe(false);
      const outcome = wrong!.expectations.find((k) => k.name === 'outcome' || /outcome/.test(k.name));
      expect(outcome?.ok).toBe(false);
      const text = JSON.stringify(wrong);
      expect(text).toContain('ONRELEASE');
      expect(text).toMatch(/to \d+ \(child contact\): 202, no ONSIGNAL in the child contact's script: nothing happens \(the ONSIGNAL is in the script of \d+, the MasterId\)/);
    } finally {
      await rt.close();
    }
  }, 60_000);
});
