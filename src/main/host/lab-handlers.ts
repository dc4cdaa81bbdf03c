/**
 * The contract's handlers over the dashboard's service (a {@link LabHandlerHost}, which the Lab of
 * lab.ts implements; this file never imports lab.ts, so the two make no circle): one function per method of `LabHandlers`, each
 * returning a Result (an exception becomes a typed error: `{ ok: false, error, kind, hint }`, shared/errors.ts). Payloads arrive validated
 * (payload-schemas.ts). What goes back never holds a secret: Signals are returned as history keeps
 * them (redacted), settings say whether a secret is set, never its value.
 */
import { conversationOf } from '../media/conversation';
import { contactTimeline } from '../timeline/from-history';
import type { LabEvents, LabHandlers, SendSignalRequest, SettingsView, WireEventName } from '../../shared/contract';
import type { VendorProfile } from '../../shared/profile';
import { guard } from './guard';
import type { ListenerInfo, SignalRecord, SipTransportKind } from '../../shared/types';
import type { CxoneClient } from '../cxone/client';
import type { CxoneEmulatorApi } from '../emulator/api-server';
import { rowToSignal, signalToRow } from '../history/rows';
import type { HistoryStore } from '../history/store';
import type { LabRuntime } from '../runtime/lab-runtime';
import type { CallRecorder } from '../scenarios/call-recorder';
import type { CustomProfiles } from '../settings/custom-profiles';
import type { ListenerRuntime } from '../settings/listener-runtime';
import type { SettingsStore } from '../settings/settings-store';
import type { SipCall } from '../sip/call';
import type { BotListener, CallPlacer } from './call-placer';
import type { MonitorRegistry } from './monitor-registry';
import { clientForConnection, scrubSecrets, testConnection } from '../settings/connection-client';
import { version } from '../version';
import { latencyStats } from './latency-stats';
import { FAULT_SPECS } from '../emulator/faults';
import { scenarioTrends } from '../monitor/trend';
import { importPcapUpload } from './pcap-import';
import { readRecording } from './recording';
import { exportReports } from './report-export';
import { makeTestsHandlers } from './tests-handlers';
import { DashboardTestRuns } from './tests-runs';

/**
 * What the handlers need from the dashboard's service: the Lab (lab.ts) implements it. The
 * handlers read and write through these parts only; they own none of them.
 */
export interface LabHandlerHost {
  /** Which host serves the dashboard (app/info). */
  readonly opts: { readonly host: 'electron' | 'browser' };
  /** History: the runtime's one connection. */
  readonly store: HistoryStore;
  readonly settings: SettingsStore;
  readonly profiles: CustomProfiles;
  /** The runtime's recorder (live calls by their internal id). */
  readonly recorder: CallRecorder;
  readonly listenerRuntime: ListenerRuntime;
  readonly runtime: LabRuntime;
  readonly monitors: MonitorRegistry;
  /** The embedded CXone emulator's API (its base URL for app/info). */
  readonly api: CxoneEmulatorApi;
  /** Places calls as `call` runs; owns the trunk endpoints and their REGISTER state. */
  readonly placer: CallPlacer;
  /** Every bot listener that is up. */
  allListeners(): ListenerInfo[];
  /** Sends an event to the renderers; never throws. */
  fanOut<E extends WireEventName>(name: E, payload: LabEvents[E]): void;
  /** A profile by id; `custom` when unknown and `fallback` is set. @throws Error when unknown. */
  profile(id: string, fallback?: boolean): VendorProfile;
  /** A client of the embedded emulator for a profile. */
  emulatorClient(profile: VendorProfile): CxoneClient;
  /** The bot answering a call this app took, if any. */
  botOf(call: SipCall): BotListener | undefined;
  /** Routes the next Signals of a call (by Call-ID) through `client`; null restores the emulator. */
  setSignalClient(callId: string, client: CxoneClient | null): void;
}


/** A Signal as history keeps it: secrets redacted (redact.ts), only the shared type's fields. */
export function asStored(rec: SignalRecord): SignalRecord {
  return rowToSignal(signalToRow({ ...rec, runId: null }));
}

