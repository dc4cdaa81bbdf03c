/**
 * Live state of the dashboard (zustand), fed by the contract's requests and events (design.md §4).
 *
 * The call list is loaded once per (re)connection with `calls/list` and then kept current by
 * `live/batch` (the main process coalesces call and SIP-message changes, ~10 batches a second at
 * most, issue 5 item 9): one state update per batch, whatever the number of calls in it. Batches
 * carry deltas (issue 11): changed fields, new SIP messages, new checks, the media report, applied
 * to the list and to the selected call's detail, which is fetched with `calls/get` on selection and
 * re-fetched only when its contact-id verdict lands (the verdict and INVITE are not in the deltas).
 * A Signal arrives once, by `signal/added`. Nothing here ever holds a secret: settings carry
 * `…Set: boolean` only.
 */
import { create } from 'zustand';
import type {
  AppInfo,
  LabApi,
  ListedProfile,
  CallDelta,
  LiveBatch,
  PlaceCallRequest,
  SendSignalRequest,
  SettingsView,
  SignalListEntry,
} from '../../shared/contract';
import { errorText, type Result } from '../../shared/result';
import type { CallDetail, CallSummary, SignalRecord } from '../../shared/types';
import type { LabLink, LinkStatus } from './lab-api';
import { applyMonitorUpdate, loadMonitors } from './monitor-model';

/** How many calls the live list loads. */
export const CALL_LIST_LIMIT = 200;
/** How many Signals the Signals screen loads. */
export const SIGNAL_LIST_LIMIT = 500;
/** A burst of changes to the selected call within this window (ms) causes one `calls/get`. */
export const DETAIL_REFETCH_DEBOUNCE_MS = 150;

/** The dashboard's screens (issue 5 items 1-6). */
export const SCREENS = ['calls', 'signals', 'latency', 'history', 'monitor', 'settings', 'tests'] as const;
export type Screen = (typeof SCREENS)[number];

/** Everything the dashboard shows, and the actions that change it. */
export interface LabState {
  link: LinkStatus;
  screen: Screen;
  info: AppInfo | null;
  infoError: string | null;
  profiles: ListedProfile[];
  profilesError: string | null;
  /** Newest first (by `startedWallMs`). */
  calls: CallSummary[];
  callsError: string | null;
  /** Live batches received since the page loaded (shown in the status bar). */
  batches: number;
  selectedId: string | null;
  /** Detail of the selected call; null until the first `calls/get` for it resolves. */
  detail: CallDetail | null;
  detailError: string | null;
  /** Signals of every call, newest first. */
  signals: SignalListEntry[];
  signalsError: string | null;
  settings: SettingsView | null;
  settingsError: string | null;

  setScreen(screen: Screen): void;
  /** Selects a call (or none) and fetches its detail. */
  select(id: string | null): void;
  /** Selects a call and shows it on the Calls screen (from History or Signals). */
  openCall(id: string): void;
  /** Moves the selection by `delta` rows in the list (clamped). */
  moveSelection(delta: number): void;
  place(req: PlaceCallRequest): Promise<Result<{ callRef: string }>>;
  hangup(id: string): Promise<Result<null>>;
  sendSignal(req: SendSignalRequest): Promise<Result<SignalRecord>>;
  refreshSignals(): Promise<void>;
  refreshSettings(): Promise<void>;
  refreshProfiles(): Promise<void>;
}

let api: LabApi | null = null;
let refetchTimer: ReturnType<typeof setTimeout> | null = null;
/** Increments on every detail fetch; a response is applied only if it is still the latest. */
let detailSeq = 0;

const notConnected = <T>(): Result<T> => ({ ok: false, error: 'the lab API is not available' });

/** The contract's API for one-off requests of a screen (history pages, charts, recordings), or null before {@link startLab}. */
export function labApi(): LabApi | null {
  return api;
}

/** Newest first; a stable sort keeps arrival order for equal start times. */
function sortCalls(calls: CallSummary[]): CallSummary[] {
  return [...calls].sort((a, b) => b.startedWallMs - a.startedWallMs);
}

/** True when a delta holds a whole summary (a call's first appearance). */
function isWhole(c: CallDelta): c is CallSummary {
  return typeof c.callId === 'string' && typeof c.state === 'string' && typeof c.startedWallMs === 'number';
}

