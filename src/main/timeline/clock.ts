/**
 * One clock for every event of a timeline (design.md §4): stamps of one process are readings of
 * its monotonic clock and are used as they are; a source recorded by another process (an imported
 * capture, a run in another process) is placed through its wall-clock anchor.
 *
 * Anchor of a source = `wallMs − monoMs` of its stamps. Within one process it is the same for every
 * stamp (`clock.ts`: `wallMs = performance.timeOrigin + monoMs`), up to float rounding; this module
 * treats two anchors within {@link SAME_PROCESS_TOLERANCE_MS} as one process (assumed here).
 */
import type { TimelineInput } from './input';

/** Two anchors closer than this (ms) are taken as the same process's clock. */
export const SAME_PROCESS_TOLERANCE_MS = 0.5;

/** Median of a non-empty list. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** The anchor (Unix ms of monotonic 0) of each source: call refs and signal ids. */
export interface ClockPlan {
  /** Anchor every stamp is expressed in: `refMono = mono + shift`, shift = anchor − refAnchor. */
  refAnchor: number;
  /** Shift (ms) of each call's stamps onto the reference clock. */
  callShift: Map<string, number>;
  /** Shift (ms) of each Signal's `doneMonoMs` onto the reference clock. */
  signalShift: Map<string, number>;
  /** Sources on another process's clock, for the notes. */
  foreign: string[];
}

/**
 * Plans the clock of a timeline: the first call's (by start) anchor is the reference; a call's
 * anchor is the median of `wallMs − monoMs` over its SIP messages (a call without messages is taken
 * to be on the reference clock); a Signal takes its call's anchor, else a call of its run, else the
 * one its own stamps give (`wallMs` is the start of the Signal, token included: cxone/client.ts).
 */
export function planClock(input: TimelineInput): ClockPlan {
  const anchors = new Map<string, number | null>();
  const byRun = new Map<string, number>();
  const calls = [...input.calls].sort((a, b) => a.call.startedWallMs - b.call.startedWallMs || a.call.id.localeCompare(b.call.id));
  for (const { call } of calls) {
    const a = call.messages.length ? median(call.messages.map((m) => m.wallMs - m.monoMs)) : null;
    anchors.set(call.id, a);
    if (a !== null && call.runId && !byRun.has(call.runId)) byRun.set(call.runId, a);
  }
  const firstAnchor = [...anchors.values()].find((a): a is number => a !== null);
  const signalAnchors = new Map<string, number>();
  for (const s of input.signals) {
    const fromCall = s.callRef ? anchors.get(s.callRef) : undefined;
    const fromRun = s.runId ? byRun.get(s.runId) : undefined;
    const own = s.doneMonoMs !== null && s.ms !== null ? s.wallMs - (s.doneMonoMs - s.ms - (s.tokenMs ?? 0)) : undefined;
    const a = (fromCall ?? undefined) ?? fromRun ?? own ?? firstAnchor;
    if (a !== undefined) signalAnchors.set(s.id, a);
  }
  const refAnchor = firstAnchor ?? [...signalAnchors.values()][0] ?? 0;
  const foreign: string[] = [];
  const shiftOf = (a: number | null | undefined, label: string): number => {
    if (a === null || a === undefined) return 0;
    const d = a - refAnchor;
    if (Math.abs(d) < SAME_PROCESS_TOLERANCE_MS) return 0;
    foreign.push(label);
    return d;
  };
  const callShift = new Map<string, number>();
  for (const { call } of calls) callShift.set(call.id, shiftOf(anchors.get(call.id), `${call.role} leg ${call.callId}`));
  const signalShift = new Map<string, number>();
  for (const s of input.signals) signalShift.set(s.id, shiftOf(signalAnchors.get(s.id), `Signal to ${s.contactId}`));
  return { refAnchor, callShift, signalShift, foreign };
}

/**
 * Start of a Signal on the reference clock (ms): its `wallMs` is the wall reading of its start
 * (token included: cxone/client.ts), taken from the same anchor as its process's monotonic stamps,
 * so `wallMs − refAnchor` places it exactly for a Signal of the reference process and by the wall
 * clock for another.
 */
export function signalStartMono(s: { wallMs: number }, plan: ClockPlan): number {
  return s.wallMs - plan.refAnchor;
}

/** Response-complete stamp of a Signal on the reference clock (ms); null without a response. */
export function signalDoneMono(s: { id: string; doneMonoMs: number | null }, plan: ClockPlan): number | null {
  return s.doneMonoMs === null ? null : s.doneMonoMs + (plan.signalShift.get(s.id) ?? 0);
}
