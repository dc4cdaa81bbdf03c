/**
 * Test helper: `lab` as a real process in its own process group (so a test can signal the whole
 * group, as a terminal's Ctrl-C or a supervisor's SIGKILL does), with its output kept.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../../..');

/** A running `lab` command. */
export interface LabProcess {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
  /** Sends a signal to the whole process group. */
  signalGroup: (sig: NodeJS.Signals) => void;
  /** Resolves once `pred(output)` holds (polls the output as it grows; rejects when the process exits first). */
  waitFor: (pred: (out: string) => boolean, what: string) => Promise<void>;
}

/**
 * Starts `lab <args>` (this Node, 24, with tsx as an import hook) in a new process group, killed
 * after `timeoutMs`. Not through the `tsx` command: its parent process relays a signal to the
 * child and, when the child has not acknowledged it within 2 × 30 ms (a busy event loop under
 * load), SIGKILLs it and exits 130, which made the SIGINT cases fail for machine load alone.
 */
export function startLab(args: string[], timeoutMs = 120_000): LabProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/main/cli/index.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const listeners = new Set<() => void>();
  const grow = (b: Buffer): void => {
    out = (out + b.toString()).slice(-200_000);
    for (const l of listeners) l();
  };
  child.stdout!.on('data', grow);
  child.stderr!.on('data', grow);
  const signalGroup = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  const timer = setTimeout(() => signalGroup('SIGKILL'), timeoutMs);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      for (const l of listeners) l();
      r({ code, signal });
    }),
  );
  const waitFor = (pred: (o: string) => boolean, what: string): Promise<void> =>
    new Promise((res, rej) => {
      const check = (): void => {
        if (pred(out)) {
          listeners.delete(check);
          res();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          listeners.delete(check);
          rej(new Error(`lab exited before ${what}:\n${out.slice(-3000)}`));
        }
      };
      listeners.add(check);
      check();
    });
  return { child, done, output: () => out, signalGroup, waitFor };
}

/** The port of the `listening: sip:bot@127.0.0.1:<port>` line. */
export function listeningPort(out: string): number {
  return Number(/listening: sip:bot@127\.0\.0\.1:(\d+)/.exec(out)![1]);
}
