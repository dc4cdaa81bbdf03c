/**
 * Follows live calls and writes what happens to history, announcing each write exactly once on the
 * runtime's event stream (issue 11): every SIP message as it crosses the socket, the call's changes
 * (as deltas: only the summary fields that changed), the contact-id verdict, the Signals, the media
 * report, the checks and the emulated CXone script's steps. History, UI and reports all read what this writes (design.md §4).
 *
 * Bounded: a call leaves the recorder's maps when it ends (its row stays in history). Cost per SIP
 * message O(1): one appended message row; the call row is rewritten only when its summary can
 * change (state, verdict, Signal, first RTP/voice, the INVITE's responses and BYEs), not per message.
 */
import type {
  CallSummary,
  CheckResult,
  ContactIdVerdict,
  LatencyMarks,
  SignalRecord,
  SipMessageRecord,
} from '../../shared/types';
import type { ScriptStep } from '../emulator/script-outcome';
import { scriptStepView } from '../history/script-steps';
import type { HistoryStore } from '../history/store';
import type { RuntimeEventMap } from '../runtime/events';
import type { SipCall } from '../sip/call';
import { headerValue } from '../sip/message';
import { stampSettled } from '../sip/wire-record';
import { mediaMarks, signalMarks, sipMarks } from './latency';
import type { RtpCapture } from '../pcap/rtp-capture';

/** The events the recorder announces, one per store write (payloads by name). */
export type RecorderEventMap = Pick<
  RuntimeEventMap,
  'call/started' | 'call/changed' | 'sip/message' | 'signal/added' | 'media/stats' | 'check/added' | 'script/step' | 'call/released'
>;

/** Where the recorder's events go (the runtime's event stream, or nothing for a bare recorder). */
export interface RecorderEventSink {
  emit<E extends keyof RecorderEventMap>(name: E, payload: RecorderEventMap[E]): void;
}

/** @deprecated the old name of {@link RecorderEventSink}. */
export type LabEventSink = RecorderEventSink;

/** Logger used by the recorder: a failed write is logged, never thrown into a call's event loop. */
export type RecorderLog = (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;

/** One call followed by the recorder. */
export class TrackedCall {
  verdict: ContactIdVerdict | null = null;
  readonly signals: SignalRecord[] = [];
  readonly checks: CheckResult[] = [];
  /** Extra marks set by the scenario (e.g. the CXone leg's view of invite_to_200). */
  extraLatency: LatencyMarks = {};
  /** @internal The summary last announced (null before the first write). */
  lastSummary: CallSummary | null = null;
  /** @internal A write is due though the summary may not change (a new verdict). */
  pending = false;
  /** @internal Wall ms when tracking began (a call without messages yet). */
  readonly trackedWallMs = Date.now();
  /** @internal Sent UDP messages of this call waiting for their wire-thread stamp before they are stored. */
  readonly unstamped = new Set<Promise<void>>();

  constructor(
    readonly call: SipCall,
    readonly runId: string | null,
    readonly profile: string,
    private readonly recorder: CallRecorder,
  ) {}

  /** Latency marks of this leg computed from its socket stamps and Signals (ms). */
  latency(): LatencyMarks {
    return {
      ...sipMarks(this.call.messages, this.call.role),
      ...mediaMarks(this.call.messages, this.call.role, this.call.media),
      ...signalMarks(this.signals, this.call.messages),
      ...this.extraLatency,
    };
  }

  /** The call as listed in history and the dashboard. */
  summary(): CallSummary {
    const headers = this.call.invite?.parsed.headers ?? [];
    const firstMsg = this.call.messages[0];
    const lastMsg = this.call.messages[this.call.messages.length - 1];
    const done = this.call.state === 'ended' || this.call.state === 'failed';
    return {
      id: this.call.id,
      runId: this.runId,
      callId: this.call.callId,
      role: this.call.role,
      transport: this.call.transport,
      profile: this.profile,
      state: this.call.state,
      from: headerValue(headers, 'from') ?? '',
      to: headerValue(headers, 'to') ?? '',
      requestUri: this.call.originalRequestUri ?? this.call.invite?.parsed.requestUri ?? '',
      contactId: this.verdict?.value ?? null,
      contactIdOk: this.verdict ? this.verdict.ok : null,
      startedWallMs: firstMsg?.wallMs ?? this.trackedWallMs,
      endedWallMs: done ? (lastMsg?.wallMs ?? Date.now()) : null,
      end: this.call.end,
      latency: this.latency(),
    };
  }

  /** Records the contact-id verdict of the INVITE. */
  setVerdict(verdict: ContactIdVerdict): void {
    this.verdict = verdict;
    this.pending = true;
    this.recorder.save(this);
  }

  /** Records a Signal sent for this call. */
  addSignal(rec: SignalRecord): void {
    this.signals.push(rec);
    this.recorder.writeSignal(rec, this.runId);
    this.recorder.save(this);
  }

  /** Records the checks of this call (once, when it is over). */
  addChecks(checks: readonly CheckResult[]): void {
    for (const c of checks) {
      this.checks.push(c);
      this.recorder.writeCheck(c, this.runId, this.call.id);
    }
    this.recorder.save(this);
  }
}

/** The fields of `next` that differ from `prev` (JSON-equal fields are left out). */
function changedFields(prev: CallSummary, next: CallSummary): Partial<CallSummary> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(next) as (keyof CallSummary)[]) {
    const a = prev[k];
    const b = next[k];
    if (a === b) continue;
    if (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b)) continue;
    out[k] = b;
  }
  return out as Partial<CallSummary>;
}