function clampLimit(limit: unknown, fallback = 500): number {
  const n = typeof limit === 'number' && Number.isFinite(limit) ? Math.floor(limit) : fallback;
  return Math.min(Math.max(n, 1), 10_000);
}

/** The Settings screen's view: connections and trunks with whether their secrets are set, listeners with their state. */
export async function settingsView(lab: LabHandlerHost, refreshKeychain = false): Promise<SettingsView> {
  return {
    keychain: await lab.settings.vault.status(refreshKeychain),
    connections: await lab.settings.connections(),
    listeners: lab.listenerRuntime.views(lab.settings.listeners()),
    trunks: await lab.settings.trunks(),
  };
}

async function announceSettings(lab: LabHandlerHost): Promise<void> {
  lab.fanOut('settings/changed', await settingsView(lab));
}

/** Sends a Signal for a call (or a bare contact id), through the emulator or a connection of the settings. */
async function sendSignal(lab: LabHandlerHost, req: SendSignalRequest): Promise<SignalRecord> {
  const callRef = req.callRef;
  const tracked = callRef ? lab.recorder.get(callRef) : undefined;
  const stored = callRef ? lab.store.getCall(callRef) : null;
  if (callRef && !tracked && !stored) throw new Error(`no call with id ${callRef}`);
  const profile = lab.profile(req.profile ?? stored?.profile ?? tracked?.profile ?? 'custom', true);
  let client: CxoneClient = lab.emulatorClient(profile);
  let secrets: Array<string | null> = [];
  if (req.connectionId) {
    const conn = lab.settings.connection(req.connectionId);
    if (!conn) throw new Error(`no CXone connection with id ${req.connectionId}`);
    const s = await lab.settings.connectionSecrets(conn.id);
    secrets = [s.accessKeySecret, s.clientSecret];
    client = clientForConnection(conn, s, profile);
  }
  if (tracked && tracked.call.role === 'uas') {
    const bot = lab.botOf(tracked.call);
    if (bot) {
      lab.setSignalClient(tracked.call.callId, req.connectionId ? client : null);
      try {
        return scrubSecrets(asStored(await bot.agent.signal(tracked, req.params, req.contactId || undefined, 'keep')), secrets);
      } finally {
        lab.setSignalClient(tracked.call.callId, null);
      }
    }
  }
  const id = req.contactId || stored?.contactId || tracked?.verdict?.value;
  if (!id) throw new Error('no contact id: the call has none, give one');
  const rec = await client.signal(id, req.params, { callRef: stored || tracked ? (callRef ?? null) : null });
  // Written once and announced once (the runtime's stream feeds the dashboard).
  if (tracked) tracked.addSignal(rec);
  else lab.recorder.writeSignal(rec, stored?.runId ?? null);
  return scrubSecrets(asStored(rec), secrets);
}

