/**
 * What the emulated CXone parent/child scripts saw and did on one call ({@link ScriptOutcome}):
 * plain data, shown by the run reports and kept with the run.
 *
 * @remarks design.md §1 (parent/child scripts, ONSIGNAL, REQAGENT, HANGUP, ONRELEASE);
 * cxone-reference.md §2 (ONSIGNAL fires in the signalled contact's script), §4 (REQAGENT, HANGUP
 * and ONRELEASE in bot flows [IBM]), §6 (double transfer).
 */
import type { ScriptTopology, VendorProfile } from '../../shared/profile';
import type { ScriptStepKind, SignalParams, SipHeader } from '../../shared/types';

export type { ScriptStepKind } from '../../shared/types';

/**
 * What the script did in the end: `REQAGENT` (ONSIGNAL, transfer to an agent), `HANGUP` (ONSIGNAL
 * with p1=hangup), `ONRELEASE-transfer` (the bot's BYE before any ONSIGNAL), or `none` (no
 * ONSIGNAL and no BYE from the bot: PLACECALL failed, timed out, or the Signal was swallowed).
 */
export type ScriptAction = 'REQAGENT' | 'HANGUP' | 'ONRELEASE-transfer' | 'none';

/** One Signal that named this call's main (MasterId) or placing contact id, in arrival order. */
export interface ScriptSignal {
  contactId: string;
  /** Which contact it named: the main script's (MasterId, `master`) or the placing script's (`child`). */
  leg: 'master' | 'child';
  params: SignalParams;
  /** What the API answered. */
  status: number;
  /** The API's outcome text ("ONSIGNAL fired in the master contact's script", "token refused: …"). */
  apiOutcome: string;
  /** When the request was fully received (monotonic ms / Unix ms). */
  monoMs: number;
  wallMs: number;
}

/** How the bot leg was dropped after the first ONSIGNAL (design.md §1: "a signal that returns 2xx but never drops the leg"). */
export interface LegDrop {
  /** Who the profile says ends the bot leg after the Signal. */
  expectedBy: 'cxone' | 'bot';
  /** Who sent the BYE within the wait; null when the leg was still up when the wait ran out. */
  by: 'cxone' | 'bot' | null;
  /** ONSIGNAL → BYE on the bot leg (ms); null when no BYE came within the wait. */
  ms: number | null;
  /** How long the leg was given (ms). */
  waitMs: number;
  /** True when the leg ended within `waitMs`, by the side the profile expects. */
  ok: boolean;
  detail: string;
}

/** The kinds of script steps (a closed set; see {@link ScriptStepKind}). */
export const SCRIPT_STEP_KINDS: readonly ScriptStepKind[] = ['sipputheader', 'placecall', 'onsignal', 'signal', 'reqagent', 'hangup', 'onrelease', 'agent', 'end', 'note'];

/**
 * One step of the script, for the report's timeline and history (migration 7: `script_steps`).
 * The kind and label are set where the step is taken (child-script.ts), not parsed from the text.
 */
export interface ScriptStep {
  /** Monotonic ms. */
  monoMs: number;
  /** Unix ms of the same instant (clock.ts `stampNow`). */
  wallMs: number;
  kind: ScriptStepKind;
  /** Short label: `SIPPUTHEADER X-ContactID`, `PLACECALL`, `ONSIGNAL p1=…`, `REQAGENT`… */
  label: string;
  /** The step in words (the source, when cited, is in `[…]` at the end and in {@link ScriptStep.source}). */
  step: string;
  /** The cited source, formatted (profiles/sources.ts `formatSource`); null when the step cites none. */
  source: string | null;
  /** The Signal parameters p1..p9 the step carried (ONSIGNAL's Studio variables, a Signal's request); absent: none. */
  params?: SignalParams;
  /** The contact the step concerns (the script ONSIGNAL fired in, the contact a Signal named); absent: none. */
  contactId?: string;
}

/** What the emulated CXone saw and did on one call. */
export interface ScriptOutcome {
  /** The script topology played (issue 14); absent in outcomes stored before it. */
  topology?: ScriptTopology;
  /** The main (parent, Main script) contact's id: the MasterId. */
  masterId: string;
  /** The placing (child, Spawn script) contact's id; equals `masterId` under a `single` topology. */
  childId: string;
  /** The contact id header CXone put with SIPPUTHEADER, and its value. */
  header: SipHeader;
  /** The contact whose script waits in ONSIGNAL (the topology's `onSignalIn`). */
  onSignalContactId: string;
  /** Contact id the first Signal named, or null if none came. */
  signalledContactId: string | null;
  /** Parameters the first ONSIGNAL received, or null if it never fired. */
  onSignal: SignalParams | null;
  /** Monotonic stamp (ms) at which the first ONSIGNAL fired. */
  onSignalMonoMs: number | null;
  /** How many times ONSIGNAL fired (more than 1: duplicate Signals). */
  onSignalCount: number;
  /** Every Signal that named the parent or the child contact, whatever the API answered. */
  signals: ScriptSignal[];
  action: ScriptAction;
  /** Transfers to an agent (REQAGENT or ONRELEASE → transfer): at most 1 by the script's `transferred` flag. */
  transfers: number;
  /** `REQAGENT`, `HANGUP`, `ONRELEASE → transfer to agent`, or what went wrong. */
  outcome: string;
  /** Who sent the BYE on the bot leg. */
  byeBy: 'cxone' | 'bot' | null;
  /** The leg drop after the first ONSIGNAL; null when ONSIGNAL never fired. */
  legDrop: LegDrop | null;
  /** Monotonic ms at which the emulated agent answered REQAGENT; null without REQAGENT. */
  agentAnsweredMonoMs: number | null;
  /** Faults of the emulator that acted on this script (e.g. `no-leg-drop`). */
  faults: string[];
  /** Findings for the report (Signals to the wrong leg, duplicates, late Signals…). */
  notes: string[];
  timeline: ScriptStep[];
}

/**
 * The verdict on the leg drop after ONSIGNAL.
 * @param f.by - who sent the BYE within the wait (null: the leg was still up when it ran out).
 * @param f.byeMonoMs - monotonic ms of that BYE (null: none, e.g. a CANCEL).
 * @param f.onSignalMonoMs - monotonic ms at which ONSIGNAL fired.
 * @param f.waitMs - how long the leg was given (ms).
 * @returns ok when the leg ended within the wait by the side the profile's `hangsUp` names.
 */
export function legDropVerdict(f: {
  profile: Pick<VendorProfile, 'hangsUp' | 'name'>;
  by: 'cxone' | 'bot' | null;
  byeMonoMs: number | null;
  onSignalMonoMs: number;
  waitMs: number;
}): LegDrop {
  const expectedBy = f.profile.hangsUp;
  const ms = f.by && f.byeMonoMs !== null ? Math.max(0, Math.round((f.byeMonoMs - f.onSignalMonoMs) * 10) / 10) : null;
  const who = expectedBy === 'cxone' ? 'CXone' : 'the bot';
  const detail = f.by
    ? `BYE from ${f.by === 'cxone' ? 'CXone' : 'the bot'} ${ms ?? '-'} ms after ONSIGNAL; ${who} is expected to end the leg under ${f.profile.name}`
    : `signal accepted but the leg was not dropped within ${f.waitMs / 1000} s`;
  return { expectedBy, by: f.by, ms, waitMs: f.waitMs, ok: f.by === expectedBy, detail };
}
