/**
 * The policy of runtime/heap-mode.ts: V8's defaults while the main thread is busy, its
 * memory-saving mode back after CALM_SAMPLES calm windows in a row.
 */
import { describe, expect, it } from 'vitest';
import { BUSY_ELU, CALM_ELU, CALM_SAMPLES, nextHeapMode, type HeapMode } from '../../../src/main/runtime/heap-mode';

/** Runs the policy over a list of window utilisations from `small`. */
function run(elus: number[]): HeapMode[] {
  let s: { mode: HeapMode; calmInARow: number } = { mode: 'small', calmInARow: 0 };
  return elus.map((e) => (s = nextHeapMode(s.mode, e, s.calmInARow)).mode);
}

describe('nextHeapMode', () => {
  it('stays small while calm or in between', () => {
    expect(run([0, 0.1, CALM_ELU, BUSY_ELU, 0.2])).toEqual(['small', 'small', 'small', 'small', 'small']);
  });

  it('goes fast on one busy window', () => {
    expect(run([0.1, BUSY_ELU + 0.01])).toEqual(['small', 'fast']);
  });

  it('comes back to small only after CALM_SAMPLES calm windows in a row', () => {
    const calm = Array.from({ length: CALM_SAMPLES }, () => 0.05);
    const modes = run([0.95, ...calm]);
    expect(modes.slice(0, CALM_SAMPLES)).toEqual(Array.from({ length: CALM_SAMPLES }, () => 'fast'));
    expect(modes[CALM_SAMPLES]).toBe('small');
  });

  it('a window in between (not calm, not busy) restarts the count; a busy one goes fast again', () => {
    const almost = Array.from({ length: CALM_SAMPLES - 1 }, () => 0.05);
    const modes = run([0.95, ...almost, 0.4, ...almost, 0.9]);
    expect(modes.every((m) => m === 'fast')).toBe(true);
  });
});
