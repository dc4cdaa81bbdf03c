/**
 * The machine-readable result of a run: the JSON the CLI writes with `--json` (issue 2 fixes its
 * shape: fields may be added, none renamed). Times in ms.
 */
import type {
  CheckResult,
  ContactIdVerdict,
  LatencyMarks,
  SignalParams,
  SipHeader,
} from '../../shared/types';

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
  };
  end: { by: string; reason: string } | null;
  latency: LatencyMarks;
  checks: CheckResult[];
}

/** A whole run. `ok` is true only when every check of every call passed and at least one call ran. */
export interface RunReport {
  ok: boolean;
  runId: string;
  kind: 'handoff' | 'answer';
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
    for (const n of c.contactId.nearMisses) lines.push(`    near miss (${n.kind}): ${n.detail}`);
    if (c.signal) {
      lines.push(`  signal: ${c.signal.status ?? 'no response'} in ${c.signal.ms ?? '-'} ms: ${c.signal.message}`);
      lines.push(`    ${c.signal.url}`);
    } else lines.push('  signal: not sent');
    if (c.cxone) lines.push(`  CXone: ${c.cxone.outcome}`);
    lines.push('  checks:');
    for (const k of c.checks) lines.push(`    ${k.ok ? '✓' : '✗'} ${k.name}: ${k.detail}`);
    const marks = Object.entries(c.latency).map(([k, v]) => `${k}=${v} ms`);
    lines.push(`  latency: ${marks.join('  ') || '(none)'}`);
  }
  lines.push(report.ok ? 'PASS' : 'FAIL');
  return lines.join('\n');
}
