/**
 * The dashboard's bot listeners (split out of lab.ts, issue 11): the built-in ones (UDP and TCP)
 * and those of the settings, each a SIP endpoint with the reference bot answering on it
 * (scenarios/bot-agent.ts) for the calls CXone, or this app placing as CXone, sends there. Per live
 * call (by SIP Call-ID, each entry left when the call ends): which bot answers it, which profile
 * and self-signalling an emulated call follows, and the client a dashboard Signal goes through.
 * Every map counts in the runtime's live-map sizes.
 */
import type { VendorProfile } from '../../shared/profile';
import type { ListenerInfo, SipTransportKind } from '../../shared/types';
import type { CxoneClient } from '../cxone/client';
import type { LabRuntime } from '../runtime/lab-runtime';
import { BotAgent } from '../scenarios/bot-agent';
import type { RecorderLog } from '../scenarios/call-recorder';
import type { ListenerStored } from '../settings/schemas';
import type { SipCall } from '../sip/call';
import { SipEndpoint } from '../sip/endpoint';
import type { BotListener } from './call-placer';

/** What the bots need from the Lab. */
export interface DashboardBotsDeps {
  runtime: LabRuntime;
  log: RecorderLog;
  /** Directory of the calls' WAV recordings; undefined: none. */
  recordDir(): string | undefined;
  /** The embedded emulator's client for a profile (where the bot's Signals go by default). */
  emulatorClient(profile: VendorProfile): CxoneClient;
  /** A profile by id; `custom` when unknown and `fallback` is set. */
  profile(id: string, fallback?: boolean): VendorProfile;
}

/** Where a bot listener binds. */
export interface BotWhere {
  transport: SipTransportKind;
  host: string;
  /** 0: ephemeral. */
  port: number;
  advertiseHost: string | null;
}

/** The longest call a dashboard bot keeps (ms). */
const MAX_CALL_MS = 10 * 60_000;

/** See the module comment. */
export class DashboardBots {
  private readonly builtins = new Map<SipTransportKind, BotListener>();
  private readonly settingBots = new Set<BotListener>();
  /** Per Call-ID: the bot answering a live call this app took (left when the call ends). */
  private readonly botByCallId = new Map<string, BotListener>();
  /** Per Call-ID: the profile an emulated (dashboard-placed) call follows and whether the bot signals by itself. */
  private readonly emulated = new Map<string, { profile: VendorProfile; botSignals: boolean }>();
  /** Per Call-ID: the client a Signal from the dashboard goes through (a connection of the settings). */
  private readonly signalClients = new Map<string, CxoneClient>();

  constructor(private readonly deps: DashboardBotsDeps) {
    deps.runtime.registerLiveMap('lab.emulated', () => this.emulated.size);
    deps.runtime.registerLiveMap('lab.signalClients', () => this.signalClients.size);
    deps.runtime.registerLiveMap('lab.botByCallId', () => this.botByCallId.size);
  }

  /**
   * Starts the built-in listeners (UDP and TCP) whose calls from outside follow `fallbackProfile`.
   * @throws Error when a port is taken.
   */
  async startBuiltins(host: string, ports: { udp?: number; tcp?: number } | undefined, fallbackProfile: string): Promise<void> {
    for (const transport of ['udp', 'tcp'] as const) {
      const bot = await this.startBot({ transport, host, port: ports?.[transport] ?? 0, advertiseHost: null }, () => this.deps.profile(fallbackProfile, true));
      this.builtins.set(transport, bot);
    }
  }

  /** The built-in bot listener of a transport. */
  builtin(transport: SipTransportKind): BotListener | undefined {
    return this.builtins.get(transport);
  }

  /** The bot answering a call this app took (built-in or settings listener), if any. */
  botOf(call: SipCall): BotListener | undefined {
    return this.botByCallId.get(call.callId);
  }

  /** Tells the bot which profile an emulated call follows and whether it signals by itself. @returns the undo. */
  markEmulated(callId: string, profile: VendorProfile, botSignals: boolean): () => void {
    this.emulated.set(callId, { profile, botSignals });
    return () => this.emulated.delete(callId);
  }

  /** Routes the next Signals of a call (by SIP Call-ID) through `client`; null restores the emulator. */
  setSignalClient(callId: string, client: CxoneClient | null): void {
    if (client) this.signalClients.set(callId, client);
    else this.signalClients.delete(callId);
  }

  /** The built-in listeners that are up (the settings' ones are the ListenerRuntime's). */
  builtinListeners(): ListenerInfo[] {
    return [...this.builtins.values()].map((b) => b.endpoint.listener);
  }

  /** Starts the listener of a setting (ListenerRuntime's start function). @throws Error when its port is taken. */
  async startSettingListener(s: ListenerStored): Promise<{ listener: ListenerInfo; stop(): Promise<void> }> {
    const bot = await this.startBot(s, () => this.deps.profile(s.profile, true));
    this.settingBots.add(bot);
    return {
      listener: bot.endpoint.listener,
      stop: async () => {
        this.settingBots.delete(bot);
        await bot.endpoint.stop();
      },
    };
  }

  /** Stops every bot listener (built-in and settings'). Never throws. */
  async stop(): Promise<void> {
    const eps = [...this.builtins.values(), ...this.settingBots].map((b) => b.endpoint);
    this.builtins.clear();
    await Promise.allSettled(eps.map((e) => e.stop()));
  }

  private async startBot(where: BotWhere, profile: () => VendorProfile): Promise<BotListener> {
    const { runtime, log } = this.deps;
    const recordDir = this.deps.recordDir();
    const endpoint = await SipEndpoint.start({
      transport: where.transport,
      host: where.host,
      port: where.port,
      ...(where.advertiseHost ? { advertiseHost: where.advertiseHost } : {}),
      user: 'bot',
      log,
      // The media engine records what the peer sent, one WAV per call (served by calls/recording).
      ...(recordDir ? { media: { recordDir, onRtpPacket: runtime.rtpCapture.onRtpPacket } } : {}),
    });
    const agent = new BotAgent({
      endpoint,
      profile: (call: SipCall) => this.emulated.get(call.callId)?.profile ?? profile(),
      autoSignal: (call: SipCall) => this.emulated.get(call.callId)?.botSignals ?? false,
      recorder: runtime.recorder,
      runId: null,
      client: (call: SipCall) => this.signalClients.get(call.callId) ?? this.deps.emulatorClient(this.emulated.get(call.callId)?.profile ?? profile()),
      maxCallMs: MAX_CALL_MS,
      log,
    });
    const bot: BotListener = { endpoint, agent };
    const untrack = runtime.trackEndpoint(endpoint);
    const unwatch = runtime.registerLiveMap('bot.live', () => Object.values(agent.liveMapSizes()).reduce((a, b) => a + b, 0));
    const stop = endpoint.stop.bind(endpoint);
    endpoint.stop = () =>
      stop().finally(() => {
        untrack();
        unwatch();
      });
    agent.on('call-start', (t) => {
      const callId = t.call.callId;
      if (t.call.state === 'ended' || t.call.state === 'failed') return;
      this.botByCallId.set(callId, bot);
      const onState = (next: string): void => {
        if (next !== 'ended' && next !== 'failed') return;
        t.call.off('state', onState);
        if (this.botByCallId.get(callId) === bot) this.botByCallId.delete(callId);
      };
      t.call.on('state', onState);
    });
    return bot;
  }
}
