/**
 * The CXone script lane, as the emulator ran it or as the observed traffic shows it (design.md §1,
 * cxone-reference.md §4 "REQAGENT, HANGUP and ONRELEASE in bot flows [IBM]"):
 * SIPPUTHEADER and PLACECALL at the INVITE, ONSIGNAL when a Signal was accepted, then REQAGENT
 * (transfer) or HANGUP (`p1=hangup`) at the BYE that drops the bot leg; ONRELEASE when the bot's
 * BYE comes before any ONSIGNAL.
 *
 * Two sources: a leg placed by the emulated CXone script carries the script's own steps (history
 * migration 7, `CallDetail.scriptSteps`), drawn at their own stamps "as the emulator ran it"
 * (stored-steps.ts); for the other calls (real CXone, imported captures, older history) the steps
 * are inferred from the SIP messages and Signals (assumed here: the emulator fires ONSIGNAL when it
 * answers a Signal 2xx without saying the script has none, cxone/signal-outcome.ts).
 */
import type { CallDetail, SignalParams, SipHeader } from '../../shared/types';
import { formatSignalParams } from '../../shared/signal-params';
import { signalDoneMono, signalStartMono, type ClockPlan } from './clock';
import { RANK, type DraftEvent } from './draft';
import type { TimelineInput, TimelineSignalInput } from './input';
import { INFERRED, storedScript } from './stored-steps';

/** What the script lane concluded, for the agent's side panel. */
export interface ScriptSummary {
  onSignal: { contactId: string; mono: number; params: SignalParams; signalId: string } | null;
  outcome: 'REQAGENT' | 'HANGUP' | 'ONRELEASE' | 'none';
  /** The profile id of the calls (the first leg's). */
  profile: string | null;
  /** Stamps (reference clock) of the first BYE from each side, by Call-ID-independent first. */
  byeFromCxoneMono: number | null;
  byeFromBotMono: number | null;
}

/** The X- headers of a leg's INVITE: the stored ones, else parsed from its first INVITE's text. */
export function inviteXHeaders(call: CallDetail): SipHeader[] {
  let headers = call.invite?.headers;
  if (!headers?.length) {
    const raw = call.messages.find((m) => m.method === 'INVITE' && m.status === undefined)?.raw ?? '';
    const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
    headers = head.split(/\r?\n/).slice(1).map((l) => /^([^:\s]+)\s*:\s*(.*)$/.exec(l)).filter((x): x is RegExpExecArray => x !== null).map((x) => ({ name: x[1] ?? '', value: x[2] ?? '' }));
  }
  return headers.filter((h) => /^x-/i.test(h.name));
}

/** The X- header that carried the contact id in an INVITE (the one whose value is the id, else the first X- header). */
export function contactHeader(call: CallDetail, contactId: string): SipHeader | null {
  const xs = inviteXHeaders(call);
  return xs.find((h) => h.value.trim() === contactId) ?? xs.find((h) => h.value.includes(contactId)) ?? xs[0] ?? null;
}

interface Bye { mono: number; by: 'cxone' | 'bot'; callRef: string; seq: number }

/** BYE requests of every leg, with who sent them: the uac leg is CXone's side, the uas leg the bot's. */
function byes(input: TimelineInput, plan: ClockPlan): Bye[] {
  const out: Bye[] = [];
  for (const { call } of input.calls) {
    const shift = plan.callShift.get(call.id) ?? 0;
    call.messages.forEach((m, i) => {
      if (m.method !== 'BYE' || m.status !== undefined) return;
      const fromCxone = call.role === 'uac' ? m.direction === 'out' : m.direction === 'in';
      out.push({ mono: m.monoMs + shift, by: fromCxone ? 'cxone' : 'bot', callRef: call.id, seq: i + 1 });
    });
  }
  return out.sort((a, b) => a.mono - b.mono);
}

function ev(id: string, mono: number, label: string, detail: string, rank: number, ok: boolean | null, source: DraftEvent['source'], order = 0): DraftEvent {
  return { id, lane: 'script', kind: 'script', mono, durMs: 0, label, detail: `${detail}\n${INFERRED}`, direction: null, ok, source, rank, order };
}

/**
 * The script lane's events and what they add up to: the emulator's stored steps where a leg has
 * them (and, for the agent panel, the outcome they name), the inferred steps otherwise.
 * @param notes - findings are appended here (late Signal, Signal to another contact, leg not dropped).
 */
