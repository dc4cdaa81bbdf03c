/**
 * Runs one test case: resolves its secrets, sets its call up with the mode's driver, runs the
 * steps, ends the call, judges the case-level expectations (contact-id verdict, the CXone outcome,
 * latency budgets) and returns the {@link CaseResult}. Endpoints and emulators the case opened are
 * closed when it ends, so a suite's cases do not pile up sockets.
 *
 * Case state (checked like the steps'): set-up → steps → judging → done; a set-up failure fails
 * the first step with the reason and skips the rest.
 */
import { dirname } from 'node:path';
import type { CheckResult, LatencyMarks } from '../../shared/types';
import type { EmbeddedCxone } from '../emulator/embedded';
import type { SipEndpoint, SipEndpointOptions } from '../sip/endpoint';
import { AudioTap } from './audio-tap';
import { endQuietly, type CaseDeps, type CaseDriver, type DriverFacts, type DriverInput } from './driver';
import { AnswerDriver } from './drivers/answer';
import { CallDriver } from './drivers/call';
import { EmbeddedDriver } from './drivers/embedded';
import { EmulateDriver } from './drivers/emulate';
import { formatDuration } from './duration';
import { failAtFirstPending, pendingSteps, runSteps, type StepListener } from './engine';
import { Redactor, resolveSecrets, type SecretLookup } from './secrets';
import { runStep } from './steps';
import type { CaseJob } from './suite';
import type { TestCase } from './schema';
import type { CaseResult } from './types';
import { monoNow } from '../clock';

/** Options of {@link runCase}. */
export interface RunCaseOptions {
  /** Aborts the case (Ctrl-C, a stopped monitor): the running step fails with "stopped". */
  signal?: AbortSignal;
  listener?: StepListener & { onCaseBegin?(name: string): void };
  /** Keep the ladder and audio for the HTML report (memory: ~16 kB per second of call). */
  keepMedia?: boolean;
  /** Secret lookup (default: environment and OS keychain). */
  secrets?: SecretLookup;
}

const MODE_DRIVERS: Record<TestCase['mode'], new (i: DriverInput) => CaseDriver> = {
  embedded: EmbeddedDriver,
  emulate: EmulateDriver,
  answer: AnswerDriver,
  call: CallDriver,
};

/**
 * Runs one case to its verdict.
 * @returns the result; never rejects for anything the case or the far end does (set-up errors are
 *   the result's `error` and fail its first step).
 */
