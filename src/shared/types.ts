/**
 * Domain types shared by the main process, the hosts and the renderer.
 *
 * Everything here is plain data (JSON-serialisable): it crosses IPC, the browser host's
 * WebSocket, SQLite and the JSON reports unchanged. Times are milliseconds. `monoMs` values are
 * readings of the main process's monotonic clock (`performance.now()`), comparable only with each
 * other; `wallMs` values are Unix epoch milliseconds, derived from one wall-clock anchor, for display.
 */

/** SIP transport of a listener or a call (RFC 3261 §18). */
import type { RuleSource } from './rule-source';
export type SipTransportKind = 'udp' | 'tcp' | 'tls';

/** Which way a SIP message crossed the socket, seen from this app. */
export type Direction = 'in' | 'out';

/** One SIP header as it appeared on the wire: the name keeps its original spelling and case. */
export interface SipHeader {
  name: string;
  value: string;
}

/**
 * One SIP message, stamped where it crossed the socket.
 * `raw` is the exact text sent or received (before any rewrite by the app).
 */
export interface SipMessageRecord {
  callId: string;
  direction: Direction;
  transport: SipTransportKind;
  /** Local socket address, `host:port`. */
  local: string;
  /** Remote socket address, `host:port`. */
  remote: string;
  /** Monotonic stamp (ms) at the socket. */
  monoMs: number;
  /** Wall-clock stamp (Unix ms) at the socket, for display. */
  wallMs: number;
  /** Request line or status line, e.g. `INVITE sip:bot@127.0.0.1 SIP/2.0`. */
  firstLine: string;
  /** Request method; for a response, the method of its CSeq. */
  method: string;
  /** Status code of a response; undefined for a request. */
  status?: number;
  raw: string;
}

/** A near miss found while looking for the contact-id header (design.md §3). */
export interface ContactIdNearMiss {
  /**
   * - `case`: the expected name arrived with another case (a failure where the profile matches exactly);
   * - `spelling`: a similar name (e.g. `X-Contact-ID` for `X-ContactID`, `X-ContactIdd`);
   * - `empty`: the header is there with an empty value;
   * - `pattern`: the value does not match the profile's pattern (e.g. not numeric);
   * - `repeated`: the header appears more than once (CXone's SIPGETHEADER reads only one value).
   */
  kind: 'case' | 'spelling' | 'empty' | 'pattern' | 'repeated';
  /** Header name as received. */
  header: string;
  value: string;
  detail: string;
}

/** Verdict of the contact-id extraction from one INVITE under one vendor profile. */
export interface ContactIdVerdict {
  ok: boolean;
  profile: string;
  /** Name of the header the id was taken from, as received; null when none was usable. */
  header: string | null;
  value: string | null;
  /** Header names the profile looks for, in order of preference. */
  expectedHeaders: string[];
  /** Whether `value` matched the profile's pattern; null when there was no value. */
  patternOk: boolean | null;
  /** Human-readable reasons the verdict is not ok (empty when ok). */
  problems: string[];
  nearMisses: ContactIdNearMiss[];
  /**
   * Findings that do not fail the verdict (issue 14): a repeated contact-id header (CXone lets a
   * script put a header more than once [H-PUT]), or a failure built on an assumed rule.
   */
  warnings?: string[];
}

/** The names of CXone Signal parameters: up to nine, p1..p9 (cxone-reference.md §2). */
export const SIGNAL_PARAM_NAMES = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'] as const;
export type SignalParamName = (typeof SIGNAL_PARAM_NAMES)[number];
export type SignalParams = Partial<Record<SignalParamName, string>>;

/** Per-phase times of one HTTP request (ms); a phase is null when it did not happen (no DNS for an IP literal, no TLS on http). */
export interface HttpPhaseTimings {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  /** Request written → response headers parsed. */
  firstByteMs: number | null;
  totalMs: number;
}

