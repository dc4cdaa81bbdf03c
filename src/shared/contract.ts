/**
 * The one contract between the renderer and the main process (design.md §4).
 *
 * `LabHandlers` maps each request name to its exact signature; `LabEvents` maps each event name to
 * its payload. The Electron IPC host, the browser host (WebSocket) and the preload are all typed by
 * these maps, so each name is written once and the compiler checks both ends. Every handler takes
 * one JSON payload and resolves to a {@link Result}; none rejects.
 *
 * Secrets (access key secrets, client secrets, SIP passwords) only ever travel renderer → main,
 * inside a save request; what comes back says whether a secret is set (`…Set: boolean`), never
 * its value (issue 5 item 7).
 */
import { z } from 'zod';
import {
  byIdSchema,
  connectionInputSchema,
  historySearchRequestSchema,
  limitSchema,
  listenerInputSchema,
  listenerSettingSchema,
  monitorStartRequestSchema,
  pcapImportRequestSchema,
  placeCallRequestSchema,
  reportExportRequestSchema,
  sendSignalRequestSchema,
  trunkInputSchema,
  type EXPORT_FORMATS,
} from './contract-schemas';
import type { VendorProfile } from './profile';
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
import type { ContactTimeline } from './timeline';
import type { Result } from './result';
import type {
  CallSummary,
  CallDetail,
  CheckResult,
  LatencyMarkName,
  ListenerInfo,
  MediaReport,
  SignalRecord,
  SipMessageRecord,
  SipTransportKind,
} from './types';

/** Whether secrets can be kept: only in the OS keychain, never elsewhere (design.md §5). */
export interface KeychainStatus {
  available: boolean;
  /** e.g. `Secret Service`, `macOS Keychain`, `Windows Credential Manager`; null when unavailable. */
  backend: string | null;
  /** What to tell the user: where keys go, or why none can be stored. */
  message: string;
}

/** What the dashboard shows in its header. */
export interface AppInfo {
  version: string;
  /** `electron` or `browser`. */
  host: 'electron' | 'browser';
  /** Every SIP listener that is up: the built-in ones and those of the settings. */
  listeners: ListenerInfo[];
  /** Transports a call can be placed over (TLS once the SIP layer has it). */
  transports: SipTransportKind[];
  /** Base URL of the embedded CXone API (the emulator) that emulated calls signal. */
  cxoneApi: string;
  /** Where history is stored. */
  dbFile: string;
  keychain: KeychainStatus;
}

/** A vendor profile as listed: built-in ones are read-only, custom ones editable. */
export type ListedProfile = VendorProfile & { builtin: boolean };

/** A call placed by the app as CXone (see {@link placeCallRequestSchema}). */
export type PlaceCallRequest = z.infer<typeof placeCallRequestSchema>;

/** A Signal for a call or a bare contact id (see {@link sendSignalRequestSchema}). */
export type SendSignalRequest = z.infer<typeof sendSignalRequestSchema>;

/** Which field the history search text is matched against. */
export type HistorySearchField = 'any' | 'contactId' | 'callId' | 'number';

/** A page of the history search (see {@link historySearchRequestSchema}). */
export type HistorySearchRequest = z.infer<typeof historySearchRequestSchema>;

/** One page of matching calls, newest first, and how many match in all. */
export interface HistoryPage {
  total: number;
  offset: number;
  calls: CallSummary[];
}

/** A run as listed in history. */
export interface RunSummary {
  id: string;
  kind: string;
  profile: string;
  transport: string;
  startedWallMs: number;
  endedWallMs: number | null;
  ok: boolean | null;
  callCount: number;
}

/** A Signal as listed on the Signals screen: with its call's profile when known. Already redacted. */
export type SignalListEntry = SignalRecord & { profile: string | null };

/** p50/p95 (ms) of one latency mark over a set of calls. */
export interface MarkStats {
  count: number;
  p50: number | null;
  p95: number | null;
  min: number | null;
  max: number | null;
}

