/**
 * `MediaSession`: the RTP/RTCP audio of one call. It owns the call's RTP and RTCP sockets and
 * puts the parts together: the outgoing stream ({@link RtpSender}: prompts and DTMF), the incoming
 * one (statistics, G.711 decoding, recording, voice detection, DTMF digits) and RTCP reports both
 * ways. The SIP side (rtp-sdh.ts) binds it, gives it the remote SDP and closes it.
 *
 * The far end's speech turns: {@link MediaSession.speech} (far-end-speech.ts); SIP INFO digits
 * join the report through {@link MediaSession.recordDigit} (sip/dtmf-info.ts).
 *
 * Nothing arriving on a socket can throw out of it: malformed datagrams are counted out and dropped.
 *
 * A re-INVITE's remote description replaces the previous one: RTP and RTCP go to its address and
 * port from then on, and while the peer does not receive (`a=sendonly`, `a=inactive`, or the RFC 2543
 * `c=0.0.0.0` hold) nothing is sent: a playing prompt pauses where it is and queued DTMF waits, both
 * going on when a later description receives again (`sendrecv`/`recvonly`). RTCP goes on during an
 * `a=` hold (RFC 3264 §5.1) but not to an unspecified address. See rtp-sender.ts for the sequence
 * numbers and timestamps across a hold.
 *
 * @remarks RFC 3550 (RTP, RTCP), RFC 3551 (G.711), RFC 4733 (DTMF), RFC 5761 §4 (RTCP on the RTP port).
 */
import { EventEmitter } from 'node:events';
import type dgram from 'node:dgram';
import { join } from 'node:path';
import type { DtmfDigitRecord, MediaReport, VoiceBand } from '../../shared/types';
import { monoNow } from '../clock';
import { isUnspecifiedAddress, remoteHoldReason, type RemoteMedia } from './sdp';
import { formatHostPort } from '../net/host-format';
import { DtmfJob } from './dtmf-sender';
import { FarEndSpeech, type SpeechSegment } from './far-end-speech';
import { notifyRtpPacket, resolveMediaConfig, type ResolvedMediaConfig } from './media-config';
import { oneWayAudioVerdict } from './one-way-audio';
import { loadPrompt } from './prompt';
import { isMuxedRtcp } from './rtcp';
import { RtcpReporter } from './rtcp-reporter';
import { RtpReceiver } from './rtp-receiver';
import { RtpSender } from './rtp-sender';
import { bindRtpPair } from './rtp-socket-pair';
import { MediaClosedError, type MediaLiveCounters, type MediaSessionEvents, type MediaSessionOptions } from './media-types';
import { WavRecorder } from './wav-recorder';

export { MediaClosedError, type MediaLiveCounters, type MediaSessionEvents, type MediaSessionOptions } from './media-types';

/** The RTP/RTCP audio of one call (see the file comment). */
export class MediaSession extends EventEmitter<MediaSessionEvents> {
  private readonly cfg: ResolvedMediaConfig;
  private readonly log: NonNullable<MediaSessionOptions['log']>;
  private rtp: dgram.Socket | undefined;
  private rtcp: dgram.Socket | undefined;
  private binding: Promise<number> | undefined;
  private closed = false;
  private port = 0;
  private remote: RemoteMedia | undefined;
  private rtpTarget: { address: string; port: number } | undefined;
  private readonly sender: RtpSender;
  private receiver: RtpReceiver;
  private readonly rtcpReporter: RtcpReporter;
  private readonly dtmf: DtmfDigitRecord[] = [];
  /** The far end's speech turns and their waits (`waitForSpeech`, `waitForSilence`). */
  readonly speech: FarEndSpeech;
  /** Our own speech turns: the same detector on the audio we send (the report's `out` voice bands). */
  private readonly sentSpeech: FarEndSpeech;