export async function runCase(job: CaseJob, deps: CaseDeps, opts: RunCaseOptions = {}): Promise<CaseResult> {
  const startedWall = Date.now();
  const t0 = monoNow();
  const raw = job.case;
  const steps = pendingSteps(raw.steps);
  const redactor = new Redactor();
  const transport = raw.sip?.transport ?? raw.transport ?? 'udp';
  const result: CaseResult = {
    name: job.displayName,
    file: job.file,
    mode: raw.mode,
    profile: raw.profile,
    transport,
    ok: false,
    error: null,
    steps,
    expectations: [],
    expect_declared: raw.expect !== undefined,
    latency: {},
    started_wall_ms: startedWall,
    duration_ms: 0,
    call_id: null,
    cxone_outcome: null,
    speech: [],
    dtmf_received: [],
    dtmf_sent: [],
    attempts: 1,
  };
  opts.listener?.onCaseBegin?.(job.displayName);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), raw.timeout);
  const onOuter = (): void => abort.abort();
  opts.signal?.addEventListener('abort', onOuter, { once: true });
  if (opts.signal?.aborted) abort.abort();
  const owned: { endpoints: SipEndpoint[]; cxones: EmbeddedCxone[] } = { endpoints: [], cxones: [] };
  const caseDeps: CaseDeps = {
    ...deps,
    startEndpoint: async (o: SipEndpointOptions) => {
      const ep = await deps.startEndpoint(o);
      owned.endpoints.push(ep);
      return ep;
    },
    startCxone: async (host?: string) => {
      const c = await deps.startCxone(host);
      owned.cxones.push(c);
      return c;
    },
  };
  const tap = new AudioTap({
    ...(raw.vad?.threshold_dbfs !== undefined ? { thresholdDbfs: raw.vad.threshold_dbfs } : {}),
    ...(raw.vad?.min_speech !== undefined ? { minSpeechMs: raw.vad.min_speech } : {}),
    ...(raw.vad?.hangover !== undefined ? { hangoverMs: raw.vad.hangover } : {}),
  }, opts.keepMedia ?? false);
  let driver: CaseDriver | null = null;
  let origin: number | null = null;
  // Each step's verdict goes to history as a check of the test call as soon as it is known
  // (announced as check/added: live front-ends tick it), the case's own verdict as a run check.
  const listener: StepListener = {
    onStepBegin: (st) => opts.listener?.onStepBegin?.(st),
    onStepEnd: (st) => {
      if (st.status === 'passed' || st.status === 'failed') {
        const at = st.at_ms !== null ? ` at ${st.at_ms} ms` : '';
        deps.recorder.writeCheck({ name: `step ${st.index + 1} ${st.kind}`, ok: st.status === 'passed', detail: `${st.label}${at}: ${st.detail}` }, deps.runId, driver?.call?.id ?? null);
      }
      opts.listener?.onStepEnd?.(st);
    },
  };
  try {
    const tc = await resolveSecrets(raw, redactor, opts.secrets);
    const profile = deps.profile(tc.profile);
    const input: DriverInput = { tc, profile, caseDir: dirname(job.file), transport, tap, deps: caseDeps, abort: abort.signal, redactor };
    driver = new MODE_DRIVERS[tc.mode](input);
    const start = await driver.start();
    origin = start.inviteMonoMs;
    if (!start.ok) {
      failAtFirstPending(steps, redactor.scrub(start.detail), origin, listener);
    } else {
      const o = start.inviteMonoMs;
      await runSteps(tc.steps, steps, (s) => (abort.signal.aborted ? Promise.resolve({ ok: false, detail: stoppedWords(opts.signal, tc.timeout) }) : runStep(s, start.env)), () => o, redactor, listener);
      if (abort.signal.aborted) markTimeout(steps, opts.signal, tc.timeout);
    }
    await endQuietly(driver.call);
    const facts = await driver.finish();
    result.expectations = judge(tc, facts).map((c) => ({ ...c, detail: redactor.scrub(c.detail) }));
    result.latency = facts.latency;
    result.cxone_outcome = facts.action;
  } catch (e) {
    result.error = redactor.scrub((e as Error).message);
    failAtFirstPending(steps, `set-up failed: ${result.error}`, origin, listener);
    await endQuietly(driver?.call ?? null);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuter);
    tap.close();
    await driver?.close?.().catch(() => {});
    await Promise.allSettled(owned.endpoints.map((e) => e.stop()));
    await Promise.allSettled(owned.cxones.map((c) => c.stop()));
  }
  const call = driver?.call ?? null;
  const base = origin ?? 0;
  result.call_id = call?.callId ?? null;
  result.speech = tap.speech.segments.map((s) => ({ start_ms: rel(s.startMonoMs, base), end_ms: s.endMonoMs === null ? null : rel(s.endMonoMs, base) }));
  const digits = call?.mediaReport().dtmf ?? [];
  result.dtmf_received = digits.filter((d) => d.direction === 'in').map((d) => ({ digit: d.digit, at_ms: rel(d.startMonoMs, base) }));
  result.dtmf_sent = digits.filter((d) => d.direction === 'out').map((d) => ({ digit: d.digit, at_ms: rel(d.startMonoMs, base) }));
  result.ok = result.error === null && steps.every((s) => s.ok === true) && result.expectations.every((c) => c.ok);
  result.duration_ms = Math.round(monoNow() - t0);
  for (const k of result.expectations) deps.recorder.writeCheck({ ...k, name: `expect ${k.name}` }, deps.runId, call?.id ?? null);
  const failedStep = steps.find((st) => st.status === 'failed');
  deps.recorder.writeCheck(
    {
      name: `case ${job.displayName}`,
      ok: result.ok,
      detail: result.ok
        ? `${steps.length} steps passed in ${(result.duration_ms / 1000).toFixed(1)} s (${job.file})`
        : failedStep
          ? `step ${failedStep.index + 1} ${failedStep.label}: ${failedStep.detail}`
          : result.error ?? result.expectations.filter((k) => !k.ok).map((k) => `${k.name}: ${k.detail}`).join('; '),
    },
    deps.runId,
    null,
  );
  if (opts.keepMedia && call) result.media = { messages: [...call.messages], received: tap.received.samples(), sent: tap.sent.samples() };
  return result;
}

