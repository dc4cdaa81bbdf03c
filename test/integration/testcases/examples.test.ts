/**
 * The example suite (examples/tests: one case per seed vendor and per emulator fault class) runs on
 * loopback through the runtime's `test` kind against the reference bot, as `npm test` shows users.
 */
import { describe, expect, it } from 'vitest';
import { LabRuntime } from '../../../src/main/runtime/lab-runtime';
import type { TestRunReport } from '../../../src/main/runs/test-case';
import { renderTestJunit } from '../../../src/main/reports/test-junit';
import { testJsonReport } from '../../../src/main/reports/test-json';

/** Each failed case with its failing step and expectations, for the assertion message. */
function failures(r: TestRunReport): string[] {
  return r.cases
    .filter((c) => !c.ok)
    .map((c) => {
      const s = c.steps.find((x) => x.status === 'failed');
      const exp = c.expectations.filter((k) => !k.ok).map((k) => `${k.name}: ${k.detail}`);
      return `${c.name}: ${s ? `step ${s.index + 1} ${s.label}: ${s.detail}` : ''}${exp.length ? ` [${exp.join('; ')}]` : ''}${c.error ? ` (set-up: ${c.error})` : ''}`;
    });
}

describe('examples/tests', () => {
  it('every example case passes on loopback against the reference bot', async () => {
    const rt = LabRuntime.open({ dbFile: null });
    try {
      const r = await rt.run<TestRunReport>('test', { paths: ['examples/tests'], parallel: 2 });
      expect(failures(r)).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.cases.length).toBeGreaterThanOrEqual(16);
      expect(r.cases.map((c) => c.name)).toContain("automatic handoff (synthflow over tcp) [profile=synthflow, transport=tcp]");
      // Every case's steps have a verdict and a time from the INVITE.
      for (const c of r.cases) for (const s of c.steps) expect(s.at_ms, `${c.name} step ${s.index + 1}`).not.toBeNull();
      const json = testJsonReport(r);
      expect(json.summary.failed).toBe(0);
      expect(renderTestJunit(r)).toContain('<testcase name="01 expect_speech');
    } finally {
      await rt.close();
    }
  }, 120_000);
});
