/**
 * The document every report format is made from (issue 6): a run, or a selection of calls, read
 * from history with everything about each call (INVITE, contact-id verdict, SIP messages, Signals,
 * checks, latency, media), secrets always redacted and phone numbers / IP addresses on request.
 * The JSON report is this document as is.
 */
import { basename } from 'node:path';
import type { CallDetail } from '../../shared/types';
import { redactExchange, redactText, redactUrl, isSecretKey, REDACTED } from '../history/redact';
import type { HistoryStore, RunRecord } from '../history/store';
import { redactCredentials } from '../sip/wire-record';
import { version } from '../version';
import { Pseudonymizer, type RedactionOptions } from './pseudonymizer';

/** What to report: one run (all its calls and run-level checks), or calls by their history ids. */
export type ReportSelection = { runId: string } | { callIds: string[] };

/**
 * The run of a report: the history record without its call ids (the calls are in the report), its
 * options (target, file of an import…) with secrets and, on request, numbers and addresses redacted,
 * and its run-level checks.
 */
export type ReportRun = Omit<RunRecord, 'callIds'>;

/** A whole report. Fields may be added in later versions; none is renamed. */
export interface ReportDocument {
  format: 'cxone-sip-lab-report';
  version: 1;
  title: string;
  /** Unix ms when the report was made. */
  generatedWallMs: number;
  appVersion: string;
  redaction: { secrets: true; phoneNumbers: boolean; ipAddresses: boolean };
  run: ReportRun | null;
  /** The calls, oldest first. */
  calls: CallDetail[];
  /** True when at least one call or check is reported and every check and contact-id verdict passed (a run's own outcome wins when it has one). */
  ok: boolean;
  totals: { calls: number; checks: number; failedChecks: number; verdictsOk: number; verdictsFailed: number };
}

/**
 * Whether a call passed: every check and its contact-id verdict (when it has one).
 * @returns null when the call has neither (e.g. the CXone leg of an embedded run, whose checks are on the bot leg).
 */
export function callPassed(c: CallDetail): boolean | null {
  if (c.checks.length === 0 && c.verdict === null) return null;
  return c.checks.every((k) => k.ok) && (c.verdict?.ok ?? true);
}

/** The selection names a run or call history does not have. */
export class ReportNotFoundError extends Error {
  override readonly name = 'ReportNotFoundError';
}

/** Options of {@link buildReportDocument}. */
export interface ReportOptions {
  redact?: RedactionOptions;
  title?: string;
  /** Clock for `generatedWallMs` (Unix ms). */
  now?: () => number;
}

/**
 * Reads a run (with all its calls) or calls by id from history, calls oldest first.
 * @throws ReportNotFoundError when the run, or any of the calls, is not in history, or the selection is empty.
 */
export function loadSelection(store: HistoryStore, selection: ReportSelection): { run: RunRecord | null; calls: CallDetail[] } {
  let run: RunRecord | null = null;
  let ids: string[];
  if ('runId' in selection) {
    run = store.getRun(selection.runId);
    if (!run) throw new ReportNotFoundError(`no run ${selection.runId} in history ${store.file}`);
    ids = run.callIds;
  } else {
    ids = [...new Set(selection.callIds)];
    if (ids.length === 0) throw new ReportNotFoundError('no call selected');
  }
  const calls: CallDetail[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const c = store.getCall(id);
    if (c) calls.push(c);
    else missing.push(id);
  }
  if (missing.length > 0) throw new ReportNotFoundError(`not in history ${store.file}: call ${missing.join(', ')}`);
  calls.sort((a, b) => a.startedWallMs - b.startedWallMs);
  return { run, calls };
}

/**
 * Reads a run or calls from history and makes the report document.
 * @throws ReportNotFoundError as {@link loadSelection}.
 */
export function buildReportDocument(store: HistoryStore, selection: ReportSelection, opts: ReportOptions = {}): ReportDocument {
  const { run, calls } = loadSelection(store, selection);
  return makeReportDocument(run, calls, opts);
}

/**
 * Makes the report document from data already read (the dashboard holds it; tests build it).
 * Inputs are not modified.
 */
