/**
 * `SipCall`: one SIP call (one INVITE dialog) as one state machine over a sip.js session, with
 * every message of its Call-ID as it crossed the socket.
 *
 * The state diagram is in call-state.ts and on {@link CallState}. Who ended the call and why is
 * read from the wire records (they reach the call before sip.js handles the message) and from the
 * actions taken here.
 *
 * @remarks RFC 3261 §13 (INVITE), §15 (BYE), §9 (CANCEL); sip-in-node.md §1.5 (a session
 * delegate's `onBye` must accept the BYE itself).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { SessionState, type Invitation, type Inviter, type Session } from 'sip.js';
import type { CallEnd, CallRole, CallState, DtmfDigitRecord, MediaReport, SipMessageRecord, SipTransportKind } from '../../shared/types';
import { emptyMediaReport } from '../media/media-report';
import { CallStateError, canTransition, isTerminal } from './call-state';
import { receiveDtmfInfo } from './dtmf-info';
import { earlyAnswerChange } from './final-answer';
import { headerValue, isParseError, type ParsedSipMessage } from './message';
import type { SipLog } from './node-transport';
import type { RtpSdh, SipMedia } from './rtp-sdh';
import { parseRemoteSdp, SdpError } from '../media/sdp';
import { formatHostPort } from '../net/host-format';
import { parseRecord } from './wire-record';

/**
 * Events of a {@link SipCall}: `state` (next, prev), `message` (a wire record), `ended` (on ended
 * or failed; the media is closed and the recording complete by then), `dtmf` (each received
 * RFC 4733 digit), `voice` (monotonic ms of the first voice received), `rtp` (monotonic ms of the
 * first incoming RTP).
 */
export type SipCallEvents = {
  state: [next: CallState, prev: CallState];
  message: [record: SipMessageRecord];
  ended: [end: CallEnd];
  dtmf: [digit: DtmfDigitRecord];
  voice: [monoMs: number];
  rtp: [monoMs: number];
};

/** What a call is made with. */
export interface SipCallInit {
  role: CallRole;
  /** SIP Call-ID. */
  callId: string;
  transport: SipTransportKind;
  /** uac: the target URI; uas: filled from the INVITE. */
  originalRequestUri?: string;
  /** Our RTP address, shown in `media` before the SDP handler exists. */
  mediaHost?: string;
  log?: SipLog;
}

const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 408: 'Request Timeout', 480: 'Temporarily Unavailable',
  486: 'Busy Here', 487: 'Request Terminated', 488: 'Not Acceptable Here', 500: 'Server Internal Error',
  503: 'Service Unavailable', 603: 'Decline',
};

/** One SIP call. Create through {@link SipEndpoint}; the `_attach…`/`_on…` methods are its wiring. */
export class SipCall extends EventEmitter<SipCallEvents> {
  /** Internal id (UUID), stable across history and UI. */
  readonly id = randomUUID();
  readonly role: CallRole;
  /** SIP Call-ID. */
  readonly callId: string;
  readonly transport: SipTransportKind;
  /** How the call ended; null while live. */
  end: CallEnd | null = null;
  /** The INVITE exactly as on the wire (received for uas, first one sent for uac). */
  invite: { raw: string; parsed: ParsedSipMessage } | null = null;
  /** The Request-URI as the peer sent it (uas; before the transport's rewrite) or as we sent it (uac). */
  originalRequestUri: string;
  /** Every message of this Call-ID in wire order, including the INVITE. */
  readonly messages: SipMessageRecord[] = [];
  private _state: CallState = 'idle';
  private readonly seen = new Set<CallState>(['idle']);
  private session: Session | undefined;
  private sdh: RtpSdh | undefined;
  private readonly fallbackMedia: SipMedia;
  private readonly log: SipLog;
  /** Facts gathered for the end reason. */
  private byeBy: 'local' | 'remote' | undefined;
  private cancelBy: 'local' | 'remote' | undefined;
  private finalInvite: { by: 'local' | 'remote'; reason: string } | undefined;
  private failReason: string | undefined;
  private byeResponsePending = false;
  /** The sip.js session's delegate before ours (given back by {@link _releaseSession}). */
  private priorDelegate: Session['delegate'];
  private readonly sessionListener = (s: SessionState): void => this.onSessionState(s);
  private readonly mediaListeners = {
    dtmf: (d: SipCallEvents['dtmf'][0]): void => this.fire('dtmf', d),
    voice: (t: SipCallEvents['voice'][0]): void => this.fire('voice', t),
    rtp: (t: SipCallEvents['rtp'][0]): void => this.fire('rtp', t),
  };

