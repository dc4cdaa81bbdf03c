/**
 * The runtime's one typed event stream (issue 11 item 1). Every write of the history store is
 * announced here exactly once, by whoever wrote it (the call recorder for calls, messages, Signals,
 * media and checks; the runtime for runs; the monitor run for monitors). Front-ends subscribe:
 * the CLI for progress, the hosts to feed the dashboard (as deltas), tests to observe runs.
 *
 * Call events carry deltas: `call/started` the whole summary once, then `call/changed` only the
 * fields that changed, and `sip/message` each new message.
 */
import { EventEmitter } from 'node:events';
import type { MonitorView } from '../../shared/contract';
import type { CallSummary, CheckResult, MediaReport, ScriptStepRecord, SignalRecord, SipMessageRecord } from '../../shared/types';

/** Payload of each runtime event, by name. */
export interface RuntimeEventMap {
  /** A run's row was written (or, without a store, the run began). */
  'run/started': { runId: string; kind: string; profile: string | null; transport: string | null; startedWallMs: number };
  /** A call of a run is done; its report (the kind's per-call report shape). */
  'run/call': { runId: string | null; kind: string; report: unknown };
  /** A run finished (its row updated) or threw (`error` set, `ok` false). */
  'run/ended': { runId: string | null; kind: string; ok: boolean; endedWallMs: number; error: LabErrorView | null };
  /** A call was first written (its whole summary, once). */
  'call/started': CallSummary;
  /** Fields of a call's summary that changed (always with `id`); state moves come this way too. */
  'call/changed': Pick<CallSummary, 'id'> & Partial<CallSummary>;
  /** A SIP message of a call was appended (callRef null: a message of no known call, e.g. a REGISTER). */
  'sip/message': { callRef: string | null; message: SipMessageRecord };
  /** A Signal completed (any outcome), redacted as history keeps it. */
  'signal/added': SignalRecord;
  /** A call's media report was written (once, when the call is over). */
  'media/stats': { callRef: string; media: MediaReport };
  /**
   * A step of the emulated CXone script was written (history migration 7), on the leg the script
   * placed (`callRef`, the CXone side); once per step, as it is taken. Without `seq`: a step's
   * order is the order of these events (history numbers them 1, 2, … per call).
   */
  'script/step': { callRef: string; runId: string | null; step: Omit<ScriptStepRecord, 'seq'> };
  /** A check was written. */
  'check/added': { runId: string | null; callRef: string | null; check: CheckResult };
  /** A monitor started, finished a run, or stopped. */
  'monitor/updated': MonitorView;
  /** A call left every live map (its record stays in history). */
  'call/released': { id: string };
}

/** A runtime event's name. */
export type RuntimeEventName = keyof RuntimeEventMap;

/** The error view that crosses front-ends (see shared/errors.ts). */
export interface LabErrorView {
  kind: string;
  message: string;
  hint: string | null;
}

/** A listener of every event (hosts forward all of them). */
export type AnyRuntimeListener = <E extends RuntimeEventName>(name: E, payload: RuntimeEventMap[E]) => void;

/**
 * The typed stream. A listener that throws is logged and skipped: a front-end never breaks a run.
 */
export class RuntimeEvents {
  private readonly emitter = new EventEmitter();
  private readonly any = new Set<AnyRuntimeListener>();

  constructor(private readonly log: (level: 'warn' | 'error', msg: string) => void = () => {}) {
    this.emitter.setMaxListeners(0);
  }

  /** Announces one event to its listeners, then to the catch-all listeners. */
  emit<E extends RuntimeEventName>(name: E, payload: RuntimeEventMap[E]): void {
    for (const l of this.emitter.listeners(name)) this.guard(name, () => (l as (p: RuntimeEventMap[E]) => void)(payload));
    for (const l of this.any) this.guard(name, () => l(name, payload));
  }

  /** Subscribes to one event. @returns an unsubscribe function. */
  on<E extends RuntimeEventName>(name: E, listener: (payload: RuntimeEventMap[E]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  /** Subscribes to every event. @returns an unsubscribe function. */
  onAny(listener: AnyRuntimeListener): () => void {
    this.any.add(listener);
    return () => this.any.delete(listener);
  }

  /** Number of subscriptions (for {@link LabRuntime.liveMapSizes}). */
  listenerCount(): number {
    return this.any.size + this.emitter.eventNames().reduce((n, e) => n + this.emitter.listenerCount(e), 0);
  }

  private guard(name: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log('error', `event listener failed on ${name}: ${(e as Error).message}`);
    }
  }
}
