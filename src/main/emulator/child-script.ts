/**
 * The emulated CXone parent/child scripts of a bot handoff (design.md §1, cxone-reference.md §4):
 *
 * ```
 * parent (ContactId = MasterId) ── SPAWN ──▶ child (its own ContactId)
 * child: SIPPUTHEADER <profile header> = <MasterId or child id>, + the profile's extra X- headers
 * child: PLACECALL <target> ──INVITE──▶ bot
 * ONSIGNAL (in the script of the contact the profile signals):
 *     hangsUp = cxone → drop the bot leg (BYE), then p1=hangup → HANGUP, else → REQAGENT
 *     hangsUp = bot   → wait for the bot's BYE, then the same
 * bot BYE before any ONSIGNAL → ONRELEASE → transfer to an agent (once)
 * ```
 * A Signal to the contact whose script has no ONSIGNAL is accepted by the API and does nothing;
 * the outcome says so.
 */
import { randomInt } from 'node:crypto';
import type { VendorProfile } from '../../shared/profile';
import type { SignalParams, SipHeader } from '../../shared/types';
import { monoNow } from '../clock';
import type { CallRecorder, TrackedCall } from '../scenarios/call-recorder';
import type { SipCall } from '../sip/call';
import type { SipEndpoint } from '../sip/endpoint';
import type { CxoneEmulatorApi } from './api-server';

/** What the emulated CXone saw and did. */
export interface ScriptOutcome {
  masterId: string;
  childId: string;
  /** The header CXone put with SIPPUTHEADER, and its value. */
  header: SipHeader;
  /** Contact id the first Signal named, or null if none came. */
  signalledContactId: string | null;
  /** Parameters ONSIGNAL received, or null if it never fired. */
  onSignal: SignalParams | null;
  /** Monotonic stamp (ms) at which ONSIGNAL fired. */
  onSignalMonoMs: number | null;
  /** `REQAGENT`, `HANGUP`, `ONRELEASE → transfer to agent`, or what went wrong. */
  outcome: string;
  /** Who sent the BYE on the bot leg. */
  byeBy: 'cxone' | 'bot' | null;
  /** Notes for the report (signals to the wrong leg…). */
  notes: string[];
}

/** Options of one emulated PLACECALL. */
export interface ChildScriptOptions {
  /** The CXone side's SIP endpoint (UAC). */
  endpoint: SipEndpoint;
  api: CxoneEmulatorApi;
  profile: VendorProfile;
  /** SIP URI of the bot (the pseudo number's route). */
  target: string;
  recorder: CallRecorder;
  runId: string | null;
  /** Headers to put instead of the profile's (tests of broken headers). */
  headersOverride?: SipHeader[];
  /** Delay before the emulated agent answers REQAGENT (ms). Default 0. */
  agentAnswerDelayMs?: number;
  /** How long the script lets the call run before it ends it (ms). Default 60000. */
  maxCallMs?: number;
}

/** Makes a CXone-like contact id: a 10–11 digit number. */
export function newContactId(): string {
  return String(randomInt(10_000_000_000, 99_999_999_999));
}

/** One emulated child script: created, then {@link run} places the call and resolves with the outcome. */
export class ChildScript {
  readonly masterId = newContactId();
  readonly childId = String(Number(this.masterId) + 1);
  readonly header: SipHeader;
  call: SipCall | null = null;
  tracked: TrackedCall | null = null;
  private readonly outcome: ScriptOutcome;

  constructor(private readonly opts: ChildScriptOptions) {
    const { profile } = opts;
    const value = profile.signalTarget === 'master' ? this.masterId : this.childId;
    this.header = { name: profile.contactIdHeaders[0] ?? 'X-ContactID', value };
    this.outcome = {
      masterId: this.masterId,
      childId: this.childId,
      header: this.header,
      signalledContactId: null,
      onSignal: null,
      onSignalMonoMs: null,
      outcome: 'no Signal received',
      byeBy: null,
      notes: [],
    };
  }

  /** The SIPPUTHEADER headers this script puts before PLACECALL. */
  headers(): SipHeader[] {
    return this.opts.headersOverride ?? [this.header, ...this.opts.profile.extraHeaders];
  }

