/**
 * The Lab service: the one implementation of the contract's handlers (src/shared/contract.ts),
 * shared by the Electron IPC host and the browser host. It owns the history store, the SIP
 * listeners where the app is the bot, the embedded CXone emulator (API + child scripts), and the
 * live calls, and fans out the contract's events.
 */
import type { LabEventName, LabEvents, LabHandlers } from '../shared/contract';
import type { VendorProfile } from '../shared/profile';
import { err, ok } from '../shared/result';
import type { SignalRecord } from '../shared/types';
import type { CxoneEmulatorApi } from './emulator/api-server';
import { ChildScript } from './emulator/child-script';
import { startEmbeddedCxone, type EmbeddedCxone } from './emulator/embedded';
import { HistoryStore } from './history/store';
import { getProfile, listProfiles } from './profiles';
import { BotAgent } from './scenarios/bot-agent';
import { CallRecorder, type LabEventSink, type RecorderLog, type TrackedCall } from './scenarios/call-recorder';
import { EMULATED_PSEUDO_NUMBER } from './scenarios/handoff';
import type { SipCall } from './sip/call';
import { SipEndpoint } from './sip/endpoint';
import { version } from './version';

/** Options of {@link Lab.start}. */
export interface LabOptions {
  dbFile: string;
  host: 'electron' | 'browser';
  /** Address of the SIP listeners. Default 127.0.0.1. */
  sipHost?: string;
  /** Ports of the bot listeners (0 = ephemeral). Default 0 for both. */
  sipPorts?: { udp?: number; tcp?: number };
  /** Profile for calls that arrive from outside (not placed by the emulator). Default `custom`. */
  defaultProfile?: string;
  log?: RecorderLog;
}

type Listener = <E extends LabEventName>(name: E, payload: LabEvents[E]) => void;

/** See the module comment. Create with {@link Lab.start}; end with {@link Lab.stop}. */
export class Lab implements LabEventSink {
  readonly handlers: LabHandlers;
  private readonly listeners = new Set<Listener>();
  private readonly emulatedProfiles = new Map<string, VendorProfile>();
  private readonly autoSignalCalls = new Set<string>();
  private readonly bots = new Map<'udp' | 'tcp', { endpoint: SipEndpoint; agent: BotAgent }>();
  private readonly cxoneEndpoints = new Map<'udp' | 'tcp', SipEndpoint>();
  private readonly recorder: CallRecorder;
  private cxone!: EmbeddedCxone;
  private api!: CxoneEmulatorApi;

  private constructor(
    private readonly opts: LabOptions,
    readonly store: HistoryStore,
  ) {
    this.recorder = new CallRecorder(store, this, opts.log);
    this.handlers = this.makeHandlers();
  }