/** True for a message that can change a call's summary (the INVITE's responses, a BYE). */
function movesSummary(m: SipMessageRecord): boolean {
  return m.method === 'BYE' || (m.method === 'INVITE' && m.status !== undefined);
}

/**
 * Follows calls and persists them.
 * @param store - history, or null to keep nothing (writes that fail are logged, not thrown).
 * @param events - the event stream, or null.
 * @param rtpCapture - the RTP/RTCP datagrams of the calls (the endpoints' `media.onRtpPacket`);
 *        each call's are written next to its recording (`x.rtp.pcap`) when it ends, for the pcap export.
 */
export class CallRecorder {
  private readonly tracked = new Map<string, TrackedCall>();
  /** Every call's messages waiting for their wire stamp ({@link settled}). */
  private readonly unstamped = new Set<Promise<void>>();

  constructor(
    private readonly store: HistoryStore | null,
    private readonly events: RecorderEventSink | null,
    private readonly log: RecorderLog = () => {},
    private readonly rtpCapture: RtpCapture | null = null,
  ) {}

  /** Starts following a call: writes it and the messages it already holds, then every new one. */
  track(call: SipCall, meta: { runId: string | null; profile: string }): TrackedCall {
    const existing = this.tracked.get(call.id);
    if (existing) return existing;
    const t = new TrackedCall(call, meta.runId, meta.profile, this);
    const ended = call.state === 'ended' || call.state === 'failed';
    if (!ended) this.tracked.set(call.id, t);
    this.save(t);
    for (const m of call.messages) this.writeMessage(t, m);
    if (ended) return t;
    call.on('message', (m) => {
      this.writeMessage(t, m);
      if (movesSummary(m)) this.save(t);
    });
    // The media report is saved once, when the call is over (its media is closed by then); the
    // first RTP and first voice save the row once each so their latency marks show while live.
    call.on('state', (next) => {
      const over = next === 'ended' || next === 'failed';
      this.save(t, over);
      if (over) this.releaseWhenStored(t);
    });
    call.on('rtp', () => this.save(t));
    call.on('voice', () => this.save(t));
    return t;
  }

