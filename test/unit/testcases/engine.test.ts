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

describe('case-level expectations', () => {
  it('judges the contact id, the CXone outcome and each budget; a figure not measured fails its budget', async () => {
    const { judge } = await import('../../../src/main/testcases/run-case');
    const c = loadCaseText('name: j\nexpect: { outcome: REQAGENT, budgets: { signal_http: 1s, token: 1s } }\nsteps:\n  - hangup\n', 'c.yaml').case;
    const out = judge(c, { contactId: { ok: true, detail: 'X-ExternalCallId = 1' }, action: 'HANGUP', outcome: 'HANGUP', latency: { signal_http_ms: 1200 } });
    expect(out.map((k) => [k.name, k.ok])).toEqual([['contact-id', true], ['cxone-outcome', false], ['budget-token', false], ['budget-signal-http', false]]);
    expect(out[2]!.detail).toMatch(/not measured/);
    expect(out[3]!.detail).toBe('Signal HTTP exchange: 1200 ms (budget 1s)');
  });
  it('in answer mode judges the contact id only when the case signals or asks for it', async () => {
    const { judge } = await import('../../../src/main/testcases/run-case');
    const facts = { contactId: { ok: false, detail: 'no X-ExternalCallId' }, action: null, outcome: null, latency: {} };
    const talk = loadCaseText('name: a\nmode: answer\nsteps:\n  - say: hi\n', 'c.yaml').case;
    const sig = loadCaseText('name: a\nmode: answer\nsteps:\n  - signal: { p1: x }\n', 'c.yaml').case;
    expect(judge(talk, facts)).toEqual([]);
    expect(judge(sig, facts).map((k) => [k.name, k.ok])).toEqual([['contact-id', false]]);
  });
});