/**
 * Merges changed calls into the list (fields over the held call, by internal id; a call not held
 * is added when the delta is whole), sorted once, capped at {@link CALL_LIST_LIMIT} × 2.
 */
export function mergeCalls(calls: readonly CallSummary[], changed: readonly CallDelta[]): CallSummary[] {
  if (changed.length === 0) return calls as CallSummary[];
  const byId = new Map(calls.map((c) => [c.id, c]));
  for (const c of changed) {
    if (!c || typeof c.id !== 'string') continue;
    const held = byId.get(c.id);
    if (held) byId.set(c.id, { ...held, ...c });
    else if (isWhole(c)) byId.set(c.id, c);
  }
  return sortCalls([...byId.values()]).slice(0, CALL_LIST_LIMIT * 2);
}

/** The dashboard's store. Call {@link startLab} once before rendering. */
export const useLab = create<LabState>()((set, get) => ({
  link: { state: 'connecting', message: null, opens: 0 },
  screen: 'calls',
  info: null,
  infoError: null,
  profiles: [],
  profilesError: null,
  calls: [],
  callsError: null,
  batches: 0,
  selectedId: null,
  detail: null,
  detailError: null,
  signals: [],
  signalsError: null,
  settings: null,
  settingsError: null,

  setScreen(screen) {
    if (screen !== get().screen) set({ screen });
    if (screen === 'signals') void get().refreshSignals();
    if (screen === 'settings') void get().refreshSettings();
  },

  select(id) {
    if (id === get().selectedId) return;
    set({ selectedId: id, detail: null, detailError: null });
    if (id) void fetchDetail(id);
  },

  openCall(id) {
    get().select(id);
    get().setScreen('calls');
  },

  moveSelection(delta) {
    const { calls, selectedId } = get();
    if (calls.length === 0) return;
    const i = calls.findIndex((c) => c.id === selectedId);
    const next = i < 0 ? (delta > 0 ? 0 : calls.length - 1) : Math.max(0, Math.min(calls.length - 1, i + delta));
    const call = calls[next];
    if (call) get().select(call.id);
  },

  async place(req) {
    if (!api) return notConnected();
    const result = await api['calls/place'](req);
    if (result.ok) get().select(result.value.callRef);
    return result;
  },

  async hangup(id) {
    if (!api) return notConnected();
    const result = await api['calls/hangup']({ id });
    scheduleRefetch(id);
    return result;
  },

  async sendSignal(req) {
    if (!api) return notConnected();
    const result = await api['signals/send'](req);
    if (result.ok) addSignal(result.value);
    return result;
  },

  async refreshSignals() {
    if (!api) return;
    const r = await api['signals/list']({ limit: SIGNAL_LIST_LIMIT });
    set(r.ok ? { signals: r.value, signalsError: null } : { signalsError: errorText(r) });
  },

  async refreshSettings() {
    if (!api) return;
    const r = await api['settings/get'](null);
    set(r.ok ? { settings: r.value, settingsError: null } : { settingsError: errorText(r) });
  },

  async refreshProfiles() {
    if (!api) return;
    const r = await api['profiles/list'](null);
    set(r.ok ? { profiles: r.value, profilesError: null } : { profilesError: errorText(r) });
  },
}));

async function fetchDetail(id: string): Promise<void> {
  if (!api) return;
  const seq = ++detailSeq;
  const result = await api['calls/get']({ id });
  if (seq !== detailSeq || useLab.getState().selectedId !== id) return;
  if (result.ok) useLab.setState({ detail: result.value, detailError: null });
  else useLab.setState({ detailError: errorText(result) });
}

/** Re-fetches the selected call's detail after {@link DETAIL_REFETCH_DEBOUNCE_MS}, once per burst. */
function scheduleRefetch(id: string | null): void {
  if (!id || id !== useLab.getState().selectedId) return;
  if (refetchTimer) clearTimeout(refetchTimer);
  refetchTimer = setTimeout(() => {
    refetchTimer = null;
    const selected = useLab.getState().selectedId;
    if (selected) void fetchDetail(selected);
  }, DETAIL_REFETCH_DEBOUNCE_MS);
}