  /**
   * Resolves once every message handed to the recorder so far is stored and announced (a sent UDP
   * message waits for its wire-thread stamp, {@link writeMessage}), or after `timeoutMs` (a wire
   * thread that stopped answering; its pending sends are rejected when its socket closes). Never rejects.
   */
  async settled(timeoutMs = 1_000): Promise<void> {
    const waits = [...this.unstamped];
    if (waits.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(waits), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** The live tracked call with this internal id, if any (an ended call has left). */
  get(id: string): TrackedCall | undefined {
    return this.tracked.get(id);
  }

  /** Every live tracked call, oldest first. */
  all(): TrackedCall[] {
    return [...this.tracked.values()];
  }

  /** Forgets calls that have ended (they leave on their own when they end; kept for callers). */
  prune(): void {
    for (const t of [...this.tracked.values()]) {
      if (t.call.state === 'ended' || t.call.state === 'failed') this.release(t);
    }
  }

  /** Sizes of the recorder's live maps (name → entries), for the runtime's bounded-state figures. */
  liveMapSizes(): Record<string, number> {
    return { 'recorder.tracked': this.tracked.size, 'recorder.unstamped': this.unstamped.size };
  }

  /** @internal Wall ms when the call was first tracked. */
  startedWallMs(id: string): number {
    return this.tracked.get(id)?.trackedWallMs ?? Date.now();
  }

  /**
   * @internal Writes the call row and announces what changed (the whole summary the first time);
   * with `withMedia`, also the call's media report (when it had media). Rows saved without it keep
   * the stored report. Nothing is written when nothing changed.
   */
  save(t: TrackedCall, withMedia = false): void {
    const summary = t.summary();
    const report = withMedia ? t.call.mediaReport() : null;
    const media = report && (report.remoteRtp !== null || report.received.packets > 0) ? report : null;
    const prev = t.lastSummary;
    const delta = prev ? changedFields(prev, summary) : null;
    const first = prev === null;
    if (!first && !media && Object.keys(delta ?? {}).length === 0 && !t.pending) return;
    if (media && this.rtpCapture) this.guard('save RTP capture', () => this.rtpCapture?.saveCall(media));
    this.guard('save call', () =>
      this.store?.saveCall({
        ...summary,
        invite: t.call.invite ? { raw: t.call.invite.raw, headers: t.call.invite.parsed.headers } : null,
        verdict: t.verdict,
        media,
      }),
    );
    t.lastSummary = summary;
    t.pending = false;
    if (first) this.events?.emit('call/started', summary);
    else if (delta && Object.keys(delta).length > 0) this.events?.emit('call/changed', { id: summary.id, ...delta });
    if (media) this.events?.emit('media/stats', { callRef: t.call.id, media });
  }

  /** @internal */
  writeSignal(rec: SignalRecord, runId: string | null): void {
    this.guard('save signal', () => this.store?.addSignal({ ...rec, runId }));
    this.events?.emit('signal/added', rec);
  }

  /** @internal */
  writeCheck(c: CheckResult, runId: string | null, callRef: string | null): void {
    this.guard('save check', () => this.store?.addCheck({ ...c, runId, callRef }));
    this.events?.emit('check/added', { runId, callRef, check: c });
  }

  /** @internal Stores one step of the emulated CXone script on the leg it placed (history migration 7) and announces it (`script/step`). */
  writeScriptStep(callRef: string, runId: string | null, step: ScriptStep): void {
    this.guard('save script step', () => this.store?.addScriptStep(callRef, runId, step));
    this.events?.emit('script/step', { callRef, runId, step: scriptStepView(step) });
  }

  /**
   * Releases an ended call once its last messages are stored: a sent UDP message (our BYE, our 200
   * to the far end's BYE) can still wait for its wire stamp when the call ends. The row is saved
   * again only when that moved its end time (the last message's socket stamp).
   */
  private releaseWhenStored(t: TrackedCall): void {
    if (t.unstamped.size === 0) return this.release(t);
    void Promise.all([...t.unstamped])
      .then(() => {
        const last = t.call.messages[t.call.messages.length - 1];
        if (last && t.lastSummary?.endedWallMs !== last.wallMs) this.guard('save call', () => this.save(t));
        this.release(t);
      })
      .catch((e: unknown) => this.log('error', `history: could not release call ${t.call.id}: ${e instanceof Error ? e.message : String(e)}`));
  }

  private release(t: TrackedCall): void {
    if (this.tracked.get(t.call.id) !== t) return;
    this.tracked.delete(t.call.id);
    this.events?.emit('call/released', { id: t.call.id });
  }

  /**
   * Stores and announces one message. A sent UDP datagram waits for its wire-thread stamp
   * (sip/wire-record.ts {@link stampSettled}: one hand-over to the wire thread and back, tens of µs
   * on an idle machine), so that the stored and announced stamp is the socket's; its seq can then
   * come after a message received meanwhile (the ladders draw by stamp, shared/sip-order.ts).
   */
  private writeMessage(t: TrackedCall, m: SipMessageRecord): void {
    const settled = stampSettled(m);
    if (!settled) return this.storeMessage(t, m);
    const stored: Promise<void> = settled
      .then(() => {
        t.unstamped.delete(stored);
        this.unstamped.delete(stored);
        this.storeMessage(t, m);
      })
      .catch((e: unknown) => this.log('error', `history: could not store a sent SIP message: ${e instanceof Error ? e.message : String(e)}`));
    t.unstamped.add(stored);
    this.unstamped.add(stored);
  }

  private storeMessage(t: TrackedCall, m: SipMessageRecord): void {
    this.guard('save SIP message', () => this.store?.addSipMessage(t.call.id, m));
    this.events?.emit('sip/message', { callRef: t.call.id, message: m });
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log('error', `history: could not ${what}: ${(e as Error).message}`);
    }
  }
}