  constructor(init: SipCallInit) {
    super();
    this.role = init.role;
    this.callId = init.callId;
    this.transport = init.transport;
    this.originalRequestUri = init.originalRequestUri ?? '';
    this.fallbackMedia = { local: { address: init.mediaHost ?? '', port: 0 }, rtpPacketsIn: 0 };
    this.log = init.log ?? (() => {});
  }

  /** Current state (see the diagram on {@link CallState}). */
  get state(): CallState {
    return this._state;
  }

  /** The call's RTP media session (speech waits, digits) once its SDP handler exists; dtmf-info.ts and media/conversation.ts use it. */
  get mediaSession(): RtpSdh['session'] | undefined {
    return this.sdh?.session;
  }

  /** @internal The sip.js session (dtmf-info.ts sends INFO in its dialog). */
  get sipSession(): Session | undefined {
    return this.session;
  }

  /** Media of the call: from its SDP handler once it exists. */
  get media(): SipMedia {
    return this.sdh?.media ?? this.fallbackMedia;
  }

  /**
   * Moves to `next` and emits `state` (and `ended` on a terminal state).
   * @throws {@link CallStateError} when the diagram has no arrow from the current state to `next`.
   */
  transition(next: CallState): void {
    const prev = this._state;
    if (!canTransition(prev, next)) throw new CallStateError(prev, next);
    this._state = next;
    this.seen.add(next);
    this.log('debug', `call ${this.callId} (${this.role}): ${prev} → ${next}`);
    // Close the media before anyone hears of the end, so the recording and report are final.
    if (isTerminal(next)) this.sdh?.close();
    this.fire('state', next, prev);
    if (isTerminal(next)) this.fire('ended', this.end ?? { by: 'none', reason: next });
  }

  /**
   * uas: answers 200 OK with the SDP answer.
   * @throws when not a ringing uas call; when the offer is unusable (the call is then rejected with
   *         488 Not Acceptable Here and the error names the SDP problem); when sip.js fails to answer.
   */
  async accept(): Promise<void> {
    const inv = this.invitation('accept');
    if (this._state !== 'ringing') throw new Error(`cannot accept call ${this.callId} in state ${this._state}`);
    const body = this.invite?.parsed.body ?? '';
    if (body.trim() !== '' && /application\/sdp/i.test(headerValue(this.invite?.parsed.headers ?? [], 'content-type') ?? '')) {
      try {
        parseRemoteSdp(body);
      } catch (e) {
        if (!(e instanceof SdpError)) throw e;
        await this.reject(488);
        throw new Error(`cannot accept call ${this.callId}: ${e.message}; answered 488 Not Acceptable Here`, { cause: e });
      }
    }
    await inv.accept();
    if (inv.state !== SessionState.Established) {
      // sip.js answered with an error response itself (480, 415…); report how the call ended.
      const end = await this.waitForEnd(2000).catch(() => this.end);
      const how = end ? `ended (${end.by}: ${end.reason})` : `is ${this._state}`;
      throw new Error(`accepting call ${this.callId} failed: the call ${how}`);
    }
  }

  /**
   * uas: rejects the INVITE with a final response.
   * @param status - 300..699, default 486 Busy Here.
   * @throws when not a uas call that is inviting or ringing.
   */
  async reject(status = 486): Promise<void> {
    const inv = this.invitation('reject');
    if (this._state !== 'inviting' && this._state !== 'ringing') {
      throw new Error(`cannot reject call ${this.callId} in state ${this._state}`);
    }
    this.finalInvite = { by: 'local', reason: `${status} ${REASON_PHRASES[status] ?? ''}`.trim() };
    await inv.reject({ statusCode: status });
  }

