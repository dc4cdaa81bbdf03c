/**
 * Events while a timeline is built: stamped on the reference monotonic clock (`mono`, ms), with
 * the tie-breakers that make the order deterministic, and the one ordering of the timeline.
 */
import { TIMELINE_LANES, type TimelineEvent } from '../../shared/timeline';

/** An event before the origin is known: `mono` on the reference clock instead of `atMs`. */
export interface DraftEvent extends Omit<TimelineEvent, 'atMs'> {
  mono: number;
  /**
   * Tie-breaker at the same stamp, in causal order (assumed here): script steps that lead to a
   * message (SIPPUTHEADER 0, PLACECALL and ONSIGNAL 1) come before it (SIP 2), the API (3), and
   * script reactions (REQAGENT, HANGUP, ONRELEASE 4) and media (5) after.
   */
  rank: number;
  /** Order within its source (a message's `seq`, a digit's index). */
  order: number;
}

/** Tie ranks, see {@link DraftEvent.rank}. */
export const RANK = { putHeader: 0, placeCall: 1, onSignal: 1, sip: 2, api: 3, reaction: 4, media: 5, step: 6 } as const;

/**
 * The timeline's order: start time, then rank, then lane (caller, script, api, bot, steps), then
 * source order, then id. Total and independent of the input order, so the same history always
 * gives the same timeline (issue 15: "ordered deterministically").
 */
export function compareDrafts(a: DraftEvent, b: DraftEvent): number {
  return (
    a.mono - b.mono ||
    a.rank - b.rank ||
    TIMELINE_LANES.indexOf(a.lane) - TIMELINE_LANES.indexOf(b.lane) ||
    a.order - b.order ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Sorts drafts in timeline order and places them from `originMono`.
 * @returns the events with `atMs = mono − originMono`, rounded to µs (0.001 ms) so JSON stays short.
 */
export function placeEvents(drafts: readonly DraftEvent[], originMono: number): TimelineEvent[] {
  return [...drafts].sort(compareDrafts).map(({ mono, rank: _r, order: _o, ...e }) => ({
    ...e,
    atMs: Math.round((mono - originMono) * 1000) / 1000,
    durMs: Math.round(e.durMs * 1000) / 1000,
  }));
}
