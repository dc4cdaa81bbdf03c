/**
 * Replay as a run kind (issue 6, issue 11): sends a stored or imported INVITE's X- headers to a
 * target again, on the runtime's history and event stream (replay/replay-call.ts does the work).
 */
import { z } from 'zod';
import { LabError } from '../../shared/errors';
import type { SipTlsOptions } from '../sip/tls-setup';
import { replayCall } from '../replay/replay-call';
import { defineRun, type RunContext, type RunOutcome } from './types';

/** Options of a replay run. */
export const replayOptionsSchema = z.object({
  /** The source call: its history id, or its SIP Call-ID (the answered leg is preferred). */
  call: z.string().min(1),
  /** SIP URI to call; without a user part the original To user is put in. */
  target: z.string().regex(/^sips?:/i, 'a SIP URI such as sip:bot@10.0.0.5:5060'),
  transport: z.enum(['udp', 'tcp', 'tls']),
  /** Profile the verdict is judged under; default the source call's. */
  profile: z.string().min(1).optional(),
  local: z.object({ host: z.string().optional(), port: z.number().int().min(0).max(65535).optional(), advertiseHost: z.string().optional() }).optional(),
  tls: z.custom<SipTlsOptions>().optional(),
  /** How long an answered call is held before the BYE (ms). Default 2000. */
  holdMs: z.number().nonnegative().optional(),
  /** CANCEL when not answered within this (ms). Default 30000. */
  answerTimeoutMs: z.number().positive().optional(),
  /** Keep the replay in history (default true). */
  record: z.boolean().optional(),
});

/** Options of a replay run as given. */
export type ReplayRunOptions = z.input<typeof replayOptionsSchema>;

/**
 * Replays a call from the runtime's history.
 * @throws LabError `set-up` without history; `not-found` for an unknown source call; Error when the listener cannot be bound.
 */
export async function runReplayOn(ctx: RunContext, opts: z.output<typeof replayOptionsSchema>): Promise<RunOutcome> {
  const store = ctx.store;
  if (!store) throw new LabError('set-up', 'a replay reads its source call from history: give --db (or use the default history)');
  let profile;
  if (opts.profile) profile = ctx.profile(opts.profile);
  const report = await replayCall({
    ...opts,
    store,
    profile,
    log: ctx.log,
    runtime: { recorder: ctx.recorder, createRun: (r) => ctx.createRun(r), finishRun: (id, ok) => ctx.finishRun(id, ok) },
  }).catch((e: Error) => {
    if (/^no call |has no stored INVITE/.test(e.message)) throw new LabError('not-found', e.message, null, { cause: e });
    throw e;
  });
  ctx.onCallReport(report);
  // `kind` only for the runtime's announcement; the report's own fields are unchanged.
  return Object.defineProperty(report, 'kind', { value: 'replay', enumerable: false }) as unknown as RunOutcome;
}

/** The `replay` kind. */
export const replayRun = defineRun({ kind: 'replay', options: replayOptionsSchema, run: runReplayOn });
