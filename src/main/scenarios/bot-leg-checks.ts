/**
 * The checks of a reference bot's leg (split out of bot-agent.ts, which re-exports it): contact id,
 * Signal parameters and outcome, who dropped the leg and when.
 */
import type { VendorProfile } from '../../shared/profile';
import type { CheckResult, SignalRecord } from '../../shared/types';
import { checkSignalParams } from '../profiles';
import { formatSource, isAssumed } from '../profiles/sources';
import type { TrackedCall } from './call-recorder';

/**
 * The checks of a bot leg: the contact id, the Signal's parameters and outcome, and who dropped
 * the leg and when (design.md §1: "a signal that returns 2xx but never drops the leg").
 */
export function botLegChecks(
  tracked: TrackedCall,
  profile: VendorProfile,
  signal: SignalRecord | null,
  dropWaitMs: number,
  endedBy: 'local' | 'remote' | 'none',
  endLegForEmulatedCxone = false,
): CheckResult[] {
  const checks: CheckResult[] = [];
  const v = tracked.verdict;
  checks.push({
    name: 'contact-id',
    ok: v?.ok ?? false,
    // Issue 14: findings built on an assumption (or a repeated header) are warnings, never failures.
    ...(v?.warnings?.length ? { warn: true } : {}),
    ...(profile.sources?.contactIdHeaders ? { source: profile.sources.contactIdHeaders } : {}),
    detail: v
      ? v.ok
        ? [`${v.header ?? '(no header)'} = ${v.value ?? '(none)'}`, ...(v.warnings ?? []).map((w) => `warning: ${w}`)].join('; ')
        : v.problems.join('; ') || 'no usable contact id'
      : 'no INVITE seen',
  });
  if (!signal) {
    checks.push({ name: 'signal-accepted', ok: false, detail: 'no Signal was sent' });
    return checks;
  }
  const paramChecks = checkSignalParams(signal.params, profile);
  const badParams = paramChecks.filter((c) => !c.ok);
  checks.push({
    name: 'signal-params',
    ok: badParams.length === 0,
    detail: badParams.length === 0 ? paramChecks.map((c) => c.detail).join('; ') : badParams.map((c) => c.detail).join('; '),
  });
  checks.push({ name: 'signal-accepted', ok: signal.ok, detail: `${signal.message} (${signal.url})` });
  if (signal.ok) {
    const marks = tracked.latency();
    const dropped = marks.signal_to_bye_ms !== undefined;
    const botEnds = profile.hangsUp === 'bot' || endLegForEmulatedCxone;
    const expectedBy = botEnds ? 'local' : 'remote';
    const who = endLegForEmulatedCxone
      ? 'the bot, on behalf of the embedded CXone emulator (the SIP peer is not CXone),'
      : profile.hangsUp === 'bot'
        ? 'the bot'
        : 'CXone';
    const ok = dropped && endedBy === expectedBy && (botEnds || (marks.signal_to_bye_ms ?? Infinity) <= dropWaitMs);
    // CXone should have ended the leg, and the bot had to hang up itself after the wait (or nobody did).
    const notDropped = !botEnds && (!dropped || endedBy !== 'remote');
    // Issue 14: who ends the bot leg is a sourced rule for Kore (seed 000) and Synthflow (seed 001)
    // and assumed for the others; a check built on an assumption is a warning, never a failure.
    const hangsUpSource = profile.sources?.hangsUp;
    const soft = !ok && !endLegForEmulatedCxone && isAssumed(hangsUpSource);
    checks.push({
      name: 'leg-dropped',
      ok: ok || soft,
      ...(soft ? { warn: true } : {}),
      ...(hangsUpSource ? { source: hangsUpSource } : {}),
      detail: (soft ? `warning (who ends the leg is assumed here: ${formatSource(hangsUpSource)}): ` : '') + (notDropped
        ? `signal accepted but the leg was not dropped within ${dropWaitMs / 1000} s` +
          (dropped ? ` (the bot hung up itself ${marks.signal_to_bye_ms} ms after the Signal)` : '')
        : dropped
          ? `BYE ${endedBy === 'local' ? 'sent by the bot' : 'received from the far end'} ${marks.signal_to_bye_ms} ms after the Signal; ${who} is expected to end the leg under ${profile.name}`
          : `signal accepted but the leg was not dropped within ${dropWaitMs / 1000} s`),
    });
  }
  checks.push({
    name: 'call-ended',
    ok: tracked.call.state === 'ended',
    detail: `state ${tracked.call.state}${tracked.call.end ? `, ${tracked.call.end.by}: ${tracked.call.end.reason}` : ''}`,
  });
  return checks;
}
