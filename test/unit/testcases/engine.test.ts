import { describe, expect, it } from 'vitest';
import { failAtFirstPending, moveStep, pendingSteps, runSteps, StepStateError } from '../../../src/main/testcases/engine';
import { loadCaseText } from '../../../src/main/testcases/load';
import { Redactor } from '../../../src/main/testcases/secrets';

const tc = loadCaseText('name: t\nsteps:\n  - wait: 10ms\n  - say: "my secret is hunter22"\n  - hangup\n', 'c.yaml').case;

describe('the step state machine', () => {
  it('allows pending → running → passed|failed and pending → skipped only', () => {
    const [s] = pendingSteps(tc.steps);
    expect(() => moveStep(s!, 'passed')).toThrow(StepStateError);
    moveStep(s!, 'running');
    expect(() => moveStep(s!, 'skipped')).toThrow(/running → skipped/);
    moveStep(s!, 'passed');
    expect(s!.ok).toBe(true);
    expect(() => moveStep(s!, 'failed')).toThrow(StepStateError);
  });

  it('fails the case at the first failing step, skips the rest, and scrubs secrets from details', async () => {
    const results = pendingSteps(tc.steps);
    const red = new Redactor();
    red.add('hunter22');
    const ok = await runSteps(tc.steps, results, async (s) => (s.kind === 'say' ? { ok: false, detail: 'the bot heard hunter22' } : { ok: true, detail: 'fine' }), () => performance.now(), red);
    expect(ok).toBe(false);
    expect(results.map((r) => r.status)).toEqual(['passed', 'failed', 'skipped']);
    expect(results[1]!.detail).toBe('the bot heard ***');
    expect(results[2]!.detail).toMatch(/step 2 \(say\) failed/);
    expect(results[0]!.label).toBe('wait 10ms');
    expect(results[1]!.label).toBe('say "my secret is hunter22"');
  });

  it('a case that could not start fails its first step with the reason', () => {
    const results = pendingSteps(tc.steps);
    failAtFirstPending(results, 'the bot did not answer (486 Busy Here)', null);
    expect(results.map((r) => r.status)).toEqual(['failed', 'skipped', 'skipped']);
    expect(results[0]!.detail).toMatch(/486/);
  });
});
