/**
 * Live state of the dashboard (zustand), fed by the contract's requests and events (design.md §4).
 *
 * The call list is loaded once per (re)connection with `calls/list` and then kept current by
 * `call/updated` (upsert by internal id, newest first). The selected call's detail is fetched with
 * `calls/get` on selection and re-fetched, debounced, when an event concerns it.
 */
import { create } from 'zustand';
import type { AppInfo, LabApi, PlaceEmulatedCallRequest, SendSignalRequest } from '../../shared/contract';
import type { VendorProfile } from '../../shared/profile';
import type { Result } from '../../shared/result';
import type { CallDetail, CallSummary, SignalRecord } from '../../shared/types';
import type { LabLink, LinkStatus } from './lab-api';

/** How many calls the list loads. */
export const CALL_LIST_LIMIT = 200;
/** A burst of events about the selected call within this window (ms) causes one `calls/get`. */
export const DETAIL_REFETCH_DEBOUNCE_MS = 150;

/** Everything the dashboard shows, and the actions that change it. */
export interface LabState {
  link: LinkStatus;
  info: AppInfo | null;
  infoError: string | null;
  profiles: VendorProfile[];
  profilesError: string | null;
  /** Newest first (by `startedWallMs`). */
  calls: CallSummary[];
  callsError: string | null;
  selectedId: string | null;
  /** Detail of the selected call; null until the first `calls/get` for it resolves. */
  detail: CallDetail | null;
  detailError: string | null;

  /** Selects a call (or none) and fetches its detail. */
  select(id: string | null): void;
  /** Moves the selection by `delta` rows in the list (clamped). */
  moveSelection(delta: number): void;
  placeEmulated(req: PlaceEmulatedCallRequest): Promise<Result<{ callRef: string }>>;
  hangup(id: string): Promise<Result<null>>;
  sendSignal(req: SendSignalRequest): Promise<Result<SignalRecord>>;
}

let api: LabApi | null = null;
let refetchTimer: ReturnType<typeof setTimeout> | null = null;
/** Increments on every detail fetch; a response is applied only if it is still the latest. */
let detailSeq = 0;

const notConnected = <T>(): Result<T> => ({ ok: false, error: 'the lab API is not available' });

/** Newest first; a stable sort keeps arrival order for equal start times. */
function sortCalls(calls: CallSummary[]): CallSummary[] {
  return [...calls].sort((a, b) => b.startedWallMs - a.startedWallMs);
}

function upsertCall(calls: CallSummary[], call: CallSummary): CallSummary[] {
  const i = calls.findIndex((c) => c.id === call.id);
  if (i < 0) return sortCalls([call, ...calls]);
  const next = [...calls];
  next[i] = call;
  return next[i]?.startedWallMs === calls[i]?.startedWallMs ? next : sortCalls(next);
}

/** The dashboard's store. Call {@link startLab} once before rendering. */
export const useLab = create<LabState>()((set, get) => ({
  link: { state: 'connecting', message: null, opens: 0 },
  info: null,
  infoError: null,
  profiles: [],
  profilesError: null,
  calls: [],
  callsError: null,
  selectedId: null,
  detail: null,
  detailError: null,

  select(id) {
    if (id === get().selectedId) return;
    set({ selectedId: id, detail: null, detailError: null });
    if (id) void fetchDetail(id);
  },

  moveSelection(delta) {
    const { calls, selectedId } = get();
    if (calls.length === 0) return;
    const i = calls.findIndex((c) => c.id === selectedId);
    const next = i < 0 ? (delta > 0 ? 0 : calls.length - 1) : Math.max(0, Math.min(calls.length - 1, i + delta));
    const call = calls[next];
    if (call) get().select(call.id);
  },

  async placeEmulated(req) {
    if (!api) return notConnected();
    const result = await api['calls/placeEmulated'](req);
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
}));

async function fetchDetail(id: string): Promise<void> {
  if (!api) return;
  const seq = ++detailSeq;
  const result = await api['calls/get']({ id });
  if (seq !== detailSeq || useLab.getState().selectedId !== id) return;
  if (result.ok) useLab.setState({ detail: result.value, detailError: null });
  else useLab.setState({ detailError: result.error });
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

/** Shows a Signal at once in the selected call's detail (upsert by id), then confirms by re-fetch. */
function addSignal(signal: SignalRecord): void {
  const { detail } = useLab.getState();
  if (detail && signal.callRef === detail.id) {
    const others = detail.signals.filter((s) => s.id !== signal.id);
    useLab.setState({ detail: { ...detail, signals: [...others, signal] } });
  }
  scheduleRefetch(signal.callRef);
}

async function loadAll(): Promise<void> {
  if (!api) return;
  const [info, profiles, calls] = await Promise.all([
    api['app/info'](null),
    api['profiles/list'](null),
    api['calls/list']({ limit: CALL_LIST_LIMIT }),
  ]);
  useLab.setState({
    ...(info.ok ? { info: info.value, infoError: null } : { infoError: info.error }),
    ...(profiles.ok ? { profiles: profiles.value, profilesError: null } : { profilesError: profiles.error }),
    ...(calls.ok ? { calls: sortCalls(calls.value), callsError: null } : { callsError: calls.error }),
  });
  const selected = useLab.getState().selectedId;
  if (selected) void fetchDetail(selected);
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
    link.api.on('call/updated', (call) => {
      if (!call || typeof call.id !== 'string') return;
      const { calls, detail } = useLab.getState();
      const patch: Partial<LabState> = { calls: upsertCall(calls, call) };
      if (detail && detail.id === call.id) patch.detail = { ...detail, ...call };
      useLab.setState(patch);
      scheduleRefetch(call.id);
    }),
    link.api.on('signal/added', (signal) => {
      if (signal && typeof signal.id === 'string') addSignal(signal);
    }),
    link.api.on('sip/message', (evt) => {
      const { selectedId, calls } = useLab.getState();
      if (!evt || !selectedId) return;
      const selected = calls.find((c) => c.id === selectedId);
      if (evt.callRef === selectedId || (selected && evt.message?.callId === selected.callId)) scheduleRefetch(selectedId);
    }),
  );

  let lastOpens = 0;
  const onStatus = (status: LinkStatus): void => {
    useLab.setState({ link: status });
    if (status.state === 'open' && status.opens !== lastOpens) {
      lastOpens = status.opens;
      void loadAll();
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