/** Shows a Signal (in the selected call's detail and the Signals list, upsert by id): it arrives once, no re-fetch. */
function addSignal(signal: SignalRecord): void {
  const { detail, signals, calls } = useLab.getState();
  const patch: Partial<LabState> = {};
  if (detail && signal.callRef === detail.id) {
    patch.detail = { ...detail, signals: [...detail.signals.filter((s) => s.id !== signal.id), signal] };
  }
  const profile = calls.find((c) => c.id === signal.callRef)?.profile ?? null;
  patch.signals = [{ ...signal, profile }, ...signals.filter((s) => s.id !== signal.id)].slice(0, SIGNAL_LIST_LIMIT);
  useLab.setState(patch);
}

/** Applies one live batch in a single state update. */
export function applyBatch(batch: LiveBatch): void {
  if (!batch || !Array.isArray(batch.calls)) return;
  const { calls, detail, selectedId, batches } = useLab.getState();
  const patch: Partial<LabState> = { calls: mergeCalls(calls, batch.calls), batches: batches + 1 };
  const mine = selectedId ? batch.calls.find((c) => c.id === selectedId) : undefined;
  if (detail && selectedId === detail.id) {
    const messages = batch.messages?.[detail.id];
    const checks = batch.checks?.[detail.id];
    const media = batch.media?.[detail.id];
    if (mine || messages || checks || media) {
      patch.detail = {
        ...detail,
        ...(mine ?? {}),
        ...(messages ? { messages: [...detail.messages, ...messages] } : {}),
        ...(checks ? { checks: [...detail.checks, ...checks] } : {}),
        ...(media ? { media } : {}),
      };
    }
  }
  useLab.setState(patch);
  // The verdict and the INVITE are not deltas: fetch the detail once when the verdict lands.
  if (selectedId && mine && 'contactIdOk' in mine) scheduleRefetch(selectedId);
}

async function loadAll(): Promise<void> {
  if (!api) return;
  const [info, profiles, calls] = await Promise.all([
    api['app/info'](null),
    api['profiles/list'](null),
    api['calls/list']({ limit: CALL_LIST_LIMIT }),
  ]);
  useLab.setState({
    ...(info.ok ? { info: info.value, infoError: null } : { infoError: errorText(info) }),
    ...(profiles.ok ? { profiles: profiles.value, profilesError: null } : { profilesError: errorText(profiles) }),
    ...(calls.ok ? { calls: sortCalls(calls.value), callsError: null } : { callsError: errorText(calls) }),
  });
  const { selectedId, screen } = useLab.getState();
  if (selectedId) void fetchDetail(selectedId);
  if (screen === 'signals') void useLab.getState().refreshSignals();
  if (screen === 'settings') void useLab.getState().refreshSettings();
}

/** Re-reads app info (listeners, keychain) after the settings changed. */
async function refreshInfo(): Promise<void> {
  if (!api) return;
  const info = await api['app/info'](null);
  useLab.setState(info.ok ? { info: info.value, infoError: null } : { infoError: errorText(info) });
}

/**
 * Wires the store to a link: subscribes to the contract's events, and loads app info, profiles,
 * calls (and the selected call) on every (re)open of the link.
 * @returns a function that unsubscribes everything.
 */
export function startLab(link: LabLink): () => void {
  api = link.api;
  const offs: Array<() => void> = [];

  offs.push(
    link.api.on('live/batch', applyBatch),
    link.api.on('signal/added', (signal) => {
      if (signal && typeof signal.id === 'string') addSignal(signal);
    }),
    link.api.on('settings/changed', (settings) => {
      useLab.setState({ settings, settingsError: null });
      void refreshInfo();
    }),
    link.api.on('profiles/changed', (profiles) => {
      if (Array.isArray(profiles)) useLab.setState({ profiles, profilesError: null });
    }),
    link.api.on('monitor/updated', applyMonitorUpdate),
  );

  let lastOpens = 0;
  const onStatus = (status: LinkStatus): void => {
    useLab.setState({ link: status });
    if (status.state === 'open' && status.opens !== lastOpens) {
      lastOpens = status.opens;
      void loadAll();
      void loadMonitors(link.api);
    }
  };
  offs.push(link.onStatus(onStatus));
  onStatus(link.status());

  return () => {
    for (const off of offs) off();
    if (refetchTimer) clearTimeout(refetchTimer);
    api = null;
  };
}
