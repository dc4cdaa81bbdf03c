/**
 * The search by contact id across history (issue 15 item 2): every call leg, Signal and run that
 * carried one contact id, read on one snapshot, as the input of its timeline
 * (`timeline/build.ts`). Calls of every run kind come back: handoffs, answer and emulate runs,
 * imported captures (`import`), test runs.
 */
import type { CallDetail, CallSummary } from '../../shared/types';
import type { TimelineInput } from '../../shared/timeline';
import {
  rowToCallSummary,
  rowToCheck,
  rowToInvite,
  rowToMedia,
  rowToSignal,
  rowToSipMessage,
  rowToVerdict,
} from './rows';
import { rowToScriptStep, withScriptSteps } from './script-steps';
import type { Statements } from './statements';

/** A call found by contact id, with its run's kind and outcome. */
export type ContactCall = CallSummary & { runKind: string | null; runOk: boolean | null };

/** What history holds for one contact id. */
export interface ContactHistory {
  contactId: string;
  /** Every leg, oldest first (the legs that carried the id, and their twin legs in the same run). */
  calls: ContactCall[];
  /** Runs of those calls and Signals, by id, with their kind. */
  runs: Array<{ id: string; kind: string | null; ok: boolean | null }>;
  /** The timeline's input: full call details and every Signal that named the id. */
  input: TimelineInput;
}

/**
 * Reads everything that carried `contactId`. The caller runs it on one snapshot
 * (HistoryStore.contactHistory wraps it in a read transaction).
 * @param contactId - matched exactly (trimmed); an empty id finds nothing.
 * @param limit - the most calls and the most Signals read (each).
 */
export function contactHistory(st: Statements, contactId: string, limit: number): ContactHistory {
  const id = contactId.trim();
  if (!id) return { contactId: id, calls: [], runs: [], input: { contactId: id, calls: [], signals: [] } };
  const rows = st.many('contact_calls', { contact_id: id, limit });
  const calls: ContactCall[] = rows.map((r) => ({ ...rowToCallSummary(r), runKind: r.run_kind, runOk: r.run_ok === null ? null : r.run_ok === 1 }));
  const details: TimelineInput['calls'] = [];
  for (const r of rows) {
    const full = st.one('call_by_id', { id: r.id });
    if (!full) continue;
    const call: CallDetail = {
      ...rowToCallSummary(full),
      invite: rowToInvite(full),
      verdict: rowToVerdict(full),
      media: rowToMedia(full),
      messages: st.many('sip_messages_by_call', { call_ref: r.id }).map(rowToSipMessage),
      signals: st.many('signals_by_call', { call_ref: r.id }).map(rowToSignal),
      checks: st.many('checks_by_call', { call_ref: r.id }).map(rowToCheck),
      ...withScriptSteps(st.many('script_steps_by_call', { call_ref: r.id }).map(rowToScriptStep)),
    };
    details.push({ call, runKind: r.run_kind });
  }
  const signals = st.many('contact_signals', { contact_id: id, limit }).map((r) => ({ ...rowToSignal(r), runId: r.run_id }));
  const runIds = new Set<string>([...calls.map((c) => c.runId), ...signals.map((s) => s.runId)].filter((x): x is string => !!x));
  const runs = [...runIds].sort().map((rid) => {
    const run = st.one('run_by_id', { id: rid });
    return { id: rid, kind: run?.kind ?? null, ok: run?.ok === null || run?.ok === undefined ? null : run.ok === 1 };
  });
  return { contactId: id, calls, runs, input: { contactId: id, calls: details, signals } };
}
