/**
 * The Lab service: the dashboard's front-end over the process's LabRuntime (issue 11), the one
 * implementation of the contract's handlers (host/lab-handlers.ts, through {@link LabHandlerHost})
 * shared by the Electron IPC host and the browser host. The runtime owns history, the recorder,
 * the runs and the event stream; the Lab adds the settings (non-secret in SQLite, secrets in the OS
 * keychain), the bot listeners (host/dashboard-bots.ts), the call placer's endpoints and trunks
 * (host/call-placer.ts; each placed call is a `call` run), the dashboard's monitors, and fans out
 * the contract's events — call changes coalesced into `live/batch` deltas (issue 5 item 9).
 */
import { dirname, join } from 'node:path';
import type { LabEvents, LabHandlers, WireEventName } from '../shared/contract';
import type { VendorProfile } from '../shared/profile';
import type { SipTransportKind } from '../shared/types';
import type { CxoneEmulatorApi } from './emulator/api-server';
import type { EmbeddedCxone } from './emulator/embedded';
import { isMemoryFile } from './history/db';
import { HistoryStore } from './history/store';
import { CallPlacer, type BotListener } from './host/call-placer';
import { DashboardBots } from './host/dashboard-bots';
import { asStored, makeLabHandlers, type LabHandlerHost } from './host/lab-handlers';
import { LiveBatcher, type BatchScheduler } from './host/live-batcher';
import type { CallRecorder, RecorderLog } from './scenarios/call-recorder';
import { LabRuntime } from './runtime/lab-runtime';
import type { RuntimeEventMap, RuntimeEventName } from './runtime/events';
import type { SipCall } from './sip/call';
import { SipEndpoint } from './sip/endpoint';
import type { CxoneClient } from './cxone/client';
import { CustomProfiles } from './settings/custom-profiles';
import { ListenerRuntime } from './settings/listener-runtime';
import { SecretVault } from './settings/secret-vault';
import { SettingsStore } from './settings/settings-store';
import { MonitorRegistry, type MonitorRegistryOptions } from './host/monitor-registry';
import type { Notifier } from './monitor/notifier';

/** Options of {@link Lab.start}. */
export interface LabOptions {
  dbFile: string;
  host: 'electron' | 'browser';
  /** Address of the SIP listeners. Default 127.0.0.1. */
  sipHost?: string;
  /** Ports of the built-in bot listeners (0 = ephemeral). Default 0 for both. */
  sipPorts?: { udp?: number; tcp?: number };
  /** Profile for calls that arrive at the built-in listeners from outside. Default `custom`. */
  defaultProfile?: string;
  log?: RecorderLog;
  /** Keychain service name of the settings' secrets; tests give their own. Default the app's. */
  keychainService?: string;
  /** When live batches are flushed; default every 100 ms after the first change (tests flush by hand). */
  batchScheduler?: BatchScheduler;
  /** Directory of the calls' WAV recordings; default `recordings/` next to the database; null: none. */
  recordDir?: string | null;
  /** Start the listeners of the settings (default true). */
  startSavedListeners?: boolean;
  /**
   * Told when a dashboard monitor's run fails or recovers: Electron's `electronNotifier(Notification)`;
   * absent or null (browser host): no desktop notification, the renderer shows an in-app alert.
   */
  notifier?: Notifier | null;
  /** Extra options of each monitor run (tests shorten the drop wait). */
  monitorHandoff?: MonitorRegistryOptions['handoff'];
}

type Listener = <E extends WireEventName>(name: E, payload: LabEvents[E]) => void;

/** See the module comment. Create with {@link Lab.start}; end with {@link Lab.stop}. */
export class Lab implements LabHandlerHost {
  readonly handlers: LabHandlers;
  readonly settings: SettingsStore;
  readonly profiles: CustomProfiles;
  readonly recorder: CallRecorder;
  readonly listenerRuntime: ListenerRuntime;
  readonly log: RecorderLog;
  /** The process's runtime: history, recorder, runs (monitors among them) and the event stream. */
  readonly runtime: LabRuntime;
  /** The monitors started from the dashboard (issue 6), as monitor runs on {@link runtime}. */
  readonly monitors: MonitorRegistry;
  private readonly listeners = new Set<Listener>();
  private readonly batcher: LiveBatcher;
  /** The bot listeners (built-in and the settings') and their per-call state. */
  private readonly bots: DashboardBots;
  private cxone!: EmbeddedCxone;
  private placerRef: CallPlacer | null = null;

  private constructor(
    readonly opts: LabOptions,
    readonly store: HistoryStore,
  ) {
    this.log = opts.log ?? (() => {});
    this.runtime = LabRuntime.open({ dbFile: store.file, store, log: this.log, profile: (id) => this.profiles.get(id) });
    this.recorder = this.runtime.recorder;
    this.settings = new SettingsStore(store, new SecretVault(opts.keychainService));
    this.profiles = new CustomProfiles(store);
    this.batcher = new LiveBatcher((batch) => this.fanOut('live/batch', batch), opts.batchScheduler);
    this.bots = new DashboardBots({
      runtime: this.runtime,
      log: this.log,
      recordDir: () => this.recordDir(),
      emulatorClient: (p) => this.emulatorClient(p),
      profile: (id, fallback) => this.profile(id, fallback),
    });
    this.listenerRuntime = new ListenerRuntime((s) => this.bots.startSettingListener(s));
    this.monitors = new MonitorRegistry({
      runtime: this.runtime,
      notifier: opts.notifier ?? null,
      log: this.log,
      handoff: opts.monitorHandoff,
    });
    this.runtime.events.onAny((name, payload) => this.forward(name, payload));
    this.handlers = makeLabHandlers(this);
  }

