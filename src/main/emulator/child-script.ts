/**
 * The emulated CXone scripts of a bot handoff (design.md §1, cxone-reference.md §2, §4), in one of
 * three topologies (issue 14; profiles/topology.ts has each step's source):
 *
 * ```
 * single (IBM, seed 002):        one script: SIPPUTHEADER X-… = {ContactId}; PLACECALL; ONSIGNAL
 * main-spawn (Kore, seed 000):   Main (ContactId = MasterId) ── SPAWN ──▶ Spawn: SIPPUTHEADER; PLACECALL
 * parent-child (Synthflow, 001): parent (MasterId) ── child: SIPPUTHEADER {MasterId}; PLACECALL
 * the header holds the main or the placing contact's id, and ONSIGNAL waits in the main or the
 * placing script: both are settings (topology.headerHolds / onSignalIn), so a customer's script
 * that signals the wrong leg can be reproduced.
 * ONSIGNAL (only in that script):
 *     hangsUp = cxone → drop the bot leg (BYE); hangsUp = bot → wait for the bot's BYE
 *     then p1=hangup → HANGUP, else → REQAGENT (the agent answers after agentAnswerDelayMs)
 * bot BYE before any ONSIGNAL → ONRELEASE → transfer to an agent (IBM's pattern, seed 002)
 * ```
 * The script keeps IBM's `transferred` flag [IBM]: it transfers at most once, whether ONRELEASE
 * comes after ONSIGNAL (it does after any BYE or HANGUP), or a Signal comes after ONRELEASE.
 *
 * Choices where CXone documents little (cxone-reference.md §2, §6), assumed here:
 * - A Signal to a contact whose script has no ONSIGNAL is accepted by the API and does nothing;
 *   the outcome says so, explained from the topology (signal-explain.ts).
 * - A second Signal fires ONSIGNAL again: ONSIGNAL interrupts whatever the script does [H-ONS], and
 *   only *simultaneous* Signals may be merged [H-SIG]. "Only one ONSIGNAL per script" limits the
 *   script to one ONSIGNAL action, not to one firing. The flag stops a second transfer here, and
 *   the duplicate is a finding (a script without the flag would transfer twice).
 * - The bot's BYE and its Signal race on the network: the one the emulator received first counts.
 *   After the leg ends the script stays `settleMs` for a Signal still in flight and for late ones.
 * - Fault `no-leg-drop`: the Signal is answered 2xx and ONSIGNAL fires, but the script does not
 *   drop the leg; after `dropWaitMs` the outcome flags "signal accepted but the leg was not dropped
 *   within N s" and the lab ends the leg (clean-up).
 */
import { placeCallRuleChecks } from '../profiles/placecall-checks';
import { randomInt } from 'node:crypto';
import type { ScriptTopology, VendorProfile } from '../../shared/profile';
import type { SignalParams, SipHeader } from '../../shared/types';
import { monoNow, stampNow } from '../clock';
import type { CallRecorder, TrackedCall } from '../scenarios/call-recorder';
import type { SipCall } from '../sip/call';
import type { SipEndpoint } from '../sip/endpoint';
import type { CxoneEmulatorApi, EmulatorSignalEvent } from './api-server';
import { formatSource } from '../profiles/sources';
import { SCRIPT_NAMES, TOPOLOGY_BEHAVIOUR, topologyOf } from '../profiles/topology';
import { childContactId, placeCallHeaders } from './placecall-headers';
import { formatSignalParams } from '../../shared/signal-params';
import { legDropVerdict, type ScriptOutcome, type ScriptStep, type ScriptStepKind } from './script-outcome';
import { explainSignalledContact, onSignalContactId } from './signal-explain';

export type { LegDrop, ScriptAction, ScriptOutcome, ScriptSignal, ScriptStep } from './script-outcome';

