/**
 * The step engine: runs a case's steps in order on one call, each to its own verdict, with the
 * checked state machine of {@link StepStatus} (types.ts). A failed step fails the case and the
 * later steps are reported as skipped (issue 13 item 1). Every time is measured on the monotonic
 * clock and reported from the INVITE.
 */
import type { CaseStep } from './schema';
import { formatDuration } from './duration';
import type { Redactor } from './secrets';
import type { StepResult, StepStatus } from './types';
import { monoNow } from '../clock';

/** A move the step diagram (types.ts) does not allow. */
export class StepStateError extends Error {
  override readonly name = 'StepStateError';
  constructor(from: StepStatus, to: StepStatus) {
    super(`step state ${from} → ${to} is not allowed`);
  }
}

const ARROWS: Readonly<Record<StepStatus, readonly StepStatus[]>> = {
  pending: ['running', 'skipped'],
  running: ['passed', 'failed'],
  passed: [],
  failed: [],
  skipped: [],
};

/**
 * Moves a step to `next`.
 * @throws {@link StepStateError} when the diagram has no such arrow.
 */
export function moveStep(step: StepResult, next: StepStatus): void {
  if (!ARROWS[step.status].includes(next)) throw new StepStateError(step.status, next);
  step.status = next;
  step.ok = next === 'passed' ? true : next === 'failed' ? false : next === 'skipped' ? null : step.ok;
}

/** What a step's implementation returns: the verdict, when it was reached (monotonic ms), and the detail. */
export interface StepOutcome {
  ok: boolean;
  /** Monotonic ms of the event that decided it; default: the step's start when it passed, its end when it failed. */
  atMonoMs?: number;
  detail: string;
}

/** Runs one step; rejects only on a bug or an abort (reported as a failure with the message). */
export type StepRunner = (step: CaseStep) => Promise<StepOutcome>;

/** Progress callbacks, for live front-ends (the dashboard's ticking steps, the CLI's lines). */
export interface StepListener {
  onStepBegin?(step: StepResult): void;
  onStepEnd?(step: StepResult): void;
}

/** The fresh results of a case's steps (all pending). */
export function pendingSteps(steps: readonly CaseStep[]): StepResult[] {
  return steps.map((s) => ({
    index: s.index,
    kind: s.kind,
    label: stepLabel(s),
    ...(s.name !== undefined ? { name: s.name } : {}),
    status: 'pending' as const,
    ok: null,
    at_ms: null,
    started_ms: null,
    duration_ms: null,
    detail: '',
  }));
}

/** Marks every pending step skipped with `detail` (an earlier failure, or a case that never started). */
export function skipRest(results: StepResult[], detail: string, listener?: StepListener): void {
  for (const r of results) {
    if (r.status !== 'pending') continue;
    moveStep(r, 'skipped');
    r.detail = detail;
    listener?.onStepEnd?.(r);
  }
}

/**
 * Fails the first pending step with `detail` (the case could not get that far: the call was not
 * answered, the set-up failed) and skips the rest, so the report names where it stopped.
 */
export function failAtFirstPending(results: StepResult[], detail: string, originMonoMs: number | null, listener?: StepListener): void {
  const first = results.find((r) => r.status === 'pending');
  if (first) {
    moveStep(first, 'running');
    moveStep(first, 'failed');
    first.detail = detail;
    if (originMonoMs !== null) first.at_ms = first.started_ms = round(monoNow() - originMonoMs);
    first.duration_ms = 0;
    listener?.onStepEnd?.(first);
  }
  skipRest(results, first ? `skipped: step ${first.index + 1} (${first.kind}) failed` : 'skipped', listener);
}

/**
 * Runs the steps in order until one fails.
 * @param origin - a function giving the INVITE's monotonic ms (times are reported from it).
 * @returns true when every step passed.
 */
export async function runSteps(
  steps: readonly CaseStep[],
  results: StepResult[],
  run: StepRunner,
  origin: () => number,
  redactor: Redactor,
  listener?: StepListener,
): Promise<boolean> {
  for (const step of steps) {
    const r = results[step.index]!;
    moveStep(r, 'running');
    const t0 = monoNow();
    r.started_ms = round(t0 - origin());
    listener?.onStepBegin?.(r);
    let out: StepOutcome;
    try {
      out = await run(step);
    } catch (e) {
      out = { ok: false, detail: (e as Error).message };
    }
    const t1 = monoNow();
    moveStep(r, out.ok ? 'passed' : 'failed');
    // An expectation's event, else an action's start, else (a failure without an event) when it gave up.
    r.at_ms = round((out.atMonoMs ?? (out.ok ? t0 : t1)) - origin());
    r.duration_ms = round(t1 - t0);
    r.detail = redactor.scrub(out.detail);
    listener?.onStepEnd?.(r);
    if (!out.ok) {
      skipRest(results, `skipped: step ${step.index + 1} (${step.kind}) failed`, listener);
      return false;
    }
  }
  return true;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The step as a person reads it (see {@link StepResult.label}). */
export function stepLabel(s: CaseStep): string {
  const p = (params: Record<string, string | undefined> | undefined): string =>
    Object.entries(params ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
  switch (s.kind) {
    case 'expect_speech':
      return `expect_speech within ${formatDuration(s.args?.within ?? 10_000)}`;
    case 'wait_silence':
      return `wait_silence for ${formatDuration(s.args?.for ?? 700)} within ${formatDuration(s.args?.within ?? 20_000)}`;
    case 'say':
      return `say "${typeof s.args === 'string' ? s.args : s.args.text}"`;
    case 'play':
      return `play ${typeof s.args === 'string' ? s.args : s.args.file}`;
    case 'dtmf':
      return typeof s.args === 'string' ? `dtmf ${s.args}` : `dtmf ${s.args.digits} (${s.args.method})`;
    case 'expect_signal':
      return `expect_signal ${p(s.args?.params)}${s.args?.params ? ' ' : ''}${s.args?.status !== undefined && s.args.status !== 'any' ? `status ${s.args.status} ` : ''}within ${formatDuration(s.args?.within ?? 10_000)}`.replace('  ', ' ');
    case 'expect_no_signal':
      return `expect_no_signal for ${formatDuration(s.args.for)}`;
    case 'expect_hangup':
      return `expect_hangup within ${formatDuration(s.args?.within ?? 10_000)}${s.args?.by && s.args.by !== 'any' ? ` by ${s.args.by}` : ''}`;
    case 'expect_no_hangup':
      return `expect_no_hangup for ${formatDuration(s.args.for)}`;
    case 'hangup':
      return 'hangup';
    case 'wait':
      return `wait ${formatDuration(s.args)}`;
    case 'expect_dtmf':
      return typeof s.args === 'string' ? `expect_dtmf ${s.args}` : `expect_dtmf ${s.args.digits} within ${formatDuration(s.args.within)}`;
    case 'signal':
      return `signal ${p(s.args)}`;
    case 'expect_header':
      return `expect_header ${s.args.name}${s.args.absent ? ' absent' : s.args.value !== undefined ? `: ${s.args.value}` : s.args.pattern !== undefined ? ` ~ /${s.args.pattern}/` : ''}`;
  }
}
