// The Tests screen's handlers through the Lab (issue 13 item 6), with real parts: the examples
// folder listed, a broken case validated with its line, a case saved, run on the runtime with its
// steps announced live as `test/progress`, its history (pass rate, latency) and its HTML report.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRunView } from '../../../src/shared/tests-contract';
import { Lab } from '../../../src/main/lab';

let lab: Lab;
const progress: TestRunView[] = [];
const dir = mkdtempSync(join(tmpdir(), 'lab-tests-'));

beforeAll(async () => {
  lab = await Lab.start({ dbFile: join(dir, 'history.db'), host: 'browser', keychainService: `cxone-sip-lab-test-${process.pid}` });
  lab.onEvent((name, payload) => {
    if (name === 'test/progress') progress.push(payload as TestRunView);
  });
});
afterAll(async () => {
  await lab?.stop();
});

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

function ended(key: string): Promise<TestRunView> {
  return new Promise((res) => {
    const off = lab.onEvent((name, payload) => {
      const v = payload as TestRunView;
      if (name === 'test/progress' && v.key === key && v.state !== 'running') {
        off();
        res(v);
      }
    });
  });
}

const examples = resolve('examples/tests');

describe('tests/* handlers', () => {
  it('lists the examples folder with each case name and the suites', async () => {
    const v = ok(await lab.handlers['tests/list']({ dir: examples }));
    expect(v.cases.map((c) => c.rel)).toContain(join('vendors', 'kore.yaml'));
    expect(v.cases.every((c) => c.problem === null)).toBe(true);
    expect(v.suites).toContain(join(examples, 'matrix'));
  });

  it('validates text live: a wrong step names its line', async () => {
    const text = readFileSync(join(examples, 'vendors', 'kore.yaml'), 'utf8').replace('- dtmf: "2"', '- dtmf: { digits: "2", method: smoke }');
    const v = ok(await lab.handlers['tests/validate']({ text, path: 'kore.yaml' }));
    expect(v.ok).toBe(false);
    if (v.ok) return;
    const line = text.split('\n').findIndex((l) => l.includes('method: smoke')) + 1;
    expect(v.line).toBe(line);
    expect(v.message).toMatch(/kore\.yaml:\d+/);
  });

  it('saves a case, runs it with its steps ticking live, and keeps its history and report', async () => {
    const file = join(dir, 'kore.yaml');
    const text = readFileSync(join(examples, 'vendors', 'kore.yaml'), 'utf8');
    expect(ok(await lab.handlers['tests/save']({ path: file, text })).ok).toBe(true);
    expect(ok(await lab.handlers['tests/read']({ path: file })).text).toBe(text);
    const started = ok(await lab.handlers['tests/run']({ paths: [file], vars: {} }));
    expect(started.state).toBe('running');
    const done = await ended(started.key);
    expect(done.state).toBe('passed');
    expect(done.cases[0]!.steps.every((s) => s.status === 'passed')).toBe(true);
    // Live: a step was seen running before it passed.
    const live = progress.filter((p) => p.key === started.key && p.state === 'running');
    expect(live.some((p) => p.cases[0]?.steps.some((s) => s.status === 'running'))).toBe(true);
    expect(live.some((p) => p.cases[0]?.steps.some((s) => s.status === 'passed'))).toBe(true);
    const name = done.cases[0]!.name;
    const h = ok(await lab.handlers['tests/history']({ name }));
    expect(h).toMatchObject({ runs: 1, passed: 1, passRate: 1 });
    expect(h.points[0]!.latency.invite_to_200).toBeGreaterThan(0);
    const rep = ok(await lab.handlers['tests/report']({ run: done.runId! }));
    expect(rep.html).toContain(name);
  });

  it('creates a new case only when no such file exists', async () => {
    const file = join(dir, 'new-case.yaml');
    expect(ok(await lab.handlers['tests/save']({ path: file, text: 'name: n\nmode: embedded\nprofile: kore\nsteps: []\n', create: true }))).toBeTruthy();
    const again = await lab.handlers['tests/save']({ path: file, text: 'name: other\n', create: true });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error).toMatch(/exists already/);
    expect(readFileSync(file, 'utf8')).toContain('name: n');
    const notCase = await lab.handlers['tests/save']({ path: join(dir, 'x.txt'), text: 'name: n\n' });
    expect(notCase.ok).toBe(false);
  });

  it('a bad case file ends the run in error with its line', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: x\nmode: embedded\nprofile: kore\nsteps:\n  - frobnicate: 1\n');
    const started = ok(await lab.handlers['tests/run']({ paths: [file], vars: {} }));
    const done = started.state === 'running' ? await ended(started.key) : started;
    expect(done.state).toBe('error');
    expect(done.error).toMatch(/bad\.yaml:5/);
  });
});