  /**
   * Opens history, starts the embedded CXone emulator and the SIP listeners.
   * @throws Error when the database cannot be opened or a listener port is taken.
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

  /** Subscribes to every contract event. @returns an unsubscribe function. */
  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal LabEventSink */
  emit<E extends LabEventName>(name: E, payload: LabEvents[E]): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch (e) {
        this.opts.log?.('error', `event listener failed on ${name}: ${(e as Error).message}`);
      }
    }
  }

  /** Ends live calls, closes the listeners, the emulator and history. Idempotent. */
  async stop(): Promise<void> {
    const eps = [...[...this.bots.values()].map((b) => b.endpoint), ...this.cxoneEndpoints.values()];
    this.bots.clear();
    this.cxoneEndpoints.clear();
    await Promise.allSettled(eps.map((e) => e.stop()));
    await this.cxone?.stop().catch(() => {});
    try {
      this.store.close();
    } catch {
      /* already closed */
    }
  }

  private async init(): Promise<void> {
    const host = this.opts.sipHost ?? '127.0.0.1';
    this.cxone = await startEmbeddedCxone();
    this.api = this.cxone.api;
    const log = this.opts.log ?? (() => {});
    const fallback = getProfile(this.opts.defaultProfile ?? 'custom');
    for (const transport of ['udp', 'tcp'] as const) {
      const endpoint = await SipEndpoint.start({ transport, host, port: this.opts.sipPorts?.[transport] ?? 0, user: 'bot', log });
      const agent = new BotAgent({
        endpoint,
        profile: (call: SipCall) => this.emulatedProfiles.get(call.callId) ?? fallback,
        autoSignal: (call: SipCall) => this.autoSignalCalls.has(call.callId),
        recorder: this.recorder,
        runId: null,
        client: (call: SipCall) => this.cxone.clientFor(this.emulatedProfiles.get(call.callId) ?? fallback),
        maxCallMs: 10 * 60_000,
        log,
      });
      this.bots.set(transport, { endpoint, agent });
      this.cxoneEndpoints.set(transport, await SipEndpoint.start({ transport, host, port: 0, user: 'cxone', log }));
    }
  }

  private makeHandlers(): LabHandlers {
    const guard =
      <P, T>(fn: (p: P) => Promise<T> | T) =>
      async (p: P) => {
        try {
          return ok(await fn(p));
        } catch (e) {
          return err<T>((e as Error).message);
        }
      };
    return {
      'app/info': guard(() => ({
        version,
        host: this.opts.host,
        listeners: [...this.bots.values()].map((b) => b.endpoint.listener),
        cxoneApi: this.api.baseUrl,
        dbFile: this.store.file,
      })),
      'profiles/list': guard(() => listProfiles()),
      'calls/list': guard((p: { limit?: number }) => this.store.listCalls({ limit: clampLimit(p?.limit) })),
      'calls/get': guard((p: { id: string }) => {
        const detail = this.store.getCall(String(p?.id));
        if (!detail) throw new Error(`no call with id ${String(p?.id)}`);
        return detail;
      }),
      'calls/placeEmulated': guard((p) => this.placeEmulated(p.profile, p.transport, p.botSignals)),
      'calls/hangup': guard(async (p: { id: string }) => {
        const t = this.recorder.get(String(p?.id));
        if (!t || t.call.state === 'ended' || t.call.state === 'failed') throw new Error('that call is not live');
        await t.call.hangup();
        return null;
      }),
      'signals/send': guard((p) => this.sendSignal(p.callRef, p.params ?? {}, p.contactId)),
    };
  }

  private async placeEmulated(profileId: string, transport: 'udp' | 'tcp', botSignals: boolean): Promise<{ callRef: string }> {
    const profile = getProfile(profileId);
    if (transport !== 'udp' && transport !== 'tcp') throw new Error(`transport "${String(transport)}": udp or tcp`);
    const bot = this.bots.get(transport)!;
    const script = new ChildScript({
      endpoint: this.cxoneEndpoints.get(transport)!,
      api: this.api,
      profile,
      target: `sip:${EMULATED_PSEUDO_NUMBER}@${bot.endpoint.listener.host}:${bot.endpoint.listener.port};transport=${transport}`,
      recorder: this.recorder,
      runId: null,
      maxCallMs: 10 * 60_000,
    });
    const botLeg = new Promise<TrackedCall>((resolve, reject) => {
      const timer = setTimeout(() => {
        bot.agent.off('call-start', onStart);
        reject(new Error('the reference bot did not receive the INVITE within 5 s'));
      }, 5000);
      const onStart = (t: TrackedCall): void => {
        if (t.call.callId !== script.call?.callId) return;
        clearTimeout(timer);
        bot.agent.off('call-start', onStart);
        resolve(t);
      };
      bot.agent.on('call-start', onStart);
    });
    const done = script.run(); // places the call synchronously: script.call is set now
    const callId = script.call?.callId;
    if (callId) {
      this.emulatedProfiles.set(callId, profile);
      if (botSignals) this.autoSignalCalls.add(callId);
    }
    void done.then((outcome) => {
      this.opts.log?.('info', `emulated call ${callId}: ${outcome.outcome}`);
      if (callId) {
        this.emulatedProfiles.delete(callId);
        this.autoSignalCalls.delete(callId);
      }
      this.recorder.prune();
    });
    const leg = await botLeg;
    return { callRef: leg.call.id };
  }

  private async sendSignal(callRef: string, params: SignalRecord['params'], contactId?: string): Promise<SignalRecord> {
    const tracked = this.recorder.get(callRef);
    if (tracked && tracked.call.role === 'uas') {
      const bot = this.bots.get(tracked.call.transport as 'udp' | 'tcp');
      if (bot) return bot.agent.signal(tracked, params, contactId || undefined, 'keep');
    }
    const stored = this.store.getCall(callRef);
    const id = contactId || stored?.contactId;
    if (!id) throw new Error('no contact id: the call has none, give one');
    const profile = stored ? listProfiles().find((p) => p.id === stored.profile) : undefined;
    const rec = await this.cxone.clientFor(profile ?? getProfile('custom')).signal(id, params, { callRef: stored ? callRef : null });
    if (tracked) tracked.addSignal(rec);
    else {
      this.store.addSignal({ ...rec, runId: stored?.runId ?? null });
      this.emit('signal/added', rec);
    }
    return rec;
  }
}

function clampLimit(limit: unknown): number {
  const n = typeof limit === 'number' && Number.isFinite(limit) ? Math.floor(limit) : 500;
  return Math.min(Math.max(n, 1), 10_000);
}
