/**
 * The handoff timeline of one contact id (issue 15): every event that carried that id, from
 * history, on one monotonic clock. Plain data: it crosses IPC, the JSON of `lab history --contact`
 * and the HTML report unchanged. Built by `src/main/timeline/build.ts`, drawn by
 * `reports/timeline-svg.ts` and the dashboard's `timeline-view.tsx`.
 *
 * Times are ms from the timeline's origin (`originWallMs`), fractional. Within one process every
 * stamp is a reading of the same monotonic clock (design.md §4); stamps of another process (an
 * imported capture, another run) are placed through their wall-clock anchor (assumed here: one
 * anchor per process, `wallMs − monoMs`).
 */
import type { CallDetail, SignalParams, SignalRecord } from './types';

/**
 * The lanes, top to bottom (issue 15 item 1):
 * - `caller`: the CXone side of the bot's leg (and the parent contact in emulated runs), and what the caller says;
 * - `script`: the CXone script: SIPPUTHEADER, PLACECALL, ONSIGNAL, REQAGENT / HANGUP / ONRELEASE;
 * - `api`: the CXone API: token request and Signal, with status and duration;
 * - `bot`: the bot's SIP leg and what the bot says;
 * - `steps`: the steps of a test case (only when a case ran).
 */
export type TimelineLaneId = 'caller' | 'script' | 'api' | 'bot' | 'steps';

/** The lanes in drawing order. */
export const TIMELINE_LANES: readonly TimelineLaneId[] = ['caller', 'script', 'api', 'bot', 'steps'];

/** Display titles of the lanes. */
export const TIMELINE_LANE_TITLES: Readonly<Record<TimelineLaneId, string>> = {
  caller: 'Caller / CXone leg',
  script: 'CXone script',
  api: 'CXone API',
  bot: 'Bot',
  steps: 'Test case',
};

/**
 * What an event is:
 * - `sip`: one SIP message at its socket stamp;
 * - `script`: a step of the CXone script (emulated, or inferred from what was observed);
 * - `token` / `signal`: an HTTP exchange with the CXone API (a span: start → response complete);
 * - `rtp`: RTP flowing in one direction (a band from first to last packet);
 * - `voice`: voice activity in one direction (a band; a point when only its start is known);
 * - `dtmf`: one RFC 4733 digit (a span of its duration);
 * - `step`: one test-case step (a span when it took time);
 * - `agent`: what the agent got (the emulated agent answering REQAGENT).
 */
export type TimelineEventKind = 'sip' | 'script' | 'token' | 'signal' | 'rtp' | 'voice' | 'dtmf' | 'step' | 'agent';

/** One event of the timeline. */
export interface TimelineEvent {
  /** Stable id within the timeline, e.g. `sip:<callRef>:<seq>`, `signal:<id>`. */
  id: string;
  lane: TimelineLaneId;
  kind: TimelineEventKind;
  /** Start, ms from the origin. */
  atMs: number;
  /** Length in ms; 0 for a point event. */
  durMs: number;
  /** Short label for the drawing: `INVITE`, `200`, `Signal 202`, `ONSIGNAL`, `bot speaks`. */
  label: string;
  /**
   * Full detail for hover and focus: the raw SIP message, the HTTP request and response with their
   * timings (secrets already redacted in history), the packet statistics.
   */
  detail: string;
  /** `out`: sent by the lane's side; `in`: received by it; null where it does not apply. */
  direction: 'in' | 'out' | null;
  /** false marks a failure (4xx/5xx, a refused Signal, a step that failed); null: neutral. */
  ok: boolean | null;
  /** Where it came from in history. */
  source: { callRef?: string; seq?: number; signalId?: string; runId?: string | null };
}

/** A named latency mark drawn as a measured span between two events (design.md §4 names). */
export interface TimelineSpan {
  /** Mark name: `invite_to_200`, `token_ms`, `signal_to_bye_ms`… */
  name: string;
  lane: TimelineLaneId;
  fromMs: number;
  toMs: number;
  /** The measured figure (ms) as history stored it. */
  ms: number;
  /** Ids of the events at both ends, when they are on the timeline. */
  fromEvent: string | null;
  toEvent: string | null;
}

