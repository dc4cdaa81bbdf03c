/**
 * The emulated CXone script's steps in history (migration 7, issue 15 item 1; their parameters and
 * contact as data since migration 8): mapping between `script_steps` rows, the emulator's
 * {@link ScriptStep} and {@link ScriptStepRecord}. Pure functions, no SQL (`statements.ts` has it).
 */
import type { ScriptStepKind, ScriptStepRecord, SignalParams } from '../../shared/types';
import { SIGNAL_PARAM_NAMES } from '../../shared/types';
import type { ScriptStep } from '../emulator/script-outcome';
import type { ScriptStepRow } from './statements';

const KINDS: ReadonlySet<string> = new Set<ScriptStepKind>(['sipputheader', 'placecall', 'onsignal', 'signal', 'reqagent', 'hangup', 'onrelease', 'agent', 'end', 'note']);

/** One step as the emulator took it, what {@link HistoryStore.addScriptStep} takes (the text is `step`). */
export type ScriptStepToSave = ScriptStep;

/** The p1..p9 that are set, in name order; null when none is (what `params_json` stores as NULL). */
function setParams(p: SignalParams | undefined): SignalParams | null {
  if (!p) return null;
  const out: SignalParams = {};
  for (const n of SIGNAL_PARAM_NAMES) if (p[n] !== undefined && p[n] !== '') out[n] = p[n];
  return Object.keys(out).length ? out : null;
}

/**
 * A step as history keeps it, without its `seq` (the store numbers it): what the `script/step`
 * runtime event carries. Parameters that are all empty read as null (none).
 */
export function scriptStepView(s: ScriptStepToSave): Omit<ScriptStepRecord, 'seq'> {
  return { monoMs: s.monoMs, wallMs: s.wallMs, kind: s.kind, label: s.label, text: s.step, source: s.source, params: setParams(s.params), contactId: s.contactId ?? null };
}

/** A step to its row (the statement computes `seq`); `runId` null: the call's run. */
export function scriptStepToRow(callRef: string, runId: string | null, s: ScriptStepToSave): Omit<ScriptStepRow, 'seq'> {
  const params = setParams(s.params);
  return {
    call_ref: callRef,
    run_id: runId,
    mono_ms: s.monoMs,
    wall_ms: s.wallMs,
    kind: s.kind,
    label: s.label,
    text: s.step,
    source: s.source,
    params_json: params ? JSON.stringify(params) : null,
    contact_id: s.contactId ?? null,
  };
}

/** `params_json` back to p1..p9: only the names p1..p9 with string values; null for NULL, `{}` or unreadable JSON. */
function readParams(json: string | null): SignalParams | null {
  if (json === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const out: SignalParams = {};
  for (const n of SIGNAL_PARAM_NAMES) if (typeof o[n] === 'string') out[n] = o[n];
  return Object.keys(out).length ? out : null;
}

/**
 * A row back to a {@link ScriptStepRecord}; a kind this version does not know reads as `note`.
 * A row stored before migration 8 has NULL `params_json` / `contact_id`: its parameters and
 * contact read as null ("none recorded"), though its `text` still names them.
 */
export function rowToScriptStep(r: ScriptStepRow): ScriptStepRecord {
  return {
    seq: r.seq,
    monoMs: r.mono_ms,
    wallMs: r.wall_ms,
    kind: KINDS.has(r.kind) ? (r.kind as ScriptStepKind) : 'note',
    label: r.label,
    text: r.text,
    source: r.source,
    params: readParams(r.params_json ?? null),
    contactId: r.contact_id ?? null,
  };
}

/** `{ scriptSteps }` when a call has steps, else nothing (the field stays absent for other calls). */
export function withScriptSteps(steps: ScriptStepRecord[]): { scriptSteps?: ScriptStepRecord[] } {
  return steps.length ? { scriptSteps: steps } : {};
}
