/**
 * Rebuilds calls from the SIP messages found in a capture: one call per Call-ID that has an
 * INVITE, seen from the side that received the INVITE (the bot's side: role `uas`, so the
 * contact-id verdict, the ladder and the latency marks read as for a call the app answered).
 *
 * Direction of each message: `in` when it comes from the INVITE's sender, `out` when it comes from
 * the INVITE's receiver (matched by `host:port`, else by who it is sent to, else by IP).
 * Monotonic stamps are the capture stamps (the only clock a capture has).
 */
import { randomUUID } from 'node:crypto';
import type { VendorProfile } from '../../shared/profile';
import type { CallEnd, CallState, CheckResult, ContactIdVerdict, SipMessageRecord, SipTransportKind } from '../../shared/types';
import type { CallToSave } from '../history/store';
import { splitHostPort } from '../pcap/endpoint-address';
import { verifyContactId } from '../profiles';
import { sipMarks } from '../scenarios/latency';
import { headerTag, headerValue, isParseError, parseSipMessage, topVia, type ParsedSipMessage } from '../sip/message';
import { redactCredentials, wireRecord } from '../sip/wire-record';
import type { CapturedSipMessage } from './sip-extractor';

/** One call rebuilt from a capture, ready for history. */
export interface RebuiltCall {
  call: CallToSave;
  messages: SipMessageRecord[];
  checks: CheckResult[];
  verdict: ContactIdVerdict;
}

/** What {@link rebuildCalls} made of the messages. */
export interface RebuildResult {
  calls: RebuiltCall[];
  /** Messages of Call-IDs without an INVITE (REGISTER, OPTIONS…), by method: not calls. */
  otherDialogs: Record<string, number>;
  /** Messages that are not readable SIP (no Call-ID or no blank line after the headers). */
  unreadable: number;
}

interface Parsed {
  m: CapturedSipMessage;
  p: ParsedSipMessage;
  callId: string;
}

const host = (hp: string): string => splitHostPort(hp)?.host ?? hp;

/**
 * Groups the messages by Call-ID and rebuilds each call with an INVITE, verifying its contact id
 * under `profile` ({@link verifyContactId}, the bot's own check).
 * @param runId - the import run the calls belong to.
 * @returns the calls in order of their first message. Never throws on bad input.
 */
export function rebuildCalls(found: readonly CapturedSipMessage[], profile: VendorProfile, runId: string): RebuildResult {
  const byCallId = new Map<string, Parsed[]>();
  let unreadable = 0;
  for (const m of found) {
    const p = parseSipMessage(m.raw);
    const callId = isParseError(p) ? undefined : headerValue(p.headers, 'call-id');
    if (isParseError(p) || !callId) {
      unreadable++;
      continue;
    }
    const list = byCallId.get(callId) ?? [];
    list.push({ m, p, callId });
    byCallId.set(callId, list);
  }
  const calls: RebuiltCall[] = [];
  const otherDialogs: Record<string, number> = {};
  for (const list of byCallId.values()) {
    const invite = list.find((x) => x.p.kind === 'request' && x.p.method === 'INVITE' && !headerTag(headerValue(x.p.headers, 'to')));
    if (!invite) {
      for (const x of list) {
        const method = x.p.kind === 'request' ? (x.p.method ?? '?') : (x.p.headers.find((h) => /^cseq$/i.test(h.name))?.value.split(/\s+/)[1] ?? '?');
        otherDialogs[method] = (otherDialogs[method] ?? 0) + 1;
      }
      continue;
    }
    calls.push(rebuildOne(list, invite, profile, runId));
  }
  return { calls, otherDialogs, unreadable };
}

function rebuildOne(list: Parsed[], invite: Parsed, profile: VendorProfile, runId: string): RebuiltCall {
  const caller = invite.m.src;
  const callee = invite.m.dst;
  const direction = (m: CapturedSipMessage): 'in' | 'out' => {
    if (m.src === callee) return 'out';
    if (m.src === caller) return 'in';
    if (m.dst === caller) return 'out';
    if (m.dst === callee) return 'in';
    return host(m.src) === host(callee) && host(callee) !== host(caller) ? 'out' : 'in';
  };
  const messages = list.map(({ m, p }) => {
    const dir = direction(m);
    return wireRecord(m.raw, p, {
      direction: dir,
      transport: m.transport,
      local: dir === 'out' ? m.src : m.dst,
      remote: dir === 'out' ? m.dst : m.src,
      stamp: { monoMs: m.wallMs, wallMs: m.wallMs },
    });
  });
  const verdict = verifyContactId(invite.p.headers, profile);
  const { state, end } = outcome(messages);
  const first = messages[0]!;
  const last = messages[messages.length - 1]!;
  const done = state === 'ended' || state === 'failed';
  const call: CallToSave = {
    id: randomUUID(),
    runId,
    callId: invite.callId,
    role: 'uas',
    transport: transportOf(invite),
    profile: profile.id,
    state,
    from: headerValue(invite.p.headers, 'from') ?? '',
    to: headerValue(invite.p.headers, 'to') ?? '',
    requestUri: invite.p.requestUri ?? '',
    contactId: verdict.value,
    contactIdOk: verdict.ok,
    startedWallMs: first.wallMs,
    endedWallMs: done ? last.wallMs : null,
    end,
    latency: sipMarks(messages, 'uas'),
    invite: {
      raw: redactCredentials(invite.m.raw),
      headers: invite.p.headers.map((h) => (/^(proxy-)?authorization$/i.test(h.name) ? { name: h.name, value: `${h.value.split(/\s/)[0] ?? ''} [redacted]` } : h)),
    },
    verdict,
    media: null,
  };
  const checks: CheckResult[] = [
    {
      name: 'contact-id',
      ok: verdict.ok,
      detail: verdict.ok ? `${verdict.header} = ${verdict.value}` : verdict.problems.join('; ') || 'no usable contact id',
    },
  ];
  return { call, messages, checks, verdict };
}

/** The call's transport: TLS when its INVITE's Via says so (a decrypted capture shows TCP), else the capture's. */
function transportOf(invite: Parsed): SipTransportKind {
  const via = topVia(invite.p.headers) ?? '';
  if (/^SIP\/2\.0\/TLS\b/i.test(via)) return 'tls';
  return invite.m.transport;
}

/** State and end of the call as far as the capture shows it (RFC 3261 §13, §15). */
function outcome(messages: readonly SipMessageRecord[]): { state: CallState; end: CallEnd | null } {
  const final = messages.find((m) => m.method === 'INVITE' && m.status !== undefined && m.status >= 200);
  const provisional = messages.some((m) => m.method === 'INVITE' && m.status !== undefined && m.status < 200);
  const bye = messages.find((m) => m.method === 'BYE' && m.status === undefined);
  const cancel = messages.find((m) => m.method === 'CANCEL' && m.status === undefined);
  const by = (m: SipMessageRecord): CallEnd['by'] => (m.direction === 'out' ? 'local' : 'remote');
  if (final && final.status! < 300) {
    if (bye) return { state: 'ended', end: { by: by(bye), reason: 'BYE' } };
    return { state: 'answered', end: null };
  }
  if (final) {
    if (cancel) return { state: 'ended', end: { by: by(cancel), reason: 'CANCEL' } };
    return { state: 'failed', end: { by: by(final), reason: final.firstLine.replace(/^SIP\/2\.0 /, '') } };
  }
  if (cancel) return { state: 'ending', end: null };
  return { state: provisional ? 'ringing' : 'inviting', end: null };
}