/** Options of one emulated PLACECALL. */
export interface ChildScriptOptions {
  /** The CXone side's SIP endpoint (UAC) that {@link ChildScript.run} places the call through; absent when the caller places it ({@link ChildScript.follow}). */
  endpoint?: SipEndpoint;
  /**
   * What the emulated caller says once the bot answers (a WAV path or 8 kHz samples), so the bot
   * hears a caller and the run can tell audio flowed both ways; null or absent: silence.
   */
  callerPrompt?: string | Int16Array | null;
  api: CxoneEmulatorApi;
  profile: VendorProfile;
  /** SIP URI of the bot (the pseudo number's route). */
  target: string;
  recorder: CallRecorder;
  runId: string | null;
  /** Headers to put instead of the profile's (tests of broken headers). */
  headersOverride?: SipHeader[];
  /**
   * The script topology for this run or case, over the profile's (only the fields given): which id
   * the header holds and which script waits in ONSIGNAL (issue 14).
   */
  topology?: Partial<ScriptTopology>;
  /** Delay before the emulated agent answers REQAGENT (ms). Default 0. */
  agentAnswerDelayMs?: number;
  /** How long the script lets the call run without ONSIGNAL before it ends it (ms). Default 60000. */
  maxCallMs?: number;
  /** How long the bot leg may stay up after ONSIGNAL before it is flagged (ms). Default 5000. */
  dropWaitMs?: number;
  /** How long the contacts stay active after the leg ended, for Signals in flight or late (ms). Default 300. */
  settleMs?: number;
  /** Ends the script early (CXone ends the call); the outcome says so. */
  abort?: AbortSignal;
  /**
   * Add the profile's PLACECALL rules (TLS trunk, E.164, the bot's number; seed facts, issue 14) as
   * warning checks to the placed call. Default false: the embedded loopback handoff models no trunk.
   */
  placeCallRules?: boolean;
}