  /**
   * Opens history, starts the embedded CXone emulator, the built-in SIP listeners and those of the
   * settings, and probes the keychain.
   * @throws Error when the database cannot be opened or a built-in listener port is taken.
   */
  static async start(opts: LabOptions): Promise<Lab> {
    const lab = new Lab(opts, HistoryStore.open(opts.dbFile));
    try {
      await lab.init();
    } catch (e) {
      await lab.stop();
      throw e;
    }
    return lab;
  }

  /** Subscribes to the events that cross to the renderer. @returns an unsubscribe function. */
  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Feeds the renderer from the runtime's events: call changes, SIP messages, checks and media as
   * deltas batched into `live/batch`; a Signal at once, once, redacted as history keeps it; a
   * stored script step at once.
   */
  private forward<E extends RuntimeEventName>(name: E, payload: RuntimeEventMap[E]): void {
    if (this.batcher.feed(name, payload)) return;
    if (name === 'signal/added') this.fanOut('signal/added', asStored(payload as RuntimeEventMap['signal/added']));
    else if (name === 'script/step') this.fanOut('script/step', payload as RuntimeEventMap['script/step']);
    else if (name === 'monitor/updated') this.fanOut('monitor/updated', payload as RuntimeEventMap['monitor/updated']);
  }

  /** Emits the pending live batch now (tests; and before answering a request that must see it). */
  flushLive(): void {
    this.batcher.flush();
  }

  /** @internal Sends an event to every subscriber; a failing subscriber is logged, never thrown. */
  fanOut<E extends WireEventName>(name: E, payload: LabEvents[E]): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch (e) {
        this.log('error', `event listener failed on ${name}: ${(e as Error).message}`);
      }
    }
  }

  /** Ends live calls, closes the listeners, the emulator and history. Idempotent. */
  async stop(): Promise<void> {
    this.batcher.stop();
    await this.monitors.stopAll();
    await Promise.allSettled([this.bots.stop(), this.listenerRuntime.stopAll(), this.placerRef?.stop()]);
    await this.runtime.close(); // stops its runs and the embedded emulator, closes history
  }

  /** The embedded CXone emulator's API. */
  get api(): CxoneEmulatorApi {
    return this.cxone.api;
  }

  /** The call placer (CXone-side endpoints, trunks). */
  get placer(): CallPlacer {
    if (!this.placerRef) throw new Error('the lab is not started');
    return this.placerRef;
  }

  /** The built-in bot listeners, by transport. */
  builtinBot(transport: SipTransportKind): BotListener | undefined {
    return this.bots.builtin(transport);
  }

  /** The bot answering a call this app took (built-in or settings listener), if any. */
  botOf(call: SipCall): BotListener | undefined {
    return this.bots.botOf(call);
  }

  /** A client of the embedded emulator for a profile's API version and path style. */
  emulatorClient(profile: VendorProfile): CxoneClient {
    return this.cxone.clientFor(profile);
  }

  /** Routes the next Signals of a call (by SIP Call-ID) through `client`; null restores the emulator. */
  setSignalClient(callId: string, client: CxoneClient | null): void {
    this.bots.setSignalClient(callId, client);
  }

  /** A profile by id, built-in or custom; `custom` when unknown and `fallback` is set. @throws Error when unknown. */
  profile(id: string, fallback = false): VendorProfile {
    try {
      return this.profiles.get(id);
    } catch (e) {
      if (fallback) return this.profiles.get('custom');
      throw e;
    }
  }

  /** Every bot listener that is up. */
  allListeners(): SipEndpoint['listener'][] {
    return [...this.bots.builtinListeners(), ...this.listenerRuntime.running()];
  }

  private async init(): Promise<void> {
    const host = this.opts.sipHost ?? '127.0.0.1';
    this.cxone = await this.runtime.embeddedCxone();
    const fallback = this.opts.defaultProfile ?? 'custom';
    this.profile(fallback); // unknown default profile: fail now
    await this.bots.startBuiltins(host, this.opts.sipPorts, fallback);
    this.placerRef = new CallPlacer({
      api: this.cxone.api,
      runtime: this.runtime,
      settings: this.settings,
      sipHost: host,
      log: this.log,
      profile: (id) => this.profile(id),
      builtinBot: (t) => this.builtinBot(t),
      markEmulated: (callId, profile, botSignals) => this.bots.markEmulated(callId, profile, botSignals),
      botInviteTimeoutMs: 5000,
      trackEndpoint: (ep) => this.runtime.trackEndpoint(ep),
    });
    this.settings.trunkRegistration = (id) => this.placer.trunkRegistration(id);
    await Promise.all([this.placer.cxoneEndpoint('udp'), this.placer.cxoneEndpoint('tcp')]);
    await this.settings.vault.status();
    if (this.opts.startSavedListeners !== false) {
      for (const s of this.settings.listeners()) await this.listenerRuntime.apply(s);
      for (const t of await this.settings.trunks()) if (t.register) void this.placer.trunkChanged(t.id);
    }
  }

  private recordDir(): string | undefined {
    if (this.opts.recordDir === null) return undefined;
    if (this.opts.recordDir) return this.opts.recordDir;
    return isMemoryFile(this.store.file) ? undefined : join(dirname(this.store.file), 'recordings');
  }
}