export function scriptEvents(input: TimelineInput, plan: ClockPlan, notes: string[]): { events: DraftEvent[]; summary: ScriptSummary } {
  const inferred = inferredScriptEvents(input, plan, notes);
  const stored = storedScript(input, plan);
  if (!stored) return inferred;
  // Legs placed by the emulator draw its steps; a CXone-side leg without steps (and not the twin of
  // one with steps) keeps its inferred SIPPUTHEADER / PLACECALL.
  const stepped = new Set(input.calls.filter((c) => c.call.scriptSteps?.length).map((c) => c.call.callId));
  const keep = inferred.events.filter((e) => /^script:(putheader|placecall):/.test(e.id) && !input.calls.some((c) => stepped.has(c.call.callId) && e.id.endsWith(`:${c.call.id}`)));
  // A script still running (or settling) when history was read: what it has not done yet is inferred.
  if (!stored.finished) {
    keep.push(...inferred.events.filter((e) => /^script:(outcome|onrelease|ended):/.test(e.id) || (!stored.onSignal && e.id.startsWith('script:onsignal:'))));
  }
  const on = inferred.summary.onSignal;
  // ONSIGNAL as the emulator fired it (the Signal's parameters from history when it has the Signal);
  // a finished script without ONSIGNAL never fired it, whatever Signal the API accepted.
  const onSignal = stored.onSignal ? (on ? { ...on, mono: stored.onSignal.mono } : stored.onSignal) : stored.finished ? null : on;
  return {
    events: [...keep, ...stored.events],
    summary: { ...inferred.summary, onSignal, outcome: stored.outcome ?? inferred.summary.outcome },
  };
}