/** Makes a CXone-like contact id: an 11-digit number. */
export function newContactId(): string {
  return String(randomInt(10_000_000_000, 99_999_999_999));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * One emulated child script: created, then {@link run} places the call and resolves with the
 * outcome. A caller that places the INVITE itself (the `call` run kind) calls {@link open} before
 * its INVITE, puts {@link headers} on it, and hands the call to {@link follow}.
 */
export class ChildScript {
  /** The main (parent, Main script) contact's id: the MasterId. */
  readonly masterId = newContactId();
  /** The placing (child, Spawn script) contact's id; equals `masterId` under a `single` topology. */
  readonly childId: string;
  /** The topology this script plays (the profile's with the run's override). */
  readonly topology: ScriptTopology;
  readonly header: SipHeader;
  call: SipCall | null = null;
  tracked: TrackedCall | null = null;
  private readonly outcome: ScriptOutcome;
  private readonly owner: string;
  private onSignalFired: () => void = () => {};
  private readonly firstOnSignal = new Promise<void>((r) => (this.onSignalFired = r));
  /** Set once the script has transferred or hung up the caller (IBM's `transferred` flag). */
  private done = false;
  private opened = false;
  private closed = false;
  /** How many of the outcome's steps are in history already (steps wait until the call is tracked). */
  private stored = 0;
  private readonly apiSignalListener = (e: EmulatorSignalEvent): void => this.onApiSignal(e);

  constructor(private readonly opts: ChildScriptOptions) {
    const { profile } = opts;
    this.topology = topologyOf(profile, opts.topology);
    this.childId = this.topology.kind === 'single' ? this.masterId : childContactId(this.masterId);
    this.owner = onSignalContactId(this);
    this.header = placeCallHeaders(profile, this, this.topology).contactIdHeader;
    this.outcome = {
      topology: this.topology,
      masterId: this.masterId,
      childId: this.childId,
      header: this.header,
      onSignalContactId: this.owner,
      signalledContactId: null,
      onSignal: null,
      onSignalMonoMs: null,
      onSignalCount: 0,
      signals: [],
      action: 'none',
      transfers: 0,
      outcome: 'no Signal received',
      byeBy: null,
      legDrop: null,
      agentAnsweredMonoMs: null,
      faults: [],
      notes: [],
      timeline: [],
    };
  }

  /** The SIPPUTHEADER headers this script puts before PLACECALL. */
  headers(): SipHeader[] {
    return this.opts.headersOverride ?? placeCallHeaders(this.opts.profile, this, this.topology).headers;
  }

  /**
   * Takes one step: stamps it, keeps it on the outcome's timeline and writes it to history through
   * the recorder as soon as the placed call is tracked (the steps before the INVITE wait for it).
   * @param source - the source the step follows, formatted; also cited as `[…]` at the end of the text.
   * @param data - the Signal parameters and contact the step concerns, stored as data (history migration 8).
   */
  private step(kind: ScriptStepKind, label: string, text: string, source: string | null = null, data: Pick<ScriptStep, 'params' | 'contactId'> = {}): void {
    const { monoMs, wallMs } = stampNow();
    this.outcome.timeline.push({ monoMs, wallMs, kind, label, step: source ? `${text} [${source}]` : text, source, ...data });
    this.storeSteps();
  }

  /** A finding for the report (`outcome.notes`), also taken as a `note` step at the moment it was made. */
  private finding(text: string): void {
    this.outcome.notes.push(text);
    this.step('note', 'finding', text);
  }

  /** Writes the steps not yet in history onto the tracked call (the CXone-side leg this script placed). */
  private storeSteps(): void {
    const t = this.tracked;
    if (!t) return;
    const steps = this.outcome.timeline.slice(this.stored);
    this.stored = this.outcome.timeline.length;
    for (const s of steps) this.opts.recorder.writeScriptStep(t.call.id, t.runId, s);
  }

  /** ONSIGNAL of the owner's script: runs on every Signal the API delivered to that contact. */
  private onSignal(params: SignalParams): void {
    const o = this.outcome;
    o.onSignalCount++;
    if (o.onSignalCount === 1) {
      o.onSignal = { ...params };
      o.onSignalMonoMs = monoNow();
      const names = SCRIPT_NAMES[this.topology.kind];
      this.step('onsignal', `ONSIGNAL ${formatSignalParams(params)}`, `ONSIGNAL fired in ${this.owner === this.masterId ? names.main : names.placer} (${this.owner}) with ${formatSignalParams(params)}`,
        formatSource(TOPOLOGY_BEHAVIOUR[this.topology.kind].onSignal.source), { params: { ...params }, contactId: this.owner });
      if (this.done) this.finding(`ONSIGNAL fired after the caller was already handled (${o.action}): the transferred flag keeps the script from acting again`);
      this.onSignalFired();
      return;
    }
    this.step('onsignal', 'ONSIGNAL again', `ONSIGNAL fired again (Signal #${o.onSignalCount}) with ${formatSignalParams(params)}`, null, { params: { ...params }, contactId: this.owner });
    this.finding(
      `duplicate Signal: ONSIGNAL fired ${o.onSignalCount} times; the emulated script's transferred flag stops a second transfer, ` +
        'a script without one would transfer twice (two simultaneous Signals may also be merged into one [H-SIG])',
    );
  }

  /** Records every Signal naming one of this call's contacts, and notes a Signal to the wrong leg. */
  private onApiSignal(e: EmulatorSignalEvent): void {
    if (e.contactId !== this.masterId && e.contactId !== this.childId) {
      // An id this script put in the header but that is no contact of this call (a headers override):
      // explained from the topology too.
      const sent = this.headers().find((h) => h.name === this.header.name)?.value;
      if (sent !== undefined && e.contactId === sent) this.finding(`Signal to ${e.contactId}: ${e.status}, ${e.outcome}; ${explainSignalledContact(this, e.contactId).detail}`);
      return;
    }
    const leg = e.contactId === this.masterId ? 'master' : 'child';
    this.outcome.signals.push({ contactId: e.contactId, leg, params: { ...e.params }, status: e.status, apiOutcome: e.outcome, monoMs: e.monoMs, wallMs: e.wallMs });
    this.outcome.signalledContactId ??= e.contactId;
    const names = SCRIPT_NAMES[this.topology.kind];
    this.step('signal', `Signal ${e.status} received`, `Signal to ${e.contactId} (${leg === 'master' ? names.main : names.placer}): ${e.status}, ${e.outcome}`, null, { params: { ...e.params }, contactId: e.contactId });
    if (e.contactId !== this.owner && e.status >= 200 && e.status < 300) {
      this.finding(explainSignalledContact(this, e.contactId).detail);
    }
  }

  /**
   * Registers the contacts, places the call through `endpoint`, plays ONSIGNAL / ONRELEASE, and
   * resolves when the call is over. Equals {@link open}, the INVITE, then {@link follow}.
   */
  async run(): Promise<ScriptOutcome> {
    const { profile, endpoint } = this.opts;
    this.open();
    let call: SipCall;
    let tracked: TrackedCall;
    try {
      if (!endpoint) throw new Error('no SIP endpoint to place the call through');
      call = endpoint.invite(this.opts.target, { extraHeaders: this.headers(), fromUser: 'cxone' });
      this.call = call;
      tracked = this.opts.recorder.track(call, { runId: this.opts.runId, profile: profile.id });
      this.tracked = tracked;
      this.storeSteps();
      if (this.opts.placeCallRules) tracked.addChecks(placeCallRuleChecks(profile, { requestUri: this.opts.target, transport: call.transport }));
      const callerPrompt = this.opts.callerPrompt;
      // The caller speaks once answered; a leg that ends mid-prompt just stops it.
      if (callerPrompt) void call.waitForState('answered', this.opts.maxCallMs ?? 60_000).then(() => call.playPrompt(callerPrompt)).catch(() => {});
    } catch (e) {
      this.outcome.outcome = `script error: ${(e as Error).message}`;
      if (this.call) await this.endLeg(this.call);
      this.close();
      return this.outcome;
    }
    return this.follow(call, tracked);
  }

  /**
   * Before PLACECALL: registers the main (and child) contact with the emulator API, so their
   * Signals reach this script's ONSIGNAL, and starts noting every Signal naming them. Call once,
   * before the INVITE goes out (the bot may Signal as soon as it has it); {@link close} undoes it.
   * Also stamps the SIPPUTHEADER/PLACECALL step on the outcome's timeline.
   */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    const { api } = this.opts;
    const onSignal = (p: SignalParams): void => this.onSignal(p);
    api.contacts.add({ contactId: this.masterId, role: 'master', onSignal: this.owner === this.masterId ? onSignal : undefined });
    if (this.childId !== this.masterId) {
      api.contacts.add({ contactId: this.childId, masterId: this.masterId, role: 'child', onSignal: this.owner === this.childId ? onSignal : undefined });
    }
    api.on('signal', this.apiSignalListener);
    const layout = formatSource(TOPOLOGY_BEHAVIOUR[this.topology.kind].layout.source);
    for (const h of this.headers()) this.step('sipputheader', `SIPPUTHEADER ${h.name}`, `SIPPUTHEADER ${h.name} = ${h.value}`, layout);
    this.step('placecall', 'PLACECALL', `PLACECALL ${this.opts.target}`, layout);
  }

  /** Ends the contacts and stops noting Signals (idempotent; {@link follow} calls it when it ends). */
  close(): void {
    if (!this.opened || this.closed) return;
    this.closed = true;
    const { api } = this.opts;
    api.off('signal', this.apiSignalListener);
    if (this.childId !== this.masterId) api.contacts.end(this.childId);
    api.contacts.end(this.masterId);
  }

  /**
   * Plays the script on a call placed with this script's {@link headers} (by {@link run}, or by a
   * caller that sends the INVITE itself, the `call` run kind: runs/placed-call.ts): ONSIGNAL,
   * ONRELEASE, the `maxCallMs` and `abort` ends, then `settleMs` for late Signals; finally
   * {@link close}. Opens the contacts first if {@link open} was not called.
   * @returns the outcome once the call is over; never rejects (a failure is `script error: …`).
   */
  async follow(call: SipCall, tracked: TrackedCall): Promise<ScriptOutcome> {
    this.open();
    this.call = call;
    this.tracked = tracked;
    this.storeSteps();
    const o = this.outcome;
    const settleMs = this.opts.settleMs ?? 300;
    try {
      const maxCallMs = this.opts.maxCallMs ?? 60_000;
      const ended = call.waitForEnd(maxCallMs);
      ended.catch(() => {});
      const aborted = new Promise<'abort'>((r) => {
        if (this.opts.abort?.aborted) r('abort');
        this.opts.abort?.addEventListener('abort', () => r('abort'), { once: true });
      });
      const first = await Promise.race([
        this.firstOnSignal.then(() => 'signal' as const),
        ended.then(() => 'ended' as const, () => 'timeout' as const),
        aborted,
      ]);
      if (first === 'timeout' || first === 'abort') {
        await this.endLeg(call);
        o.byeBy = byeSide(call);
        o.outcome = first === 'abort' ? 'stopped before any ONSIGNAL: CXone ended the call' : `no ONSIGNAL within ${maxCallMs / 1000} s: CXone ended the call`;
        this.step('end', 'contact ended', o.outcome);
      } else if (first === 'ended' && !(await this.signalBeforeBye(call, settleMs))) {
        o.byeBy = byeSide(call);
        if (o.byeBy === 'bot') {
          this.step('onrelease', 'ONRELEASE', 'the bot hung up (BYE) before any ONSIGNAL: ONRELEASE', formatSource(TOPOLOGY_BEHAVIOUR[this.topology.kind].onRelease.source));
          o.outcome = 'ONRELEASE → transfer to agent (the bot hung up before any ONSIGNAL)';
          await this.transfer('ONRELEASE-transfer');
        } else {
          o.outcome = call.state === 'failed' ? `PLACECALL failed: ${call.end?.reason ?? 'unknown'}` : 'call ended before any ONSIGNAL';
          this.step('end', call.state === 'failed' ? 'PLACECALL failed' : 'contact ended', o.outcome);
        }
      } else {
        await this.playOnSignal(call);
      }
      await sleep(settleMs);
    } catch (e) {
      o.outcome = `script error: ${(e as Error).message}`;
      this.step('end', 'script error', o.outcome);
      await this.endLeg(call);
    } finally {
      this.close();
    }
    return o;
  }

  /**
   * After the bot's BYE: waits up to `settleMs` for a Signal in flight. True when ONSIGNAL fired for
   * a Signal the emulator received before the BYE (the Signal came first); a later one is noted.
   */
  private async signalBeforeBye(call: SipCall, settleMs: number): Promise<boolean> {
    if (byeSide(call) !== 'bot') return false;
    const byeMono = firstBye(call)?.monoMs ?? monoNow();
    if (!this.outcome.onSignal) await Promise.race([this.firstOnSignal, sleep(settleMs)]);
    if (!this.outcome.onSignal) return false;
    const sig = this.outcome.signals.find((s) => s.contactId === this.owner && s.status >= 200 && s.status < 300);
    if (!sig || sig.monoMs <= byeMono) return true;
    this.finding(`Signal received ${Math.round(sig.monoMs - byeMono)} ms after the bot's BYE: ONRELEASE had already transferred the caller`);
    return false;
  }

  /** The ONSIGNAL branch: drop the leg (or wait for the bot to), then HANGUP or REQAGENT. */
  private async playOnSignal(call: SipCall): Promise<void> {
    const o = this.outcome;
    const { profile, api } = this.opts;
    const p1 = o.onSignal?.p1 ?? '';
    const firedMono = o.onSignalMonoMs ?? monoNow();
    const swallow = api.hasFault('no-leg-drop');
    const waitMs = this.opts.dropWaitMs ?? 5000;
    if (swallow) {
      o.faults.push('no-leg-drop');
      this.step('note', 'fault no-leg-drop', 'fault no-leg-drop: the Signal was answered 2xx, but the script leaves the bot leg up');
    } else if (profile.hangsUp === 'cxone' && live(call)) {
      this.step('note', 'drop the bot leg', 'drop the bot leg (BYE)', formatSource(this.hangUpSource()));
      await call.hangup().catch(() => {});
    } else if (live(call)) this.step('note', 'wait for the bot\'s BYE', `wait for the bot to end its leg (${profile.name} hangs up itself)`);
    const endedInTime = await call.waitForEnd(waitMs).then(
      () => true,
      () => false,
    );
    o.legDrop = legDropVerdict({
      profile,
      by: endedInTime ? endSide(call) : null,
      byeMonoMs: endedInTime ? (firstBye(call)?.monoMs ?? null) : null,
      onSignalMonoMs: firedMono,
      waitMs,
    });
    if (!endedInTime) {
      this.step('note', 'leg not dropped', `${o.legDrop.detail}: the lab ends the leg`);
      await this.endLeg(call);
    }
    o.byeBy = byeSide(call);
    if (swallow) {
      if (byeSide(call) === 'bot') await this.transfer('ONRELEASE-transfer');
      o.outcome =
        byeSide(call) === 'bot' && endedInTime
          ? 'ONSIGNAL did not drop the leg (fault no-leg-drop); the bot hung up: ONRELEASE → transfer to agent'
          : `ONSIGNAL did not drop the leg (fault no-leg-drop): ${o.legDrop.detail}`;
      this.step(o.transfers ? 'note' : 'end', 'leg not dropped', o.outcome);
      return;
    }
    if (o.byeBy === 'bot') this.step('onrelease', 'ONRELEASE (nothing more)', 'ONRELEASE after ONSIGNAL: the transferred flag is set, nothing more');
    if (p1.toLowerCase() === 'hangup') {
      this.done = true;
      o.action = 'HANGUP';
      o.outcome = 'HANGUP';
      this.step('hangup', 'HANGUP', 'HANGUP (p1=hangup): the caller is disconnected; ONRELEASE follows and, told apart by the flag, does nothing');
      return;
    }
    o.outcome = 'REQAGENT';
    await this.transfer('REQAGENT');
  }

  /** The source of who ends the bot leg: the profile's `hangsUp` rule. */
  private hangUpSource() {
    return this.opts.profile.sources.hangsUp ?? TOPOLOGY_BEHAVIOUR[this.topology.kind].onSignal.source;
  }

  /** Transfers the caller once (IBM's `transferred` flag) and waits for the agent to answer; a second transfer is only noted. */
  private async transfer(action: 'REQAGENT' | 'ONRELEASE-transfer'): Promise<void> {
    const o = this.outcome;
    if (this.done) {
      this.step('note', `${action === 'REQAGENT' ? 'REQAGENT' : 'ONRELEASE'} skipped`, `${action}: skipped, the caller was already handled (transferred flag)`);
      return;
    }
    this.done = true;
    o.action = action;
    o.transfers++;
    if (action === 'REQAGENT') this.step('reqagent', 'REQAGENT', `REQAGENT with the ONSIGNAL variables ${formatSignalParams(o.onSignal ?? {})}`);
    else this.step('onrelease', 'ONRELEASE → agent', 'ONRELEASE → transfer to an agent');
    const delay = this.opts.agentAnswerDelayMs ?? 0;
    if (delay > 0) await sleep(delay);
    o.agentAnsweredMonoMs = monoNow();
    this.step('agent', 'agent answered', `the agent answered (${delay} ms after the transfer)`);
  }

  /** Ends the leg if it is still up (BYE or CANCEL) and waits briefly for it to settle. */
  private async endLeg(call: SipCall): Promise<void> {
    if (!live(call)) return;
    await call.hangup().catch(() => {});
    await call.waitForEnd(5000).catch(() => {});
  }
}

function live(call: SipCall): boolean {
  return call.state !== 'ended' && call.state !== 'failed' && call.state !== 'ending';
}

function firstBye(call: SipCall): SipCall['messages'][number] | undefined {
  return call.messages.find((m) => m.status === undefined && m.method === 'BYE');
}

/** Who ended the bot leg (BYE, CANCEL, a final response), from the CXone side's view; null while up. */
function endSide(call: SipCall): 'cxone' | 'bot' | null {
  const by = call.end?.by;
  return by === 'local' ? 'cxone' : by === 'remote' ? 'bot' : null;
}

/** Who sent the BYE of the answered bot leg; null while up or when it never was answered. */
function byeSide(call: SipCall): 'cxone' | 'bot' | null {
  return call.state === 'failed' ? null : endSide(call);
}