  /** Registers the contacts, places the call, plays ONSIGNAL / ONRELEASE, and resolves when the call is over. */
  async run(): Promise<ScriptOutcome> {
    const { api, profile, endpoint } = this.opts;
    const onSignalOwner = profile.signalTarget === 'master' ? this.masterId : this.childId;
    let resolveSignal: () => void = () => {};
    const signalled = new Promise<void>((r) => (resolveSignal = r));
    const onSignal = (params: SignalParams): void => {
      if (this.outcome.onSignal) return; // only one ONSIGNAL per script
      this.outcome.onSignal = params;
      this.outcome.onSignalMonoMs = monoNow();
      resolveSignal();
    };
    api.contacts.add({ contactId: this.masterId, role: 'master', onSignal: onSignalOwner === this.masterId ? onSignal : undefined });
    api.contacts.add({
      contactId: this.childId,
      masterId: this.masterId,
      role: 'child',
      onSignal: onSignalOwner === this.childId ? onSignal : undefined,
    });
    const onApiSignal = (e: { contactId: string; outcome: string }): void => {
      if (e.contactId !== this.masterId && e.contactId !== this.childId) return;
      this.outcome.signalledContactId ??= e.contactId;
      if (e.contactId !== onSignalOwner) {
        const leg = e.contactId === this.masterId ? 'the parent (MasterId)' : 'the child';
        this.outcome.notes.push(`Signal to ${e.contactId} (${leg}): that script has no ONSIGNAL, nothing happens`);
      }
    };
    api.on('signal', onApiSignal);
    try {
      const call = endpoint.invite(this.opts.target, { extraHeaders: this.headers(), fromUser: 'cxone' });
      this.call = call;
      this.tracked = this.opts.recorder.track(call, { runId: this.opts.runId, profile: profile.id });
      let botHungUp = false;
      call.on('ended', (end) => {
        if (end.by === 'remote') botHungUp = true;
      });
      const maxCallMs = this.opts.maxCallMs ?? 60_000;
      const ended = call.waitForEnd(maxCallMs);
      let first = await Promise.race([
        signalled.then(() => 'signal' as const),
        ended.then(
          () => 'ended' as const,
          () => 'timeout' as const,
        ),
      ]);
      if (first === 'timeout') {
        await call.hangup().catch(() => {});
        await call.waitForEnd(5000).catch(() => {});
        this.outcome.byeBy = 'cxone';
        this.outcome.outcome = `no ONSIGNAL within ${maxCallMs / 1000} s: CXone ended the call`;
        return this.outcome;
      }
      if (first === 'ended') {
        // The bot's BYE can overtake its Signal's ONSIGNAL on loopback: allow it a moment to land.
        await Promise.race([signalled, new Promise((r) => setTimeout(r, 300))]);
        if (this.outcome.onSignal) first = 'signal';
      }
      if (first === 'signal') {
        if (profile.hangsUp === 'cxone') {
          if (call.state === 'answered') await call.hangup().catch(() => {});
        }
        const end = await ended.catch(async () => {
          await call.hangup().catch(() => {});
          return call.end;
        });
        this.outcome.byeBy = end?.by === 'local' ? 'cxone' : end?.by === 'remote' ? 'bot' : null;
        if (this.opts.agentAnswerDelayMs) await new Promise((r) => setTimeout(r, this.opts.agentAnswerDelayMs));
        this.outcome.outcome = this.outcome.onSignal?.p1?.toLowerCase() === 'hangup' ? 'HANGUP' : 'REQAGENT';
      } else {
        this.outcome.byeBy = botHungUp ? 'bot' : call.end?.by === 'local' ? 'cxone' : null;
        this.outcome.outcome =
          call.state === 'failed'
            ? `PLACECALL failed: ${call.end?.reason ?? 'unknown'}`
            : botHungUp
              ? 'ONRELEASE → transfer to agent (the bot hung up before any ONSIGNAL)'
              : 'call ended before any ONSIGNAL';
      }
    } catch (e) {
      this.outcome.outcome = `script error: ${(e as Error).message}`;
      if (this.call && this.call.state !== 'ended' && this.call.state !== 'failed') await this.call.hangup().catch(() => {});
    } finally {
      api.off('signal', onApiSignal);
      api.contacts.end(this.childId);
      api.contacts.end(this.masterId);
    }
    return this.outcome;
  }
}
