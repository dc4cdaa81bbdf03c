/**
 * LabRuntime (issue 11, design.md §4): one per process. It owns the history store (the process's
 * one better-sqlite3 connection), the call recorder, the runs' SIP endpoints and CXone emulators,
 * the process-wide embedded emulator, the live calls and the running runs (monitors among them),
 * and the typed event stream every front-end subscribes to. Front-ends only translate:
 * arguments or contract calls in, `runtime.run(kind, options)`, events and reports out.
 */
import { randomUUID } from 'node:crypto';
import type { VendorProfile } from '../../shared/profile';
import { LabError, toLabError } from '../../shared/errors';
import type { CxoneClient } from '../cxone/client';
import { startEmbeddedCxone, type EmbeddedCxone } from '../emulator/embedded';
import { HistoryStore } from '../history/store';
import { getProfile } from '../profiles';
import { RtpCapture } from '../pcap/rtp-capture';
import { RUN_KINDS } from '../runs/registry';
import type { RunContext, RunKind, RunKindSpec, RunOutcome, RunRecordInput } from '../runs/types';
import { CallRecorder, type RecorderLog } from '../scenarios/call-recorder';
import { SipEndpoint, type SipEndpointOptions } from '../sip/endpoint';
import { RuntimeEvents } from './events';
import { addSizes, endpointLiveMaps } from './live-maps';

/** Options of {@link LabRuntime.open}. */
export interface LabRuntimeOptions {
  /** History file; null keeps nothing (runs still get a recorder that writes nowhere). */
  dbFile: string | null;
  log?: RecorderLog;
  /** Profiles beyond the built-in ones (the dashboard's custom profiles); default built-in only. */
  profile?: (id: string) => VendorProfile;
  /** An already-open store to own instead of opening `dbFile` (the dashboard opens it for its settings first). */
  store?: HistoryStore;
}

/** A run started in the background ({@link LabRuntime.start}). */
export interface RunHandle<R = RunOutcome> {
  /** Resolves with the report; rejects with a LabError when the run could not run. */
  done: Promise<R>;
  /** Aborts the run (it ends soon and reports what it did); resolves when it has ended. */
  stop(): Promise<void>;
}

interface LiveRun {
  kind: RunKind;
  abort: AbortController;
  done: Promise<unknown>;
}