  constructor(
    private readonly opts: MediaSessionOptions,
    /** Updated in place as packets arrive. */
    readonly live: MediaLiveCounters = { rtpPacketsIn: 0 },
  ) {
    super();
    this.cfg = resolveMediaConfig(opts.config);
    this.log = opts.log ?? (() => {});
    const vad = { thresholdDbfs: this.cfg.vadThresholdDbfs, minSpeechMs: this.cfg.vadMinFrames * 20, hangoverMs: this.cfg.vadHangoverMs };
    this.speech = new FarEndSpeech(vad);
    this.sentSpeech = new FarEndSpeech(vad);
    this.receiver = this.makeReceiver(undefined);
    this.sender = new RtpSender(
      (buf) => this.sendRtp(buf),
      (rec) => this.dtmf.push(rec),
      (e) => this.log('error', `RTP sender: ${e instanceof Error ? e.message : String(e)}`),
      (samples, dueMono) => this.sentSpeech.audio(samples, dueMono),
    );
    this.rtcpReporter = new RtcpReporter({
      sender: this.sender,
      stats: () => this.receiver.stats,
      cname: `cxone-sip-lab@${opts.advertiseHost}`,
      send: (buf, monoMs) => this.sendRtcp(buf, monoMs),
      onError: (e) => this.log('error', `RTCP: ${e instanceof Error ? e.message : String(e)}`),
    });
  }

  /**
   * Binds the RTP socket (even port) and RTCP socket (next port), once.
   * @returns the RTP port. @throws (rejects) when closed or nothing can be bound.
   */
  bind(): Promise<number> {
    if (this.closed) return Promise.reject(new MediaClosedError('the media session is closed'));
    this.binding ??= bindRtpPair(this.opts.host).then(({ rtp, rtcp }) => {
      if (this.closed) {
        for (const s of [rtp, rtcp]) s?.close();
        throw new MediaClosedError('the media session closed while binding');
      }
      this.rtp = rtp;
      this.rtcp = rtcp;
      this.port = rtp.address().port;
      if (this.cfg.recordDir) {
        const name = `${(this.opts.callId ?? 'call').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}-${this.port}.wav`;
        this.receiver = this.makeReceiver(new WavRecorder(join(this.cfg.recordDir, name), (m) => this.log('warn', m)));
      }
      rtp.on('error', (e) => this.log('warn', `RTP socket: ${e.message}`));
      rtp.on('message', (buf, rinfo) => this.guard(() => this.onRtpSocket(buf, rinfo)));
      rtcp?.on('error', (e) => this.log('warn', `RTCP socket: ${e.message}`));
      rtcp?.on('message', (buf, rinfo) => this.guard(() => this.onRtcp(buf, rinfo, this.port + 1)));
      return this.port;
    });
    return this.binding;
  }

  /**
   * Takes the negotiated remote media (initial SDP, or a re-INVITE's): where and how to send. A
   * description on which the peer does not receive pauses sending; one on which it does resumes
   * it (see the file comment; RFC 3264 §8.4).
   */
  setRemote(remote: RemoteMedia): void {
    if (this.closed) return;
    const wasHeld = this.remote ? remoteHoldReason(this.remote) : undefined;
    this.remote = remote;
    const target = { address: remote.address, port: remote.port };
    this.rtpTarget = this.cfg.rtpTargetOverride ? this.cfg.rtpTargetOverride(target) : target;
    this.sender.setFormat({ codec: remote.codec, payloadType: remote.payloadType, dtmfPayloadType: remote.dtmfPayloadType });
    const held = remoteHoldReason(remote);
    if (held !== wasHeld) this.log('info', held ? `media on hold (${held}): RTP sending paused` : 'media resumed: RTP sending goes on');
    this.sender.setPaused(held !== undefined);
    this.rtcpReporter.start(this.cfg.rtcpIntervalMs);
  }

  /** True while the remote description says the peer does not receive (on hold); nothing is sent. */
  get onHold(): boolean {
    return this.remote !== undefined && remoteHoldReason(this.remote) !== undefined;
  }

