/**
 * Follows live calls and writes what happens to history and to the contract's event stream: every
 * SIP message as it crosses the socket, every state change, the contact-id verdict, the Signals and
 * the checks. History, UI and reports all read what this writes (design.md §4).
 */
import type { LabEventName, LabEvents } from '../../shared/contract';
import type {
  CallSummary,
  CheckResult,
  ContactIdVerdict,
  LatencyMarks,
  SignalRecord,
} from '../../shared/types';
import type { HistoryStore } from '../history/store';
import type { SipCall } from '../sip/call';
import { headerValue } from '../sip/message';
import { mediaMarks, signalMarks, sipMarks } from './latency';
import type { RtpCapture } from '../pcap/rtp-capture';

/** Where events go (the Lab service, or nothing for a headless run). */
export interface LabEventSink {
  emit<E extends LabEventName>(name: E, payload: LabEvents[E]): void;
}

/** Logger used by the recorder: a failed write is logged, never thrown into a call's event loop. */
export type RecorderLog = (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;

/** One call followed by the recorder. */
export class TrackedCall {
  verdict: ContactIdVerdict | null = null;
  readonly signals: SignalRecord[] = [];
  readonly checks: CheckResult[] = [];
  /** Extra marks set by the scenario (e.g. the CXone leg's view of invite_to_200). */
  extraLatency: LatencyMarks = {};

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
      startedWallMs: firstMsg?.wallMs ?? this.recorder.startedWallMs(this.call.id),
      endedWallMs: done ? (lastMsg?.wallMs ?? Date.now()) : null,
      end: this.call.end,
      latency: this.latency(),
    };
  }

  /** Records the contact-id verdict of the INVITE. */
  setVerdict(verdict: ContactIdVerdict): void {
    this.verdict = verdict;
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

/**
 * Follows calls and persists them.
 * @param store - history, or null to keep nothing (writes that fail are logged, not thrown).
 * @param events - the event stream, or null.
 * @param rtpCapture - the RTP/RTCP datagrams of the calls (the endpoints' `media.onRtpPacket`);
 *        each call's are written next to its recording (`x.rtp.pcap`) when it ends, for the pcap export.
 */
export class CallRecorder {
  private readonly tracked = new Map<string, TrackedCall>();
  private readonly started = new Map<string, number>();

  constructor(
    private readonly store: HistoryStore | null,
    private readonly events: LabEventSink | null,
    private readonly log: RecorderLog = () => {},
    private readonly rtpCapture: RtpCapture | null = null,
  ) {}

  /** Starts following a call: writes it and the messages it already holds, then every new one. */
  track(call: SipCall, meta: { runId: string | null; profile: string }): TrackedCall {
    const existing = this.tracked.get(call.id);
    if (existing) return existing;
    const t = new TrackedCall(call, meta.runId, meta.profile, this);
    this.tracked.set(call.id, t);
    this.started.set(call.id, Date.now());
    this.save(t);
    for (const m of call.messages) this.writeMessage(t, m);
    call.on('message', (m) => {
      this.writeMessage(t, m);
      this.save(t);
    });
    // The media report is saved once, when the call is over (its media is closed by then); the
    // first RTP and first voice save the row once each so their latency marks show while live.
    call.on('state', (next) => this.save(t, next === 'ended' || next === 'failed'));
    call.on('rtp', () => this.save(t));
    call.on('voice', () => this.save(t));
    return t;
  }

  /** The tracked call with this internal id, if any. */
  get(id: string): TrackedCall | undefined {
    return this.tracked.get(id);
  }

  /** Every tracked call, oldest first. */
  all(): TrackedCall[] {
    return [...this.tracked.values()];
  }

  /** Forgets calls that have ended (history keeps them). */
  prune(): void {
    for (const [id, t] of this.tracked) {
      if (t.call.state === 'ended' || t.call.state === 'failed') this.tracked.delete(id);
    }
  }

  /** @internal */
  startedWallMs(id: string): number {
    return this.started.get(id) ?? Date.now();
  }

  /**
   * @internal Writes the call row and announces it; with `withMedia`, also the call's media report
   * (when it had media). Rows saved without it keep the stored report.
   */
  save(t: TrackedCall, withMedia = false): void {
    const summary = t.summary();
    const report = withMedia ? t.call.mediaReport() : null;
    const media = report && (report.remoteRtp !== null || report.received.packets > 0) ? report : null;
    if (media && this.rtpCapture) this.guard('save RTP capture', () => this.rtpCapture?.saveCall(media));
    this.guard('save call', () =>
      this.store?.saveCall({
        ...summary,
        invite: t.call.invite ? { raw: t.call.invite.raw, headers: t.call.invite.parsed.headers } : null,
        verdict: t.verdict,
        media,
      }),
    );
    this.events?.emit('call/updated', summary);
  }

  /** @internal */
  writeSignal(rec: SignalRecord, runId: string | null): void {
    this.guard('save signal', () => this.store?.addSignal({ ...rec, runId }));
    this.events?.emit('signal/added', rec);
  }

  /** @internal */
  writeCheck(c: CheckResult, runId: string | null, callRef: string | null): void {
    this.guard('save check', () => this.store?.addCheck({ ...c, runId, callRef }));
  }

  private writeMessage(t: TrackedCall, m: SipCall['messages'][number]): void {
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
