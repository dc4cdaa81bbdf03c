/**
 * The reference bot's side of a short conversation (issue 13 §5): after its greeting it listens
 * for the caller's digits (RFC 4733 or SIP INFO) and speech (a turn, ended by `silentForMs` of
 * silence), then chooses the Signal parameters from what it heard:
 *
 * - a digit (or digit string) listed in `onDtmf` → those parameters;
 * - a spoken turn → `onSpeech` (or, when `onDtmf` is not given either, the profile's Signal);
 *   when only `onDtmf` is given the bot waits for a digit, speech alone does not end its turn;
 * - with `requireBoth`, a listed digit *and* a spoken turn, parameters merged (digit's win);
 * - nothing within `listenMs` after the greeting → `onNoInput` (default: Watson `p1=hangup`, the
 *   others their profile Signal: the bot hands the caller to an agent).
 *
 * The profile's Signal follows the seeds (design.md §3, cxone-reference.md §2): Kore
 * `p1=AgentHandoff&p3=<session>`, Watson `p1=<session history key>` or `p1=hangup`, Synthflow
 * `p1=<queue>`, PolyAI up to 9 parameters. When the bot uses the profile's parameters it adds what
 * it heard (`dtmf:2`, `speech:1.4s`, `dtmf:2,speech:1.4s`, `none`) in the first parameter the
 * profile leaves free among p2..p9 (assumed here: Watson and PolyAI document p2..p9 as custom
 * data; Kore and Synthflow leave p2 unused). Values given in the options may use the templates
 * `{heard}`, `{digits}` and `{contact_id}`.
 */
import type { VendorProfile } from '../../shared/profile';
import type { DtmfDigitRecord, SignalParams } from '../../shared/types';
import { monoNow } from '../clock';
import type { SipCall } from '../sip/call';

/** How the reference bot converses (`bot:` of a test case; see the file comment). */
export interface BotConversationOptions {
  /** Signal parameters by the digit string the caller keys (e.g. `{ "2": { p1: "AgentHandoff" } }`). */
  onDtmf?: Record<string, SignalParams>;
  /** Signal parameters once the caller has spoken a turn. */
  onSpeech?: SignalParams;
  /** Caller silence that ends the caller's turn (ms; default {@link DEFAULT_SILENT_FOR_MS}). */
  silentForMs?: number;
  /** How long the bot listens after its greeting before the no-input path (ms; default 15000). */
  listenMs?: number;
  /** What the bot does when it heard nothing (usable): Signal parameters, or `hangup` (BYE → ONRELEASE). */
  onNoInput?: SignalParams | 'hangup';
  /** Wait between deciding and signalling (ms; default 0): a bot's "let me transfer you". */
  signalAfterMs?: number;
  /** Signal only after both a listed digit and a spoken turn. */
  requireBoth?: boolean;
}

/** Default caller silence that ends the caller's turn (ms; assumed here, a typical bot end-of-turn setting). */
export const DEFAULT_SILENT_FOR_MS = 700;
/** Default listening window after the greeting (ms). */
export const DEFAULT_LISTEN_MS = 15_000;

/** What the bot heard on one call. */
export interface BotHeard {
  /** The digits the caller keyed, in order. */
  digits: string;
  /** Total length of the caller's finished speech turns (ms). */
  speechMs: number;
  /** `dtmf:2`, `speech:1.4s`, `dtmf:2,speech:1.4s`, or `none`. */
  summary: string;
}

/** The bot's decision: Signal with `params`, hang up, or nothing (the call ended first). */
export type BotDecision =
  | { action: 'signal'; params: SignalParams; heard: BotHeard; by: 'dtmf' | 'speech' | 'both' | 'no-input' }
  | { action: 'hangup'; heard: BotHeard; by: 'no-input' }
  | { action: 'none'; heard: BotHeard; by: 'ended' };

/**
 * Listens on an answered call until the bot can decide (see the file comment); never rejects.
 * @param greeting - settles when the greeting is over (the listening window starts then).
 * @param contactId - the contact id the bot read (for the `{contact_id}` template).
 */