/** Latency marks across calls and runs (issue 5 item 4). */
export interface LatencyStats {
  /** Calls looked at (newest first, at most the request's limit). */
  calls: number;
  /** Over all those calls: mark → stats. */
  overall: Partial<Record<LatencyMarkName, MarkStats>>;
  /** profile id → mark → stats. */
  byProfile: Record<string, Partial<Record<LatencyMarkName, MarkStats>>>;
  /** Per run (oldest first): p50/p95 of each mark. Calls without a run are grouped by day as `day:YYYY-MM-DD`. */
  byRun: Array<{ run: string; startedWallMs: number; profile: string; marks: Partial<Record<LatencyMarkName, MarkStats>> }>;
  /** Each call's marks, oldest first, for the per-call series. */
  series: Array<{ id: string; startedWallMs: number; profile: string; latency: Partial<Record<LatencyMarkName, number>> }>;
}

/** The WAV recording of a call, as bytes (base64) so that both hosts carry it the same way. */
export interface RecordingData {
  mime: 'audio/wav';
  base64: string;
  bytes: number;
}

/** A CXone connection (settings) as the renderer sees it: no secret, only whether each is set. */
export interface CxoneConnectionView {
  id: string;
  name: string;
  /** `access-key`: token from the area's auth host; `oauth-password`: the issuer's token endpoint with client id/secret + access key (cxone-reference.md §1a, §1b). */
  auth: 'access-key' | 'oauth-password';
  /** e.g. `na1` (access-key). */
  area: string | null;
  /** e.g. `https://cxone.niceincontact.com` (oauth-password). */
  issuer: string | null;
  /** API host override, e.g. `https://api-na1.niceincontact.com` or an emulator URL; null: derived from the area. */
  apiBase: string | null;
  apiVersion: string;
  pathStyle: 'incontactapi' | 'inContactAPI';
  accessKeyId: string;
  clientId: string | null;
  accessKeySecretSet: boolean;
  clientSecretSet: boolean;
}

/** A connection to save. Secrets are write-only: given to set, absent to keep, listed in `clearSecrets` to delete. */
export type CxoneConnectionInput = z.infer<typeof connectionInputSchema>;

/** The outcome of "test connection": a token, the API host, then GET server-time (cxone-reference.md §1c). No secret. */
export interface ConnectionTestResult {
  ok: boolean;
  /** One line: what worked, or the first failure. */
  message: string;
  /** `token`, `api-host`, `server-time`, in order; a failed step ends the list. */
  checks: CheckResult[];
}

/** A SIP listener of the settings (besides the built-in ones): bind `host`, `advertiseHost` (null: derived), the profile of its calls. */
export type SipListenerSetting = z.infer<typeof listenerSettingSchema>;

/** A listener of the settings with its live state. */
export type SipListenerView = SipListenerSetting & {
  status: 'listening' | 'stopped' | 'error';
  uri: string | null;
  error: string | null;
};

/** A SIP trunk (settings): where calls to numbers go, with digest credentials. */
export interface TrunkView {
  id: string;
  name: string;
  /** Proxy/registrar host and port. */
  host: string;
  port: number;
  transport: SipTransportKind;
  /** Domain of the Request-URI and From (`sip:<number>@<domain>`); null: `host`. */
  domain: string | null;
  username: string | null;
  register: boolean;
  passwordSet: boolean;
  /** REGISTER with the trunk (RFC 3261 §10): `off` when not asked for; `error` says why it failed. */
  registration: {
    state: 'off' | 'idle' | 'registering' | 'registered' | 'unregistering' | 'unregistered' | 'failed';
    error: string | null;
    /** Expiry granted (s) when registered. */
    expiresS: number | null;
  };
}

/** A trunk to save. The password is write-only (see {@link CxoneConnectionInput}). */
export type TrunkInput = z.infer<typeof trunkInputSchema>;

