/**
 * The policy of runtime/heap-mode.ts: V8's defaults after BUSY_SAMPLES busy windows in a row, its
 * memory-saving mode back after CALM_SAMPLES calm windows in a row.
 */
import { describe, expect, it } from 'vitest';
import { BUSY_ELU, BUSY_SAMPLES, CALM_ELU, CALM_SAMPLES, nextHeapMode, type HeapMode, type HeapModeState } from '../../../src/main/runtime/heap-mode';

/** Runs the policy over a list of window utilisations from `small`. */
function run(elus: number[]): HeapMode[] {
  let s: HeapModeState = { mode: 'small', busyInARow: 0, calmInARow: 0 };
  return elus.map((e) => (s = nextHeapMode(s, e)).mode);
}
const times = (n: number, elu: number): number[] => Array.from({ length: n }, () => elu);
const BUSY = (BUSY_ELU + 1) / 2;
const CALM = CALM_ELU / 2;
const BETWEEN = (BUSY_ELU + CALM_ELU) / 2;

describe('nextHeapMode', () => {
  it('stays small while calm or in between', () => {
    expect(run([0, CALM, CALM_ELU, BETWEEN, BUSY_ELU])).toEqual(times(5, 0).map(() => 'small'));
  });

  it('one busy window (a full GC, a compile) is not load; BUSY_SAMPLES in a row are', () => {
    expect(run([BUSY, CALM, ...times(BUSY_SAMPLES, BUSY)]).slice(-1)).toEqual(['fast']);
    expect(run([BUSY, CALM]).every((m) => m === 'small')).toBe(true);
  });

  it('comes back to small only after CALM_SAMPLES calm windows in a row', () => {
    const modes = run([...times(BUSY_SAMPLES, BUSY), ...times(CALM_SAMPLES, CALM)]);
    expect(modes.slice(BUSY_SAMPLES - 1, -1).every((m) => m === 'fast')).toBe(true);
    expect(modes[modes.length - 1]).toBe('small');
  });

  it('a window in between restarts the calm count', () => {
    const modes = run([...times(BUSY_SAMPLES, BUSY), ...times(CALM_SAMPLES - 1, CALM), BETWEEN, ...times(CALM_SAMPLES - 1, CALM)]);
    expect(modes[modes.length - 1]).toBe('fast');
  });
});