/** Builds the handler map of the contract over the dashboard's service (the Lab). */
export function makeLabHandlers(lab: LabHandlerHost): LabHandlers {
  return {
    'app/info': guard(async () => ({
      version,
      host: lab.opts.host,
      listeners: lab.allListeners(),
      transports: ['udp', 'tcp', 'tls'] as SipTransportKind[],
      cxoneApi: lab.api.baseUrl,
      dbFile: lab.store.file,
      keychain: await lab.settings.vault.status(),
    })),
    'profiles/list': guard(() => lab.profiles.all()),
    'profiles/save': guard((p) => {
      const saved = lab.profiles.save(p.profile);
      lab.fanOut('profiles/changed', lab.profiles.all());
      return saved;
    }),
    'profiles/delete': guard((p) => {
      if (!lab.profiles.delete(p.id)) throw new Error(`no custom profile ${p.id}`);
      lab.fanOut('profiles/changed', lab.profiles.all());
      return null;
    }),
    'calls/list': guard((p) => lab.store.listCalls({ limit: clampLimit(p?.limit) })),
    'calls/get': guard((p) => {
      const detail = lab.store.getCall(p.id);
      if (!detail) throw new Error(`no call with id ${p.id}`);
      return detail;
    }),
    'calls/place': guard((p) => lab.placer.place(p)),
    'calls/hangup': guard(async (p) => {
      const t = lab.recorder.get(p.id);
      if (!t || t.call.state === 'ended' || t.call.state === 'failed') throw new Error('that call is not live');
      await t.call.hangup();
      return null;
    }),
    'calls/dtmf': guard(async (p) => {
      const t = lab.recorder.get(p.id);
      if (!t || t.call.state !== 'answered') throw new Error('DTMF needs an answered live call');
      await conversationOf(t.call).sendDtmf(p.digits, p.method);
      return null;
    }),
    'calls/recording': guard(async (p) => {
      const detail = lab.store.getCall(p.id);
      if (!detail) throw new Error(`no call with id ${p.id}`);
      const path = detail.media?.recordingPath;
      if (!path) throw new Error('this call has no recording (yet): audio is recorded once RTP arrives, and the file is complete when the call ends');
      return readRecording(path);
    }),
    'history/search': guard((p) => lab.store.searchCalls(p)),
    'history/runs': guard((p) => lab.store.listRunSummaries({ limit: clampLimit(p?.limit, 200) })),
    'history/contact': guard((p) => contactTimeline(lab.store, p.contactId).timeline),
    'signals/send': guard((p) => sendSignal(lab, p)),
    'signals/list': guard((p) => lab.store.listSignals({ limit: clampLimit(p?.limit, 200) })),
    'latency/stats': guard((p) => {
      const samples = lab.store.latencySamples({ limit: clampLimit(p?.limit, 2000) });
      return latencyStats(p?.profile ? samples.filter((s) => s.profile === p.profile) : samples);
    }),
    'settings/get': guard(() => settingsView(lab, true)),
    'settings/saveConnection': guard(async (p) => {
      try {
        return await lab.settings.saveConnection(p);
      } finally {
        await announceSettings(lab);
      }
    }),
    'settings/deleteConnection': guard(async (p) => {
      if (!(await lab.settings.deleteConnection(p.id))) throw new Error(`no connection ${p.id}`);
      await announceSettings(lab);
      return null;
    }),
    'settings/testConnection': guard(async (p) => {
      const conn = lab.settings.connection(p.id);
      if (!conn) throw new Error(`no connection ${p.id}`);
      let secrets;
      try {
        secrets = await lab.settings.connectionSecrets(conn.id);
      } catch (e) {
        return { ok: false, message: (e as Error).message, checks: [] };
      }
      return testConnection(conn, secrets);
    }),
    'settings/saveListener': guard(async (p) => {
      const stored = lab.settings.saveListener(p);
      const view = await lab.listenerRuntime.apply(stored);
      await announceSettings(lab);
      return view;
    }),
    'settings/deleteListener': guard(async (p) => {
      await lab.listenerRuntime.remove(p.id);
      if (!lab.settings.deleteListener(p.id)) throw new Error(`no listener ${p.id}`);
      await announceSettings(lab);
      return null;
    }),
    'settings/saveTrunk': guard(async (p) => {
      try {
        const view = await lab.settings.saveTrunk(p);
        await lab.placer.trunkChanged(view.id); // REGISTERs now when asked (bounded)
        return (await lab.settings.trunks()).find((t) => t.id === view.id) ?? view;
      } finally {
        await announceSettings(lab);
      }
    }),
    'settings/deleteTrunk': guard(async (p) => {
      const existed = await lab.settings.deleteTrunk(p.id);
      await lab.placer.trunkChanged(p.id); // gone from the settings: unregisters and stops
      if (!existed) throw new Error(`no trunk ${p.id}`);
      await announceSettings(lab);
      return null;
    }),
    'reports/export': guard((p) => exportReports(lab.store, p)),
    'import/pcap': guard((p) => importPcapUpload(lab.runtime, p)),
    'monitor/start': guard((p) => lab.monitors.start(p)),
    'monitor/stop': guard((p) => lab.monitors.stop(p.id)),
    'monitor/list': guard(() => ({ monitors: lab.monitors.list(), faultSpecs: [...FAULT_SPECS] })),
    'monitor/trends': guard((p) =>
      scenarioTrends(lab.store, { kind: 'handoff', profile: p?.profile, transport: p?.transport, limit: clampLimit(p?.limit, 200) }),
    ),
    ...makeTestsHandlers(lab.store, new DashboardTestRuns(lab.runtime, (v) => lab.fanOut('test/progress', v))),
  };
}
