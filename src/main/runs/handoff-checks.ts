/**
 * The checks of the embedded handoff that only the emulated CXone can make (runs/handoff.ts).
 */
import { formatSignalParams } from '../../shared/signal-params';
import type { CheckResult, SignalParams, SipHeader } from '../../shared/types';
import type { ScriptOutcome } from '../emulator/child-script';
import type { BotCallResult } from '../scenarios/bot-agent';

/** The pseudo number the emulated PLACECALL dials (an arbitrary Request-URI user the bot must accept). */
export const EMULATED_PSEUDO_NUMBER = '15550100';

/**
 * The checks only the emulated CXone can make: the bot read the id CXone put, signalled the
 * contact whose script owns ONSIGNAL, with the parameters ONSIGNAL then saw.
 */
export function cxoneSideChecks(outcome: ScriptOutcome, result: BotCallResult, header: SipHeader): CheckResult[] {
  const extracted = result.tracked.verdict?.value ?? null;
  const checks: CheckResult[] = [];
  checks.push({
    name: 'contact-id-matches',
    ok: extracted === header.value,
    detail: `CXone put ${header.name}: ${header.value}; the bot read ${extracted ?? 'nothing'}`,
  });
  const owner = outcome.onSignal !== null;
  checks.push({
    name: 'onsignal-fired',
    ok: owner && sameParams(outcome.onSignal ?? {}, result.signal?.params ?? {}),
    detail: owner
      ? `ONSIGNAL got ${formatSignalParams(outcome.onSignal ?? {})}; ${outcome.outcome}`
      : [outcome.outcome, ...outcome.notes].join('; '),
  });
  return checks;
}

function sameParams(a: SignalParams, b: SignalParams): boolean {
  return formatSignalParams(a) === formatSignalParams(b);
}