/** Everything on the Settings screen. */
export interface SettingsView {
  connections: CxoneConnectionView[];
  listeners: SipListenerView[];
  trunks: TrunkView[];
  keychain: KeychainStatus;
}

/** Formats of an export from the dashboard: the report formats and the pcap trace (issue 6). */
export { EXPORT_FORMATS, MAX_IMPORT_BYTES } from './contract-schemas';
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** An export request (see {@link reportExportRequestSchema}). Secrets are always redacted. */
export type ReportExportRequest = z.infer<typeof reportExportRequestSchema>;
/** What to export: a run of history (all its calls) or calls by their history ids. */
export type ExportSelection = ReportExportRequest['selection'];

/** One exported file, as bytes (base64) with the name and MIME type to save it under. */
export interface ExportedFile {
  format: ExportFormat;
  fileName: string;
  mime: string;
  base64: string;
  bytes: number;
}

/** A capture to import (pcap or pcapng), as bytes (base64); see {@link pcapImportRequestSchema}. */
export type PcapImportRequest = z.infer<typeof pcapImportRequestSchema>;

/** One call found in an imported capture. */
export interface ImportedCallView {
  callRef: string;
  callId: string;
  from: string;
  to: string;
  state: string;
  messages: number;
  contactId: string | null;
  verdictOk: boolean;
  verdictReason: string | null;
}

/** What an import did: the run kept in history (kind `import`) and each call's verdict. */
export interface PcapImportResult {
  /** At least one call, every contact-id verdict ok. */
  ok: boolean;
  runId: string | null;
  file: string;
  format: 'pcap' | 'pcapng' | null;
  frames: number;
  sipMessages: number;
  calls: ImportedCallView[];
  /** Why the file could not be read to its end; null when it was. */
  error: string | null;
}

/** A scheduled monitor to start from the dashboard (issue 6, monitoring); see {@link monitorStartRequestSchema}. */
export type MonitorStartRequest = z.infer<typeof monitorStartRequestSchema>;

/** One run of a dashboard monitor. */
export interface MonitorRunView {
  index: number;
  startedWallMs: number;
  ok: boolean;
  runId: string | null;
  /** Why it could not run, or the failed checks, one line each. */
  problems: string[];
  /** INVITE→200 (ms) of the run, when measured. */
  inviteTo200Ms: number | null;
}

/** A dashboard monitor with its last runs (newest last, at most 20). */
export interface MonitorView {
  id: string;
  scenario: 'handoff' | 'test';
  /** `test`: the case files or folders it runs. */
  paths?: string[];
  profile: string;
  transport: 'udp' | 'tcp';
  everyMs: number;
  faults: string[];
  state: 'running' | 'stopping' | 'stopped';
  startedWallMs: number;
  passed: number;
  failed: number;
  runs: MonitorRunView[];
}

/** The monitors and the fault specs a monitor can inject. */
export interface MonitorList {
  monitors: MonitorView[];
  faultSpecs: string[];
}

/** One run of a scenario's trend (as monitor/trend.ts `TrendPoint`). */
export interface ScenarioTrendPoint {
  runId: string;
  startedWallMs: number;
  ok: boolean | null;
  latency: Partial<Record<LatencyMarkName, number>>;
  failedChecks: string[];
  faults: string[];
}

/** The verdict history and latency trend of one scenario: kind + profile + transport (monitor/trend.ts). */
export interface ScenarioTrendView {
  kind: string;
  profile: string;
  transport: string;
  points: ScenarioTrendPoint[];
  passed: number;
  failed: number;
  marks: Partial<Record<LatencyMarkName, { count: number; median: number; p95: number; last: number }>>;
}

/**
 * Declares one method of the contract: its payload schema (the source of the payload type and of
 * the hosts' validation) and, as a type only, the value its Result carries.
 */
