/**
 * Runs the CLI (`npx tsx src/main/cli/index.ts …`) as a real process and collects its output.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

/** The outcome of one CLI run. */
export interface LabRun {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `lab <args>` to its end (killed after `timeoutMs`). */
export function runLab(args: string[], timeoutMs = 60_000): Promise<LabRun> {
  const child = spawn('npx', ['tsx', join(root, 'src/main/cli/index.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((r) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      r({ code, out, err });
    }),
  );
}
