/**
 * The emulated CXone script's steps in history (migration 7, issue 15 item 1): mapping between
 * `script_steps` rows and {@link ScriptStepRecord}. Pure functions, no SQL (`statements.ts` has it).
 */
import type { ScriptStepKind, ScriptStepRecord } from '../../shared/types';
import type { ScriptStep } from '../emulator/script-outcome';
import type { ScriptStepRow } from './statements';

const KINDS: ReadonlySet<string> = new Set<ScriptStepKind>(['sipputheader', 'placecall', 'onsignal', 'signal', 'reqagent', 'hangup', 'onrelease', 'agent', 'end', 'note']);

/** One step as the emulator took it, what {@link HistoryStore.addScriptStep} takes (the text is `step`). */
export type ScriptStepToSave = ScriptStep;

/** A step to its row (the statement computes `seq`); `runId` null: the call's run. */
export function scriptStepToRow(callRef: string, runId: string | null, s: ScriptStepToSave): Omit<ScriptStepRow, 'seq'> {
  return { call_ref: callRef, run_id: runId, mono_ms: s.monoMs, wall_ms: s.wallMs, kind: s.kind, label: s.label, text: s.step, source: s.source };
}

/** A row back to a {@link ScriptStepRecord}; a kind this version does not know reads as `note`. */
export function rowToScriptStep(r: ScriptStepRow): ScriptStepRecord {
  return {
    seq: r.seq,
    monoMs: r.mono_ms,
    wallMs: r.wall_ms,
    kind: KINDS.has(r.kind) ? (r.kind as ScriptStepKind) : 'note',
    label: r.label,
    text: r.text,
    source: r.source,
  };
}

/** `{ scriptSteps }` when a call has steps, else nothing (the field stays absent for other calls). */
export function withScriptSteps(steps: ScriptStepRecord[]): { scriptSteps?: ScriptStepRecord[] } {
  return steps.length ? { scriptSteps: steps } : {};
}