export function makeReportDocument(run: RunRecord | null, calls: readonly CallDetail[], opts: ReportOptions = {}): ReportDocument {
  const ps = new Pseudonymizer(opts.redact ?? {});
  const outCalls = calls.map((c) => redactCall(c, ps));
  const outRun: ReportRun | null = run
    ? {
        id: run.id,
        kind: run.kind,
        profile: run.profile,
        transport: run.transport,
        options: redactValue(run.options, ps) as Record<string, unknown>,
        startedWallMs: run.startedWallMs,
        endedWallMs: run.endedWallMs,
        ok: run.ok,
        checks: run.checks.map((k) => ({ ...k, detail: ps.text(redactText(k.detail)) })),
      }
    : null;
  const checks = [...(outRun?.checks ?? []), ...outCalls.flatMap((c) => c.checks)];
  const verdicts = outCalls.map((c) => c.verdict).filter((v) => v !== null);
  const failedChecks = checks.filter((k) => !k.ok).length;
  const verdictsFailed = verdicts.filter((v) => !v.ok).length;
  const computed = (checks.length > 0 || verdicts.length > 0) && failedChecks === 0 && verdictsFailed === 0;
  const title =
    opts.title ??
    (run ? `${run.kind} run ${run.id.slice(0, 8)}, profile ${run.profile}, ${run.transport}` : `${calls.length} call${calls.length === 1 ? '' : 's'}`);
  return {
    format: 'cxone-sip-lab-report',
    version: 1,
    title: ps.text(title),
    generatedWallMs: (opts.now ?? Date.now)(),
    appVersion: version,
    redaction: { secrets: true, phoneNumbers: Boolean(opts.redact?.phoneNumbers), ipAddresses: Boolean(opts.redact?.ipAddresses) },
    run: outRun,
    calls: outCalls,
    ok: run?.ok ?? computed,
    totals: { calls: outCalls.length, checks: checks.length, failedChecks, verdictsOk: verdicts.length - verdictsFailed, verdictsFailed },
  };
}

/** Strings of run options: secret keys emptied, secrets in text redacted, then numbers/addresses. */
function redactValue(v: unknown, ps: Pseudonymizer): unknown {
  if (typeof v === 'string') return ps.text(redactText(v));
  if (Array.isArray(v)) return v.map((x) => redactValue(x, ps));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = isSecretKey(k) || /password|secret/i.test(k) ? REDACTED : redactValue(x, ps);
    return out;
  }
  return v;
}

const SECRET_SIP_HEADER = /^(proxy-)?authorization$/i;

function redactCall(c: CallDetail, ps: Pseudonymizer): CallDetail {
  const t = (s: string): string => ps.text(s);
  return {
    ...c,
    callId: t(c.callId),
    from: ps.header('From', c.from),
    to: ps.header('To', c.to),
    requestUri: t(c.requestUri),
    end: c.end ? { ...c.end, reason: t(c.end.reason) } : null,
    invite: c.invite
      ? {
          raw: ps.sipMessage(redactCredentials(c.invite.raw)),
          headers: c.invite.headers.map((h) => ({
            name: h.name,
            value: SECRET_SIP_HEADER.test(h.name) ? `${h.value.trim().split(/\s+/)[0] ?? ''} ${REDACTED}` : ps.header(h.name, h.value),
          })),
        }
      : null,
    verdict: c.verdict
      ? {
          ...c.verdict,
          problems: c.verdict.problems.map(t),
          ...(c.verdict.warnings ? { warnings: c.verdict.warnings.map(t) } : {}),
          nearMisses: c.verdict.nearMisses.map((n) => ({ ...n, value: t(n.value), detail: t(n.detail) })),
        }
      : null,
    messages: c.messages.map((m) => ({
      ...m,
      callId: t(m.callId),
      local: t(m.local),
      remote: t(m.remote),
      firstLine: t(m.firstLine),
      raw: ps.sipMessage(redactCredentials(m.raw)),
    })),
    signals: c.signals.map((s) => {
      const ex = redactExchange(s.exchange);
      return {
        ...s,
        url: t(redactUrl(s.url)),
        message: t(redactText(s.message)),
        exchange: {
          ...ex,
          request: { ...ex.request, url: t(ex.request.url), ...(ex.request.body !== undefined ? { body: t(ex.request.body) } : {}) },
          ...(ex.response ? { response: { ...ex.response, body: t(ex.response.body) } } : {}),
          ...(ex.error !== undefined ? { error: t(ex.error) } : {}),
        },
      };
    }),
    checks: c.checks.map((k) => ({ ...k, detail: t(redactText(k.detail)) })),
    media: c.media
      ? {
          ...c.media,
          localRtp: t(c.media.localRtp),
          remoteRtp: c.media.remoteRtp === null ? null : t(c.media.remoteRtp),
          // The lab machine's folders mean nothing to the reader (and may name its user).
          recordingPath: c.media.recordingPath === null ? null : basename(c.media.recordingPath),
          oneWayAudio: { ...c.media.oneWayAudio, detail: t(c.media.oneWayAudio.detail) },
        }
      : (c.media ?? null),
  };
}
