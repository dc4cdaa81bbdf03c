/**
 * The one contract between the renderer and the main process (design.md §4).
 *
 * `LabHandlers` maps each request name to its exact signature; `LabEvents` maps each event name to
 * its payload. The Electron IPC host, the browser host (WebSocket) and the preload are all typed by
 * these maps, so each name is written once and the compiler checks both ends. Every handler takes
 * one JSON payload and resolves to a {@link Result}; none rejects.
 */
import type { VendorProfile } from './profile';
import type { Result } from './result';
import type {
  CallDetail,
  CallSummary,
  ListenerInfo,
  SignalParams,
  SignalRecord,
  SipMessageRecord,
} from './types';

/** What the dashboard shows in its header. */
export interface AppInfo {
  version: string;
  /** `electron` or `browser`. */
  host: 'electron' | 'browser';
  listeners: ListenerInfo[];
  /** Base URL of the CXone API that signals go to (the embedded emulator or a real one). */
  cxoneApi: string;
  /** Where history is stored. */
  dbFile: string;
}

/** Options of an emulated test call: the CXone emulator calls the built-in reference bot. */
export interface PlaceEmulatedCallRequest {
  profile: string;
  transport: 'udp' | 'tcp';
  /**
   * When true the reference bot signals by itself (the full automatic handoff); when false the
   * bot holds the call so that the user sends the Signal from the dashboard.
   */
  botSignals: boolean;
}

export interface SendSignalRequest {
  /** Internal id of the call whose contact id is signalled. */
  callRef: string;
  /** Overrides the contact id taken from the call's INVITE. */
  contactId?: string;
  params: SignalParams;
}

export interface LabHandlers {
  'app/info': (payload: null) => Promise<Result<AppInfo>>;
  'profiles/list': (payload: null) => Promise<Result<VendorProfile[]>>;
  'calls/list': (payload: { limit?: number }) => Promise<Result<CallSummary[]>>;
  'calls/get': (payload: { id: string }) => Promise<Result<CallDetail>>;
  'calls/placeEmulated': (payload: PlaceEmulatedCallRequest) => Promise<Result<{ callRef: string }>>;
  'calls/hangup': (payload: { id: string }) => Promise<Result<null>>;
  'signals/send': (payload: SendSignalRequest) => Promise<Result<SignalRecord>>;
}

export interface LabEvents {
  /** A call was created or changed (state, verdict, latency). */
  'call/updated': CallSummary;
  /** A SIP message crossed a socket. `callRef` is the internal call id when known. */
  'sip/message': { callRef: string | null; message: SipMessageRecord };
  /** A Signal completed (any outcome). */
  'signal/added': SignalRecord;
}

export type LabMethod = keyof LabHandlers;
export type LabEventName = keyof LabEvents;
export type LabPayload<M extends LabMethod> = Parameters<LabHandlers[M]>[0];
export type LabResult<M extends LabMethod> = Awaited<ReturnType<LabHandlers[M]>>;

/** Every method name, written once: the preload exposes exactly these, the hosts register exactly these. */
export const LAB_METHODS = [
  'app/info',
  'profiles/list',
  'calls/list',
  'calls/get',
  'calls/placeEmulated',
  'calls/hangup',
  'signals/send',
] as const satisfies readonly LabMethod[];

/** Every event name. */
export const LAB_EVENTS = ['call/updated', 'sip/message', 'signal/added'] as const satisfies readonly LabEventName[];

/**
 * What the preload puts on `window.lab` and what the browser host's client provides: exactly one
 * function per contract method (no generic invoke), and a typed subscription per event.
 */
export type LabApi = LabHandlers & {
  on<E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void): () => void;
};

/** Messages of the browser host's WebSocket bridge. */
export type WsClientMessage = { t: 'req'; id: number; method: LabMethod; payload: unknown };
export type WsServerMessage =
  | { t: 'res'; id: number; result: Result<unknown> }
  | { t: 'evt'; name: LabEventName; payload: unknown };
