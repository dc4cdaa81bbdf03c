/**
 * The report of `lab call` (place-call.ts): the shape of the other commands' reports
 * (run-report.ts: `calls[]` of {@link CallReport}, checks, latency) plus what a trunk call adds:
 * the registration, the digest exchange, and the media report. Times in ms.
 */
import type { CheckResult, MediaReport } from '../../shared/types';
import type { DigestChallenge } from '../sip/digest-outcome';
import type { RegistrationResult } from '../sip/registration';
import { formatMediaLines, type CallReport, type RunReport } from './run-report';

/** How the call crossed the trunk. No secret in it: the password's source only. */
export interface TrunkReport {
  requestUri: string;
  outboundProxy: string | null;
  /** Digest user (and From user). */
  user: string | null;
  passwordSource: 'env' | 'keychain' | null;
  auth: { challenges: DigestChallenge[]; sentAuthorization: boolean; sentProxyAuthorization: boolean; problem: string | null };
}

/** One placed call. `contactId` is what the emulated CXone put; `cxone.outcome` how PLACECALL ended. */
export interface PlacedCallReport extends CallReport {
  trunk: TrunkReport;
  media: MediaReport | null;
}

/** The REGISTER before the call (`--register`) without its wire records, and the unregister after it. */
export type RegistrationReport = Pick<RegistrationResult, 'ok' | 'status' | 'reason' | 'expiresS' | 'bindings' | 'error' | 'warnings'> & {
  registrar: string;
  aor: string;
  unregister: Pick<RegistrationResult, 'ok' | 'status' | 'error'> | null;
};

/** The whole `lab call` run; `ok` only when every check passed. */
export interface PlaceCallRunReport extends Omit<RunReport, 'kind' | 'calls'> {
  kind: 'call';
  calls: PlacedCallReport[];
  registration: RegistrationReport | null;
  /** The first reason the run failed, in words (registration, credentials, call, audio); null when it passed. */
  error: string | null;
}

/** Formats the report for a terminal: registration, INVITE and headers, auth, checks, media, latency. */
export function formatPlaceCallReport(report: PlaceCallRunReport): string {
  const lines = [`run ${report.runId} (call, profile ${report.profile}, ${report.transport})`];
  const reg = report.registration;
  if (reg) {
    lines.push(`REGISTER ${reg.aor} at ${reg.registrar}: ${reg.ok ? `${reg.status} ${reg.reason}, expires ${reg.expiresS} s` : `FAILED: ${reg.error}`}`);
    for (const b of reg.bindings) lines.push(`    binding${b.ours ? ' (ours)' : ''}: ${b.contact}`);
    for (const w of reg.warnings) lines.push(`    warning: ${w}`);
    if (reg.unregister) lines.push(`  unregister: ${reg.unregister.ok ? `${reg.unregister.status} ok` : `failed: ${reg.unregister.error}`}`);
  }
  for (const c of report.calls) {
    lines.push(`call ${c.callId}`);
    lines.push(`  INVITE ${c.trunk.requestUri}${c.trunk.outboundProxy ? ` via ${c.trunk.outboundProxy}` : ''}`);
    for (const h of c.invite.headers.filter((x) => /^x-/i.test(x.name))) lines.push(`    ${h.name}: ${h.value}`);
    if (c.cxone) lines.push(`  contact id put: ${c.contactId.header} = ${c.contactId.value} (MasterId ${c.cxone.masterId}, child ${c.cxone.childId})`);
    for (const ch of c.trunk.auth.challenges) lines.push(`  challenge: ${ch.status} realm ${ch.realm ?? '(none)'} (${ch.algorithm}${ch.qop ? `, qop ${ch.qop}` : ''})`);
    if (c.cxone) lines.push(`  CXone: ${c.cxone.outcome}`);
    if (c.media) lines.push(...formatMediaLines(c.media));
    lines.push('  checks:');
    lines.push(...checkLines(c.checks));
    const marks = Object.entries(c.latency).map(([k, v]) => `${k}=${v} ms`);
    lines.push(`  latency: ${marks.join('  ') || '(none)'}`);
  }
  if (report.error) lines.push(`error: ${report.error}`);
  lines.push(report.ok ? 'PASS' : 'FAIL');
  return lines.join('\n');
}

function checkLines(checks: readonly CheckResult[]): string[] {
  return checks.map((k) => `    ${k.ok ? '✓' : '✗'} ${k.name}: ${k.detail}`);
}
