/**
 * Builds the timeline of one contact id from what history holds (issue 15 item 1): SIP messages
 * of every leg, the CXone script's steps, the API's token and Signal, audio bands and DTMF, the
 * latency marks as spans and the test case's steps, all on one monotonic clock (clock.ts) and in
 * one deterministic order (draft.ts). Pure: no I/O, the same input gives the same output.
 */
import { TIMELINE_LANES, type ContactTimeline, type TimelineSource, type TimelineSpan } from '../../shared/timeline';
import { agentView } from './agent-view';
import { apiEvents } from './api-events';
import { planClock, signalStartMono } from './clock';
import { compareDrafts, placeEvents, RANK, type DraftEvent } from './draft';
import type { StepMark, TimelineInput, TimelineSignalInput } from './input';
import { mediaEvents } from './media-events';
import { scriptEvents } from './script-events';
import { sipEvents } from './sip-events';
import { stepMarksFromChecks } from './steps-from-checks';
import { legSpans, type DraftSpan } from './spans';

/** Every Signal once: those the input names, then the calls' own, by id. */
function allSignals(input: TimelineInput): TimelineSignalInput[] {
  const byId = new Map<string, TimelineSignalInput>();
  for (const s of input.signals) byId.set(s.id, s);
  for (const { call } of input.calls) for (const s of call.signals) if (!byId.has(s.id)) byId.set(s.id, { ...s, runId: call.runId });
  return [...byId.values()];
}

function stepEvents(steps: readonly StepMark[], input: TimelineInput, byId: Map<string, DraftEvent>, plan: ReturnType<typeof planClock>): DraftEvent[] {
  const inviteOf = (callRef: string | undefined): number | null => {
    const legs = input.calls.filter((c) => (callRef ? c.call.id === callRef : true));
    let best: number | null = null;
    for (const { call } of legs) {
      const i = call.messages.findIndex((m) => m.method === 'INVITE' && m.status === undefined);
      const e = i >= 0 ? byId.get(`sip:${call.id}:${i + 1}`) : undefined;
      if (e && (best === null || e.mono < best)) best = e.mono;
    }
    return best;
  };
  void plan;
  return steps.flatMap((s) => {
    const zero = inviteOf(s.callRef) ?? inviteOf(undefined);
    if (zero === null) return [];
    return [{
      id: `step:${s.callRef ?? ''}:${s.index}`, lane: 'steps' as const, kind: 'step' as const, mono: zero + s.atMs, durMs: Math.max(0, s.durMs ?? 0),
      label: s.name, detail: `step ${s.index + 1}: ${s.name} at ${s.atMs} ms after the INVITE${s.ok === null ? '' : s.ok ? ' ✓' : ' ✗'}${s.detail ? `\n${s.detail}` : ''}`,
      direction: null, ok: s.ok, source: s.callRef ? { callRef: s.callRef } : {}, rank: RANK.step, order: s.index,
    }];
  });
}

function sourcesOf(input: TimelineInput, signals: readonly TimelineSignalInput[]): TimelineSource[] {
  const out: TimelineSource[] = input.calls.map(({ call, runKind }) => ({
    kind: 'call' as const, id: call.id, runId: call.runId, runKind, startedWallMs: call.startedWallMs,
    label: `${call.role === 'uac' ? 'CXone side (uac)' : 'bot side (uas)'} leg, Call-ID ${call.callId}, ${call.profile}, ${call.state}${call.contactId ? `, contact ${call.contactId}` : ''}`,
  }));
  for (const s of signals) {
    out.push({ kind: 'signal', id: s.id, runId: s.runId, runKind: input.calls.find((c) => c.call.runId === s.runId)?.runKind ?? null, startedWallMs: s.wallMs, label: `Signal ${s.status ?? 'failed'} to ${s.contactId}: ${s.message}` });
  }
  return out.sort((a, b) => a.startedWallMs - b.startedWallMs || a.id.localeCompare(b.id));
}

/**
 * The timeline of `input.contactId`.
 * @returns an empty timeline (no lanes, no events) when history holds nothing for the id.
 */
export function buildTimeline(input: TimelineInput): ContactTimeline {
  const signals = allSignals(input);
  const full: TimelineInput = { ...input, signals };
  const plan = planClock(full);
  const notes: string[] = [];
  const drafts: DraftEvent[] = [];
  for (const { call } of input.calls) drafts.push(...sipEvents(call, call.runId, plan.callShift.get(call.id) ?? 0));
  [...signals].sort((a, b) => signalStartMono(a, plan) - signalStartMono(b, plan) || a.id.localeCompare(b.id)).forEach((s, i) => drafts.push(...apiEvents(s, plan, i)));
  const script = scriptEvents(full, plan, notes);
  drafts.push(...script.events, ...mediaEvents(full, plan));
  const byId = new Map(drafts.map((d) => [d.id, d]));
  // Steps given by the caller (a live test case), else those history keeps as the test call's checks.
  const steps = input.steps?.length ? input.steps : stepMarksFromChecks(input.calls.map((c) => c.call));
  drafts.push(...stepEvents(steps, full, byId, plan));
  for (const d of drafts) byId.set(d.id, d);

  const dspans: DraftSpan[] = [];
  for (const { call } of input.calls) dspans.push(...legSpans(call, byId, signals.filter((s) => s.callRef === call.id)));
  if (plan.foreign.length) notes.push(`placed by their wall clock (recorded by another process): ${plan.foreign.join('; ')}`);

  drafts.sort(compareDrafts);
  const origin = drafts.length ? Math.min(...drafts.map((d) => d.mono), ...dspans.map((s) => s.from)) : 0;
  const events = placeEvents(drafts, origin);
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  const spans: TimelineSpan[] = dspans
    .map((s) => ({ name: s.name, lane: s.lane, fromMs: r(s.from - origin), toMs: r(s.from - origin + s.ms), ms: s.ms, fromEvent: s.fromEvent, toEvent: s.toEvent }))
    .sort((a, b) => a.fromMs - b.fromMs || TIMELINE_LANES.indexOf(a.lane) - TIMELINE_LANES.indexOf(b.lane) || a.name.localeCompare(b.name));
  const end = Math.max(0, ...events.map((e) => e.atMs + e.durMs), ...spans.map((s) => s.toMs));
  const used = new Set(events.map((e) => e.lane));
  return {
    contactId: input.contactId,
    originWallMs: r(origin + plan.refAnchor),
    durationMs: r(end),
    lanes: TIMELINE_LANES.filter((l) => used.has(l)),
    events,
    spans,
    agent: drafts.length ? agentView(script.summary, origin) : null,
    sources: sourcesOf(input, signals),
    notes: [...new Set(notes)],
  };
}