/** One step of a test case placed on the timeline (what the test-case engine hands over). */
export interface StepMark {
  /** 0-based position in the case. */
  index: number;
  /** The step as written, e.g. `say "I need an agent"`, `dtmf 1`, `expect_signal p1=…`. */
  name: string;
  /** When the step started, ms after the INVITE of its call (design.md §8 `at_ms`). */
  atMs: number;
  /** How long it took (ms); 0 or absent for an instant. */
  durMs?: number;
  /** Verdict of an expectation; null for an action. */
  ok: boolean | null;
  detail?: string;
  /** The call the case drove (its INVITE is the zero of `atMs`); absent: the timeline's first INVITE. */
  callRef?: string;
}

/** What the agent side of the handoff got (issue 15 item 3). */
export interface AgentView {
  /** The contact whose script ran ONSIGNAL, and when (ms from the origin); null when it never fired. */
  onSignal: { contactId: string; atMs: number } | null;
  /** p1..p9 as the script's variables hold them on ONSIGNAL (empty values left out). */
  variables: Array<{ name: string; value: string }>;
  /** What the script did: REQAGENT (transfer), HANGUP (p1=hangup), ONRELEASE (bot BYE first), or none. */
  outcome: 'REQAGENT' | 'HANGUP' | 'ONRELEASE' | 'none';
  /** The skill REQAGENT routes to, when the Signal names it (Synthflow's p1); otherwise a sentence saying where it comes from. */
  skill: string | null;
  /**
   * What the agent sees: for Watson, the transcript link a PopURL action builds from p1 (seed
   * 002_3a3aada58f5230c3.txt); for the others, the parameters as a screen pop shows them.
   */
  screenPop: { kind: 'url'; url: string; note: string } | { kind: 'params'; rows: Array<{ name: string; value: string }>; note: string } | null;
  /** One sentence for the side panel. */
  summary: string;
  /** The Signal parameters the outcome was read from. */
  params: SignalParams | null;
}

/** Where the timeline's events came from. */
export interface TimelineSource {
  kind: 'call' | 'signal' | 'run';
  id: string;
  runId: string | null;
  /** `handoff`, `answer`, `emulate`, `import`, `test`… (the run's kind), or null. */
  runKind: string | null;
  /** One line: `uas leg 1a2b… (bot), Call-ID …`, `Signal 404 to 123`. */
  label: string;
  startedWallMs: number;
}

/** The timeline of one contact id. */
export interface ContactTimeline {
  contactId: string;
  /** Unix ms of `atMs = 0`, for display. */
  originWallMs: number;
  /** End of the last event (ms from the origin). */
  durationMs: number;
  /** Lanes that hold at least one event, in {@link TIMELINE_LANES} order. */
  lanes: TimelineLaneId[];
  /** Every event, ordered by {@link TimelineEvent.atMs}, then lane, then source order (deterministic). */
  events: TimelineEvent[];
  spans: TimelineSpan[];
  agent: AgentView | null;
  sources: TimelineSource[];
  /** Findings in words: a Signal to another contact, a Signal after the caller hung up, sources on another clock. */
  notes: string[];
}

/** One call leg with the kind of run it belongs to (`handoff`, `answer`, `emulate`, `import`…; null when unknown). */
export interface TimelineCallInput {
  call: CallDetail;
  runKind: string | null;
}

/** A Signal as history keeps it, with its run (a Signal may outlive its call: `callRef` null). */
export type TimelineSignalInput = SignalRecord & { runId: string | null };

/**
 * Everything known about one contact id, what a timeline is built from.
 * - `calls`: every leg that carried the id, and the legs sharing a Call-ID with them in the same run
 *   (the CXone side of an emulated call does not record the id it put in the header);
 * - `signals`: every Signal that named the id or was sent for one of the calls (deduplicated by id
 *   with the calls' own `signals`);
 * - `steps`: test-case steps (issue 13), `atMs` from the INVITE of their call.
 */
export interface TimelineInput {
  contactId: string;
  calls: TimelineCallInput[];
  signals: TimelineSignalInput[];
  steps?: StepMark[];
}
