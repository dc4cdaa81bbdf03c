/**
 * What the dashboard adds to placing a call (issue 5 item 1, issue 11): the call itself is the
 * `call` run kind on the Lab's runtime, with the emulated child script attached (runs/placed-call.ts),
 * the same kind and the same code path `lab call` runs. Here only what is the dashboard's: turning the request into the
 * target (a SIP URI; a number through a trunk of the settings; none: the built-in reference bot,
 * mode 3), the long-lived CXone-side SIP endpoints (one per transport, started on first use) and
 * trunk endpoints (outbound proxy + digest credentials from the keychain, REGISTER when the trunk
 * asks, RFC 3261 §10, its state for the Settings screen), and which leg the dashboard shows.
 */
import type { PlaceCallRequest, TrunkView } from '../../shared/contract';
import type { VendorProfile } from '../../shared/profile';
import type { SipTransportKind } from '../../shared/types';
import type { CxoneEmulatorApi } from '../emulator/api-server';
import type { PlaceCallRunOptions } from '../runs/place-call';
import type { PlacedCallRef } from '../runs/placed-call';
import type { LabRuntime } from '../runtime/lab-runtime';
import type { BotAgent } from '../scenarios/bot-agent';
import type { RecorderLog, TrackedCall } from '../scenarios/call-recorder';
import type { PlaceCallRunReport } from '../scenarios/place-call-report';
import { EMULATED_PSEUDO_NUMBER } from '../runs/handoff-checks';
import { SipEndpoint } from '../sip/endpoint';
import { SipRegistration } from '../sip/registration';
import type { TrunkStored } from '../settings/schemas';
import type { SettingsStore } from '../settings/settings-store';
import { formatHostPort } from '../net/host-format';

/** A bot listener: the endpoint and the agent answering on it. */
export interface BotListener {
  endpoint: SipEndpoint;
  agent: BotAgent;
}

/** What the placer needs from the Lab. */
export interface CallPlacerDeps {
  api: CxoneEmulatorApi;
  /** The Lab's runtime: each placed call is a `call` run on it. */
  runtime: Pick<LabRuntime, 'start'>;
  settings: SettingsStore;
  /** Address the CXone-side endpoints bind. */
  sipHost: string;
  log: RecorderLog;
  profile(id: string): VendorProfile;
  /** The built-in bot listener of a transport (mode 3). */
  builtinBot(transport: SipTransportKind): BotListener | undefined;
  /** Tells the bot which profile an emulated call follows and whether it signals by itself; returns the undo. */
  markEmulated(callId: string, profile: VendorProfile, botSignals: boolean): () => void;
  /** How long the built-in bot may take to see the INVITE (ms). */
  botInviteTimeoutMs: number;
  /** Counts an endpoint in the runtime's live-map sizes (LabRuntime.trackEndpoint); returns the undo. */
  trackEndpoint?: (ep: SipEndpoint) => () => void;
}

/** How long one REGISTER may wait for its final response (ms), and the cap on unregistering at stop. */
const REGISTER_TIMEOUT_MS = 8000;

/** One trunk's endpoint and registration. */
interface TrunkSlot {
  /** The settings the endpoint was started with (the password is never part of it). */
  key: string;
  endpoint: Promise<SipEndpoint>;
  registration: SipRegistration | null;
  status: TrunkView['registration'];
}

export { substituteIds } from '../runs/placed-call';

/** Adds `;transport=tcp|tls` to a SIP URI that names none (UDP is the default, RFC 3261 §19.1.2). */
export function withTransport(uri: string, transport: SipTransportKind): string {
  if (transport === 'udp' || /;transport=/i.test(uri)) return uri;
  const at = uri.search(/[?>]/);
  return at < 0 ? `${uri};transport=${transport}` : `${uri.slice(0, at)};transport=${transport}${uri.slice(at)}`;
}

/** See the module comment. */
export class CallPlacer {
  private readonly cxoneEndpoints = new Map<SipTransportKind, Promise<SipEndpoint>>();
  private readonly trunkEndpoints = new Map<string, TrunkSlot>();

  constructor(private readonly deps: CallPlacerDeps) {}