/** One HTTP exchange as kept in history; secrets (Authorization, tokens, keys) are redacted. */
export interface HttpExchange {
  /** Per-phase timings of this request, when it was sent. */
  timings?: HttpPhaseTimings;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string };
  /** Network-level failure (DNS, connect, TLS, timeout), when there was no response. */
  error?: string;
}

/** A Signal a Contact request and its outcome. */
export interface SignalRecord {
  id: string;
  /** Internal id of the call it was sent for, if any. */
  callRef: string | null;
  contactId: string;
  params: SignalParams;
  url: string;
  /** HTTP status, null when no response came. */
  status: number | null;
  ok: boolean;
  /** Actionable description of the outcome ("accepted (202)", "404: contact unknown or ended"…). */
  message: string;
  /** Time from request start to response end (ms); null on network failure. */
  ms: number | null;
  /** Time to obtain the bearer token for this signal (ms); 0 when a cached token was used. */
  tokenMs: number | null;
  /** Monotonic stamp (ms) at which the response was complete. */
  doneMonoMs: number | null;
  wallMs: number;
  exchange: HttpExchange;
}

/** One named check and its verdict. */
export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  /**
   * A warning (issue 14): the check is built on an assumption (its `source.kind` is `assumed`) or
   * on something that may be fine. A warning never makes `ok` false.
   */
  warn?: boolean;
  /** Where the rule the check applies comes from (seed, NICE doc, RFC, or assumed). */
  source?: RuleSource;
}

/** Named latency marks shared by UI, history and reports (design.md §4). Values in ms. */
export const LATENCY_MARK_NAMES = [
  'invite_to_100',
  'invite_to_180',
  'invite_to_200',
  'answer_to_first_rtp',
  'answer_to_first_voice',
  'token_ms',
  'signal_http_ms',
  'signal_to_bye_ms',
] as const;
export type LatencyMarkName = (typeof LATENCY_MARK_NAMES)[number];
export type LatencyMarks = Partial<Record<LatencyMarkName, number>>;

/**
 * State of one call.
 * ```
 * idle ─▶ inviting ─▶ ringing ─▶ answered ─▶ ending ─▶ ended
 *            │           │          │                    ▲
 *            └───────────┴──────────┴────▶ failed        │
 *                        answered ──(remote BYE)─────────┘
 * ```
 */
export type CallState = 'idle' | 'inviting' | 'ringing' | 'answered' | 'ending' | 'ended' | 'failed';

/**
 * A call's state as history stores it: a live {@link CallState}, or `interrupted` for a call the
 * process recording it stopped following before it ended (killed, crashed); set at the next start
 * (history/interrupted.ts). No live call is ever in it.
 */
export type StoredCallState = CallState | 'interrupted';

/** `uac`: this app placed the call (it is CXone); `uas`: this app answered it (it is the bot). */
export type CallRole = 'uac' | 'uas';

/** Who ended the call, and how. */
export interface CallEnd {
  by: 'local' | 'remote' | 'none';
  /** e.g. `BYE`, `CANCEL`, `486 Busy Here`, `timeout`, `transport error`. */
  reason: string;
}

/** A call as listed. */
export interface CallSummary {
  /** Internal id (UUID) of the call; stable across history and UI. */
  id: string;
  runId: string | null;
  /** SIP Call-ID. */
  callId: string;
  role: CallRole;
  transport: SipTransportKind;
  profile: string;
  state: StoredCallState;
  from: string;
  to: string;
  requestUri: string;
  contactId: string | null;
  /** Verdict of the contact-id extraction; null before an INVITE was seen. */
  contactIdOk: boolean | null;
  startedWallMs: number;
  endedWallMs: number | null;
  end: CallEnd | null;
  latency: LatencyMarks;
}

