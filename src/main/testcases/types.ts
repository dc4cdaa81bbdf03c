/**
 * What a test case run produces (issue 13 item 2): per step a verdict, a time from the INVITE and a
 * detail; per case the steps, the case-level expectations, the latency marks and what the reports
 * draw (SIP messages, both directions' audio, speech turns).
 */
import type { CheckResult, LatencyMarks, SipMessageRecord } from '../../shared/types';
import type { CaseMode, StepKind } from './schema';

/**
 * A step's state (checked in engine.ts):
 * ```
 * pending ──▶ running ──▶ passed
 *    │            └─────▶ failed
 *    └──────▶ skipped   (an earlier step failed, or the case could not start)
 * ```
 */
export type StepStatus = 'pending' | 'running' | 'passed' | 'failed' | 'skipped';

/** One step's result. Times are ms from the INVITE (null when it never ran). */
export interface StepResult {
  /** 0-based position in the case. */
  index: number;
  kind: StepKind;
  /** The step as a person reads it: `say "I want an agent"`, `expect_signal p1=AgentHandoff within 10s`. */
  label: string;
  /** The case file's `name:` of the step, if any. */
  name?: string;
  status: StepStatus;
  /** true passed, false failed, null skipped. */
  ok: boolean | null;
  /** When the verdict was reached (the event for an expectation, the start for an action), ms from the INVITE. */
  at_ms: number | null;
  /** When the step began, ms from the INVITE. */
  started_ms: number | null;
  /** How long it ran (ms). */
  duration_ms: number | null;
  /** What happened, in words (secrets scrubbed). */
  detail: string;
}

/** A far-end speech turn, ms from the INVITE (end null: still talking at the end). */
export interface SpeechTurn {
  start_ms: number;
  end_ms: number | null;
}

/** One case's result. */
export interface CaseResult {
  /** The case's name (with the matrix values that made this run of it). */
  name: string;
  file: string;
  mode: CaseMode;
  profile: string;
  transport: string;
  ok: boolean;
  /** A set-up failure that kept the steps from running (a port in use, a bad secret), else null. */
  error: string | null;
  steps: StepResult[];
  /** Case-level expectations: contact-id verdict, CXone outcome, latency budgets. */
  expectations: CheckResult[];
  /** True when the case file has an `expect:` block (else only the default contact-id verdict is judged). */
  expect_declared: boolean;
  /** Latency marks measured (design.md §4 names). */
  latency: LatencyMarks;
  /** Wall-clock start (Unix ms) and duration (ms). */
  started_wall_ms: number;
  duration_ms: number;
  /** The SIP Call-ID of the test call, once placed or received. */
  call_id: string | null;
  /** What the emulated CXone script did (embedded, emulate), e.g. "REQAGENT". */
  cxone_outcome: string | null;
  /** The far end's speech turns. */
  speech: SpeechTurn[];
  /** Digits received, with their time from the INVITE. */
  dtmf_received: { digit: string; at_ms: number }[];
  /** Digits we sent (RFC 4733 or SIP INFO), with their time from the INVITE. */
  dtmf_sent: { digit: string; at_ms: number }[];
  /** How many times the case ran (1 + the retries used). */
  attempts: number;
  /** Not serialised to JSON: what the HTML report draws. */
  media?: CaseMedia;
}

/** What the HTML report draws of a case (kept out of the JSON report). */
export interface CaseMedia {
  /** Every SIP message of the test call in wire order (the ladder). */
  messages: SipMessageRecord[];
  /** 8 kHz samples from the INVITE: what the far end sent, what we sent. */
  received: Int16Array;
  sent: Int16Array;
}

/** The result of a `lab test` run. */
export interface TestRunResult {
  ok: boolean;
  cases: CaseResult[];
  started_wall_ms: number;
  duration_ms: number;
}
