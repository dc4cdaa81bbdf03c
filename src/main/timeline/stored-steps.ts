/**
 * The script lane from the emulated CXone script's own steps (issue 15 item 1): a leg placed by
 * the emulator (emulator/child-script.ts) carries each step it took with its monotonic stamp
 * (history migration 7, `CallDetail.scriptSteps`). They are drawn at their own stamps, shifted like
 * the leg's SIP messages (clock.ts `callShift`: the script ran in the process that recorded the
 * leg), with the emulator's text as the detail.
 */
import { SIGNAL_PARAM_NAMES, type CallDetail, type ScriptStepKind, type ScriptStepRecord, type SignalParams } from '../../shared/types';
import type { ClockPlan } from './clock';
import { RANK, type DraftEvent } from './draft';
import type { TimelineInput } from './input';

/** How a stored step's detail says where it comes from. */
export const AS_RUN = 'as the emulator ran it';
/** How an inferred step's detail says where it comes from. */
export const INFERRED = '(inferred from SIP and Signals)';

/** The tie rank of a step at the same stamp as a SIP message (draft.ts {@link RANK}). */
const RANK_OF: Record<ScriptStepKind, number> = {
  sipputheader: RANK.putHeader,
  placecall: RANK.placeCall,
  onsignal: RANK.onSignal,
  signal: RANK.api,
  reqagent: RANK.reaction,
  hangup: RANK.reaction,
  onrelease: RANK.reaction,
  agent: RANK.reaction,
  end: RANK.reaction,
  note: RANK.reaction,
};

/** Kinds after which the script has decided what became of the caller. */
const TERMINAL: ReadonlySet<ScriptStepKind> = new Set(['reqagent', 'hangup', 'onrelease', 'agent', 'end']);

/** What the stored steps add up to. */
export interface StoredScript {
  events: DraftEvent[];
  /** The first ONSIGNAL (reference clock), with the contact and parameters its step names; null when it never fired. */
  onSignal: { contactId: string; mono: number; params: SignalParams; signalId: string } | null;
  /** The script's action on the caller; null while the steps name none yet (a live call, or a script still settling). */
  outcome: 'REQAGENT' | 'HANGUP' | 'ONRELEASE' | 'none' | null;
  /** True once a step decided the caller's fate (REQAGENT, HANGUP, ONRELEASE, the agent, or the script's end). */
  finished: boolean;
}

function ok(s: ScriptStepRecord): boolean | null {
  if (s.kind === 'end') return s.label === 'contact ended' ? null : false;
  if (s.kind === 'note') return /^(fault|leg not dropped|finding)/.test(s.label) ? false : null;
  if (s.kind === 'onsignal') return s.label === 'ONSIGNAL again' ? false : true;
  return null;
}

/**
 * The contact and parameters an ONSIGNAL step carries as data (history migration 8). A step stored
 * before it has neither (its text still names them): the contact is then `fallbackContact` (the id
 * the timeline was searched by) and the parameters read as none recorded; the Signal's own record,
 * when history has it, still gives the agent panel its p1..p9 (script-events.ts).
 */
function onSignalOf(s: ScriptStepRecord, fallbackContact: string): { contactId: string; params: SignalParams } {
  return { contactId: s.contactId ?? fallbackContact, params: s.params ?? {} };
}

/** For an ONSIGNAL step: what it handed the script, as the Studio variables p1..p9 (issue 15 item 3). */
function variablesLine(s: ScriptStepRecord): string {
  if (s.kind !== 'onsignal') return '';
  const vars = s.params ? SIGNAL_PARAM_NAMES.filter((n) => s.params?.[n] !== undefined).map((n) => `${n}=${s.params?.[n]}`).join(', ') : '';
  // An ONSIGNAL step since migration 8 always names its contact: without one, the row is older and its parameters were not recorded.
  return `\nthe Studio variables p1..p9 on ONSIGNAL: ${vars || (s.contactId === null ? 'none recorded' : 'none')}`;
}

/** One stored step as a draft event of the script lane. */
function stepEvent(call: CallDetail, s: ScriptStepRecord, shift: number): DraftEvent {
  return {
    id: `script:step:${call.id}:${s.seq}`,
    lane: 'script',
    kind: 'script',
    mono: s.monoMs + shift,
    durMs: 0,
    label: s.label,
    detail: `${s.text}${variablesLine(s)}\n${AS_RUN} (step ${s.seq} of the script that placed Call-ID ${call.callId})`,
    direction: null,
    ok: ok(s),
    source: { callRef: call.id, runId: call.runId },
    rank: RANK_OF[s.kind],
    order: s.seq,
  };
}

/**
 * The script lane from the legs' stored steps.
 * @returns null when no leg of the input carries steps (the lane is then inferred).
 */
export function storedScript(input: TimelineInput, plan: ClockPlan): StoredScript | null {
  const legs = input.calls.filter((c) => c.call.scriptSteps?.length);
  if (!legs.length) return null;
  const events: DraftEvent[] = [];
  let onSignal: StoredScript['onSignal'] = null;
  let outcome: StoredScript['outcome'] = null;
  let finished = false;
  for (const { call } of legs) {
    const shift = plan.callShift.get(call.id) ?? 0;
    for (const s of call.scriptSteps ?? []) {
      const e = stepEvent(call, s, shift);
      events.push(e);
      if (TERMINAL.has(s.kind)) finished = true;
      if (s.kind === 'onsignal' && !onSignal) onSignal = { ...onSignalOf(s, input.contactId), mono: e.mono, signalId: '' };
      // HANGUP or REQAGENT decide; an ONRELEASE step only when neither came (the transfer on the bot's BYE).
      if (s.kind === 'hangup') outcome = 'HANGUP';
      else if (s.kind === 'reqagent' && outcome !== 'HANGUP') outcome = 'REQAGENT';
      else if (s.kind === 'onrelease' && outcome === null && s.label === 'ONRELEASE → agent') outcome = 'ONRELEASE';
      else if (s.kind === 'end' && outcome === null) outcome = 'none';
    }
  }
  return { events, onSignal, outcome, finished };
}