export function listenAndDecide(
  call: SipCall,
  profile: VendorProfile,
  conv: BotConversationOptions,
  greeting: Promise<unknown>,
  contactId: string,
): Promise<BotDecision> {
  const silentFor = conv.silentForMs ?? DEFAULT_SILENT_FOR_MS;
  const listenMs = conv.listenMs ?? DEFAULT_LISTEN_MS;
  const since = monoNow();
  let digits = '';
  let speechMs = 0;
  let turnStart: number | undefined;
  let dtmfParams: SignalParams | undefined;
  let spoke = false;
  const heard = (): BotHeard => ({ digits, speechMs: Math.round(speechMs), summary: summarize(digits, speechMs) });
  const speechCounts = conv.onSpeech !== undefined || conv.onDtmf === undefined || conv.requireBoth === true;

  return new Promise<BotDecision>((resolve) => {
    const timers = new Set<NodeJS.Timeout>();
    const speech = call.mediaSession?.speech;
    const done = (d: BotDecision): void => {
      for (const t of timers) clearTimeout(t);
      call.off('dtmf', onDigit);
      call.off('ended', onEnded);
      speech?.off('speech-start', onStart);
      speech?.off('speech-end', onEnd);
      resolve(d);
    };
    const decide = (): void => {
      if (conv.requireBoth) {
        if (dtmfParams && spoke) done(signal({ ...(conv.onSpeech ?? {}), ...dtmfParams }, 'both', false));
        return;
      }
      if (dtmfParams) done(signal(dtmfParams, 'dtmf', false));
      else if (spoke && speechCounts) done(signal(conv.onSpeech ?? profile.defaultSignal, 'speech', conv.onSpeech === undefined));
    };
    const signal = (params: SignalParams, by: 'dtmf' | 'speech' | 'both' | 'no-input', fromProfile: boolean): BotDecision => ({
      action: 'signal',
      params: fillParams(params, heard(), contactId, fromProfile),
      heard: heard(),
      by,
    });
    const onDigit = (d: DtmfDigitRecord): void => {
      if (d.direction !== 'in' || d.startMonoMs < since) return;
      digits += d.digit;
      if (conv.onDtmf) {
        const key = Object.keys(conv.onDtmf).find((k) => digits.toUpperCase().endsWith(k.toUpperCase()));
        if (key !== undefined) dtmfParams = conv.onDtmf[key];
      } else {
        dtmfParams = profile.defaultSignal;
      }
      decide();
    };
    const onStart = (t: number): void => {
      turnStart ??= t;
      for (const x of timers) if (x !== listenTimer) clearTimeout(x);
    };
    const onEnd = (t: number): void => {
      const start = turnStart ?? t;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (speech?.speaking) return;
        speechMs += t - start;
        turnStart = undefined;
        spoke = true;
        decide();
      }, Math.max(0, silentFor - (monoNow() - t)));
      timers.add(timer);
    };
    const onEnded = (): void => done({ action: 'none', heard: heard(), by: 'ended' });
    let listenTimer: NodeJS.Timeout | undefined;
    call.on('dtmf', onDigit);
    call.once('ended', onEnded);
    speech?.on('speech-start', onStart);
    speech?.on('speech-end', onEnd);
    if (speech?.speaking) onStart(speech.segments.at(-1)?.startMonoMs ?? monoNow());
    void greeting.finally(() => {
      listenTimer = setTimeout(() => {
        const noInput = conv.onNoInput ?? (profile.id === 'watson' ? { p1: 'hangup' } : profile.defaultSignal);
        if (noInput === 'hangup') done({ action: 'hangup', heard: heard(), by: 'no-input' });
        else done(signal(noInput, 'no-input', conv.onNoInput === undefined));
      }, listenMs);
      timers.add(listenTimer);
    });
  });
}

/** `dtmf:2,speech:1.4s`-style summary of what was heard. */
function summarize(digits: string, speechMs: number): string {
  const parts = [...(digits ? [`dtmf:${digits}`] : []), ...(speechMs > 0 ? [`speech:${(speechMs / 1000).toFixed(1)}s`] : [])];
  return parts.join(',') || 'none';
}

/**
 * Fills the templates of parameter values, and (for the profile's own parameters) puts the heard
 * summary in the first free parameter among p2..p9 (see the file comment).
 */
export function fillParams(params: SignalParams, heard: BotHeard, contactId: string, addHeard: boolean): SignalParams {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== 'string') continue;
    out[k] = v.replaceAll('{heard}', heard.summary).replaceAll('{digits}', heard.digits).replaceAll('{contact_id}', contactId);
  }
  if (addHeard) {
    const free = ['p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'].find((k) => out[k] === undefined);
    if (free) out[free] = heard.summary;
  }
  return out as SignalParams;
}
