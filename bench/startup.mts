/**
 * Benchmark (issue 16): cold start of `lab help`, built (out/cli/bin.js, plain JavaScript) versus
 * through tsx (src/main/cli/index.ts compiled at every start), in the same run on the same Node.
 *
 * Each start is a new process; the two kinds alternate so that machine load hits both alike. It
 * prints the median and min of each (wall time, and CPU time where /usr/bin/time exists: machine
 * load disturbs it less), and the ratios built / tsx. Goal: built under a third of tsx's.
 * tsx's own compile cache is turned off (TSX_DISABLE_CACHE=1) so every tsx start compiles, as on a
 * fresh checkout; a second line shows tsx with its cache for reference.
 *
 * Run: `npm run bench:startup -- [starts]` (builds out/cli first when it is missing). Prints
 * figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const STARTS = Number(process.argv[2] ?? 10);
const root = resolve(import.meta.dirname, '..');
const built = resolve(root, 'out/cli/bin.js');
const tsxCli = resolve(root, 'node_modules/tsx/dist/cli.mjs');
const source = resolve(root, 'src/main/cli/index.ts');

if (!existsSync(built)) {
  const b = spawnSync(process.execPath, [resolve(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.cli.config.ts'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('building out/cli failed');
}

const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);

/**
 * One start to exit of `node <args> help`: wall time (ms) and, where /usr/bin/time exists, the
 * CPU time (user + system, ms), which machine load disturbs less. Throws when the command fails.
 */
function once(args: string[], env: NodeJS.ProcessEnv = {}): { wall: number; cpu: number | null } {
  const cmd = hasTime ? TIME : process.execPath;
  const argv = hasTime ? ['-f', 'cpu %U %S', process.execPath, ...args, 'help'] : [...args, 'help'];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status !== 0 || !r.stdout.includes('usage:')) throw new Error(`node ${args.join(' ')} help failed (${r.status}): ${r.stderr}`);
  const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : null };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

type Kind = 'built' | 'tsx' | 'tsxCached';
const times: Record<Kind, { wall: number[]; cpu: number[] }> = { built: { wall: [], cpu: [] }, tsx: { wall: [], cpu: [] }, tsxCached: { wall: [], cpu: [] } };
const take = (k: Kind, t: { wall: number; cpu: number | null }): void => {
  times[k].wall.push(t.wall);
  if (t.cpu !== null) times[k].cpu.push(t.cpu);
};
once([built]); // warm the OS file cache (and the built CLI's V8 code cache) before sampling
once([tsxCli, source]);
for (let i = 0; i < STARTS; i++) {
  take('built', once([built]));
  take('tsx', once([tsxCli, source], { TSX_DISABLE_CACHE: '1' }));
  take('tsxCached', once([tsxCli, source]));
}

const fmt = (xs: number[]): string => (xs.length ? `median ${median(xs).toFixed(0).padStart(5)} ms  min ${Math.min(...xs).toFixed(0).padStart(5)} ms` : 'n/a');
const line = (name: string, k: Kind): string => `${name.padEnd(18)} wall ${fmt(times[k].wall)}   cpu ${fmt(times[k].cpu)}`;
console.log(`cold start of \`lab help\`, ${STARTS} starts each, Node ${process.versions.node}`);
console.log(line('built (out/cli)', 'built'));
console.log(line('tsx (no cache)', 'tsx'));
console.log(line('tsx (its cache)', 'tsxCached'));
const ratio = (a: number[], b: number[]): string => (a.length && b.length ? (median(a) / median(b)).toFixed(2) : 'n/a');
const wallRatio = median(times.built.wall) / median(times.tsx.wall);
console.log(`built / tsx: wall ${wallRatio.toFixed(2)}, cpu ${ratio(times.built.cpu, times.tsx.cpu)} (goal < 0.33 on wall: ${wallRatio < 1 / 3 ? 'met' : 'NOT met'})`);
console.log(`built / tsx with its cache: wall ${ratio(times.built.wall, times.tsxCached.wall)}, cpu ${ratio(times.built.cpu, times.tsxCached.cpu)}`);