/** Everything known about one call. */
export interface CallDetail extends CallSummary {
  invite: { raw: string; headers: SipHeader[] } | null;
  verdict: ContactIdVerdict | null;
  messages: SipMessageRecord[];
  signals: SignalRecord[];
  checks: CheckResult[];
  /** Audio of the call (RTP statistics, DTMF, recording); null when no media was handled. */
  media?: MediaReport | null;
  /**
   * The emulated CXone script's steps on this (CXone-side) leg, as the emulator ran them (history
   * migration 7); absent or empty for calls without an emulated script (real CXone, imports, older history).
   */
  scriptSteps?: ScriptStepRecord[];
}

/**
 * What a step of the emulated CXone script was (issue 15 item 1): `sipputheader`, `placecall`,
 * `onsignal` (ONSIGNAL fired), `signal` (the API answered a Signal naming the contact), `reqagent`,
 * `hangup`, `onrelease`, `agent` (the emulated agent answered), `end` (the script ended without
 * ONSIGNAL: timeout, PLACECALL failed, the contact ended), `note` (faults, leg drop, waits).
 */
export type ScriptStepKind = 'sipputheader' | 'placecall' | 'onsignal' | 'signal' | 'reqagent' | 'hangup' | 'onrelease' | 'agent' | 'end' | 'note';

/** One step of the emulated CXone script as history keeps it (src/main/emulator/child-script.ts). */
export interface ScriptStepRecord {
  /** 1-based order within the call. */
  seq: number;
  /** Monotonic ms of the process that ran the script (the same clock as the call's SIP stamps). */
  monoMs: number;
  /** Unix ms of the same instant. */
  wallMs: number;
  kind: ScriptStepKind;
  /** Short label for a drawing: `SIPPUTHEADER X-ContactID`, `ONSIGNAL p1=…`, `REQAGENT`. */
  label: string;
  /** The step in words, as the emulator wrote it. */
  text: string;
  /** The source the step follows (a seed file, a NICE doc, or "assumed"), formatted; null when none. */
  source: string | null;
  /**
   * The Signal parameters p1..p9 the step carried (an ONSIGNAL step: the Studio variables it handed
   * the script; a `signal` step: the request's); null when the step has none, and on rows stored
   * before history migration 8, which kept them only in `text`.
   */
  params: SignalParams | null;
  /**
   * The contact id the step concerns (an ONSIGNAL step: the contact whose script fired it; a
   * `signal` step: the contact the Signal named); null for other steps and rows before migration 8.
   */
  contactId: string | null;
}

/** A SIP listener of this app: where CXone (or a SIP peer) must send the pseudo number's calls. */
export interface ListenerInfo {
  transport: SipTransportKind;
  host: string;
  port: number;
  /** URI to give the peer, e.g. `sip:lab@127.0.0.1:5070;transport=tcp`. */
  uri: string;
}

/** G.711 codecs of the RTP audio (RFC 3551 §4.5.14: PCMU payload type 0, PCMA 8). */
export type AudioCodec = 'PCMU' | 'PCMA';

/**
 * RFC 3550 statistics of one RTP stream direction of a call.
 * `in`: what the peer sent us (loss, jitter, reordering are measured here, RFC 3550 §6.4.1, A.3,
 * A.8); `out`: what we sent (packets and octets, as in our sender reports).
 */
export interface RtpStreamStats {
  direction: Direction;
  /** SSRC of the stream (the last one seen for `in`); null when no packet crossed. */
  ssrc: number | null;
  /** Times the incoming SSRC changed mid-call (0 for a stable stream). */
  ssrcChanges: number;
  /** RTP packets sent or received (including telephone-events). */
  packets: number;
  /** Payload octets (RFC 3550 §6.4.1 "sender's octet count"). */
  payloadBytes: number;
  /** `in` only: packets expected from the extended highest sequence number (RFC 3550 A.3). */
  expected: number;
  /** `in` only: expected − received, never below 0 (RFC 3550 A.3). */
  lost: number;
  /** `in` only: lost / expected × 100, 0 when nothing was expected. */
  lossPercent: number;
  /** `in` only: packets arriving with a sequence number lower than one already seen. */
  outOfOrder: number;
  /** `in` only: packets whose sequence number was already received. */
  duplicates: number;
  /** `in` only: RFC 3550 §6.4.1 / A.8 interarrival jitter at the end of the stream, in ms. */
  jitterMs: number;
  /** `in` only: the largest interarrival jitter seen during the stream, in ms. */
  maxJitterMs: number;
  /** Monotonic stamps (ms) of the first and last packet; null when none. */
  firstMonoMs: number | null;
  lastMonoMs: number | null;
}

