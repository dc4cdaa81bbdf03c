/**
 * SIP messages of a call leg as timeline events, at their socket stamps (design.md §4). The CXone
 * side of the bot's leg (this app as the uac) goes on the caller lane, the bot's side (uas) on the
 * bot lane.
 */
import type { TimelineLaneId } from '../../shared/timeline';
import type { CallDetail, CallRole, SipMessageRecord } from '../../shared/types';
import { RANK, type DraftEvent } from './draft';

/** Lane of a leg: the uac leg is the CXone (caller) side, the uas leg the bot's (assumed for imported captures too). */
export function laneOfRole(role: CallRole): TimelineLaneId {
  return role === 'uac' ? 'caller' : 'bot';
}

/** Short label: the method of a request, `<status> <method>` of a response other than INVITE's, the status of INVITE's. */
export function sipLabel(m: Pick<SipMessageRecord, 'method' | 'status' | 'firstLine'>): string {
  if (m.status === undefined) return m.method;
  const reason = m.firstLine.replace(/^SIP\/2\.0\s+\d{3}\s*/, '');
  return m.method === 'INVITE' ? `${m.status} ${reason}`.trim() : `${m.status} (${m.method})`;
}

/** The detail shown on hover/focus: direction, addresses, stamps, then the raw message. */
export function sipDetail(m: SipMessageRecord, role: CallRole): string {
  const arrow = m.direction === 'out' ? `${m.local} → ${m.remote}` : `${m.remote} → ${m.local}`;
  const who = role === 'uac' ? 'CXone side (uac)' : 'bot side (uas)';
  return `${m.direction === 'out' ? 'sent' : 'received'} by the ${who}, ${m.transport.toUpperCase()} ${arrow}\n` +
    `stamp ${m.monoMs.toFixed(3)} ms (monotonic), ${new Date(m.wallMs).toISOString()}\n\n${m.raw.replace(/\r\n/g, '\n').trimEnd()}`;
}

/**
 * One event per SIP message of the leg.
 * @param shift - ms that bring the leg's monotonic stamps onto the reference clock (clock.ts).
 */
export function sipEvents(call: CallDetail, runId: string | null, shift: number): DraftEvent[] {
  const lane = laneOfRole(call.role);
  return call.messages.map((m, i) => ({
    id: `sip:${call.id}:${i + 1}`,
    lane,
    kind: 'sip' as const,
    mono: m.monoMs + shift,
    durMs: 0,
    label: sipLabel(m),
    detail: sipDetail(m, call.role),
    direction: m.direction,
    ok: m.status !== undefined && m.status >= 400 ? false : null,
    source: { callRef: call.id, seq: i + 1, runId },
    rank: RANK.sip,
    order: i + 1,
  }));
}
