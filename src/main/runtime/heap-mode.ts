/**
 * The V8 heap mode of a process that runs for hours: `lab answer`, `lab monitor`, `lab emulate`,
 * `lab serve` and the desktop app (the common rules: "a process that runs for hours keeps flat
 * memory").
 *
 * With V8's defaults a busy `lab answer` sizes its young generation up to ~100 MB and keeps the
 * old-generation pages it once needed: at 25 calls/s its RSS went 284 → 318 → 344 MB over calls
 * 1,000 → 3,000 → 6,000 while the live heap after a full GC stayed ~61 MB (bench:soak, which prints
 * V8's spaces: `new_space` 102 MB committed, 0 used; `old_space` committed 58 → 86 MB, used 51 MB).
 * V8's memory-saving mode (`--optimize-for-size`: a young generation of a few MB, fragmented pages
 * compacted, slower heap growth) kept the same run at 180–192 MB, flat. It costs some CPU per call
 * (more, smaller scavenges), which is why `lab load` (a throughput tool, issue 12) keeps V8's
 * defaults.
 *
 * The flag is set at run time, as the process starts, before the run allocates: V8 reads it when it
 * sizes the young generation and decides on compaction, so it takes effect without a restart (the
 * installed `lab` and Electron's main process have no way to pass V8 start-up flags).
 */
import v8 from 'node:v8';

/** CLI commands that serve for as long as the user lets them (the others end after one job). */
export const LONG_RUNNING_COMMANDS: ReadonlySet<string> = new Set(['answer', 'monitor', 'emulate', 'serve']);

let applied = false;

/**
 * Puts this process's V8 heap in its memory-saving mode (idempotent). Call it once, first thing, in
 * a process that runs for hours. Never throws (a V8 that refuses the flag keeps its defaults).
 * @returns true when the mode is on after the call
 */
export function preferSmallHeap(): boolean {
  if (applied) return true;
  try {
    v8.setFlagsFromString('--optimize-for-size');
    applied = true;
  } catch {
    applied = false;
  }
  return applied;
}