/** One RTCP sender or receiver report block received from the peer (RFC 3550 §6.4). */
export interface RtcpReportRecord {
  /** SR (sender report, PT 200) or RR (receiver report, PT 201). */
  type: 'SR' | 'RR';
  /** Monotonic stamp (ms) of arrival. */
  monoMs: number;
  /** SSRC of the reporter. */
  ssrc: number;
  /** SR only: the sender's packet and octet counts. */
  senderPackets?: number;
  senderOctets?: number;
  /** The report block about our stream, when there is one: fraction lost (0..1), cumulative lost, jitter (ms). */
  fractionLost?: number;
  cumulativeLost?: number;
  jitterMs?: number;
}

/** One DTMF digit as RFC 4733 telephone-events, sent or received. */
export interface DtmfDigitRecord {
  direction: Direction;
  /** `0`-`9`, `*`, `#`, `A`-`D` (RFC 4733 §3.2 events 0-15). */
  digit: string;
  /** Monotonic stamp (ms) of the event's first packet. */
  startMonoMs: number;
  /** Event duration (ms) as carried in the packets (duration field / 8 at 8000 Hz). */
  durationMs: number;
  /** How it was carried: RFC 4733 telephone-events (the default when absent) or SIP INFO `application/dtmf-relay`. */
  via?: 'rfc4733' | 'info';
}

/**
 * Whether audio flowed both ways, judged from packets (and, for `in`, voice activity).
 * - `both`: we sent and received RTP;
 * - `sent-only`: we sent, nothing came back (one-way audio, the peer's side is silent or blocked);
 * - `received-only`: the peer sent, we sent nothing;
 * - `none`: no RTP either way.
 */
export type OneWayAudioVerdict = 'both' | 'sent-only' | 'received-only' | 'none';

/** The audio of one call: negotiated codec, RTP/RTCP statistics, DTMF, recording, verdicts. */
export interface MediaReport {
  codec: AudioCodec | null;
  /** Our and the peer's RTP address, `host:port` (from the SDP). */
  localRtp: string;
  remoteRtp: string | null;
  sent: RtpStreamStats;
  received: RtpStreamStats;
  /** RTCP reports the peer sent, in arrival order (empty when it sent none). */
  rtcp: RtcpReportRecord[];
  dtmf: DtmfDigitRecord[];
  /** Path of the WAV recording of what the peer sent (8 kHz, 16-bit mono); null when not recorded. */
  recordingPath: string | null;
  /** Monotonic stamp (ms) of the first voice in the received audio (the VAD's first speech frame); null when none. */
  firstVoiceMonoMs: number | null;
  oneWayAudio: { verdict: OneWayAudioVerdict; detail: string };
  /**
   * Voice activity as bands, both directions, on the monotonic clock (ms): `in` from the VAD on
   * the decoded audio received, `out` from the same VAD on the audio we sent (prompts, speech),
   * at most 500 of each (the latest kept). Absent in calls stored before it was measured.
   */
  voiceBands?: VoiceBand[];
}

/** One stretch of voice in one direction of a call's audio (monotonic ms; media/vad.ts decides). */
export interface VoiceBand {
  direction: Direction;
  startMonoMs: number;
  endMonoMs: number;
}