function rel(mono: number, origin: number): number {
  return Math.round((mono - origin) * 10) / 10;
}

function stoppedWords(outer: AbortSignal | undefined, timeoutMs: number): string {
  return outer?.aborted ? 'stopped' : `the case ran out of time (timeout ${formatDuration(timeoutMs)})`;
}

/** A step failed because the case was aborted says so (its own detail may only say "stopped"). */
function markTimeout(steps: CaseResult['steps'], outer: AbortSignal | undefined, timeoutMs: number): void {
  const failed = steps.find((s) => s.status === 'failed');
  if (failed && !failed.detail.includes('time')) failed.detail = `${failed.detail}; ${stoppedWords(outer, timeoutMs)}`;
}

const BUDGETS: { key: 'time_to_greeting' | 'token' | 'signal_http' | 'signal_to_bye'; mark: keyof LatencyMarks; words: string }[] = [
  { key: 'time_to_greeting', mark: 'answer_to_first_voice', words: 'time to greeting (200 OK → first voice)' },
  { key: 'token', mark: 'token_ms', words: 'token request' },
  { key: 'signal_http', mark: 'signal_http_ms', words: 'Signal HTTP exchange' },
  { key: 'signal_to_bye', mark: 'signal_to_bye_ms', words: 'Signal → BYE' },
];

/**
 * The case-level expectations: the contact-id verdict (when the mode judges one; in answer mode
 * when the case signals or asks for it), the emulated
 * CXone's outcome, and each latency budget given (a budget on a figure the mode does not measure
 * fails, saying so).
 */
export function judge(tc: TestCase, facts: DriverFacts): CheckResult[] {
  const out: CheckResult[] = [];
  const e = tc.expect ?? { contact_id: 'pass' as const, outcome: 'any' as const };
  // In answer mode the verdict is the case's to ask for: by `expect.contact_id`, or by a `signal`
  // step (which needs the id); a case that only converses is not failed for a caller without one.
  const judgeId = tc.mode !== 'answer' || tc.expect?.contact_id !== undefined || tc.steps.some((st) => st.kind === 'signal');
  if (facts.contactId && judgeId && e.contact_id !== 'any') {
    const want = e.contact_id === 'pass';
    out.push({
      name: 'contact-id',
      ok: facts.contactId.ok === want,
      detail: `${facts.contactId.detail}${want ? '' : facts.contactId.ok ? ' (expected the verdict to fail)' : ' (fails, as expected)'}`,
    });
  }
  if (e.outcome !== 'any') {
    out.push({
      name: 'cxone-outcome',
      ok: facts.action === e.outcome,
      detail: `expected ${e.outcome}; the emulated CXone script: ${facts.outcome ?? 'not run in this mode'}`,
    });
  }
  for (const b of BUDGETS) {
    const max = e.budgets?.[b.key];
    if (max === undefined) continue;
    const got = facts.latency[b.mark];
    out.push({
      name: `budget-${b.key.replace(/_/g, '-')}`,
      ok: got !== undefined && got <= max,
      detail: got === undefined ? `${b.words}: not measured in this case (budget ${formatDuration(max)})` : `${b.words}: ${got} ms (budget ${formatDuration(max)})`,
    });
  }
  return out;
}