  /**
   * Ends the call the way its state allows: BYE when answered, CANCEL for a uac not yet answered,
   * reject (486) for a uas not yet answered. Does nothing once ending, ended or failed.
   * Resolves once the request or response is handed to sip.js; use {@link waitForEnd} for the end.
   */
  async hangup(): Promise<void> {
    const s = this._state;
    // sip.js already ended the session; the call settles on its own (finish() is pending).
    if (this.session?.state === SessionState.Terminated) return;
    if (s === 'answered') {
      this.byeBy = 'local';
      this.byeResponsePending = true;
      this.transition('ending');
      // sip.js terminates the session as soon as the BYE is sent; `ending` lasts until its
      // response (or sip.js's Timer F, which reports 408 through onReject).
      const done = (): void => {
        this.byeResponsePending = false;
        setImmediate(() => this.finish());
      };
      try {
        await this.session?.bye({ requestDelegate: { onAccept: done, onReject: done } });
      } catch (e) {
        this._noteFailure(`BYE not sent: ${e instanceof Error ? e.message : String(e)}`);
        done();
        throw e;
      }
    } else if ((s === 'inviting' || s === 'ringing') && this.role === 'uac') {
      this.cancelBy = 'local';
      await (this.session as Inviter | undefined)?.cancel();
    } else if ((s === 'inviting' || s === 'ringing') && this.role === 'uas') {
      await this.reject();
    }
  }

