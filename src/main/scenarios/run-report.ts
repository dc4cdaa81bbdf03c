/**
 * The machine-readable result of a run: the JSON the CLI writes with `--json` (issue 2 fixes its
 * shape: fields may be added, none renamed). Times in ms.
 */
import { formatRuleSource } from '../../shared/profile';
import type {
  CheckResult,
  ContactIdVerdict,
  HttpExchange,
  LatencyMarks,
  MediaReport,
  SignalParams,
  SipHeader,
} from '../../shared/types';
import { formatApiUrl } from '../cxone/urls';
import type { LegDrop, ScriptAction } from '../emulator/script-outcome';

/** One request the emulated CXone API received from the bot (`lab emulate`); no secret in it. */
export interface ApiRequestReport {
  /** `other`: discovery, server time, or a path that is not the Signal's. */
  kind: 'token' | 'signal' | 'other';
  /** Unix ms when it was received. */
  wallMs: number;
  /** ms from the INVITE sent to this request (negative: before the call). */
  sinceInviteMs: number;
  status: number;
  /** e.g. "POST /authentication/v1/token/access-key (access-key flow) → 200". */
  summary: string;
  /** The HTTP exchange with secrets redacted, when the emulator reports it. */
  exchange?: HttpExchange;
}

/** The emulated CXone API of a `lab emulate` run, as the bot used it. */
export interface ApiSideReport {
  /** The API base the bot was told to use, e.g. `https://10.0.0.5:8443`. */
  base: string;
  /** SHA-256 fingerprint of the HTTPS certificate; null over plain HTTP. */
  certFingerprint256: string | null;
  /** Token requests and Signals, in arrival order. */
  requests: ApiRequestReport[];
  /** Faults injected (CLI spellings). */
  faults: string[];
}

/** One call of a run, as reported. */
export interface CallReport {
  /** SIP Call-ID. */
  callId: string;
  /** Internal call id (history key of the bot leg). */
  callRef: string;
  profile: string;
  transport: string;
  invite: { requestUri: string; originalRequestUri: string; headers: SipHeader[] };
  contactId: {
    ok: boolean;
    header: string | null;
    value: string | null;
    problems: string[];
    nearMisses: ContactIdVerdict['nearMisses'];
    /** Findings that do not fail the verdict (issue 14: a repeated header, an assumption-based failure). */
    warnings?: string[];
  };
  signal: {
    params: SignalParams;
    status: number | null;
    ms: number | null;
    ok: boolean;
    url: string;
    message: string;
  } | null;
  /** What the CXone side did, when it is emulated: ONSIGNAL and the script outcome. */
  cxone?: {
    masterId: string;
    childId: string;
    signalledContactId: string | null;
    onSignal: SignalParams | null;
    outcome: string;
    /** What the script did in the end (emulate runs). */
    action?: ScriptAction;
    /** Times ONSIGNAL fired, and transfers made (more than 1 each: duplicates). */
    onSignalCount?: number;
    transfers?: number;
    legDrop?: LegDrop | null;
    /** Findings of the script (wrong leg, duplicate or late Signals…). */
    notes?: string[];
    /** The script's steps, ms from the INVITE. */
    timeline?: { ms: number; step: string }[];
  };
  /** The emulated CXone API as the bot used it (emulate runs). */
  api?: ApiSideReport;
  /** The audio of this leg (RTP/RTCP statistics, DTMF, recording, one-way verdict), when it had media. */
  media?: MediaReport | null;
  end: { by: string; reason: string } | null;
  latency: LatencyMarks;
  checks: CheckResult[];
}

/** A whole run. `ok` is true only when every check of every call passed and at least one call ran. */
export interface RunReport {
  ok: boolean;
  runId: string;
  kind: 'handoff' | 'answer' | 'emulate';
  profile: string;
  transport: string;
  /** Where history was written. */
  db: string | null;
  calls: CallReport[];
}

