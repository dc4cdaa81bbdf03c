/**
 * The checks of a placed call (`lab call`): registered, trunk-auth, call-answered, x-headers-sent,
 * prompt-played, audio-received; and how CXone's PLACECALL would have branched
 * (cxone-reference.md §4 [H-PC]: NoAnswer, Busy, InvalidNumber, Error).
 */
import type { CheckResult, MediaReport, SipHeader } from '../../shared/types';
import type { SipCall } from '../sip/call';
import type { DigestOutcome } from '../sip/digest-outcome';
import { isParseError, parseSipMessage } from '../sip/message';
import { sipMarks } from './latency';
import { referCheck } from './refer-check';
import type { RegistrationReport } from './place-call-report';
import type { CallReport } from './run-report';

/** How the prompt went: played to the end, cut short by the end of the call, or failed. */
export interface PromptOutcome {
  file: string;
  result: 'played' | 'cut short' | 'failed';
  detail: string;
}

/** What the checks are made from. */
export interface PlacedCallFacts {
  call: SipCall;
  answered: boolean;
  /** The headers put on the INVITE (profile's after `--header`). */
  headers: readonly SipHeader[];
  /** The profile's contact-id header name. */
  contactIdHeaderName: string;
  auth: DigestOutcome;
  media: MediaReport | null;
  prompt: PromptOutcome | null;
  registration: RegistrationReport | null;
}

/**
 * Checks a placed call.
 * @returns the checks in order, the contact id as put, PLACECALL's outcome, and the first failure in words (null when all pass).
 */
export function placedCallChecks(f: PlacedCallFacts): { checks: CheckResult[]; contactId: CallReport['contactId']; outcome: string; error: string | null } {
  const { call, auth } = f;
  const checks: CheckResult[] = [];
  if (f.registration) {
    const r = f.registration;
    checks.push({ name: 'registered', ok: r.ok, detail: r.ok ? `${r.status} ${r.reason}: ${r.aor} bound for ${r.expiresS} s at ${r.registrar}` : (r.error ?? 'failed') });
  }
  if (auth.challenges.length > 0 || auth.problem) {
    const realms = [...new Set(auth.challenges.map((c) => `${c.status} realm ${c.realm ?? '(none)'}`))].join(', ');
    checks.push({ name: 'trunk-auth', ok: auth.ok, detail: auth.problem ?? `answered the digest challenge (${realms})` });
  }
  const end = call.end;
  const failure = auth.problem ?? `the call failed: ${end ? `${end.reason}${end.by === 'local' ? ' (by the lab)' : ''}` : call.state}`;
  const answerMs = sipMarks(call.messages, 'uac').invite_to_200;
  checks.push({ name: 'call-answered', ok: f.answered, detail: f.answered ? `200 OK${answerMs !== undefined ? ` ${answerMs} ms after the first INVITE` : ''}` : failure });
  const wire = lastInviteHeaders(call);
  const missing = f.headers.filter((h) => !wire.some((w) => w.name === h.name && w.value === h.value));
  checks.push({
    name: 'x-headers-sent',
    ok: wire.length > 0 && missing.length === 0,
    detail:
      wire.length === 0
        ? 'no INVITE was sent'
        : missing.length === 0
          ? `the INVITE carried ${f.headers.map((h) => `${h.name}: ${h.value}`).join(', ') || 'no X- header'}`
          : `missing on the wire: ${missing.map((h) => h.name).join(', ')}`,
  });
  if (f.answered && f.prompt) checks.push({ name: 'prompt-played', ok: f.prompt.result !== 'failed', detail: f.prompt.detail });
  if (f.answered) {
    const got = f.media?.received.packets ?? 0;
    checks.push({ name: 'audio-received', ok: got > 0, detail: got > 0 ? `${got} RTP packets from the far end; ${f.media?.oneWayAudio.detail ?? ''}`.trim() : `no RTP from the far end: ${f.media?.oneWayAudio.detail ?? 'no media'}` });
  }
  const refer = referCheck(call.messages);
  if (refer) checks.push(refer);
  const h = f.headers.find((x) => x.name.toLowerCase() === f.contactIdHeaderName.toLowerCase());
  const problems = !h ? [`the INVITE carried no ${f.contactIdHeaderName} header (removed with --header)`] : h.name !== f.contactIdHeaderName ? [`sent as ${h.name}; the profile's header is ${f.contactIdHeaderName}`] : [];
  const contactId = { ok: !!h && wire.some((w) => w.name === h.name && w.value === h.value), header: h?.name ?? f.contactIdHeaderName, value: h?.value ?? null, problems, nearMisses: [] };
  const outcome = f.answered
    ? `PLACECALL answered; ${end?.by === 'remote' ? 'the far end hung up' : 'the lab hung up'}`
    : `PLACECALL → ${placeCallBranch(call)}: ${failure}`;
  const error = checks.find((c) => !c.ok)?.detail ?? null;
  return { checks, contactId, outcome, error };
}

/** PLACECALL's failure branch for how the INVITE ended (cxone-reference.md §4 [H-PC]). */
export function placeCallBranch(call: SipCall): 'NoAnswer' | 'Busy' | 'InvalidNumber' | 'Error' {
  const final = [...call.messages].reverse().find((m) => m.direction === 'in' && m.method === 'INVITE' && m.status !== undefined && m.status >= 300);
  const s = final?.status;
  if (s === 486 || s === 600) return 'Busy';
  if (s === 404 || s === 484 || s === 604) return 'InvalidNumber';
  if (s === 408 || s === 480 || s === 487 || (s === undefined && call.end?.reason === 'CANCEL')) return 'NoAnswer';
  return 'Error';
}

function lastInviteHeaders(call: SipCall): SipHeader[] {
  const rec = [...call.messages].reverse().find((m) => m.direction === 'out' && m.method === 'INVITE' && m.status === undefined);
  if (!rec) return [];
  const parsed = parseSipMessage(rec.raw);
  return isParseError(parsed) ? [] : parsed.headers;
}
