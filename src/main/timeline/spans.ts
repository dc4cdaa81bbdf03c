/**
 * The named latency marks (design.md §4) drawn as measured spans between the events they were
 * measured from. The figure is the one history stored for the leg (`calls.latency_json`); the
 * span's ends are the events' stamps, so the picture and the number agree.
 */
import type { TimelineLaneId } from '../../shared/timeline';
import type { CallDetail, LatencyMarkName } from '../../shared/types';
import type { DraftEvent } from './draft';
import { laneOfRole } from './sip-events';
import type { TimelineSignalInput } from './input';

/** A span on the reference clock, before the origin is known. */
export interface DraftSpan { name: LatencyMarkName; lane: TimelineLaneId; from: number; ms: number; fromEvent: string | null; toEvent: string | null }

/**
 * Spans of one leg's stored marks.
 * @param byId - the timeline's draft events by id (SIP events are `sip:<callRef>:<seq>`).
 * @param signals - the Signals sent for this leg (the marks come from the first accepted one, else the last: scenarios/latency.ts).
 */
export function legSpans(call: CallDetail, byId: ReadonlyMap<string, DraftEvent>, signals: readonly TimelineSignalInput[]): DraftSpan[] {
  const lane = laneOfRole(call.role);
  const out: DraftSpan[] = [];
  const inviteDir = call.role === 'uac' ? 'out' : 'in';
  const respDir = call.role === 'uac' ? 'in' : 'out';
  const msgs = call.messages;
  const iv = msgs.findIndex((m) => m.direction === inviteDir && m.method === 'INVITE' && m.status === undefined);
  const idOf = (i: number): string => `sip:${call.id}:${i + 1}`;
  const resp = (pred: (s: number) => boolean): number => msgs.findIndex((m, i) => i > iv && m.direction === respDir && m.method === 'INVITE' && m.status !== undefined && pred(m.status));
  const inv = iv >= 0 ? byId.get(idOf(iv)) : undefined;
  const L = call.latency;
  const add = (name: LatencyMarkName, l: TimelineLaneId, from: DraftEvent | undefined, to: DraftEvent | undefined | null): void => {
    const ms = L[name];
    if (ms === undefined || !from) return;
    out.push({ name, lane: l, from: from.mono + from.durMs * 0, ms, fromEvent: from.id, toEvent: to?.id ?? null });
  };
  if (inv) {
    add('invite_to_100', lane, inv, byId.get(idOf(resp((s) => s === 100))));
    add('invite_to_180', lane, inv, byId.get(idOf(resp((s) => s === 180 || s === 183))));
    const ans = resp((s) => s >= 200 && s < 300);
    add('invite_to_200', lane, inv, byId.get(idOf(ans)));
    const answer = ans >= 0 ? byId.get(idOf(ans)) : undefined;
    add('answer_to_first_rtp', lane, answer, null);
    add('answer_to_first_voice', lane, answer, null);
  }
  const sig = signals.find((s) => s.ok) ?? signals[signals.length - 1];
  if (sig) {
    const token = byId.get(`token:${sig.id}`);
    const http = byId.get(`signal:${sig.id}`);
    add('token_ms', 'api', token, null);
    add('signal_http_ms', 'api', http, http);
    if (http && L.signal_to_bye_ms !== undefined) {
      const done = http.mono + http.durMs;
      out.push({ name: 'signal_to_bye_ms', lane: 'script', from: done, ms: L.signal_to_bye_ms, fromEvent: http.id, toEvent: null });
    }
  }
  return out;
}
