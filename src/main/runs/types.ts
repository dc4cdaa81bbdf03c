/**
 * The shape every run kind shares (issue 11): a run is one function `(ctx, options) => report`,
 * its options a zod schema, registered once by kind in `runs/registry.ts`.
 *
 * HOW TO REGISTER A NEW KIND
 *   1. Write `src/main/runs/<kind>.ts` exporting a `RunKindSpec`, e.g.
 *        export const loadRun = defineRun({ kind: 'load', options: LoadOptionsSchema, run: runLoad });
 *      where `runLoad(ctx: RunContext, options: z.infer<typeof LoadOptionsSchema>)` returns a report
 *      whose base is {@link RunOutcome} (`ok`, `runId`, `kind`).
 *   2. Add one line to the table in `src/main/runs/registry.ts` (`load: loadRun,`).
 *   3. Front-ends call `runtime.run('load', options)`; the runtime parses `options` with the schema
 *      (a zod failure is a `usage` error), opens the run's resources, and closes them when it ends.
 * A run never opens its own HistoryStore, endpoint bookkeeping or emulator: it asks `ctx`, so the
 * runtime owns and frees them (design.md §4), and everything it writes reaches every front-end.
 */
import type { z } from 'zod';
import type { VendorProfile } from '../../shared/profile';
import type { CxoneClient } from '../cxone/client';
import type { EmbeddedCxone } from '../emulator/embedded';
import type { HistoryStore } from '../history/store';
import type { RtpCapture } from '../pcap/rtp-capture';
import type { CallRecorder, RecorderLog } from '../scenarios/call-recorder';
import type { RunReport } from '../scenarios/run-report';
import type { SipEndpoint, SipEndpointOptions } from '../sip/endpoint';
import type { RuntimeEvents } from '../runtime/events';

export type { CallReport, RunReport } from '../scenarios/run-report';

/** Every kind of run the runtime knows, by name (the table in registry.ts has exactly these keys, or a subset while one is built). */
export type RunKind = 'handoff' | 'answer' | 'emulate' | 'call' | 'replay' | 'import' | 'monitor' | 'load' | 'test';

/**
 * What every run's report has in common. Kinds add their own fields (the `RunReport` of handoff,
 * answer and emulate, the place-call report, the replay report, the load summary…); those fields
 * are each kind's `--json` shape, unchanged by the runtime.
 */
export interface RunOutcome {
  /** True only when every check of every call passed (each kind says what more it requires). */
  ok: boolean;
  /**
   * History key of the run (a UUID also when nothing is stored). A replay with `record: false`
   * reports null here (its `--json` shape predates the runtime).
   */
  runId: string;
  /** The kind as the report spells it (the stored run's kind; e.g. `handoff`, `answer`, `call`). */
  kind: string;
}

/** A run's row in history, as {@link RunContext.createRun} writes it. Secrets never go in `options`. */
export interface RunRecordInput {
  kind: string;
  profile: string | null;
  transport: string | null;
  /** The run's options as stored (redacted by the caller: no key, password or PEM key). */
  options: Record<string, unknown>;
}

/**
 * What a run receives from the runtime. Small and stable: other helpers code against it.
 * Every resource opened through it (endpoints, emulators) is closed by the runtime when the run
 * ends, whatever the outcome; the run may close them earlier itself.
 */
export interface RunContext {
  /** The kind being run. */
  readonly kind: RunKind;
  /** History (the process's one connection), or null when this runtime keeps none (`--db` absent). */
  readonly store: HistoryStore | null;
  /** Writes calls, messages, Signals and checks to `store` and announces each write once on `events`. */
  readonly recorder: CallRecorder;
  /** The runtime's typed event stream (subscribe for progress; the recorder emits the call events). */
  readonly events: RuntimeEvents;
  readonly log: RecorderLog;
  /** The runtime's RTP/RTCP capture: pass `rtpCapture.onRtpPacket` as an endpoint's media hook to keep calls' RTP for the pcap export. */
  readonly rtpCapture: RtpCapture;
  /** Aborted by Ctrl-C, a monitor's or dashboard's stop, or the runtime closing: end soon, report what was done. */
  readonly signal: AbortSignal;
  /** A profile by id, built-in or custom. @throws LabError kind `usage` when unknown. */
  profile(id: string): VendorProfile;
  /**
   * Writes the run's row (announced as `run/started`) and returns its id; without a store, a fresh
   * UUID. Call once, before the first call is tracked.
   */
  createRun(rec: RunRecordInput): string;
  /** Marks the run finished (announced by the runtime as `run/ended` when `run()` returns). */
  finishRun(runId: string, ok: boolean): void;
  /** Starts a SIP endpoint owned by this run (stopped when the run ends). @throws when the port cannot be bound. */
  startEndpoint(opts: SipEndpointOptions): Promise<SipEndpoint>;
  /** Starts an embedded CXone emulator (API + clients) owned by this run (stopped when it ends). */
  startCxone(host?: string): Promise<EmbeddedCxone>;
  /** The process-wide embedded emulator's client for a profile (the dashboard's; started on first use). */
  cxoneClient(profile: VendorProfile): Promise<CxoneClient>;
  /** Progress hook: a call of this run is done; announced as `run/call` so reports can be written as the run goes. */
  onCallReport(report: object): void;
  /** Adds a per-call map of this run (a bot agent's results…) to the runtime's live-map sizes until the run ends. */
  watchLiveMap(name: string, size: () => number): void;
  /** The runtime's live-map sizes now (name → entries), this run's endpoints included (issue 11 item 4). */
  liveMapSizes(): Record<string, number>;
  /** Runs another kind on the same runtime (a monitor's runs, a suite's cases). */
  run<K extends RunKind>(kind: K, options: unknown, opts?: { signal?: AbortSignal }): Promise<RunOutcome>;
}

/**
 * One kind of run: its name, its options' zod schema (the source of the CLI's and the contract's
 * option types), and the function that runs it.
 * @typeParam S - the options schema; `run` receives its parsed output.
 * @typeParam R - the report (at least {@link RunOutcome}).
 */
export interface RunKindSpec<S extends z.ZodType = z.ZodType, R extends RunOutcome = RunOutcome> {
  kind: RunKind;
  options: S;
  run(ctx: RunContext, options: z.output<S>): Promise<R>;
}

/** Identity helper that keeps a spec's option and report types (use it to declare a kind). */
export function defineRun<S extends z.ZodType, R extends RunOutcome>(spec: RunKindSpec<S, R>): RunKindSpec<S, R> {
  return spec;
}

/** The report of the three call-handoff kinds (handoff, answer, emulate), unchanged `--json` shape. */
export type HandoffLikeReport = RunReport;