  /**
   * Places a call as the `call` run kind on the Lab's runtime (the one implementation `lab call`
   * also runs; runs/placed-call.ts) and returns, once the INVITE is out, the internal id of
   * the leg to show: the bot leg for the built-in bot (it holds the INVITE and the verdict),
   * otherwise the leg this app placed. The run goes on until the call ends; its report is in history.
   * @throws Error when the target, trunk or transport cannot be used, or the call cannot be placed.
   */
  async place(req: PlaceCallRequest): Promise<{ callRef: string }> {
    const profile = this.deps.profile(req.profile);
    const target = req.target.trim();
    let endpoint: SipEndpoint;
    let uri: string;
    let bot: BotListener | undefined;
    let trunk: TrunkStored | null = null;
    if (req.trunkId) {
      trunk = this.deps.settings.trunk(req.trunkId) ?? null;
      if (!trunk) throw new Error(`no trunk with id ${req.trunkId}`);
      if (!target) throw new Error('give the number (or SIP URI) to call through the trunk');
      endpoint = await this.trunkEndpoint(trunk);
      uri = /^sips?:/i.test(target) ? target : `sip:${encodeURIComponent(target).replace(/%2B/g, '+')}@${trunk.domain ?? trunk.host}`;
    } else if (!target) {
      bot = this.deps.builtinBot(req.transport);
      if (!bot) throw new Error(`there is no built-in bot listener over ${req.transport.toUpperCase()}: use UDP or TCP, or give a target`);
      endpoint = await this.cxoneEndpoint(req.transport);
      const l = bot.endpoint.listener;
      uri = `sip:${EMULATED_PSEUDO_NUMBER}@${formatHostPort(l.host, l.port)};transport=${req.transport}`;
    } else {
      if (!/^sips?:[^@\s]+@[^\s]+$/i.test(target)) throw new Error('the target must be a SIP URI such as sip:bot@10.0.0.5:5060, or a number with a trunk');
      endpoint = await this.cxoneEndpoint(req.transport);
      uri = withTransport(target, req.transport);
    }

    let placed: PlacedCallRef | null = null;
    let unmark = (): void => {};
    let onPlaced = (_p: PlacedCallRef): void => {};
    const wasPlaced = new Promise<PlacedCallRef>((r) => (onPlaced = r));
    const botLeg = bot ? this.waitForBotLeg(bot, () => placed?.callId) : null;
    const options: PlaceCallRunOptions = {
      target: uri,
      profile: profile.id,
      transport: trunk ? trunk.transport : req.transport,
      ...(trunk?.username ? { user: trunk.username, passwordSource: 'keychain' as const } : {}),
      ...(trunk ? { outboundProxy: formatHostPort(trunk.host, trunk.port) } : {}),
      endpoint,
      emulator: { api: this.deps.api },
      putHeaders: req.headers,
      fromUser: 'cxone',
      // The built-in bot is the embedded loopback handoff: it models no trunk, so no PLACECALL rules.
      placeCallRules: !bot,
      onPlaced: (p) => {
        placed = p;
        // The bot must know the call's profile (and whether it signals) before the INVITE reaches it.
        unmark = this.deps.markEmulated(p.callId, profile, bot ? req.botSignals : false);
        onPlaced(p);
      },
    };
    const run = this.deps.runtime.start<PlaceCallRunReport>('call', options);
    run.done.then(
      (r) => {
        unmark();
        this.deps.log('info', `call run ${r.runId}: ${r.ok ? 'passed' : (r.error ?? 'failed')}`);
      },
      () => unmark(),
    );
    let first: PlacedCallRef | null;
    try {
      first = await Promise.race([wasPlaced, run.done.then(() => null)]);
    } catch (e) {
      botLeg?.cancel();
      throw e;
    }
    if (!first) {
      botLeg?.cancel();
      throw new Error('the call was not placed');
    }
    if (!botLeg) return { callRef: first.callRef };
    const leg = await botLeg.promise;
    return { callRef: leg.call.id };
  }

  /**
   * Brings a trunk in line with its (new) settings: stops its endpoint (unregistering), and when it
   * REGISTERs starts a new one and registers now. Never throws: a failure shows in its status.
   */
  async trunkChanged(id: string): Promise<void> {
    const t = this.trunkEndpoints.get(id);
    this.trunkEndpoints.delete(id);
    if (t) await stopSlot(t);
    const trunk = this.deps.settings.trunk(id);
    if (trunk?.register) await this.trunkEndpoint(trunk).catch(() => {});
  }

  /** The REGISTER state of a trunk, or null when it has no endpoint yet. */
  trunkRegistration(id: string): TrunkView['registration'] | null {
    return this.trunkEndpoints.get(id)?.status ?? null;
  }

  /** Stops every endpoint this placer started (trunks unregister first, briefly). */
  async stop(): Promise<void> {
    const trunks = [...this.trunkEndpoints.values()];
    const all = [...this.cxoneEndpoints.values()];
    this.cxoneEndpoints.clear();
    this.trunkEndpoints.clear();
    await Promise.allSettled([...all.map((p) => p.then((e) => e.stop())), ...trunks.map(stopSlot)]);
  }

