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
 * compacted, slower heap growth) kept the same run at 175–178 MB over 10,000 calls.
 *
 * It costs CPU when the process is busy: objects of calls still up outlive the small young
 * generation and go to the old one, which then needs more full collections. At 200 calls/s
 * `lab answer --cxone-api embedded` fell behind in that mode (its Signals timed out; the interop
 * test sipp-rates fails) and keeps up with V8's defaults. So the mode follows the load: while the
 * main thread is busy (event-loop utilisation over {@link BUSY_ELU} in {@link BUSY_SAMPLES}
 * {@link SAMPLE_MS} windows in a row) V8's defaults apply; after {@link CALM_SAMPLES} calm windows
 * in a row (under {@link CALM_ELU}) the memory-saving mode is back. `lab load` (a throughput tool, issue 12)
 * never asks for it.
 *
 * The flag is set at run time, as the process starts and as the load changes: V8 reads it when it
 * resizes the young generation and when it decides on compaction, so it takes effect without a
 * restart (the installed `lab` and Electron's main process have no way to pass V8 start-up flags).
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';

/** CLI commands that serve for as long as the user lets them (the others end after one job). */
export const LONG_RUNNING_COMMANDS: ReadonlySet<string> = new Set(['answer', 'monitor', 'emulate', 'serve']);

/** Length of one event-loop-utilisation window (ms). */
export const SAMPLE_MS = 2_000;
/**
 * Utilisation (0..1) above which a window counts as busy (assumed here, from the runs measured:
 * `lab answer --cxone-api embedded` at 25 calls/s keeps its main thread ~0.35 busy, at 200 calls/s
 * ~1.0).
 */
export const BUSY_ELU = 0.8;
/** Busy windows in a row before V8's defaults apply (2 × 2 s: one slow window, a compile or a full GC, is not load). */
export const BUSY_SAMPLES = 2;
/** Utilisation (0..1) under which a window counts as calm. */
export const CALM_ELU = 0.5;
/** Calm windows in a row before the memory-saving mode is back (3 × 2 s). */
export const CALM_SAMPLES = 3;

/** The mode V8 is in: `small` (memory-saving) or `fast` (V8's defaults). */
export type HeapMode = 'small' | 'fast';

/** Where the policy stands: the mode, and how many busy and calm windows came in a row. */
export interface HeapModeState {
  mode: HeapMode;
  busyInARow: number;
  calmInARow: number;
}

/**
 * The state after one more window of event-loop utilisation `elu` (0..1). Pure: the policy alone.
 * {@link BUSY_SAMPLES} busy windows in a row go `fast`; {@link CALM_SAMPLES} calm ones go back to
 * `small`; a window in between resets both counts.
 */
export function nextHeapMode(s: HeapModeState, elu: number): HeapModeState {
  const busyInARow = elu > BUSY_ELU ? s.busyInARow + 1 : 0;
  const calmInARow = elu < CALM_ELU ? s.calmInARow + 1 : 0;
  let mode = s.mode;
  if (busyInARow >= BUSY_SAMPLES) mode = 'fast';
  else if (calmInARow >= CALM_SAMPLES) mode = 'small';
  return { mode, busyInARow, calmInARow };
}

let state: (HeapModeState & { timer: NodeJS.Timeout | null }) | null = null;

function setMode(mode: HeapMode): boolean {
  try {
    v8.setFlagsFromString(mode === 'small' ? '--optimize-for-size' : '--no-optimize-for-size');
    return true;
  } catch {
    return false;
  }
}

/**
 * Puts this process's V8 heap in its memory-saving mode while the process is calm, and in V8's
 * defaults while it is busy (see the file's comment). Idempotent; call it first thing in a process
 * that runs for hours. Its timer does not keep the process alive. Never throws (a V8 that refuses
 * the flag keeps its defaults).
 * @returns true when the mode could be set
 */
export function preferSmallHeap(): boolean {
  if (state) return true;
  if (!setMode('small')) return false;
  state = { mode: 'small', busyInARow: 0, calmInARow: 0, timer: null };
  let last = performance.eventLoopUtilization();
  state.timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const window = performance.eventLoopUtilization(now, last);
    last = now;
    if (!state) return;
    const next = nextHeapMode(state, window.utilization);
    if (next.mode !== state.mode) setMode(next.mode);
    Object.assign(state, next);
  }, SAMPLE_MS);
  state.timer.unref();
  return true;
}

/** The mode now, or null when {@link preferSmallHeap} was never called (V8's defaults). */
export function heapMode(): HeapMode | null {
  return state?.mode ?? null;
}