/** See the module comment. Create with {@link LabRuntime.open}; end with {@link LabRuntime.close}. */
export class LabRuntime {
  readonly events: RuntimeEvents;
  readonly recorder: CallRecorder;
  readonly log: RecorderLog;
  /** RTP/RTCP of recorded calls, written next to each recording for the pcap export. */
  readonly rtpCapture = new RtpCapture();
  private readonly runs = new Map<number, LiveRun>();
  private nextRun = 1;
  private embedded: Promise<EmbeddedCxone> | null = null;
  private readonly extraMaps = new Set<{ name: string; size: () => number }>();
  /** Endpoints of the running runs (their maps count in {@link liveMapSizes}). */
  private readonly endpoints = new Set<SipEndpoint>();
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly opts: LabRuntimeOptions,
    /** History, or null when this runtime keeps none. */
    readonly store: HistoryStore | null,
  ) {
    this.log = opts.log ?? (() => {});
    this.events = new RuntimeEvents((level, msg) => this.log(level, msg));
    this.recorder = new CallRecorder(store, this.events, this.log, this.rtpCapture);
  }

  /**
   * Opens the runtime: history (when `dbFile` is set), the recorder and the event stream.
   * @throws LabError kind `storage` when the history file cannot be opened or migrated.
   */
  static open(opts: LabRuntimeOptions): LabRuntime {
    let store: HistoryStore | null = opts.store ?? null;
    if (!store && opts.dbFile) {
      try {
        store = HistoryStore.open(opts.dbFile);
      } catch (e) {
        throw new LabError('storage', (e as Error).message, null, { cause: e });
      }
    }
    return new LabRuntime(opts, store);
  }

  /** A profile by id. @throws LabError `usage` when unknown. */
  profile(id: string): VendorProfile {
    try {
      return this.opts.profile ? this.opts.profile(id) : getProfile(id);
    } catch (e) {
      throw new LabError('usage', (e as Error).message, null, { cause: e });
    }
  }

  /** The process-wide embedded CXone emulator (started on first use, stopped by {@link close}). */
  embeddedCxone(host = '127.0.0.1'): Promise<EmbeddedCxone> {
    this.embedded ??= startEmbeddedCxone(host).then((emb) => {
      // Active contacts are per-call state; the ended ones it remembers are bounded (contacts.ts).
      this.registerLiveMap('emulator.contacts', () => emb.api.contacts.sizes().active ?? 0);
      return emb;
    });
    return this.embedded;
  }

  /**
   * Runs one kind to its end: parses `options` with the kind's schema, gives the run a context
   * whose endpoints and emulators are closed when it ends, announces `run/ended`.
   * @returns the kind's report. @throws LabError (`usage` for bad options; the run's own errors classed).
   */
  async run<R = RunOutcome>(kind: RunKind, options: unknown, opts: { signal?: AbortSignal } = {}): Promise<R> {
    return this.start<R>(kind, options, opts).done;
  }

  /** Starts a run in the background (a dashboard monitor, a placed call). */
  start<R = RunOutcome>(kind: RunKind, options: unknown, opts: { signal?: AbortSignal } = {}): RunHandle<R> {
    const spec = RUN_KINDS[kind];
    const abort = new AbortController();
    if (opts.signal) {
      if (opts.signal.aborted) abort.abort();
      else opts.signal.addEventListener('abort', () => abort.abort(), { once: true });
    }
    const key = this.nextRun++;
    const done = (async (): Promise<R> => {
      if (!spec) throw new LabError('usage', `unknown run kind: ${kind}`);
      const parsed = spec.options.safeParse(options);
      if (!parsed.success) throw new LabError('usage', `${kind}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}`);
      return (await this.execute(spec, parsed.data, abort.signal)) as R;
    })();
    const live: LiveRun = { kind, abort, done };
    this.runs.set(key, live);
    const cleanup = (): void => {
      this.runs.delete(key);
    };
    done.then(cleanup, cleanup);
    return {
      done,
      stop: async () => {
        abort.abort();
        await done.catch(() => {});
      },
    };
  }

  /** Kinds and how many runs of each are running. */
  running(): { kind: RunKind; count: number }[] {
    const m = new Map<RunKind, number>();
    for (const r of this.runs.values()) m.set(r.kind, (m.get(r.kind) ?? 0) + 1);
    return [...m].map(([kind, count]) => ({ kind, count }));
  }

  /**
   * Sizes of every in-memory map that holds per-call state (name → entries): the recorder's,
   * the running runs, and those registered by components ({@link registerLiveMap}). After the
   * last call ended, every per-call map is 0 (design.md §4).
   */
  liveMapSizes(): Record<string, number> {
    const out: Record<string, number> = { ...this.recorder.liveMapSizes() };
    for (const { name, size } of this.extraMaps) out[name] = (out[name] ?? 0) + size();
    for (const ep of this.endpoints) addSizes(out, endpointLiveMaps(ep));
    return out;
  }

  /** Adds a map to {@link liveMapSizes} (an endpoint's calls, a bot agent's results…). @returns an unregister function. */
  registerLiveMap(name: string, size: () => number): () => void {
    const entry = { name, size };
    this.extraMaps.add(entry);
    return () => this.extraMaps.delete(entry);
  }

  /** Counts an endpoint started outside a run (the dashboard's listeners) in {@link liveMapSizes}. @returns the undo. */
  trackEndpoint(ep: SipEndpoint): () => void {
    this.endpoints.add(ep);
    return () => this.endpoints.delete(ep);
  }

  /** Stops every run, the embedded emulator, and closes history. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const live = [...this.runs.values()];
      for (const r of live) r.abort.abort();
      await Promise.allSettled(live.map((r) => r.done));
      const emb = this.embedded;
      this.embedded = null;
      if (emb) await emb.then((e) => e.stop()).catch(() => {});
      await this.recorder.settled();
      try {
        this.store?.close();
      } catch {
        /* already closed */
      }
    })();
    return this.closing;
  }

  private async execute(spec: RunKindSpec, options: unknown, signal: AbortSignal): Promise<RunOutcome> {
    const endpoints: SipEndpoint[] = [];
    const emulators: EmbeddedCxone[] = [];
    const unwatch: (() => void)[] = [];
    const state: { runId: string | null; finished: boolean } = { runId: null, finished: false };
    const ctx: RunContext = {
      kind: spec.kind,
      store: this.store,
      recorder: this.recorder,
      events: this.events,
      log: this.log,
      rtpCapture: this.rtpCapture,
      signal,
      profile: (id) => this.profile(id),
      createRun: (rec: RunRecordInput) => {
        const startedWallMs = Date.now();
        const runId = this.store ? this.store.createRun({ ...rec, profile: rec.profile ?? '', transport: rec.transport ?? '', startedWallMs }) : randomUUID();
        state.runId = runId;
        this.events.emit('run/started', { runId, kind: rec.kind, profile: rec.profile, transport: rec.transport, startedWallMs });
        return runId;
      },
      finishRun: (runId, ok) => {
        this.store?.finishRun(runId, { ok, endedWallMs: Date.now() });
        state.finished = true;
      },
      startEndpoint: async (o: SipEndpointOptions) => {
        const ep = await SipEndpoint.start({ log: this.log, ...o });
        endpoints.push(ep);
        this.endpoints.add(ep);
        return ep;
      },
      startCxone: async (host?: string) => {
        const c = await startEmbeddedCxone(host);
        emulators.push(c);
        return c;
      },
      cxoneClient: async (profile): Promise<CxoneClient> => (await this.embeddedCxone()).clientFor(profile),
      onCallReport: (report) => this.events.emit('run/call', { runId: state.runId, kind: spec.kind, report }),
      watchLiveMap: (name, size) => {
        unwatch.push(this.registerLiveMap(name, size));
      },
      liveMapSizes: () => this.liveMapSizes(),
      run: (kind, o, opts) => this.run(kind, o, { signal: opts?.signal ?? signal }),
    };
    try {
      const report = await spec.run(ctx, options);
      // The run's last sent messages (a BYE, a 200 to BYE) are in history before it is announced ended.
      await this.recorder.settled();
      this.events.emit('run/ended', { runId: report.runId, kind: report.kind, ok: report.ok, endedWallMs: Date.now(), error: null });
      return report;
    } catch (e) {
      const error = toLabError(e);
      await this.recorder.settled();
      if (state.runId && !state.finished) {
        try {
          this.store?.finishRun(state.runId, { ok: false, endedWallMs: Date.now() });
        } catch {
          /* logged by the caller's report */
        }
      }
      this.events.emit('run/ended', { runId: state.runId, kind: spec.kind, ok: false, endedWallMs: Date.now(), error });
      throw e;
    } finally {
      for (const u of unwatch) u();
      await Promise.allSettled(endpoints.map((e) => e.stop()));
      for (const e of endpoints) this.endpoints.delete(e);
      await Promise.allSettled(emulators.map((c) => c.stop()));
    }
  }
}