  /**
   * Plays a prompt (a WAV path or 8 kHz samples) as RTP in the negotiated codec.
   * @throws (rejects) when there is no negotiated media, the peer does not receive (a=sendonly,
   *         a=inactive or c=0.0.0.0: on hold), the prompt cannot be loaded ({@link PromptError}) or the session closes first
   *         ({@link MediaClosedError}). Resolves after the last packet, or when stopped or replaced.
   */
  async playPrompt(prompt: string | Int16Array, opts: { loop?: boolean } = {}): Promise<void> {
    this.assertCanSend('play a prompt');
    const samples = await loadPrompt(prompt);
    this.assertCanSend('play a prompt');
    return this.sender.play(samples, opts.loop ?? false);
  }

  /** Stops a playing prompt (its promise resolves). */
  stopPrompt(): void {
    this.sender.stopPrompt();
  }

  /**
   * Sends DTMF digits as RFC 4733 telephone-events (see dtmf-sender.ts).
   * @throws (rejects) as {@link playPrompt}, when the peer has no telephone-event payload type, or
   *         with {@link DtmfError} for a bad digit or duration. Resolves after the last end packet.
   */
  async sendDtmf(digits: string, opts: { durationMs?: number; gapMs?: number } = {}): Promise<void> {
    this.assertCanSend('send DTMF');
    if (this.remote?.dtmfPayloadType === undefined) throw new Error('cannot send DTMF: the peer did not offer telephone-event/8000');
    const job = new DtmfJob(digits, opts);
    this.sender.queueDtmf(job);
    return job.done;
  }

  /** True when DTMF can be sent (negotiated telephone-event, not closed). */
  get canSendDtmf(): boolean {
    return !this.closed && this.remote?.dtmfPayloadType !== undefined;
  }

  /** The media report so far (final once closed). */
  report(): MediaReport {
    const sent = this.sender.snapshot();
    const received = this.receiver.stats.snapshot();
    const r = this.remote;
    return {
      codec: r?.codec ?? null,
      localRtp: formatHostPort(this.opts.advertiseHost, this.port),
      remoteRtp: r ? formatHostPort(r.address, r.port) : null,
      sent,
      received,
      rtcp: [...this.rtcpReporter.reports],
      dtmf: [...this.dtmf].sort((a, b) => a.startMonoMs - b.startMonoMs),
      recordingPath: this.receiver.recordingPath,
      firstVoiceMonoMs: this.live.firstVoiceInMonoMs ?? null,
      oneWayAudio: oneWayAudioVerdict(sent, received, this.live.firstVoiceInMonoMs !== undefined),
      voiceBands: [...voiceBands('in', this.speech.segments, received.lastMonoMs), ...voiceBands('out', this.sentSpeech.segments, sent.lastMonoMs)],
    };
  }

