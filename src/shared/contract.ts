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
import type { VendorProfile } from './profile';
import type { ContactTimeline } from './timeline';
import type { Result } from './result';
import type {
  CallSummary,
  CallDetail,
  CheckResult,
  LatencyMarkName,
  ListenerInfo,
  MediaReport,
  SignalParams,
  SignalRecord,
  SipHeader,
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

/**
 * A call placed by the app as CXone (design.md §2, mode 2; mode 3 when `target` is empty): the
 * emulated child script PLACECALLs `target` with `headers` put by SIPPUTHEADER.
 */
export interface PlaceCallRequest {
  /** SIP URI (`sip:bot@10.0.0.5:5060`) or, with a trunk, a number; empty: the built-in reference bot. */
  target: string;
  profile: string;
  transport: SipTransportKind;
  /**
   * The X- headers of the INVITE, in order; null: the profile's. `{contactId}`, `{masterId}` and
   * `{childId}` in a value are replaced by the emulated contact ids.
   */
  headers: SipHeader[] | null;
  /** Trunk (settings) the call goes through; null: straight to the target. */
  trunkId: string | null;
  /**
   * For the built-in bot: true, it signals by itself (the full automatic handoff); false, it holds
   * the call so that the user sends the Signal from the dashboard.
   */
  botSignals: boolean;
}

export interface SendSignalRequest {
  /** Internal id of the call whose contact id is signalled; absent: only `contactId` is used. */
  callRef?: string;
  /** Overrides the contact id taken from the call's INVITE. */
  contactId?: string;
  params: SignalParams;
  /** CXone connection (settings) to signal through; absent or null: the embedded emulator. */
  connectionId?: string | null;
  /** Profile whose API version and path style apply when there is no call; default the call's, else `custom`. */
  profile?: string;
}

/** Which field the history search text is matched against. */
export type HistorySearchField = 'any' | 'contactId' | 'callId' | 'number';

/** A page of the history search (issue 5 item 5). Text matches are prefix matches for ids, substring (≥ 3 characters) for numbers. */
export interface HistorySearchRequest {
  field: HistorySearchField;
  text: string;
  /** Unix ms, inclusive. */
  fromWallMs?: number;
  /** Unix ms, exclusive. */
  toWallMs?: number;
  verdict: 'any' | 'ok' | 'fail' | 'none';
  runId?: string;
  offset: number;
  /** At most 1000 per page. */
  limit: number;
}

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
export type CxoneConnectionInput = Omit<CxoneConnectionView, 'id' | 'accessKeySecretSet' | 'clientSecretSet'> & {
  id?: string;
  accessKeySecret?: string;
  clientSecret?: string;
  clearSecrets?: Array<'accessKeySecret' | 'clientSecret'>;
};

/** The outcome of "test connection": a token, the API host, then GET server-time (cxone-reference.md §1c). No secret. */
export interface ConnectionTestResult {
  ok: boolean;
  /** One line: what worked, or the first failure. */
  message: string;
  /** `token`, `api-host`, `server-time`, in order; a failed step ends the list. */
  checks: CheckResult[];
}

/** A SIP listener of the settings (besides the built-in ones). */
export interface SipListenerSetting {
  id: string;
  transport: SipTransportKind;
  /** Address to bind, e.g. `0.0.0.0`. */
  host: string;
  port: number;
  /** Address to write in Contact/SDP (what CXone must reach); null: derived from `host`. */
  advertiseHost: string | null;
  /** Profile for calls that arrive here. */
  profile: string;
  enabled: boolean;
}

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
export type TrunkInput = Omit<TrunkView, 'id' | 'passwordSet' | 'registration'> & { id?: string; password?: string; clearPassword?: boolean };

/** Everything on the Settings screen. */
export interface SettingsView {
  connections: CxoneConnectionView[];
  listeners: SipListenerView[];
  trunks: TrunkView[];
  keychain: KeychainStatus;
}

/** Formats of an export from the dashboard: the report formats and the pcap trace (issue 6). */
export const EXPORT_FORMATS = ['html', 'json', 'junit', 'markdown', 'pcap'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What to export: a run of history (all its calls) or calls by their history ids. */
export type ExportSelection = { runId: string } | { callIds: string[] };

/** An export request (issue 6 item "reports from the dashboard"). Secrets are always redacted. */
export interface ReportExportRequest {
  selection: ExportSelection;
  /** One file per format, in this order; at least one. */
  formats: ExportFormat[];
  /** Phone numbers and IP addresses in the text formats (the pcap is the real trace, never redacted). */
  redact: { phoneNumbers: boolean; ipAddresses: boolean };
}

/** One exported file, as bytes (base64) with the name and MIME type to save it under. */
export interface ExportedFile {
  format: ExportFormat;
  fileName: string;
  mime: string;
  base64: string;
  bytes: number;
}

/** A capture to import (pcap or pcapng), as bytes (base64). */
export interface PcapImportRequest {
  /** Shown in history as the run's file; a base name, no path. */
  fileName: string;
  /** Vendor profile (built-in or custom id) each INVITE's contact id is verified under. */
  profile: string;
  base64: string;
}

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

/** A scheduled monitor to start from the dashboard (issue 6, monitoring). */
export interface MonitorStartRequest {
  scenario: 'handoff';
  profile: string;
  transport: 'udp' | 'tcp';
  /** Time between the starts of two runs (ms), at least 1000. */
  everyMs: number;
  /** Emulator fault specs (`server-error`, `slow:3000`…; see `MonitorList.faultSpecs`). */
  faults: string[];
}

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
  scenario: 'handoff';
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

export interface LabHandlers {
  'app/info': (payload: null) => Promise<Result<AppInfo>>;
  'profiles/list': (payload: null) => Promise<Result<ListedProfile[]>>;
  /** Saves a custom profile (validated); a built-in id is refused. */
  'profiles/save': (payload: { profile: VendorProfile }) => Promise<Result<ListedProfile>>;
  'profiles/delete': (payload: { id: string }) => Promise<Result<null>>;
  'calls/list': (payload: { limit?: number }) => Promise<Result<CallSummary[]>>;
  'calls/get': (payload: { id: string }) => Promise<Result<CallDetail>>;
  'calls/place': (payload: PlaceCallRequest) => Promise<Result<{ callRef: string }>>;
  'calls/hangup': (payload: { id: string }) => Promise<Result<null>>;
  /** Keys DTMF digits (0-9 * # A-D) on a live call by RFC 4733 or SIP INFO (media/conversation.ts); resolves once sent. */
  'calls/dtmf': (payload: { id: string; digits: string; method: 'rfc4733' | 'info' }) => Promise<Result<null>>;
  'calls/recording': (payload: { id: string }) => Promise<Result<RecordingData>>;
  'history/search': (payload: HistorySearchRequest) => Promise<Result<HistoryPage>>;
  'history/runs': (payload: { limit?: number }) => Promise<Result<RunSummary[]>>;
  /** Everything that carried a contact id, as one timeline (issue 15; src/shared/timeline.ts). */
  'history/contact': (payload: { contactId: string }) => Promise<Result<ContactTimeline>>;
  'signals/send': (payload: SendSignalRequest) => Promise<Result<SignalRecord>>;
  'signals/list': (payload: { limit?: number }) => Promise<Result<SignalListEntry[]>>;
  'latency/stats': (payload: { profile?: string; limit?: number }) => Promise<Result<LatencyStats>>;
  'settings/get': (payload: null) => Promise<Result<SettingsView>>;
  'settings/saveConnection': (payload: CxoneConnectionInput) => Promise<Result<CxoneConnectionView>>;
  'settings/deleteConnection': (payload: { id: string }) => Promise<Result<null>>;
  'settings/testConnection': (payload: { id: string }) => Promise<Result<ConnectionTestResult>>;
  'settings/saveListener': (payload: Omit<SipListenerSetting, 'id'> & { id?: string }) => Promise<Result<SipListenerView>>;
  'settings/deleteListener': (payload: { id: string }) => Promise<Result<null>>;
  'settings/saveTrunk': (payload: TrunkInput) => Promise<Result<TrunkView>>;
  'settings/deleteTrunk': (payload: { id: string }) => Promise<Result<null>>;
  /** Builds report files of a run or of calls (issue 6). */
  'reports/export': (payload: ReportExportRequest) => Promise<Result<ExportedFile[]>>;
  /** Imports a pcap/pcapng into history as a run of kind `import`. */
  'import/pcap': (payload: PcapImportRequest) => Promise<Result<PcapImportResult>>;
  'monitor/start': (payload: MonitorStartRequest) => Promise<Result<MonitorView>>;
  /** Stops a monitor after its run in progress; resolves with its final view. */
  'monitor/stop': (payload: { id: string }) => Promise<Result<MonitorView>>;
  'monitor/list': (payload: null) => Promise<Result<MonitorList>>;
  /** Trends of the handoff scenario, most recently run first; `profile`/`transport` narrow them. */
  'monitor/trends': (payload: { profile?: string; transport?: string; limit?: number }) => Promise<Result<ScenarioTrendView[]>>;
}

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
}

export type LabMethod = keyof LabHandlers;
export type LabEventName = keyof LabEvents;
export type LabPayload<M extends LabMethod> = Parameters<LabHandlers[M]>[0];
export type LabResult<M extends LabMethod> = Awaited<ReturnType<LabHandlers[M]>>;

/** Every method name, written once: the preload exposes exactly these, the hosts register exactly these. */
export const LAB_METHODS = [
  'app/info',
  'profiles/list',
  'profiles/save',
  'profiles/delete',
  'calls/list',
  'calls/get',
  'calls/place',
  'calls/hangup',
  'calls/dtmf',
  'calls/recording',
  'history/search',
  'history/runs',
  'history/contact',
  'signals/send',
  'signals/list',
  'latency/stats',
  'settings/get',
  'settings/saveConnection',
  'settings/deleteConnection',
  'settings/testConnection',
  'settings/saveListener',
  'settings/deleteListener',
  'settings/saveTrunk',
  'settings/deleteTrunk',
  'reports/export',
  'import/pcap',
  'monitor/start',
  'monitor/stop',
  'monitor/list',
  'monitor/trends',
] as const satisfies readonly LabMethod[];

/** The events that cross to the renderer (the core's per-change events do not). */
export const LAB_EVENTS = ['live/batch', 'signal/added', 'settings/changed', 'profiles/changed', 'monitor/updated'] as const satisfies readonly LabEventName[];
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