  /** The CXone-side endpoint of a transport, started on first use (a failed start is retried next time). */
  cxoneEndpoint(transport: SipTransportKind): Promise<SipEndpoint> {
    let p = this.cxoneEndpoints.get(transport);
    if (!p) {
      p = SipEndpoint.start({ transport, host: this.deps.sipHost, port: 0, user: 'cxone', log: this.deps.log }).then((ep) => this.tracked(ep));
      this.cxoneEndpoints.set(transport, p);
      p.catch(() => this.cxoneEndpoints.delete(transport));
    }
    return p;
  }

  private async trunkEndpoint(trunk: TrunkStored): Promise<SipEndpoint> {
    const password = trunk.username ? await this.deps.settings.trunkPassword(trunk.id) : null;
    if (trunk.username && !password) throw new Error(`trunk "${trunk.name}": its password is not set (Settings → Trunks)`);
    // The key changes with the settings; the password itself is never part of it.
    const key = JSON.stringify(trunk);
    const existing = this.trunkEndpoints.get(trunk.id);
    if (existing && existing.key === key) return existing.endpoint;
    if (existing) {
      this.trunkEndpoints.delete(trunk.id);
      await stopSlot(existing);
    }
    const hostPort = formatHostPort(trunk.host, trunk.port);
    const endpoint = SipEndpoint.start({
      transport: trunk.transport,
      host: this.deps.sipHost,
      port: 0,
      user: trunk.username ?? 'cxone',
      log: this.deps.log,
      outboundProxy: hostPort,
      ...(trunk.username && password ? { auth: { username: trunk.username, password } } : {}),
    });
    void endpoint.then((ep) => this.tracked(ep), () => {});
    const slot: TrunkSlot = { key, endpoint, registration: null, status: { state: trunk.register ? 'idle' : 'off', error: null, expiresS: null } };
    this.trunkEndpoints.set(trunk.id, slot);
    endpoint.catch((e: Error) => {
      slot.status = { state: 'failed', error: `the trunk's SIP endpoint did not start: ${e.message}`, expiresS: null };
    });
    const ep = await endpoint;
    if (trunk.register) {
      const reg = new SipRegistration(ep, {
        registrar: `sip:${hostPort};transport=${trunk.transport}`,
        aor: `sip:${trunk.username ?? 'cxone'}@${trunk.domain ?? trunk.host}`,
        timeoutMs: REGISTER_TIMEOUT_MS,
        log: this.deps.log,
      });
      slot.registration = reg;
      reg.on('state', (state) => (slot.status = { ...slot.status, state }));
      reg.on('result', (r) => (slot.status = { state: reg.state, error: r.error, expiresS: r.ok ? r.expiresS : null }));
      const r = await reg.register();
      if (!r.ok) throw new Error(`trunk "${trunk.name}": REGISTER failed: ${r.error ?? r.reason}`);
    }
    return ep;
  }

  /** Counts the endpoint in the runtime's live maps until it stops. */
  private tracked(ep: SipEndpoint): SipEndpoint {
    const untrack = this.deps.trackEndpoint?.(ep);
    if (untrack) {
      const stop = ep.stop.bind(ep);
      ep.stop = () => stop().finally(untrack);
    }
    return ep;
  }

  private waitForBotLeg(bot: BotListener, callId: () => string | undefined): { promise: Promise<TrackedCall>; cancel(): void } {
    let cancel = (): void => {};
    const promise = new Promise<TrackedCall>((resolve, reject) => {
      const onStart = (t: TrackedCall): void => {
        if (t.call.callId !== callId()) return;
        cancel();
        resolve(t);
      };
      const timer = setTimeout(() => {
        cancel();
        reject(new Error(`the reference bot did not receive the INVITE within ${this.deps.botInviteTimeoutMs} ms`));
      }, this.deps.botInviteTimeoutMs);
      cancel = () => {
        clearTimeout(timer);
        bot.agent.off('call-start', onStart);
      };
      bot.agent.on('call-start', onStart);
    });
    promise.catch(() => {});
    return { promise, cancel };
  }
}

/** Unregisters (bounded) and stops one trunk's endpoint. Never throws. */
async function stopSlot(slot: TrunkSlot): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([slot.registration?.stop().catch(() => null), new Promise((r) => (timer = setTimeout(r, REGISTER_TIMEOUT_MS)))]);
  clearTimeout(timer);
  await slot.endpoint.then((e) => e.stop()).catch(() => {});
}