  /**
   * Stops sending, rejects a pending prompt/DTMF with {@link MediaClosedError}, reports a DTMF
   * event left open, finalises the recording (synchronously: the WAV is complete on return) and
   * closes the sockets. Idempotent.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sender.cancelAll(() => new MediaClosedError('the call media closed'));
    this.rtcpReporter.stop();
    this.receiver.close();
    this.speech.close();
    this.sentSpeech.close();
    for (const s of [this.rtp, this.rtcp]) {
      try {
        s?.close();
      } catch {
        // already closed
      }
    }
    this.rtp = this.rtcp = undefined;
  }

  private assertCanSend(what: string): void {
    if (this.closed) throw new MediaClosedError(`cannot ${what}: the call media is closed`);
    const r = this.remote;
    if (!r || !this.rtp) throw new Error(`cannot ${what}: the call has no negotiated media`);
    const held = remoteHoldReason(r);
    if (held) throw new Error(`cannot ${what}: the peer does not receive audio (${held})`);
  }

  private sendRtp(buf: Buffer): void {
    const t = this.rtpTarget;
    if (!t || !this.rtp) return;
    this.rtp.send(buf, t.port, t.address, (e) => e && this.log('debug', `RTP send: ${e.message}`));
    this.hook('out', buf, t, false);
  }

  private onRtpSocket(buf: Buffer, rinfo: dgram.RemoteInfo): void {
    const now = monoNow();
    if (isMuxedRtcp(buf)) return this.onRtcp(buf, rinfo, this.port);
    this.hook('in', buf, rinfo, false, now);
    // RFC 3550 §5.1: version 2 in the top two bits, fixed header of 12 bytes.
    if (buf.length < 12 || buf[0]! >> 6 !== 2) return;
    if (this.live.rtpPacketsIn++ === 0) {
      this.live.firstRtpInMonoMs = now;
      this.emitSafe('rtp', now);
    }
    try {
      this.receiver.handle(buf, now, this.remote);
    } catch (e) {
      this.log('debug', `malformed RTP datagram from ${rinfo.address}:${rinfo.port} dropped: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private makeReceiver(recorder: WavRecorder | undefined): RtpReceiver {
    const events = {
      onDigit: (d: DtmfDigitRecord) => this.recordDigit(d),
      onAudio: (samples: Int16Array, monoMs: number) => this.speech.audio(samples, monoMs),
      onComfortNoise: (monoMs: number) => this.speech.comfortNoise(monoMs),
      onVoice: (monoMs: number) => {
        this.live.firstVoiceInMonoMs = monoMs;
        this.emitSafe('voice', monoMs);
      },
    };
    return new RtpReceiver(events, recorder, { thresholdDbfs: this.cfg.vadThresholdDbfs, minFrames: this.cfg.vadMinFrames });
  }

  private onRtcp(buf: Buffer, rinfo: dgram.RemoteInfo, localPort: number): void {
    const now = monoNow();
    this.hook('in', buf, rinfo, true, now, localPort);
    this.rtcpReporter.receive(buf, now);
  }

  /** Sends our report from the RTCP socket to the peer's RTCP port (`a=rtcp:`, else RTP + 1). */
  private sendRtcp(buf: Buffer, monoMs: number): void {
    const r = this.remote;
    const sock = this.rtcp;
    if (!r || !sock || this.closed) return;
    if (isUnspecifiedAddress(r.address)) return; // RFC 2543 hold: nowhere to send
    const target = { address: r.address, port: r.rtcpPort ?? r.port + 1 };
    sock.send(buf, target.port, target.address, (e) => e && this.log('debug', `RTCP send: ${e.message}`));
    this.hook('out', buf, target, true, monoMs, this.port + 1);
  }

  /**
   * Records a digit (received by RTP, or either way by SIP INFO: sip/dtmf-info.ts) in the report's
   * `dtmf` list (at most 1000 per call: a peer flooding digits cannot grow it); a received one is also emitted as `dtmf`.
   */
  recordDigit(d: DtmfDigitRecord): void {
    if (this.dtmf.length < 1000) this.dtmf.push(d);
    if (d.direction === 'out') return;
    this.emitSafe('dtmf', d);
  }

  /** Calls `onRtpPacket` (if set) for a datagram of ours. */
  private hook(direction: 'in' | 'out', data: Buffer, peer: { address: string; port: number }, rtcp: boolean, monoMs = monoNow(), localPort = this.port): void {
    notifyRtpPacket(this.cfg, this.log, { direction, data, rtcp, monoMs, local: { address: this.opts.advertiseHost, port: localPort }, remote: peer });
  }

  private emitSafe<K extends keyof MediaSessionEvents>(event: K, ...args: MediaSessionEvents[K]): void {
    this.guard(() => (this.emit as (e: K, ...a: MediaSessionEvents[K]) => boolean)(event, ...args));
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log('error', `media: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }
}

/** Speech segments as report bands; a turn still open ends at the stream's last packet (or now). */
function voiceBands(direction: 'in' | 'out', segments: readonly SpeechSegment[], lastMonoMs: number | null): VoiceBand[] {
  return segments.map((s) => ({ direction, startMonoMs: s.startMonoMs, endMonoMs: s.endMonoMs ?? Math.max(s.startMonoMs, lastMonoMs ?? monoNow()) }));
}
