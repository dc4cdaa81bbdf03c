// `lab test` as a real process: exit 0 with `--json -` holding only the JSON report, exit 1 naming
// the failing step, exit 2 with file:line for a bad case file, and `--schema` printing the JSON Schema.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

function lab(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/main/cli/index.ts'), 'test', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  return new Promise((r) => child.on('exit', (code) => r({ code, out, err })));
}

describe('lab test (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-test-cli-'));

  it('exit 0, --json - is pure JSON, --junit and --html are written', async () => {
    const junit = join(dir, 'r.xml');
    const html = join(dir, 'r.html');
    const r = await lab(['examples/tests/vendors/kore-classic.yaml', '--json', '-', '--junit', junit, '--html', html]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { ok: boolean; cases: { steps: { kind: string; ok: boolean; at_ms: number; detail: string }[] }[] };
    expect(j.ok).toBe(true);
    expect(j.cases[0]!.steps.map((s) => [s.kind, s.ok])).toEqual([['expect_signal', true], ['expect_hangup', true]]);
    expect(r.err).toContain('PASS  Kore hands back at once');
    expect(readFileSync(junit, 'utf8')).toContain('<testcase name="01 expect_signal');
    expect(readFileSync(html, 'utf8')).toContain('<h3>SIP ladder</h3>');
  }, 60_000);

  it('exit 1 names the failing step', async () => {
    const f = join(dir, 'fails.yaml');
    writeFileSync(f, 'name: wrong p1\nprofile: watson\nsteps:\n  - expect_signal: { within: 3s, params: { p1: AgentHandoff } }\n  - expect_hangup: { within: 3s }\n');
    const r = await lab([f]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL {2}wrong p1/);
    expect(r.out).toMatch(/step 1 expect_signal p1=AgentHandoff within 3s at [\d.]+ ms: no Signal with p1=AgentHandoff/);
  }, 60_000);

  it('exit 2 with the file, line and what is wrong', async () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, 'name: bad\nsteps:\n  - say: hello\n  - dtmf: "2x"\n');
    const r = await lab([f]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${f}:4:`);
    expect(r.err).toMatch(/step 2: dtmf: DTMF digits are 0-9, \*, #, A-D/);
  }, 30_000);

  it('--schema prints the JSON Schema', async () => {
    const r = await lab(['--schema']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { title: string }).title).toBe('CXone SIP Lab test case');
  }, 30_000);
});