function method<S extends z.ZodType, R>(payload: S): { payload: S; result: R } {
  return { payload, result: undefined as R };
}

const byId = byIdSchema;
const limitOnly = limitSchema;

/**
 * THE CONTRACT, written once (issue 11 item 3): every method the renderer can call, with its
 * payload schema and result type. `LabHandlers`, `LAB_METHODS` (the preload's allow-list, the
 * Electron IPC channels, the browser host's methods) and the hosts' payload validation all derive
 * from this table. To add a method: one line here, its handler in host/lab-handlers.ts.
 */
export const LAB_CONTRACT = {
  'app/info': method<z.ZodNull, AppInfo>(z.null()),
  'profiles/list': method<z.ZodNull, ListedProfile[]>(z.null()),
  /** Saves a custom profile (validated by profiles/schema.ts in the handler, field by field); a built-in id is refused. */
  'profiles/save': method<z.ZodType<{ profile: VendorProfile }>, ListedProfile>(
    z.object({ profile: z.custom<VendorProfile>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'a profile object') }).strict(),
  ),
  'profiles/delete': method<typeof byId, null>(byId),
  'calls/list': method<typeof limitOnly, CallSummary[]>(limitOnly),
  'calls/get': method<typeof byId, CallDetail>(byId),
  'calls/place': method<typeof placeCallRequestSchema, { callRef: string }>(placeCallRequestSchema),
  'calls/hangup': method<typeof byId, null>(byId),
  /** Keys DTMF digits (0-9 * # A-D) on a live call by RFC 4733 or SIP INFO (media/conversation.ts); resolves once sent. */
  'calls/dtmf': method<z.ZodType<{ id: string; digits: string; method: 'rfc4733' | 'info' }>, null>(
    z.object({ id: z.string().min(1).max(200), digits: z.string().regex(/^[0-9*#A-Da-d]{1,32}$/), method: z.enum(['rfc4733', 'info']) }).strict(),
  ),
  'calls/recording': method<typeof byId, RecordingData>(byId),
  'history/search': method<typeof historySearchRequestSchema, HistoryPage>(historySearchRequestSchema),
  'history/runs': method<typeof limitOnly, RunSummary[]>(limitOnly),
  /** Everything that carried a contact id, as one timeline (issue 15; src/shared/timeline.ts). */
  'history/contact': method<z.ZodType<{ contactId: string }>, ContactTimeline>(z.object({ contactId: z.string().trim().min(1).max(100) }).strict()),
  'signals/send': method<typeof sendSignalRequestSchema, SignalRecord>(sendSignalRequestSchema),
  'signals/list': method<typeof limitOnly, SignalListEntry[]>(limitOnly),
  'latency/stats': method<z.ZodType<{ profile?: string; limit?: number }>, LatencyStats>(
    z.object({ profile: z.string().min(1).max(100).optional(), limit: z.number().int().min(1).max(10_000).optional() }).strict(),
  ),
  'settings/get': method<z.ZodNull, SettingsView>(z.null()),
  'settings/saveConnection': method<typeof connectionInputSchema, CxoneConnectionView>(connectionInputSchema),
  'settings/deleteConnection': method<typeof byId, null>(byId),
  'settings/testConnection': method<typeof byId, ConnectionTestResult>(byId),
  'settings/saveListener': method<typeof listenerInputSchema, SipListenerView>(listenerInputSchema),
  'settings/deleteListener': method<typeof byId, null>(byId),
  'settings/saveTrunk': method<typeof trunkInputSchema, TrunkView>(trunkInputSchema),
  'settings/deleteTrunk': method<typeof byId, null>(byId),
  /** Builds report files of a run or of calls (issue 6). */
  'reports/export': method<typeof reportExportRequestSchema, ExportedFile[]>(reportExportRequestSchema),
  /** Imports a pcap/pcapng into history as a run of kind `import`. */
  'import/pcap': method<typeof pcapImportRequestSchema, PcapImportResult>(pcapImportRequestSchema),
  'monitor/start': method<typeof monitorStartRequestSchema, MonitorView>(monitorStartRequestSchema),
  /** Stops a monitor after its run in progress; resolves with its final view. */
  'monitor/stop': method<typeof byId, MonitorView>(byId),
  'monitor/list': method<z.ZodNull, MonitorList>(z.null()),
  /** Trends of the handoff scenario, most recently run first; `profile`/`transport` narrow them. */
  'monitor/trends': method<z.ZodType<{ profile?: string; transport?: string; limit?: number }>, ScenarioTrendView[]>(
    z.object({ profile: z.string().min(1).max(100).optional(), transport: z.string().min(1).max(10).optional(), limit: z.number().int().min(1).max(10_000).optional() }).strict(),
  ),
  /** Test cases (issue 13 item 6; shared/tests-contract.ts): a folder's cases, read, live validation, save, run, history, report. */
  'tests/list': method<typeof testsListSchema, TestFolderView>(testsListSchema),
  'tests/read': method<typeof testsReadSchema, { path: string; text: string }>(testsReadSchema),
  'tests/validate': method<typeof testsValidateSchema, TestValidation>(testsValidateSchema),
  'tests/save': method<typeof testsSaveSchema, TestValidation>(testsSaveSchema),
  /** Starts a run at once; its progress comes as `test/progress` events. */
  'tests/run': method<typeof testsRunSchema, TestRunView>(testsRunSchema),
  'tests/history': method<typeof testsHistorySchema, TestHistoryView>(testsHistorySchema),
  'tests/report': method<typeof testsReportSchema, TestReportFile>(testsReportSchema),
};

/** A method name of the contract. */
export type LabMethod = keyof typeof LAB_CONTRACT;
/** The payload of a method, inferred from its schema. */
export type LabPayload<M extends LabMethod> = z.infer<(typeof LAB_CONTRACT)[M]['payload']>;
/** The value a method's Result carries. */
export type LabValue<M extends LabMethod> = (typeof LAB_CONTRACT)[M]['result'];
/** One function per method: the handlers the hosts serve and the API the renderer calls. */
export type LabHandlers = { [M in LabMethod]: (payload: LabPayload<M>) => Promise<Result<LabValue<M>>> };

/** A change of a call's summary: always its id, then only the fields that changed (the whole summary on its first appearance). */
export type CallDelta = Pick<CallSummary, 'id'> & Partial<CallSummary>;

/**
 * Live changes, coalesced by the host (issue 5 item 9; deltas since issue 11): at most one batch per
 * interval (~100 ms). The renderer applies them to what it holds; it never refetches a whole call
 * for a live change.
 */
export interface LiveBatch {
  /** Calls that changed, each once, in the order of their last change: the changed fields. */
  calls: CallDelta[];
  /** Internal call id → SIP messages recorded since the previous batch (a count). */
  sipMessages: Record<string, number>;
  /** Internal call id → the SIP messages recorded since the previous batch, in wire order. */
  messages: Record<string, SipMessageRecord[]>;
  /** Internal call id → checks recorded since the previous batch. */
  checks: Record<string, CheckResult[]>;
  /** Internal call id → its media report (written once, when the call is over). */
  media: Record<string, MediaReport>;
}

export interface LabEvents {
  /**
   * Core events, one per change, raised by the call recorder inside the main process. The Lab
   * coalesces them into `live/batch`; they never cross to the renderer.
   */
  'call/updated': CallSummary;
  'sip/message': { callRef: string | null; message: SipMessageRecord };
  /** A Signal completed (any outcome). */
  'signal/added': SignalRecord;
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
export const LAB_EVENTS = ['live/batch', 'signal/added', 'settings/changed', 'profiles/changed', 'monitor/updated', 'test/progress'] as const satisfies readonly LabEventName[];
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