/** True when every check passed (and there is at least one). */
export function allChecksPass(checks: readonly CheckResult[]): boolean {
  return checks.length > 0 && checks.every((c) => c.ok);
}

/**
 * Formats a report for a terminal: the INVITE (unless `headers` is false), the contact-id
 * verdict, the Signal, checks with ✓/✗ and the latency marks.
 */
export function formatRunReport(report: RunReport, opts: { headers?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`run ${report.runId} (${report.kind}, profile ${report.profile}, ${report.transport})`);
  for (const c of report.calls) {
    lines.push(`call ${c.callId}`);
    if (opts.headers !== false) {
      lines.push(`  INVITE ${c.invite.originalRequestUri}`);
      for (const h of c.invite.headers) lines.push(`    ${h.name}: ${h.value}`);
    }
    lines.push(
      `  contact id: ${c.contactId.ok ? 'ok' : 'FAILED'} ${c.contactId.header ?? '(no header)'} = ${c.contactId.value ?? '(none)'}`,
    );
    for (const p of c.contactId.problems) lines.push(`    problem: ${p}`);
    for (const w of c.contactId.warnings ?? []) lines.push(`    warning: ${w}`);
    for (const n of c.contactId.nearMisses) lines.push(`    near miss (${n.kind}): ${n.detail}`);
    if (c.signal) {
      lines.push(`  signal: ${c.signal.status ?? 'no response'} in ${c.signal.ms ?? '-'} ms: ${c.signal.message}`);
      lines.push(`    POST ${c.signal.url}`);
      lines.push(`    (${formatApiUrl(c.signal.url)})`);
    } else lines.push('  signal: not sent');
    if (c.api) {
      lines.push(`  CXone API ${c.api.base}${c.api.certFingerprint256 ? ` (certificate SHA-256 ${c.api.certFingerprint256})` : ''}`);
      for (const r of c.api.requests) lines.push(`    ${r.sinceInviteMs} ms: ${r.summary}`);
      if (c.api.requests.length === 0) lines.push('    no request from the bot');
      if (c.api.faults.length > 0) lines.push(`    faults: ${c.api.faults.join(', ')}`);
    }
    if (c.cxone) lines.push(`  CXone: ${c.cxone.outcome}`);
    for (const n of c.cxone?.notes ?? []) lines.push(`    finding: ${n}`);
    if (c.media) lines.push(...formatMediaLines(c.media));
    lines.push('  checks:');
    // Issue 14: '!' marks a warning (never a failure); the rule's source follows in brackets.
    for (const k of c.checks) lines.push(`    ${k.ok ? (k.warn ? '!' : '✓') : '✗'} ${k.name}: ${k.detail}${k.source && !k.detail.includes(formatRuleSource(k.source)) ? ` [${formatRuleSource(k.source)}]` : ''}`);
    const marks = Object.entries(c.latency).map(([k, v]) => `${k}=${v} ms`);
    lines.push(`  latency: ${marks.join('  ') || '(none)'}`);
  }
  lines.push(report.ok ? 'PASS' : 'FAIL');
  return lines.join('\n');
}

/**
 * The terminal lines of a leg's audio: codec, RTP addresses, packets each way, loss and jitter
 * (RFC 3550), the one-way-audio verdict, DTMF received, and the recording's path.
 */
export function formatMediaLines(m: MediaReport): string[] {
  const lines = [
    `  media: ${m.codec ?? 'no codec'} ${m.localRtp} ⇄ ${m.remoteRtp ?? '-'}; sent ${m.sent.packets} RTP, received ${m.received.packets} (loss ${m.received.lossPercent}%, jitter ${m.received.jitterMs} ms); ${m.oneWayAudio.detail}`,
  ];
  const digits = m.dtmf.filter((d) => d.direction === 'in').map((d) => d.digit).join('');
  if (digits) lines.push(`    DTMF received: ${digits}`);
  if (m.recordingPath) lines.push(`    recording: ${m.recordingPath}`);
  return lines;
}
