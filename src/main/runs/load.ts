/**
 * The `load` run kind (issue 12 §4): `runtime.run('load', options)` places calls at a rate as
 * CXone's PLACECALL would and reports the figures (load/engine.ts). Each ended call is announced
 * with `ctx.onCallReport` (a {@link LoadCallRecord} plus the live counters in `progress`), so a
 * front-end writes its journal and progress line as the run goes.
 */
import { isIPv6 } from 'node:net';
import { loadPrompt } from '../media/prompt';
import { CALLER_PROMPT, optionalPromptPath } from '../resources';
import { csvContacts, freshContacts } from '../load/contacts';
import { runLoadEngine, type LoadCallRecord } from '../load/engine';
import { loadOptionsSchema, type ParsedLoadOptions } from '../load/options';
import { loadOk, type LoadReport } from '../load/report';
import { LoadStats } from '../load/stats';
import { defineRun, type RunContext } from './types';

/** What a load run needs of the runtime (a subset of {@link RunContext}, so tests can pass their own). */
export type LoadContext = Pick<RunContext, 'store' | 'recorder' | 'log' | 'signal' | 'profile' | 'createRun' | 'finishRun' | 'startEndpoint' | 'onCallReport'>;

/** The live counters sent with each call record. */
export interface LoadProgress {
  attempted: number;
  answered: number;
  failed: number;
  open: number;
}

/** What `onCallReport` receives for each call of a load run. */
export type LoadCallEvent = LoadCallRecord & { progress: LoadProgress };

/**
 * Runs a load on the context's runtime.
 * @returns the report once every started call has ended (also after an abort: `status` interrupted).
 * @throws LabError `usage` for an unknown profile; Error when the CSV is unusable or the listener
 *   cannot be bound.
 */
export async function runLoadOn(ctx: LoadContext, o: ParsedLoadOptions): Promise<LoadReport> {
  const profile = ctx.profile(o.profile);
  const contacts = o.contactsFile ? csvContacts(o.contactsFile) : freshContacts;
  const calls = o.calls ?? (o.durationMs ? Number.POSITIVE_INFINITY : 1);
  const host = o.localHost ?? loopbackHostOf(o.target) ?? '0.0.0.0';
  const prompt = o.media ? await loadCallerPrompt(ctx) : null;
  const runId = ctx.createRun({
    kind: 'load',
    profile: profile.id,
    transport: o.transport,
    options: { target: o.target, rate: o.rate, calls: o.calls ?? null, concurrent: o.concurrent ?? null, durationMs: o.durationMs ?? null, holdMs: o.holdMs, media: o.media, contacts: o.contactsFile ?? 'fresh' },
  });
  const endpoint = await ctx.startEndpoint({
    transport: o.transport,
    host,
    port: 0,
    user: 'cxone',
    // Without --media a call opens no RTP socket of its own (sink-sdh.ts): its SDP points at one
    // socket pair of the endpoint that drops what arrives.
    noMedia: !o.media,
    ...(isWildcard(host) ? {} : { advertiseHost: host }),
    ...(o.transport === 'tls' && o.caFile ? { tls: { caFile: o.caFile } } : {}),
  });
  const stats = new LoadStats();
  await runLoadEngine(
    { endpoint, profile, recorder: ctx.store ? ctx.recorder : null, runId, store: ctx.store, contacts, prompt, signal: ctx.signal, log: ctx.log },
    { target: o.target, rate: o.rate, calls, concurrent: o.concurrent, durationMs: o.durationMs, holdMs: o.holdMs, answerTimeoutMs: o.answerTimeoutMs, headers: o.headers },
    stats,
    (rec) => {
      const event: LoadCallEvent = { ...rec, progress: { attempted: stats.attempted, answered: stats.answered, failed: stats.failed, open: stats.open } };
      ctx.onCallReport(event as unknown as Record<string, unknown>);
    },
  );
  const figures = stats.figures();
  const ok = loadOk(figures) && !ctx.signal.aborted;
  ctx.finishRun(runId, ok);
  return {
    ok,
    runId,
    kind: 'load',
    status: ctx.signal.aborted ? 'interrupted' : 'complete',
    profile: profile.id,
    transport: o.transport,
    target: o.target,
    db: ctx.store?.file ?? null,
    requested: {
      rate: o.rate,
      calls: o.calls ?? null,
      concurrent: o.concurrent ?? null,
      durationMs: o.durationMs ?? null,
      holdMs: o.holdMs,
      media: o.media,
      contacts: o.contactsFile ?? 'a fresh contact id per call',
    },
    figures,
  };
}

/** The `load` kind for the runtime's table. */
export const loadRun = defineRun({ kind: 'load', options: loadOptionsSchema, run: runLoadOn });

/** 127.0.0.1 / ::1 when the target is on loopback (bind there, so nothing leaves the machine). */
function loopbackHostOf(target: string): string | null {
  const m = /@(\[[^\]]+\]|[^:;>]+)/.exec(target) ?? /^sips?:(\[[^\]]+\]|[^:;>@]+)/i.exec(target);
  const host = m?.[1]?.replace(/^\[|\]$/g, '');
  if (!host) return null;
  if (host === 'localhost' || host.startsWith('127.')) return '127.0.0.1';
  if (host === '::1') return '::1';
  return null;
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || (isIPv6(host) && /^[:0]+$/.test(host));
}

async function loadCallerPrompt(ctx: LoadContext): Promise<Int16Array | null> {
  const file = optionalPromptPath(CALLER_PROMPT);
  if (!file) {
    ctx.log('warn', 'load: --media without resources/prompts/caller.wav: calls carry no audio');
    return null;
  }
  return loadPrompt(file);
}
