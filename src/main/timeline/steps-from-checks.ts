/**
 * Test-case steps as history keeps them (issue 13: `testcases/run-case.ts` writes each step's
 * verdict as a check of the test call, named `step <n> <kind>`, detail `<label> at <ms> ms: <what
 * happened>`, ms from the INVITE), turned back into step marks for the timeline's steps lane.
 * Skipped steps are not in history, so they are not drawn.
 */
import type { StepMark } from '../../shared/timeline';
import type { CallDetail } from '../../shared/types';

const STEP_NAME = /^step (\d+) ([a-z_]+)$/;
const STEP_DETAIL = /^(.*?) at (-?\d+(?:\.\d+)?) ms: ([\s\S]*)$/;

/**
 * The step marks of every call's step checks, in case order.
 * @returns marks with `callRef` set to the call the checks belong to; a check whose detail carries
 *   no time is left out (a step that failed before the INVITE).
 */
export function stepMarksFromChecks(calls: readonly CallDetail[]): StepMark[] {
  const out: StepMark[] = [];
  for (const call of calls) {
    for (const c of call.checks) {
      const n = STEP_NAME.exec(c.name);
      const d = STEP_DETAIL.exec(c.detail);
      if (!n || !d) continue;
      out.push({ index: Number(n[1]) - 1, name: d[1] ?? n[2] ?? '', atMs: Number(d[2]), ok: c.ok, detail: d[3] ?? '', callRef: call.id });
    }
  }
  return out.sort((a, b) => (a.callRef ?? '').localeCompare(b.callRef ?? '') || a.index - b.index);
}
