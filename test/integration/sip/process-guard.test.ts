/**
 * The SIP process guard (process-guard.ts) in a real child process: an error thrown from inside
 * sip.js is caught and the process goes on; any other uncaught error or unhandled rejection keeps
 * Node's default behaviour (printed, exit status 1).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function run(mode: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures/process-guard-child.ts'), mode], {
    env: { ...process.env, VITEST: '', NODE_ENV: 'production' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (err += b));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

describe('SIP process guard', () => {
  it('keeps the process alive through an error thrown from sip.js', async () => {
    const r = await run('sip');
    expect(r.out).toContain('still alive');
    expect(r.code).toBe(0);
  });

  it('leaves our own uncaught errors and rejections to end the process with status 1, printed', async () => {
    for (const mode of ['ours', 'rejection']) {
      const r = await run(mode);
      expect(r.out, mode).not.toContain('still alive');
      expect(r.code, mode).toBe(1);
      expect(r.err, mode).toMatch(/our own (bug|rejection)/);
    }
  });
});
