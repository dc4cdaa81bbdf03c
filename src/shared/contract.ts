/**
 * The one contract between the renderer and the main process (design.md §4).
 *
 * `LabHandlers` maps each request name to its exact signature; `LabEvents` maps each event name to
 * its payload. The Electron IPC host, the browser host (WebSocket) and the preload are all typed by
 * these maps, so each name is written once and the compiler checks both ends. Every handler takes
 * one JSON payload and resolves to a {@link Result}; none rejects.
 *
 * The parts, by domain, each declare their methods and types: contract-calls.ts (calls, history,
 * Signals, latency, live batches), contract-settings.ts (app, profiles, settings), contract-monitor.ts
 * (exports, imports, monitors), tests-contract.ts (test cases); this file merges them into
 * {@link LAB_CONTRACT} and derives the rest. Importers keep importing from here.
 *
 * Secrets (access key secrets, client secrets, SIP passwords) only ever travel renderer → main,
 * inside a save request; what comes back says whether a secret is set (`…Set: boolean`), never
 * its value (issue 5 item 7).
 */
import type { z } from 'zod';
import { CALLS_METHODS, type LiveBatch } from './contract-calls';
import { method } from './contract-method';
import { MONITOR_METHODS, type MonitorView } from './contract-monitor';
import { APP_METHODS, SETTINGS_METHODS, type ListedProfile, type SettingsView } from './contract-settings';
import {
  testsHistorySchema,
  testsListSchema,
  testsReadSchema,
  testsReportSchema,
  testsRunSchema,
  testsSaveSchema,
  testsValidateSchema,
  type TestFolderView,
  type TestHistoryView,
  type TestProgressEvent,
  type TestReportFile,
  type TestRunView,
  type TestValidation,
} from './tests-contract';
import type { Result } from './result';
import type { CallSummary, ScriptStepRecord, SignalRecord, SipMessageRecord } from './types';

export * from './contract-calls';
export * from './contract-settings';
export * from './contract-monitor';

/** Test cases (issue 13 item 6; shared/tests-contract.ts): a folder's cases, read, live validation, save, run, history, report. */
const TESTS_METHODS = {
  'tests/list': method<typeof testsListSchema, TestFolderView>(testsListSchema),
  'tests/read': method<typeof testsReadSchema, { path: string; text: string }>(testsReadSchema),
  'tests/validate': method<typeof testsValidateSchema, TestValidation>(testsValidateSchema),
  'tests/save': method<typeof testsSaveSchema, TestValidation>(testsSaveSchema),
  /** Starts a run at once; its progress comes as `test/progress` events. */
  'tests/run': method<typeof testsRunSchema, TestRunView>(testsRunSchema),
  'tests/history': method<typeof testsHistorySchema, TestHistoryView>(testsHistorySchema),
  'tests/report': method<typeof testsReportSchema, TestReportFile>(testsReportSchema),
};

/**
 * THE CONTRACT, written once (issue 11 item 3): every method the renderer can call, with its
 * payload schema and result type. `LabHandlers`, `LAB_METHODS` (the preload's allow-list, the
 * Electron IPC channels, the browser host's methods) and the hosts' payload validation all derive
 * from this table. To add a method: one line in its domain's part (contract-*.ts), its handler in
 * host/lab-handlers.ts.
 */
export const LAB_CONTRACT = {
  ...APP_METHODS,
  ...CALLS_METHODS,
  ...SETTINGS_METHODS,
  ...MONITOR_METHODS,
  ...TESTS_METHODS,
};

/** A method name of the contract. */
export type LabMethod = keyof typeof LAB_CONTRACT;
/** The payload of a method, inferred from its schema. */
export type LabPayload<M extends LabMethod> = z.infer<(typeof LAB_CONTRACT)[M]['payload']>;
/** The value a method's Result carries. */
export type LabValue<M extends LabMethod> = (typeof LAB_CONTRACT)[M]['result'];
/** One function per method: the handlers the hosts serve and the API the renderer calls. */
export type LabHandlers = { [M in LabMethod]: (payload: LabPayload<M>) => Promise<Result<LabValue<M>>> };

export interface LabEvents {
  /**
   * Core events, one per change, raised by the call recorder inside the main process. The Lab
   * coalesces them into `live/batch`; they never cross to the renderer.
   */
  'call/updated': CallSummary;
  'sip/message': { callRef: string | null; message: SipMessageRecord };
  /** A Signal completed (any outcome). */
  'signal/added': SignalRecord;
  /**
   * A step of the emulated CXone script was stored on the leg it placed (`callRef`): sent at once,
   * one per step, so a timeline that shows that leg fetches itself again (issue 15).
   */
  'script/step': { callRef: string; runId: string | null; step: Omit<ScriptStepRecord, 'seq'> };
  /** Batched call and SIP-message changes (what the renderer receives instead of the two core events). */
  'live/batch': LiveBatch;
  /** The settings changed (any client saved): the new view, without secrets. */
  'settings/changed': SettingsView;
  /** Custom profiles changed. */
  'profiles/changed': ListedProfile[];
  /** A dashboard monitor started, finished a run, or stopped: its new view. */
  'monitor/updated': MonitorView;
  /** A dashboard test run changed (a case began, a step began or ended, the run ended): its whole view. */
  'test/progress': TestProgressEvent;
}

export type LabEventName = keyof LabEvents;
export type LabResult<M extends LabMethod> = Awaited<ReturnType<LabHandlers[M]>>;

/** Every method name, derived from {@link LAB_CONTRACT}: the preload exposes exactly these, the hosts register exactly these. */
export const LAB_METHODS = Object.keys(LAB_CONTRACT) as readonly LabMethod[];

/** The events that cross to the renderer (the core's per-change events do not). */
export const LAB_EVENTS = ['live/batch', 'signal/added', 'script/step', 'settings/changed', 'profiles/changed', 'monitor/updated', 'test/progress'] as const satisfies readonly LabEventName[];
/** An event the renderer can subscribe to. */
export type WireEventName = (typeof LAB_EVENTS)[number];

/**
 * What the preload puts on `window.lab` and what the browser host's client provides: exactly one
 * function per contract method (no generic invoke), and a typed subscription per event.
 */
export type LabApi = LabHandlers & {
  on<E extends WireEventName>(event: E, listener: (payload: LabEvents[E]) => void): () => void;
};

/** Messages of the browser host's WebSocket bridge. */
export type WsClientMessage = { t: 'req'; id: number; method: LabMethod; payload: unknown };
export type WsServerMessage =
  | { t: 'res'; id: number; result: Result<unknown> }
  | { t: 'evt'; name: WireEventName; payload: unknown };
