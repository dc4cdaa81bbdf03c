/**
 * The installed `lab` command's entry (package.json "bin" → out/cli/bin.js): refuses a Node older
 * than the one the app needs, in one line, before anything loads (better-sqlite3 13 crashes on
 * Node 20, toolchain.md), then runs the CLI (index.ts).
 */
import module from 'node:module';

/** The oldest Node the app runs on (package.json "engines"). */
export const MIN_NODE: readonly [number, number] = [22, 12];

/** True when a Node version string (`24.1.0`) is at least {@link MIN_NODE}. */
export function nodeIsRecentEnough(v: string): boolean {
  const [major = 0, minor = 0] = v.split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

if (!nodeIsRecentEnough(process.versions.node)) {
  process.stderr.write(`error: lab needs Node ${MIN_NODE.join('.')} or newer; this is Node ${process.versions.node} (${process.execPath})\n`);
  process.exit(2);
}
// V8's code cache for the bundle across starts (Node ≥ 22.1; in the OS temp folder by default).
module.enableCompileCache?.();
await import('./index');