/** The script lane inferred from the SIP messages and Signals (calls without the emulator's steps). */
function inferredScriptEvents(input: TimelineInput, plan: ClockPlan, notes: string[]): { events: DraftEvent[]; summary: ScriptSummary } {
  const events: DraftEvent[] = [];
  const uacCallIds = new Set(input.calls.filter((c) => c.call.role === 'uac').map((c) => c.call.callId));
  for (const { call } of input.calls) {
    const shift = plan.callShift.get(call.id) ?? 0;
    const isCxone = call.role === 'uac';
    if (!isCxone && uacCallIds.has(call.callId)) continue; // the CXone side of this leg is on the timeline
    const idx = call.messages.findIndex((m) => m.method === 'INVITE' && m.status === undefined && m.direction === (isCxone ? 'out' : 'in'));
    const invite = call.messages[idx];
    if (!invite) continue;
    const source = { callRef: call.id, seq: idx + 1, runId: call.runId };
    const h = contactHeader(call, input.contactId);
    const seen = isCxone ? '' : ' (as the bot received it)';
    events.push(ev(`script:putheader:${call.id}`, invite.monoMs + shift, h ? `SIPPUTHEADER ${h.name}` : 'SIPPUTHEADER (none)',
      h ? `SIPPUTHEADER ${h.name} = ${h.value}${seen}: only X- headers, only before PLACECALL` : `the INVITE${seen} carries no X- header: the bot cannot read the contact id`,
      RANK.putHeader, h ? h.value.trim() === input.contactId || call.contactIdOk !== false : false, source));
    events.push(ev(`script:placecall:${call.id}`, invite.monoMs + shift, 'PLACECALL', `PLACECALL ${call.requestUri}${seen}\nCall-ID ${call.callId}`, RANK.placeCall, null, source));
  }

  const allByes = byes(input, plan);
  const firstCxoneBye = allByes.find((b) => b.by === 'cxone') ?? null;
  const firstBotBye = allByes.find((b) => b.by === 'bot') ?? null;
  // The ids this contact goes by: the one searched, the calls' own, and every id-like X- header value of
  // their INVITEs (a MasterId next to the child's id: signalling either is not a wrong contact here).
  const contacts = new Set([
    input.contactId,
    ...input.calls.map((c) => c.call.contactId).filter((x): x is string => !!x),
    ...input.calls.flatMap((c) => inviteXHeaders(c.call).map((h) => h.value.trim()).filter((v) => /^\d{4,}$/.test(v))),
  ]);
  const signals = [...input.signals].sort((a, b) => signalStartMono(a, plan) - signalStartMono(b, plan) || a.id.localeCompare(b.id));

  let onSignal: ScriptSummary['onSignal'] = null;
  signals.forEach((s: TimelineSignalInput, i) => {
    const start = signalStartMono(s, plan);
    const done = signalDoneMono(s, plan) ?? start;
    const source = { signalId: s.id, runId: s.runId, ...(s.callRef ? { callRef: s.callRef } : {}) };
    if (!contacts.has(s.contactId)) notes.push(`Signal ${s.status ?? 'not answered'} named contact ${s.contactId}, not ${[...contacts].join(' / ')}: ${s.message}`);
    if (firstCxoneBye && start > firstCxoneBye.mono) {
      notes.push(`Signal to ${s.contactId} sent ${Math.round(start - firstCxoneBye.mono)} ms after CXone ended the call (BYE): the contact had ended; ${s.message}`);
    }
    if (!s.ok) return;
    if (!onSignal) {
      // CXone runs ONSIGNAL while it answers the request: when its BYE on the bot leg comes before the
      // response is complete (a slow client read), ONSIGNAL was at the latest at that BYE.
      const httpStart = s.ms !== null && signalDoneMono(s, plan) !== null ? done - s.ms : start;
      const early = allByes.find((b) => b.by === 'cxone' && b.mono >= httpStart && b.mono < done);
      const at = early ? early.mono : done;
      onSignal = { contactId: s.contactId, mono: at, params: s.params, signalId: s.id };
      events.push(ev(`script:onsignal:${s.id}`, at, `ONSIGNAL ${formatSignalParams(s.params)}`,
        `ONSIGNAL fired in contact ${s.contactId}'s script with ${formatSignalParams(s.params)} (the Studio variables p1..p9)` +
          (early ? `; placed at CXone's BYE, ${Math.round(done - at)} ms before the bot had read the whole response` : ''), RANK.onSignal, true, source, i));
    } else {
      events.push(ev(`script:onsignal:${s.id}`, done, 'ONSIGNAL again', `a second accepted Signal (${formatSignalParams(s.params)}): ONSIGNAL fires again; the script must not transfer twice`, RANK.reaction, false, source, i));
    }
  });

  let outcome: ScriptSummary['outcome'] = 'none';
  const fired = onSignal as ScriptSummary['onSignal'];
  if (fired) {
    const hangup = (fired.params.p1 ?? '').trim().toLowerCase() === 'hangup';
    outcome = hangup ? 'HANGUP' : 'REQAGENT';
    const drop = allByes.find((b) => b.mono >= fired.mono - 5) ?? null; // loopback: the BYE may beat the response's last byte
    const at = drop ? Math.max(drop.mono, fired.mono) : fired.mono;
    const by = drop ? (drop.by === 'cxone' ? 'CXone dropped the bot leg (BYE)' : 'the bot ended its leg (BYE)') : 'the bot leg was not dropped';
    events.push(ev(`script:outcome:${fired.signalId}`, at, hangup ? 'HANGUP' : 'REQAGENT',
      hangup ? `p1=hangup: the script runs HANGUP; ${by}` : `ONSIGNAL → REQAGENT: transfer to a live agent; ${by}`,
      RANK.reaction, drop !== null, drop ? { callRef: drop.callRef, seq: drop.seq } : { signalId: fired.signalId }, 1));
    if (!drop) notes.push('a Signal was accepted but the bot leg was never dropped (no BYE after ONSIGNAL)');
  } else if (firstBotBye && (!firstCxoneBye || firstBotBye.mono <= firstCxoneBye.mono)) {
    outcome = 'ONRELEASE';
    events.push(ev(`script:onrelease:${firstBotBye.callRef}`, firstBotBye.mono, 'ONRELEASE → agent',
      'the bot sent BYE before any ONSIGNAL: ONRELEASE catches it and transfers to an agent (once, by the transferred flag) [IBM]',
      RANK.reaction, null, { callRef: firstBotBye.callRef, seq: firstBotBye.seq }));
  }
  // CXone ended the bot leg before any ONSIGNAL (the caller hung up, or the script ended). A Signal
  // after that may still be accepted (the emulator keeps a contact ~300 ms for late Signals): the
  // contact's end is drawn all the same, before that late ONSIGNAL.
  const endedFirst = firstCxoneBye && (fired ? firstCxoneBye.mono < fired.mono - 5 : !(firstBotBye && firstBotBye.mono <= firstCxoneBye.mono));
  if (firstCxoneBye && endedFirst) {
    events.push(ev(`script:ended:${firstCxoneBye.callRef}`, firstCxoneBye.mono, 'contact ended', 'CXone ended the bot leg (BYE) without ONSIGNAL: the caller hung up or the script ended', RANK.reaction, null,
      { callRef: firstCxoneBye.callRef, seq: firstCxoneBye.seq }));
  }
  return {
    events,
    summary: {
      onSignal: fired,
      outcome,
      profile: input.calls[0]?.call.profile ?? null,
      byeFromCxoneMono: firstCxoneBye?.mono ?? null,
      byeFromBotMono: firstBotBye?.mono ?? null,
    },
  };
}