  /**
   * Waits until the call is or has been in `state`.
   * @throws (rejects) when `timeoutMs` passes, or the call ends without reaching it; the message
   *         names the state reached and the end reason.
   */
  waitForState(state: CallState, timeoutMs: number): Promise<void> {
    if (this.seen.has(state)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.off('state', onState);
      };
      const why = (): string => (this.end ? ` (${this.end.by}: ${this.end.reason})` : '');
      const timer = setTimeout(() => {
        done();
        reject(new Error(`call ${this.callId} did not reach '${state}' within ${timeoutMs} ms: it is '${this._state}'${why()}`));
      }, timeoutMs);
      const onState = (next: CallState): void => {
        if (next === state) {
          done();
          resolve();
        } else if (isTerminal(next)) {
          done();
          reject(new Error(`call ${this.callId} reached '${next}'${why()} instead of '${state}'`));
        }
      };
      this.on('state', onState);
    });
  }

  /**
   * Waits for the call to be ended or failed.
   * @returns how it ended. @throws (rejects) when `timeoutMs` passes first, naming the state.
   */
  async waitForEnd(timeoutMs: number): Promise<CallEnd> {
    if (!isTerminal(this._state)) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.off('ended', onEnd);
          reject(new Error(`call ${this.callId} did not end within ${timeoutMs} ms: it is '${this._state}'`));
        }, timeoutMs);
        const onEnd = (): void => {
          clearTimeout(timer);
          resolve();
        };
        this.once('ended', onEnd);
      });
    }
    return this.end ?? { by: 'none', reason: this._state };
  }

  /**
   * Plays a prompt to the peer as RTP (the negotiated codec, 20 ms packets, monotonic pacing).
   * @param prompt - a WAV file path (any rate/channels/bit depth wavefile reads; resampled to 8 kHz
   *        mono) or 8 kHz Int16 samples.
   * @returns resolves when the last packet was sent (or the prompt was stopped or replaced); never
   *          for `loop` until stopped. Rejects when the call has no negotiated media, the peer does
   *          not receive, the WAV is unusable, or the call ends first.
   */
  playPrompt(prompt: string | Int16Array, opts?: { loop?: boolean }): Promise<void> {
    return this.withMedia('play a prompt', (m) => m.playPrompt(prompt, opts));
  }

  /** Stops a playing prompt: no more audio is sent (DTMF in progress goes on). */
  stopPrompt(): void {
    this.sdh?.session.stopPrompt();
  }

  /**
   * Sends DTMF digits (0-9 * # A-D) as RFC 4733 telephone-events on the negotiated payload type
   * (default duration 100 ms, gap 60 ms, volume 10).
   * @returns resolves after the last digit's end packets. Rejects when the peer did not offer
   *          telephone-event, a digit or duration is invalid, there is no media, or the call ends first.
   */
  sendDtmf(digits: string, opts?: { durationMs?: number; gapMs?: number }): Promise<void> {
    return this.withMedia('send DTMF', (m) => m.sendDtmf(digits, opts));
  }

  /** The media report so far (final once the call ended: the media closes before `ended` fires). */
  mediaReport(): MediaReport {
    return this.sdh?.session.report() ?? emptyMediaReport(formatHostPort(this.fallbackMedia.local.address, 0));
  }

  /** Resolves once the call ended and its media is closed (the recording's WAV is complete). */
  mediaClosed(): Promise<void> {
    if (isTerminal(this._state)) return Promise.resolve();
    return new Promise((resolve) => this.once('ended', () => resolve()));
  }

  /** @internal Links the sip.js session (Invitation for uas, Inviter for uac). */
  _attachSession(session: Invitation | Inviter): void {
    this.session = session;
    this.priorDelegate = session.delegate;
    session.delegate = {
      ...session.delegate,
      onBye: (bye) => {
        // Runs inside sip.js's message handling: never let it throw there.
        try {
          this.byeBy ??= 'remote';
          bye.accept().catch((e: Error) => this.log('warn', `call ${this.callId}: answering BYE failed: ${e.message}`));
        } catch (e) {
          this.log('error', `call ${this.callId}: answering BYE threw: ${e instanceof Error ? e.message : String(e)}`);
        }
      },
      onInfo: (info) => receiveDtmfInfo(info, this, (m) => this.log('warn', m)), // DTMF by SIP INFO (dtmf-info.ts)
    };
    session.stateChange.addListener(this.sessionListener);
    if (session.state === SessionState.Terminated) setImmediate(() => this.finish());
  }

  /** @internal Links the RTP session description handler. */
  _attachSdh(sdh: RtpSdh): void {
    this.sdh = sdh;
    sdh.session.on('dtmf', this.mediaListeners.dtmf);
    sdh.session.on('voice', this.mediaListeners.voice);
    sdh.session.on('rtp', this.mediaListeners.rtp);
  }

  /**
   * @internal Once the call ended: takes back what the sip.js session holds of this call (our
   * delegate handlers, the state listener, the media listeners). sip.js keeps an answered INVITE's
   * client transaction, and through it the session, for 64·T1 after the 2xx (RFC 6026 §7.2, Timer
   * M); without this the call, its messages and its media stats would stay in memory as long (at
   * 2,000 calls/s, ~64,000 ended calls). The call itself stays readable.
   */
  _releaseSession(): void {
    const session = this.session;
    if (!session) return;
    session.stateChange.removeListener(this.sessionListener);
    session.delegate = this.priorDelegate;
    this.sdh?.session.off('dtmf', this.mediaListeners.dtmf);
    this.sdh?.session.off('voice', this.mediaListeners.voice);
    this.sdh?.session.off('rtp', this.mediaListeners.rtp);
  }

  /** @internal Notes a failure that happened outside sip.js's view (transport error, invite() rejected). */
  _noteFailure(reason: string): void {
    this.failReason ??= reason;
  }

  /**
   * @internal Ends a call that sip.js will not end any more (its UserAgent stopped): `ending` goes
   * to `ended` (our BYE got no response), any other live state to `failed`.
   */
  _abandon(reason: string): void {
    const s = this._state;
    if (isTerminal(s) || s === 'idle') return;
    this.end = s === 'ending' ? { by: 'local', reason: 'BYE' } : { by: 'local', reason };
    this.transition(s === 'ending' ? 'ended' : 'failed');
  }

  /** @internal Appends a wire record of this Call-ID. */
  _onWire(rec: SipMessageRecord): void {
    this.messages.push(rec);
    if (!this.invite && rec.method === 'INVITE' && rec.status === undefined && rec.direction === (this.role === 'uas' ? 'in' : 'out')) {
      const parsed = parseRecord(rec);
      if (!isParseError(parsed)) {
        this.invite = { raw: rec.raw, parsed };
        if (this.role === 'uas' || !this.originalRequestUri) this.originalRequestUri = parsed.requestUri ?? '';
      }
    }
    if (rec.status !== undefined && rec.method === 'INVITE') {
      const by = rec.direction === 'in' ? 'remote' : 'local';
      // A uac keeps the last final response it received (401 then 403 after the digest retry ends
      // with 403); our own reject was noted by reject() and its wire echo does not replace it.
      if (rec.status >= 300) {
        const reason = { by, reason: rec.firstLine.replace(/^SIP\/2\.0\s+/, '') } as const;
        if (rec.direction === 'in') this.finalInvite = reason;
        else this.finalInvite ??= reason;
      }
      if (rec.direction === 'in' && rec.status > 100 && rec.status < 200 && this._state === 'inviting') this.transition('ringing');
    }
    if (this.role === 'uac' && rec.direction === 'in' && rec.method === 'INVITE' && rec.status !== undefined && rec.status >= 200 && rec.status < 300) {
      // The 2xx's SDP is the answer (patched sip.js); say when it moved the media from an unreliable 18x's (final-answer.ts).
      const change = earlyAnswerChange(this.messages, rec);
      if (change) this.log('warn', `call ${this.callId}: ${change}`);
    }
    if (rec.status === undefined && rec.direction === 'in' && rec.method === 'CANCEL') this.cancelBy ??= 'remote';
    if (rec.status === undefined && rec.direction === 'out' && rec.method === 'BYE' && !this.byeBy) {
      // sip.js sends BYE on its own after an ACK timeout or an unusable SDP answer in a 2xx.
      this.failReason ??= 'BYE sent by the SIP stack (no ACK, or an unusable SDP answer)';
    }
    this.fire('message', rec);
  }

  private withMedia(what: string, fn: (m: RtpSdh['session']) => Promise<void>): Promise<void> {
    // fn is async: its errors come back as rejections.
    return this.sdh ? fn(this.sdh.session) : Promise.reject(new Error(`cannot ${what} on call ${this.callId}: it has no negotiated media`));
  }

  private invitation(action: string): Invitation {
    if (this.role !== 'uas' || !this.session) throw new Error(`cannot ${action} call ${this.callId}: not an incoming call`);
    return this.session as Invitation;
  }

  private onSessionState(s: SessionState): void {
    try {
      if (s === SessionState.Established) {
        if (this._state === 'inviting') this.transition('ringing');
        if (this._state === 'ringing') this.transition('answered');
      } else if (s === SessionState.Terminated) {
        // Let records of messages sent in the same tick (e.g. our 486) reach the call first.
        setImmediate(() => this.finish());
      }
    } catch (e) {
      this.log('error', `call ${this.callId}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Settles the call once sip.js ended its session; runs from timers, so it never throws. */
  private finish(): void {
    try {
      this.settle();
    } catch (e) {
      this.log('error', `call ${this.callId}: settling its end failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private settle(): void {
    const s = this._state;
    if (isTerminal(s) || s === 'idle') return;
    if (s === 'ending' && this.byeResponsePending) return;
    if (s === 'answered' || s === 'ending') {
      if (this.byeBy) {
        this.end = { by: this.byeBy, reason: 'BYE' };
        if (s === 'answered' && this.byeBy === 'local') this.transition('ending');
        this.transition('ended');
      } else {
        this.end = { by: 'none', reason: this.failReason ?? 'session ended without BYE' };
        this.transition('failed');
      }
      return;
    }
    if (this.cancelBy) this.end = { by: this.cancelBy, reason: 'CANCEL' };
    else if (this.finalInvite) this.end = this.finalInvite;
    else this.end = { by: 'none', reason: this.failReason ?? 'no final response' };
    this.transition('failed');
  }

  private fire<K extends keyof SipCallEvents>(event: K, ...args: SipCallEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: SipCallEvents[K]) => boolean)(event, ...args);
    } catch (e) {
      this.log('error', `call ${this.callId}: a '${event}' listener threw: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
